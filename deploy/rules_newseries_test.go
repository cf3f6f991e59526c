package deploy

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metricsql"
	"github.com/prometheus/common/model"
)

// A counter series that Prometheus first sees above 0 shows no increase:
// increase() and rate() start from its first sample. That happens to a
// series born after its first event was counted (a label value known only
// then, a sink built when a processor becomes active, a pod restarted
// under a new instance address). Alerts that fire on one burst, an
// increase over a window W above 0 held for less than W, therefore also
// add the value a series was born with when it did not exist before the
// window:
//
//	(sum(increase(X[W])) or vector(0))
//	  + (sum(min_over_time(X[W]) unless last_over_time(X[1h] offset W)) or vector(0)) > 0
//
// Alerts held for W or longer (rate over 5m for 5m) need sustained rises,
// which a new series' second sample already shows; promtool's tests in
// prometheus/promtool_tests.yml measure both.

const rulesTestPath = "prometheus/promtool_tests.yml"

// windowRead is one rate() or increase() of a selector, or one
// min_over_time()/last_over_time() with its offset.
type windowRead struct {
	fn, selector string
	window       time.Duration
	offset       time.Duration
}

func windowReads(e metricsql.Expr) []windowRead {
	var reads []windowRead
	var walk func(metricsql.Expr)
	walk = func(e metricsql.Expr) {
		switch e := e.(type) {
		case *metricsql.FuncExpr:
			for _, a := range e.Args {
				if re, ok := a.(*metricsql.RollupExpr); ok && re.Window != nil {
					r := windowRead{fn: strings.ToLower(e.Name), selector: string(re.Expr.AppendString(nil)),
						window: time.Duration(re.Window.Duration(0)) * time.Millisecond}
					if re.Offset != nil {
						r.offset = time.Duration(re.Offset.Duration(0)) * time.Millisecond
					}
					reads = append(reads, r)
				}
				walk(a)
			}
		case *metricsql.AggrFuncExpr:
			for _, a := range e.Args {
				walk(a)
			}
		case *metricsql.BinaryOpExpr:
			walk(e.Left)
			walk(e.Right)
		case *metricsql.RollupExpr:
			walk(e.Expr)
		}
	}
	walk(e)
	return reads
}

// burstWindows returns the rate/increase reads of an alert that fires on
// one burst: its expression is `… > 0` and it is held for less than the
// window read.
func burstWindows(expr string, forDur time.Duration) ([]windowRead, error) {
	e, err := metricsql.Parse(expr)
	if err != nil {
		return nil, err
	}
	top, ok := e.(*metricsql.BinaryOpExpr)
	if !ok || top.Op != ">" {
		return nil, nil
	}
	if n, ok := top.Right.(*metricsql.NumberExpr); !ok || n.N != 0 {
		return nil, nil
	}
	var burst []windowRead
	for _, r := range windowReads(top.Left) {
		if (r.fn == "increase" || r.fn == "rate") && forDur < r.window {
			burst = append(burst, r)
		}
	}
	return burst, nil
}

// countsNewSeries says whether expr also adds, for selector over window,
// the first value of a series that had no sample before the window.
func countsNewSeries(expr string, r windowRead) bool {
	e, err := metricsql.Parse(expr)
	if err != nil {
		return false
	}
	found := false
	var walk func(metricsql.Expr)
	walk = func(e metricsql.Expr) {
		b, ok := e.(*metricsql.BinaryOpExpr)
		if !ok {
			for _, c := range children(e) {
				walk(c)
			}
			return
		}
		if strings.ToLower(b.Op) == "unless" {
			left, right := windowReads(b.Left), windowReads(b.Right)
			if len(left) == 1 && left[0] == (windowRead{fn: "min_over_time", selector: r.selector, window: r.window}) &&
				len(right) == 1 && right[0].fn == "last_over_time" && right[0].selector == r.selector &&
				right[0].offset == r.window && right[0].window >= r.window {
				found = true
			}
		}
		walk(b.Left)
		walk(b.Right)
	}
	walk(e)
	return found
}

func children(e metricsql.Expr) []metricsql.Expr {
	switch e := e.(type) {
	case *metricsql.FuncExpr:
		return e.Args
	case *metricsql.AggrFuncExpr:
		return e.Args
	case *metricsql.RollupExpr:
		return []metricsql.Expr{e.Expr}
	}
	return nil
}

// TestBurstAlertsCountASeriesBornAboveZero: every alert that fires on one
// burst of a counter also counts a series born inside its window.
func TestBurstAlertsCountASeriesBornAboveZero(t *testing.T) {
	rf := loadRules(t)
	checked := 0
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			forDur, err := model.ParseDuration(r.For)
			if err != nil {
				t.Fatalf("%s: for: %v", r.Alert, err)
			}
			reads, err := burstWindows(r.Expr, time.Duration(forDur))
			if err != nil {
				t.Fatalf("%s: %v", r.Alert, err)
			}
			for _, read := range reads {
				checked++
				if !countsNewSeries(r.Expr, read) {
					t.Errorf("alerts.yml: %s fires on one burst of %s[%s] but misses a series born above 0: add `min_over_time(%[2]s[%[3]s]) unless last_over_time(%[2]s[1h] offset %[3]s)`",
						r.Alert, read.selector, model.Duration(read.window))
				}
			}
		}
	}
	// DeadLetters, StateErrors, WebSubForgedDeliveries, WebSubLeasesLapsing, KeywordSpike.
	if checked < 5 {
		t.Errorf("only %d burst alerts found, want at least 5: is the detection still right?", checked)
	}
}

func TestBurstDetection(t *testing.T) {
	newSeries := `(sum(increase(a_total{k="v"}[15m])) or vector(0)) + (sum(min_over_time(a_total{k="v"}[15m]) unless last_over_time(a_total{k="v"}[1h] offset 15m)) or vector(0)) > 0`
	for _, tt := range []struct {
		name, expr string
		forDur     time.Duration
		burst, ok  bool
	}{
		{"increase over 15m held 1m is a burst alert", `sum(increase(a_total[15m])) > 0`, time.Minute, true, false},
		{"rate over 5m held 5m needs a sustained rise", `sum(rate(a_total[5m])) > 0`, 5 * time.Minute, false, false},
		{"a threshold above 0 loses one increment at most", `sum(increase(a_total[15m])) > 20`, time.Minute, false, false},
		{"the new-series form counts the birth value", newSeries, time.Minute, true, true},
		{"an offset shorter than the window is not enough", strings.Replace(newSeries, "offset 15m", "offset 5m", 1), time.Minute, true, false},
		{"another selector's birth value does not count", strings.Replace(newSeries, `min_over_time(a_total{k="v"}`, `min_over_time(a_total{k="w"}`, 1), time.Minute, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reads, err := burstWindows(tt.expr, tt.forDur)
			if err != nil {
				t.Fatal(err)
			}
			if (len(reads) > 0) != tt.burst {
				t.Fatalf("burst reads = %v, want burst=%v", reads, tt.burst)
			}
			if tt.burst {
				if got := countsNewSeries(tt.expr, reads[0]); got != tt.ok {
					t.Errorf("countsNewSeries = %v, want %v", got, tt.ok)
				}
			}
		})
	}
}

// TestAlertRulesUnderPromtool evaluates alerts.yml on the series of
// prometheus/promtool_tests.yml with Prometheus's own engine. promtool is not
// a Go dependency (it is most of Prometheus): scripts/promtool.sh takes it
// from Debian's prometheus package into its cache (promtool_test.go finds it).
// Without one the test skips loudly, and fails under CI=true.
func TestAlertRulesUnderPromtool(t *testing.T) {
	out, err := exec.Command(promtool(t), "test", "rules", rulesTestPath).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules %s: %v\n%s", rulesTestPath, err, out)
	}
	t.Logf("promtool test rules %s:\n%s", rulesTestPath, out)
}
