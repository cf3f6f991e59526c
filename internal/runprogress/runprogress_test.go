package runprogress

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/sources/feed"
)

// lines returns the progress lines logged to buf, each decoded.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		if m["msg"] != "progress" || m["level"] != "INFO" {
			t.Fatalf("want an INFO progress line, got %q", l)
		}
		out = append(out, m)
	}
	buf.Reset()
	return out
}

// want checks that line holds each key with its value (numbers as JSON
// reads them).
func want(t *testing.T, line map[string]any, kv ...any) {
	t.Helper()
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		var v any = kv[i+1]
		if n, ok := v.(int); ok {
			v = float64(n)
		}
		if line[k] != v {
			t.Errorf("%s = %v, want %v (line %v)", k, line[k], v, line)
		}
	}
}

func TestAFetchersLineCountsWhatItsMetricsCountedInTheIntervalOnly(t *testing.T) {
	reg := prometheus.NewRegistry()
	fm, rm := feed.NewMetrics(reg), daemon.NewRoleMetrics(reg)
	fm.Polls.WithLabelValues(feed.OutcomeNew).Add(2) // before the start: not in any line
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := New(reg, RoleFetch, slog.New(slog.NewJSONHandler(&buf, nil)), t0)

	fm.Polls.WithLabelValues(feed.OutcomeNew).Add(3)
	fm.Polls.WithLabelValues(feed.OutcomeNoNew).Inc()
	fm.Polls.WithLabelValues(feed.OutcomeIdentical).Inc()
	fm.Polls.WithLabelValues(feed.OutcomeNotModified).Add(4)
	fm.Polls.WithLabelValues(feed.OutcomeError).Add(2)
	fm.Polls.WithLabelValues(feed.OutcomeGone).Inc()
	rm.FetchItems.Add(17)
	r.Tick(t0.Add(time.Minute))
	ls := lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("want one line, got %d", len(ls))
	}
	want(t, ls[0], "interval", "1m0s", "polls_ok", 5, "polls_not_modified", 4, "polls_failed", 3, "items_published", 17)
	for _, k := range []string{"pushes", "new", "records_acked", "lag", "note"} {
		if _, ok := ls[0][k]; ok {
			t.Errorf("a fetcher's line with no push has %s: %v", k, ls[0])
		}
	}

	fm.Polls.WithLabelValues(feed.OutcomeNotModified).Inc()
	fm.Pushes.WithLabelValues("new").Inc()
	r.Tick(t0.Add(2 * time.Minute))
	ls = lines(t, &buf)
	want(t, ls[0], "interval", "1m0s", "polls_ok", 0, "polls_not_modified", 1, "polls_failed", 0, "pushes", 1, "items_published", 0)
}

func TestIdleIntervalsAfterAnIdleLineAreNotLoggedAndTheNextLineCoversThem(t *testing.T) {
	reg := prometheus.NewRegistry()
	fm, pm := feed.NewMetrics(reg), pipeline.NewMetrics(reg)
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := New(reg, RoleAll, slog.New(slog.NewJSONHandler(&buf, nil)), t0)

	r.Tick(t0.Add(time.Minute))
	ls := lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("the first idle interval: want one line, got %d", len(ls))
	}
	want(t, ls[0], "polls_ok", 0, "items", 0, "records_acked", 0, "note", Note)
	for i := 2; i <= 4; i++ {
		r.Tick(t0.Add(time.Duration(i) * time.Minute))
	}
	if ls := lines(t, &buf); len(ls) != 0 {
		t.Fatalf("idle intervals after an idle line: want no line, got %v", ls)
	}

	fm.Polls.WithLabelValues(feed.OutcomeNew).Inc()
	for o, n := range map[string]int{"new": 3, "revision": 1, "duplicate": 2, "unchanged": 1} {
		pm.Items.WithLabelValues(o).Add(float64(n))
	}
	pm.Records.WithLabelValues("story").Add(4)
	pm.Records.WithLabelValues("duplicate").Add(2)
	pm.Records.WithLabelValues("feed_status").Add(1)
	r.Tick(t0.Add(5 * time.Minute))
	ls = lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("want one line once something moved, got %d", len(ls))
	}
	want(t, ls[0], "interval", "4m0s", "polls_ok", 1, "items", 7, "new", 3, "revisions", 1, "duplicates", 2,
		"unchanged", 1, "dead_letters", 0, "records_acked", 7)
	if _, ok := ls[0]["note"]; ok {
		t.Errorf("a line of an interval that moved has the idle note: %v", ls[0])
	}

	// Idle again: one line again, then none.
	r.Tick(t0.Add(6 * time.Minute))
	r.Tick(t0.Add(7 * time.Minute))
	if ls := lines(t, &buf); len(ls) != 1 || ls[0]["note"] != Note {
		t.Fatalf("idle again: want one idle line, got %v", ls)
	}
}

// processorRegistry is a processor's series the line reads: the items
// reader's counter is built here, as itemtopic keeps its own unexported.
func processorRegistry() (*prometheus.Registry, prometheus.Counter, *pipeline.Metrics, *daemon.RoleMetrics) {
	reg := prometheus.NewRegistry()
	read := prometheus.NewCounter(prometheus.CounterOpts{Name: itemsRead, Help: "items read"})
	reg.MustRegister(read)
	return reg, read, pipeline.NewMetrics(reg), daemon.NewRoleMetrics(reg)
}

func TestAProcessorsLineHasItsLagAndALagWithNothingReadIsNotIdle(t *testing.T) {
	reg, read, pm, rm := processorRegistry()
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := New(reg, RoleProcess, slog.New(slog.NewJSONHandler(&buf, nil)), t0)

	rm.Active.Set(1)
	read.Add(10)
	pm.Items.WithLabelValues("new").Add(8)
	pm.Items.WithLabelValues("dead_letter").Add(2)
	pm.Records.WithLabelValues("story").Add(8)
	rm.Lag.Set(40)
	r.Tick(t0.Add(time.Minute))
	ls := lines(t, &buf)
	want(t, ls[0], "items_read", 10, "new", 8, "dead_letters", 2, "records_acked", 8, "lag", 40)
	for _, k := range []string{"polls_ok", "items", "standing_by"} {
		if _, ok := ls[0][k]; ok {
			t.Errorf("an active processor's line has %s: %v", k, ls[0])
		}
	}
	// Nothing read twice while items wait: a stuck processor, logged
	// every interval.
	r.Tick(t0.Add(2 * time.Minute))
	r.Tick(t0.Add(3 * time.Minute))
	ls = lines(t, &buf)
	if len(ls) != 2 {
		t.Fatalf("a lag with nothing read: want a line each interval, got %d", len(ls))
	}
	want(t, ls[1], "items_read", 0, "lag", 40)
	if _, ok := ls[1]["note"]; ok {
		t.Errorf("a lag with nothing read is called idle: %v", ls[1])
	}
}

func TestAStandbysLineSaysItStandsBy(t *testing.T) {
	reg, _, _, _ := processorRegistry()
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := New(reg, RoleProcess, slog.New(slog.NewJSONHandler(&buf, nil)), t0)
	r.Tick(t0.Add(time.Minute))
	r.Tick(t0.Add(2 * time.Minute))
	ls := lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("want one line for a standby's idle intervals, got %d", len(ls))
	}
	want(t, ls[0], "standing_by", true, "items_read", 0, "note", Note)
}

func TestOffLogsNothing(t *testing.T) {
	var buf bytes.Buffer
	stop := Start(t.Context(), prometheus.NewRegistry(), RoleAll, 0, slog.New(slog.NewJSONHandler(&buf, nil)))
	stop()
	if buf.Len() != 0 {
		t.Errorf("progress_interval 0 logged %q", buf.String())
	}
}

// Start logs once an interval, on the interval's clock, and stop ends it:
// nothing is logged after stop returns.
func TestStartLogsOnceAnIntervalUntilStopped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg := prometheus.NewRegistry()
		fm := feed.NewMetrics(reg)
		var buf testkit.LockedBuffer
		stop := Start(t.Context(), reg, RoleFetch, time.Minute, slog.New(slog.NewJSONHandler(&buf, nil)))
		for range 3 {
			fm.Polls.WithLabelValues(feed.OutcomeNew).Inc()
			time.Sleep(time.Minute)
			synctest.Wait()
		}
		stop()
		fm.Polls.WithLabelValues(feed.OutcomeNew).Inc()
		time.Sleep(2 * time.Minute)
		b := bytes.NewBufferString(buf.String())
		ls := lines(t, b)
		if len(ls) != 3 {
			t.Fatalf("want 3 lines in 3 intervals, got %d", len(ls))
		}
		for _, l := range ls {
			want(t, l, "interval", "1m0s", "polls_ok", 1)
		}
	})
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// BenchmarkRead is one line's cost: one gathering of a role-all registry
// as run builds it (the Go and process collectors included).
func BenchmarkRead(b *testing.B) {
	reg := prometheus.NewRegistry()
	daemon.NewMetricsOf(reg, "bench", RoleAll)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(reg); err != nil {
			b.Fatal(err)
		}
	}
}

// A standby that takes over (or an active processor that loses its
// partitions) is news even when nothing else moved: the last line said
// otherwise, and the quiet that follows an idle line would keep it.
func TestAProcessorThatStartsOrStopsStandingByLogsALine(t *testing.T) {
	reg, _, _, rm := processorRegistry()
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := New(reg, RoleProcess, slog.New(slog.NewJSONHandler(&buf, nil)), t0)
	r.Tick(t0.Add(time.Minute))
	r.Tick(t0.Add(2 * time.Minute))
	if ls := lines(t, &buf); len(ls) != 1 || ls[0]["standing_by"] != true {
		t.Fatalf("a standby's idle intervals: want one standing_by line, got %v", ls)
	}

	rm.Active.Set(1)
	r.Tick(t0.Add(3 * time.Minute))
	ls := lines(t, &buf)
	if len(ls) != 1 {
		t.Fatalf("a standby that took over: want one line, got %d", len(ls))
	}
	if _, ok := ls[0]["standing_by"]; ok {
		t.Errorf("the line after taking over still says standing_by: %v", ls[0])
	}
	want(t, ls[0], "interval", "2m0s", "items_read", 0, "lag", 0) // since the idle line

	r.Tick(t0.Add(4 * time.Minute)) // idle and still active: the idle line
	r.Tick(t0.Add(5 * time.Minute)) // quiet
	rm.Active.Set(0)
	r.Tick(t0.Add(6 * time.Minute))
	ls = lines(t, &buf)
	if len(ls) != 2 || ls[1]["standing_by"] != true {
		t.Fatalf("an active processor that became a standby: want its idle line and a standing_by line, got %v", ls)
	}
}

// A gathering that failed in part says so on the line, idle or not: an
// idle line from a registry that could not be read whole may be idle only
// in what could be read.
func TestAGatherErrorIsOnTheLineIdleOrNot(t *testing.T) {
	reg := prometheus.NewRegistry()
	fm := feed.NewMetrics(reg)
	g := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		mfs, _ := reg.Gather()
		return mfs, errors.New("collector x failed")
	})
	var buf bytes.Buffer
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := New(g, RoleFetch, slog.New(slog.NewJSONHandler(&buf, nil)), t0)
	fm.Polls.WithLabelValues(feed.OutcomeNew).Inc()
	r.Tick(t0.Add(time.Minute))
	r.Tick(t0.Add(2 * time.Minute))
	ls := lines(t, &buf)
	if len(ls) != 2 {
		t.Fatalf("want a line that moved and an idle one, got %v", ls)
	}
	for _, l := range ls {
		if l["err"] != "collector x failed" {
			t.Errorf("a line from a failed gathering without its err: %v", l)
		}
	}
	want(t, ls[0], "polls_ok", 1)
}
