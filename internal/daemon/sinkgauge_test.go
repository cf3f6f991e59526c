package daemon

import (
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// wirestream_sink_epochs says whether the active pipeline's records carry the sink epoch; a
// processor that stands by writes none. It kept the last active pipeline's 1 after the
// partition went to another processor, so a standby that had been active read 1 and one that
// never was read 0, and README's alert at 0 could not tell a fallback from a standby: standing
// by sets it to 0, as wirestream_processor_active.
func TestSinkEpochsReadsZeroOnceTheProcessorStandsBy(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry(), "test")
	p := &Processor{m: m, log: slog.New(slog.DiscardHandler)}
	p.active = &activePipeline{partition: 0}
	m.Roles.Active.Set(1)
	m.Roles.SinkEpochs.Set(1) // the active pipeline's records carried the epoch
	p.standBy("the items partition changed")
	if g := testutil.ToFloat64(m.Roles.SinkEpochs); g != 0 {
		t.Errorf("wirestream_sink_epochs on a processor standing by: %v, want 0", g)
	}
}
