//go:build unix

package daemon

import (
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// An active processor whose activation wrote the sink unfenced because the ACLs refused
// InitProducerID (kafka.sink_fence: auto) keeps its partition — it is not activated again — and
// wrote unfenced until its process restarted. Once the ACLs allow it and sinkFenceRetry passed,
// its next write takes the epoch: wirestream_sink_epochs goes 0 → 1, SinkFenceBackMsg once, in
// the same activation, and every item written is committed.
func TestAnActiveProcessorWritingUnfencedTakesTheSinkEpochOnceTheACLsAllowIt(t *testing.T) {
	old := sinkFenceRetry
	sinkFenceRetry = 3 * time.Second
	t.Cleanup(func() { sinkFenceRetry = old })
	brokers := kafkatest.Brokers(t)
	items := itemsOf(shareddata.UCI(t))
	base := roleConfig(t, brokers)
	base.Kafka.SinkFence = wkafka.SinkFenceAuto
	cfg := func() config.Config { return base }
	fillItems(t, base, items[:10])
	var written atomic.Int64
	written.Store(10)
	refuse := new(atomic.Bool)
	refuse.Store(true)
	var back, unavailable atomic.Int64
	active := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.wrapRawWriting = func(rw wkafka.RawWriting) wkafka.RawWriting {
			rw.Transport = aclsRefuse{refuse: refuse, next: rw.Transport}
			return rw
		}
		p.sinkFence.log = slog.New(counting{Handler: p.sinkFence.log.Handler(),
			n: map[string]*atomic.Int64{SinkFenceBackMsg: &back, SinkFenceUnavailableMsg: &unavailable}})
	})
	waitFor(t, 3*time.Minute, "process-1 never became active", func() bool { return active.value("wirestream_processor_active") == 1 })
	if unavailable.Load() != 1 || active.value("wirestream_sink_epochs") != 0 {
		t.Fatalf("the activation, the ACLs refusing: %d fallback warnings, gauge %v; want 1 and 0", unavailable.Load(), active.value("wirestream_sink_epochs"))
	}
	refuse.Store(false)
	stopWriting := trickle(t, base, items[10:], &written)
	defer stopWriting()
	waitFor(t, time.Minute, "process-1 never took the sink epoch once the ACLs allowed it", func() bool {
		return active.value("wirestream_sink_epochs") == 1
	})
	if back.Load() != 1 || active.value("wirestream_processor_activations_total") != 1 {
		t.Errorf("fenced again: %q %d times, activations %v; want once, in the first activation",
			SinkFenceBackMsg, back.Load(), active.value("wirestream_processor_activations_total"))
	}
	stopWriting()
	total := float64(written.Load())
	waitFor(t, 3*time.Minute, "process-1 never committed the last item", func() bool {
		return active.value("wirestream_processor_committed_offset") >= total
	})
}
