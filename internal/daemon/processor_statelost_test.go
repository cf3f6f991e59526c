//go:build unix

package daemon

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// The state changelog topic deleted (by hand, a cleanup script, a cluster rebuilt without it)
// while the items group keeps its committed offset: the next processor creates the topic
// again, empty, and starts with no state — stories the feeds list again are published again
// as new, events start again under new ids. Before round 28 it said nothing of it (a restore
// of 0 entries at INFO, as on a first start); now it says, at ERROR, that the state was lost,
// naming the changelog partition and the committed items offset. A first start (no committed
// offset, a new changelog) says nothing of it.
func TestAProcessorWhoseChangelogWasDeletedSaysItsStateWasLost(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	base := roleConfig(t, brokers)
	cfg := func() config.Config { return base }
	items := distinctItems(20)
	fillItems(t, base, items)
	counted := func(n *atomic.Int64) func(*Processor) {
		return func(p *Processor) {
			p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{StateLostMsg: n}})
		}
	}

	var first atomic.Int64
	p1 := startProcessor(t, "process-1", cfg, counted(&first))
	waitFor(t, 3*time.Minute, "process-1 never committed the items", func() bool {
		return p1.value("wirestream_processor_committed_offset") >= float64(len(items))
	})
	p1.stop(t)
	if n := first.Load(); n != 0 {
		t.Errorf("a first start on a new changelog said %d times that the state was lost", n)
	}

	// The fault: the changelog topic deleted while no processor runs.
	changelog := base.Kafka.TopicPrefix + base.State.Changelog.Name
	kafkatest.DeleteTopic(t, brokers, changelog)

	var second atomic.Int64
	p2 := startProcessor(t, "process-2", cfg, counted(&second))
	waitFor(t, 3*time.Minute, "process-2 never became active", func() bool { return p2.value("wirestream_processor_active") == 1 })
	if n := second.Load(); n != 1 {
		t.Errorf("a processor that found the changelog %s new behind a committed items offset said %d times that the state was lost, want once", changelog, n)
	}
}

// The state changelog deleted while a standby waits (a broker back on an empty data dir
// loses it with every other topic): when the partition comes to the standby, it creates the
// changelog again, as a start would, and becomes active, saying the state was lost. Before
// round 29 its activation failed ("open table …: metadata") and it waited for a next
// generation that nothing brought: no processor decided an item again until one was
// restarted.
func TestAStandbyWhoseChangelogWasDeletedBecomesActiveWhenItTakesOver(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	base := roleConfig(t, brokers)
	base.Cluster.SessionTimeout = 6 * time.Second
	cfg := func() config.Config { return base }
	items := distinctItems(20)
	fillItems(t, base, items)
	p1 := startProcessor(t, "process-1", cfg)
	waitFor(t, 3*time.Minute, "process-1 never committed the items", func() bool {
		return p1.value("wirestream_processor_committed_offset") >= float64(len(items))
	})
	var lost atomic.Int64
	p2 := startProcessor(t, "process-2", cfg, func(p *Processor) {
		p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{StateLostMsg: &lost}})
	})
	waitFor(t, time.Minute, "process-2 never joined the group", func() bool { return p2.value("wirestream_group_generation") > 0 })

	// The fault: the changelog deleted under both, then the active one stopped.
	changelog := base.Kafka.TopicPrefix + base.State.Changelog.Name
	kafkatest.DeleteTopic(t, brokers, changelog)
	p1.stop(t)
	waitFor(t, 90*time.Second, "process-2 took the partition over but never became active", func() bool {
		return p2.value("wirestream_processor_active") == 1
	})
	if n := lost.Load(); n != 1 {
		t.Errorf("the standby that found the changelog %s new behind a committed items offset said %d times that the state was lost, want once", changelog, n)
	}
}

// The state changelog topic deleted under the active processor: its appends retry and
// nothing more is committed; every slot of the pipeline fills with a batch whose commit
// waits. Its state check (/readyz) answers at once that the changelog does not take
// appends, naming it — not after the commit under way, which holds the state store for as
// long as it retries (a check through the store hung there). And a stop ends within
// shutdown_timeout — the batches not committed are read again by the partition's next
// owner — where before round 28 the pipeline, waiting for a slot, never saw its input close
// and the stop waited for ever (faults28: SIGKILL 40 s after SIGTERM, 3 runs of 3 on a
// 3-node cluster).
func TestAnActiveProcessorWhoseChangelogWasDeletedIsNotReadyAndStopsInTime(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	base := roleConfig(t, brokers)
	base.Pipeline.MaxInFlightBatches = 2 // full after a few batches
	cfg := func() config.Config { return base }
	items := distinctItems(120)
	fillItems(t, base, items[:10])
	var proc *Processor
	p1 := startProcessor(t, "process-1", cfg, func(p *Processor) { proc = p })
	waitFor(t, 3*time.Minute, "process-1 never committed the first items", func() bool {
		return p1.value("wirestream_processor_committed_offset") >= 10
	})
	if err := readyWithin(t, proc, 5*time.Second); err != nil {
		t.Fatalf("the active processor's state check before the fault: %v", err)
	}

	changelog := base.Kafka.TopicPrefix + base.State.Changelog.Name
	kafkatest.DeleteTopic(t, brokers, changelog)
	var written atomic.Int64
	written.Store(10)
	stopWriting := writeItems(t, base, items, &written) // a ten every 200 ms: a batch each
	var err error
	waitFor(t, 2*time.Minute, "the active processor's state check said ready with its changelog deleted", func() bool {
		err = readyWithin(t, proc, 5*time.Second)
		return err != nil
	})
	if !strings.Contains(err.Error(), changelog) {
		t.Errorf("the state check = %v, want it to name %s", err, changelog)
	}
	t.Logf("state check with the changelog deleted: %v", err)
	waitFor(t, time.Minute, "the items after the deletion were never written", func() bool { return written.Load() >= 80 })
	stopWriting()

	stopped := time.Now()
	p1.cancel()
	p1.cancel = nil
	bound := base.ShutdownTimeout + 20*time.Second // the drain's own bound, and room for a loaded box
	select {
	case err := <-p1.done:
		t.Logf("the processor stopped %v after it was asked to (shutdown_timeout %v): %v", time.Since(stopped).Round(100*time.Millisecond), base.ShutdownTimeout, err)
	case <-time.After(bound):
		t.Fatalf("the processor still ran %v after it was stopped (shutdown_timeout %v) with its changelog refusing every append", bound, base.ShutdownTimeout)
	}
}

// readyWithin is p's state check, failing t when it does not answer within d.
func readyWithin(t *testing.T, p *Processor, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	res := make(chan error, 1)
	go func() { res <- p.StateReady(ctx) }()
	select {
	case err := <-res:
		return err
	case <-time.After(d + time.Second):
		t.Fatalf("the processor's state check did not answer within %v", d)
		return nil
	}
}
