//go:build unix

package daemon

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// TestAProcessorFencedByANewerEpoch…'s rule for the sink's epoch (kafka.sink_fence: on): the
// items partition's sink identity is taken by a newer owner, which writes to every stories
// partition, while the active processor's generation still says the partition is its own. Its
// next sink write there is refused; the processor stands by for a session timeout as for a
// fenced changelog (the failed batch is not committed), then, still the group's owner,
// restores — taking the sink's epoch back — and goes on; every item written is decided and
// committed (none lost).
func TestAProcessorWhoseSinkEpochIsTakenStandsByThenRestoresAndLosesNoItem(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	items := itemsOf(shareddata.UCI(t))
	base := roleConfig(t, brokers)
	base.Kafka.SinkFence = wkafka.SinkFenceOn
	cfg := func() config.Config { return base }
	fillItems(t, base, items[:10])
	var written atomic.Int64
	written.Store(10)
	var standBys atomic.Int64
	const standBy = "processor: a newer owner fenced the sink's output partition; standing by for a session timeout before restoring, if the partition is still this member's"
	active := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{standBy: &standBys}})
	})
	waitFor(t, 3*time.Minute, "process-1 never became active", func() bool { return active.value("wirestream_processor_active") == 1 })
	stopWriting := trickle(t, base, items[10:], &written)
	defer stopWriting()
	waitFor(t, 3*time.Minute, "process-1 never committed", func() bool {
		return active.value("wirestream_processor_committed_offset") > 100
	})

	// The newer owner: the same group's sink identity for items partition 0, written with.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	kc := base.Kafka
	kc.Instance = "newer-owner"
	sink, err := wkafka.New(ctx, kc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close(context.Background())
	newer, err := epochsink.Open(ctx, sink.RawWriting(), epochsink.TransactionalID(base.Cluster.ProcessGroup, ItemsTopic(base), 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := sink.WriteVia(ctx, newer, fixtures.Stories(120)); err != nil {
		t.Fatal(err)
	}
	fencedAt := time.Now()

	waitFor(t, 3*time.Minute, "process-1 never stood by after its sink write was refused", func() bool { return standBys.Load() >= 1 })
	waitFor(t, 3*time.Minute, "process-1 never restored after standing by", func() bool {
		return active.value("wirestream_processor_activations_total") >= 2 && active.value("wirestream_processor_active") == 1
	})
	t.Logf("process-1 active again %v after the newer owner's sink epoch", time.Since(fencedAt).Round(time.Millisecond))
	if since := time.Since(fencedAt); since < base.Cluster.SessionTimeout {
		t.Errorf("process-1 restored %v after it was fenced, before a session timeout (%v)", since, base.Cluster.SessionTimeout)
	}
	stopWriting()
	total := float64(written.Load())
	waitFor(t, 3*time.Minute, "process-1 never committed the last item", func() bool {
		return active.value("wirestream_processor_committed_offset") >= total
	})
}
