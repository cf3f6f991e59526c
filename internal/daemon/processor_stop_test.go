//go:build unix

package daemon

import (
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// A stop (SIGTERM) of the active processor while an append it carried on across a standby's
// join waits for the answer to its batch on the wire (kafkastate.SettleMsg; the changelog's
// partition leader holds that request) ends promptly: the generation stays current through a
// stop, so the fence never ended that wait, and the stop waited for the answer or the request's
// deadline + 1 s (31 s with the changelog's 30 s). The stop now gives the append up: its batch
// fails, its items offset is not committed, and the standby, which takes over at once, decides
// those items again. No item is lost. The bound checked is the held request's own deadline (the
// changelog's 30 s produce timeout), which a stop that waited for it could not beat; the stop's
// time is logged.
func TestAStopDuringASettleEndsPromptlyAndLosesNoItem(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	items := itemsOf(shareddata.UCI(t))
	base := roleConfig(t, brokers)
	base.Cluster.SessionTimeout = 20 * time.Second // the join under test is the only rebalance
	base.ShutdownTimeout = 2 * time.Minute         // the drain's own bound is not what ends the stop
	cfg := func() config.Config { return base }
	fillItems(t, base, items[:10])
	var written atomic.Int64
	written.Store(10)

	var settles, kept, notCarried atomic.Int64
	var first atomic.Pointer[kafkatest.HungLeader]
	active := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.wrapState = func(o *kafkastate.Options) {
			o.Table.WrapWrites = func(rt kafkago.RoundTripper) kafkago.RoundTripper {
				h := &kafkatest.HungLeader{Next: rt}
				first.CompareAndSwap(nil, h)
				return h
			}
		}
		p.log = slog.New(counting{Handler: p.log.Handler(),
			n: map[string]*atomic.Int64{kafkastate.SettleMsg: &settles, kafkastate.KeptMsg: &kept, notCarriedMsg: &notCarried}})
	})
	waitFor(t, 3*time.Minute, "process-1 never became active", func() bool { return active.value("wirestream_processor_active") == 1 })
	leader := first.Load()
	stopWriting := trickle(t, base, items[10:], &written)
	defer stopWriting()
	waitFor(t, 3*time.Minute, "process-1 never committed", func() bool {
		return active.value("wirestream_processor_committed_offset") > 10
	})

	// The leader holds the next append on the wire; a standby's join ends the generation, the
	// next carries the append on and waits there for the held request's answer.
	leader.Hang()
	defer leader.Release()
	waitFor(t, 3*time.Minute, "no changelog append reached the hung leader", func() bool { return leader.Held() > 0 })
	standby := startProcessor(t, "process-2", cfg)
	waitFor(t, 3*time.Minute, "process-1 never carried its cut append on to settle its batch on the wire", func() bool {
		return settles.Load() > 0 || notCarried.Load() > 0
	})
	if notCarried.Load() > 0 {
		t.Fatal("the join's next generation did not carry process-1's drain on: no settle to stop during")
	}
	leader.Pass() // the held request stays held, to its deadline; new ones go through
	at := time.Now()
	active.stop(t)
	took := time.Since(at)
	held := leader.Held()
	t.Logf("process-1 stopped %v after SIGTERM, during the settle of its batch on the wire (%d produce requests held); %d appends given up with a batch on the wire",
		took.Round(time.Millisecond), held, kept.Load())
	// The held request is left to its deadline (not released): sent on now, it would open a
	// connection on the stopped processor's transport that nobody closes.
	if writeTimeout := 30 * time.Second; took >= writeTimeout {
		t.Errorf("the stop took %v, past the held request's own deadline (%v): it waited for the batch on the wire", took, writeTimeout)
	}
	if kept.Load() == 0 {
		t.Error("the stop did not give up the append waiting for its batch on the wire")
	}

	stopWriting()
	total := float64(written.Load())
	waitFor(t, 3*time.Minute, "the standby never committed the last item", func() bool {
		return standby.value("wirestream_processor_committed_offset") >= total
	})
	decided := active.value("wirestream_pipeline_items_total") + standby.value("wirestream_pipeline_items_total")
	t.Logf("%v items decided of %v written (process-1 %v, process-2 %v); process-1's batches not committed: %v",
		decided, total, active.value("wirestream_pipeline_items_total"), standby.value("wirestream_pipeline_items_total"), failedBatches(active))
	if decided < total {
		t.Errorf("%v items decided of %v written: some were lost", decided, total)
	}
	if standby.value("wirestream_processor_activations_total") != 1 {
		t.Errorf("the standby became active %v times, want once, at the stop", standby.value("wirestream_processor_activations_total"))
	}
}

// A stop while a plain changelog append (no rebalance, nothing cut) waits for a partition leader
// that stopped answering ends within shutdown_timeout: the generation stays current through a
// stop, so the fence never ends the write, and a timed-out produce is retried; the pipeline's
// drain timeout (shutdown_timeout) cancels its writes instead, and the append fails, its batch
// on the wire kept for a restore here (kafkastate.KeptMsg). Its batch and those after it are not
// committed, and a standby started after the stop decides them: no item is lost. main's code
// stopped within the same bound (3.0 s in one run): the test pins it for a plain write, and that
// the batch on the wire is kept. (The settle's test above sets a 2-minute shutdown_timeout, so
// that the drain timeout is not what ends its stop.)
func TestAStopWhileAHungLeaderHoldsAnAppendEndsWithinTheShutdownTimeout(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	items := itemsOf(shareddata.UCI(t))
	base := roleConfig(t, brokers)
	base.Cluster.SessionTimeout = 20 * time.Second
	base.ShutdownTimeout = 3 * time.Second
	cfg := func() config.Config { return base }
	fillItems(t, base, items[:10])
	var written atomic.Int64
	written.Store(10)

	var kept atomic.Int64
	var first atomic.Pointer[kafkatest.HungLeader]
	active := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.wrapState = func(o *kafkastate.Options) {
			o.Table.WrapWrites = func(rt kafkago.RoundTripper) kafkago.RoundTripper {
				h := &kafkatest.HungLeader{Next: rt}
				first.CompareAndSwap(nil, h)
				return h
			}
		}
		p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{kafkastate.KeptMsg: &kept}})
	})
	waitFor(t, 3*time.Minute, "process-1 never became active", func() bool { return active.value("wirestream_processor_active") == 1 })
	leader := first.Load()
	stopWriting := trickle(t, base, items[10:], &written)
	defer stopWriting()
	waitFor(t, 3*time.Minute, "process-1 never committed", func() bool {
		return active.value("wirestream_processor_committed_offset") > 10
	})
	leader.Hang()
	defer leader.Release()
	waitFor(t, 3*time.Minute, "no changelog append reached the hung leader", func() bool { return leader.Held() > 0 })
	at := time.Now()
	active.stop(t)
	took := time.Since(at)
	t.Logf("process-1 stopped %v after SIGTERM with its changelog leader hung (shutdown_timeout %v; %d produce requests held); %d appends given up with a batch on the wire",
		took.Round(time.Millisecond), base.ShutdownTimeout, leader.Held(), kept.Load())
	if writeTimeout := 30 * time.Second; took >= writeTimeout {
		t.Errorf("the stop took %v, past the held request's own deadline (%v): it waited for the hung leader", took, writeTimeout)
	}

	standby := startProcessor(t, "process-2", cfg)
	stopWriting()
	total := float64(written.Load())
	waitFor(t, 3*time.Minute, "the standby never committed the last item", func() bool {
		return standby.value("wirestream_processor_committed_offset") >= total
	})
	t.Logf("%v items written; process-1 decided %v, process-2 %v", total,
		active.value("wirestream_pipeline_items_total"), standby.value("wirestream_pipeline_items_total"))
	if kept.Load() == 0 {
		t.Error("the stop's drain timeout did not give up the append held on the wire")
	}
}
