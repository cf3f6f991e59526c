//go:build unix

package daemon

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// The active processor's changelog partition is taken over by a newer owner's producer epoch
// while its group generation still says the partition is its own (as a stale member would:
// here another process of the group opens the partition and restores it). The rules: the
// active's next write is refused, and it says so once (EpochFencedMsg, and
// wirestream_state_changelog_fenced_total = 1) and does not crash; it stands by for a session
// timeout and, still the group's owner, restores (taking the epoch back) and goes on; every
// item written is decided and committed (none lost).
func TestAProcessorFencedByANewerEpochStandsByThenRestoresAndLosesNoItem(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	items := itemsOf(shareddata.UCI(t))
	base := roleConfig(t, brokers)
	cfg := func() config.Config { return base }
	fillItems(t, base, items[:10])
	var written atomic.Int64
	written.Store(10)
	var fencedMsgs, standBys atomic.Int64
	const standBy = "processor: a newer owner fenced the state changelog partition; standing by for a session timeout before restoring, if the partition is still this member's"
	active := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{kafkastate.EpochFencedMsg: &fencedMsgs, standBy: &standBys}})
	})
	waitFor(t, 3*time.Minute, "process-1 never became active", func() bool { return active.value("wirestream_processor_active") == 1 })
	stopWriting := trickle(t, base, items[10:], &written)
	defer stopWriting()
	waitFor(t, 3*time.Minute, "process-1 never committed", func() bool {
		return active.value("wirestream_processor_committed_offset") > 100
	})

	// The newer owner: the same group's transactional id for partition 0, restored.
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	fence, err := kafkastate.NewEpochFence(cn, base.Cluster.ProcessGroup, kafkastate.FenceOn, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	newer, err := kafkastate.Open(ctx, cn, base.Kafka.TopicPrefix+base.State.Changelog.Name, 0, kafkastate.Options{Epoch: fence})
	if err != nil {
		t.Fatal(err)
	}
	if err := newer.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	newer.Close()
	fencedAt := time.Now()

	waitFor(t, 3*time.Minute, "process-1's writes were never refused", func() bool {
		return active.value("wirestream_state_changelog_fenced_total") >= 1
	})
	waitFor(t, 3*time.Minute, "process-1 never restored after standing by", func() bool {
		return active.value("wirestream_processor_activations_total") >= 2 && active.value("wirestream_processor_active") == 1
	})
	t.Logf("process-1 active again %v after the newer owner's epoch", time.Since(fencedAt).Round(time.Millisecond))
	if since := time.Since(fencedAt); since < base.Cluster.SessionTimeout {
		t.Errorf("process-1 restored %v after it was fenced, before a session timeout (%v)", since, base.Cluster.SessionTimeout)
	}
	stopWriting()
	total := float64(written.Load())
	waitFor(t, 3*time.Minute, "process-1 never committed the last item", func() bool {
		return active.value("wirestream_processor_committed_offset") >= total
	})
	if n := active.value("wirestream_state_changelog_fenced_total"); n != 1 {
		t.Errorf("wirestream_state_changelog_fenced_total = %v, want 1", n)
	}
	if fencedMsgs.Load() != 1 || standBys.Load() != 1 {
		t.Errorf("%q logged %d times and %q %d times, want once each", kafkastate.EpochFencedMsg, fencedMsgs.Load(), standBy, standBys.Load())
	}
}
