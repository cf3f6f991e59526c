package daemon

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/opshttp"
)

// describe is the line the /status page shows under its heading.
func describe(t *testing.T, st opshttp.Status) string {
	t.Helper()
	d, ok := st.(opshttp.Describer)
	if !ok {
		t.Fatalf("%T does not say what its instance is", st)
	}
	return d.Describe()
}

func counts(st opshttp.Status) map[string]float64 {
	out := map[string]float64{}
	for _, c := range st.Throughput().Counts {
		out[c.Name] = c.Total
	}
	return out
}

// A fetcher's /status counted the pipeline it does not run: "items decided
// 0", "feed statuses published 0" beside the items and statuses it had
// published (round 28, operator28). It counts what it publishes, and says
// it is a fetcher.
func TestAFetchersStatusCountsWhatItPublishes(t *testing.T) {
	cfg := config.Default()
	cfg.Instance = "fetch-7"
	m := NewMetrics(prometheus.NewRegistry(), "test")
	f := &Fetcher{cfg: cfg, m: m, items: ItemsTopic(cfg)}
	m.Roles.FetchItems.Add(6)
	m.Roles.FetchBatches.WithLabelValues("written").Add(3)
	m.Roles.FetchBatches.WithLabelValues("failed").Add(1)
	st := f.Status()
	got := counts(st)
	for name, want := range map[string]float64{"items published": 6, "polls published (items and feed status)": 3, "polls not published (read again)": 1} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v (counts %v)", name, got[name], want, got)
		}
	}
	if _, ok := got["items decided"]; ok {
		t.Errorf("a fetcher's page counts items decided, which only a processor does: %v", got)
	}
	if d := describe(t, st); !strings.Contains(d, "fetch-7") || !strings.Contains(d, "role fetch") || !strings.Contains(d, ItemsTopic(cfg)) {
		t.Errorf("a fetcher describes itself as %q", d)
	}
}

// A standby's page is empty by design, and looked like an active
// processor's that had nothing to do: it says which it is, as
// wirestream_processor_active does.
func TestAProcessorsStatusSaysWhetherItIsActive(t *testing.T) {
	cfg := config.Default()
	cfg.Instance = "process-2"
	m := NewMetrics(prometheus.NewRegistry(), "test")
	p := &Processor{cfg: cfg, m: m}
	st := p.Status()
	if d := describe(t, st); !strings.Contains(d, "process-2") || !strings.Contains(d, "standing by") {
		t.Errorf("a standby describes itself as %q", d)
	}
	m.Roles.Active.Set(1)
	if d := describe(t, st); !strings.Contains(d, "active") || strings.Contains(d, "standing by") {
		t.Errorf("the active processor describes itself as %q", d)
	}
	if _, ok := counts(st)["items decided"]; !ok {
		t.Errorf("a processor's page lacks the pipeline's counts: %v", counts(st))
	}
}
