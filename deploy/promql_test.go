package deploy

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/VictoriaMetrics/metricsql"
)

// PromQL is checked with MetricsQL's parser (a light, pure-Go parser of a
// PromQL superset; Prometheus's own parser drags in most of Prometheus),
// then walked to refuse what MetricsQL accepts and Prometheus does not:
// functions it lacks, rate(x) without a range, a bare range selector,
// WITH templates, `or` label filters, keep_metric_names.

// promqlFuncs are Prometheus 3's functions; rangeFuncs take a range vector.
var (
	promqlFuncs = strings.Fields(`abs absent absent_over_time acos acosh asin asinh atan atanh
		avg_over_time ceil changes clamp clamp_max clamp_min cos cosh count_over_time day_of_month
		day_of_week day_of_year days_in_month deg delta deriv double_exponential_smoothing exp floor
		histogram_avg histogram_count histogram_fraction histogram_quantile histogram_stddev
		histogram_stdvar histogram_sum holt_winters hour idelta increase info irate label_join
		label_replace last_over_time ln log10 log2 mad_over_time max_over_time min_over_time minute
		month pi predict_linear present_over_time quantile_over_time rad rate resets round scalar
		sgn sin sinh sort sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time
		stdvar_over_time sum_over_time tan tanh time timestamp vector year`)
	rangeFuncs = strings.Fields(`absent_over_time avg_over_time changes count_over_time delta deriv
		double_exponential_smoothing holt_winters idelta increase irate last_over_time mad_over_time
		max_over_time min_over_time predict_linear present_over_time quantile_over_time rate resets
		stddev_over_time stdvar_over_time sum_over_time`)
	promqlAggrs   = strings.Fields(`sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio`)
	promqlBinOps  = strings.Fields(`+ - * / % ^ == != > < >= <= and or unless atan2`)
	grafanaRange  = regexp.MustCompile(`\[\$\{?__(rate_interval|interval|range)\}?\]`)
	grafanaVarRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)
	withTemplate  = regexp.MustCompile(`(?i)^\s*with\s*\(`)
)

// checkPromQL parses one PromQL expression and returns the metric names it
// selects. Grafana's range variables ($__rate_interval…) stand for a range.
func checkPromQL(expr string) ([]string, error) {
	expr = grafanaRange.ReplaceAllString(expr, "[5m]")
	if withTemplate.MatchString(expr) {
		return nil, errors.New("WITH templates are MetricsQL, not PromQL")
	}
	e, err := metricsql.Parse(expr)
	if err != nil {
		return nil, err
	}
	w := promWalker{names: map[string]bool{}}
	w.walk(e, false)
	names := make([]string, 0, len(w.names))
	for n := range w.names {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, errors.Join(w.errs...)
}

type promWalker struct {
	names map[string]bool
	errs  []error
}

func (w *promWalker) fail(format string, args ...any) {
	w.errs = append(w.errs, fmt.Errorf(format, args...))
}

// walk visits e; rangeOK says whether a range vector may stand here.
func (w *promWalker) walk(e metricsql.Expr, rangeOK bool) {
	switch e := e.(type) {
	case *metricsql.MetricExpr:
		if len(e.LabelFilterss) > 1 {
			w.fail("%s: `or` inside a selector is MetricsQL, not PromQL", e.AppendString(nil))
		}
		for _, lfs := range e.LabelFilterss {
			for _, lf := range lfs {
				if lf.Label == "__name__" && !lf.IsRegexp && !lf.IsNegative {
					w.names[lf.Value] = true
				}
			}
		}
	case *metricsql.RollupExpr:
		if (e.Window != nil || e.ForSubquery()) && !rangeOK {
			w.fail("%s: a range vector must be the argument of a function such as rate()", e.AppendString(nil))
		}
		w.walk(e.Expr, false)
	case *metricsql.FuncExpr:
		name := strings.ToLower(e.Name)
		if !slices.Contains(promqlFuncs, name) {
			w.fail("%s(): not a PromQL function", e.Name)
		}
		if e.KeepMetricNames {
			w.fail("keep_metric_names is MetricsQL, not PromQL")
		}
		ri := -1
		if slices.Contains(rangeFuncs, name) {
			ri = metricsql.GetRollupArgIdx(e)
			if ri < 0 || ri >= len(e.Args) {
				w.fail("%s(): missing its range-vector argument", e.Name)
			} else if re, ok := e.Args[ri].(*metricsql.RollupExpr); !ok || (re.Window == nil && !re.ForSubquery()) {
				w.fail("%s(): needs a range such as [5m]: %s", e.Name, e.AppendString(nil))
			}
		}
		for i, a := range e.Args {
			w.walk(a, i == ri)
		}
	case *metricsql.AggrFuncExpr:
		if !slices.Contains(promqlAggrs, strings.ToLower(e.Name)) {
			w.fail("%s: not a PromQL aggregation", e.Name)
		}
		if e.Limit != 0 {
			w.fail("%s … limit: MetricsQL, not PromQL", e.Name)
		}
		if op := e.Modifier.Op; op != "" && op != "by" && op != "without" {
			w.fail("%s %s(): want by or without", e.Name, op)
		}
		for _, a := range e.Args {
			w.walk(a, false)
		}
	case *metricsql.BinaryOpExpr:
		if !slices.Contains(promqlBinOps, strings.ToLower(e.Op)) {
			w.fail("operator %q is not PromQL", e.Op)
		}
		if op := e.GroupModifier.Op; op != "" && op != "on" && op != "ignoring" {
			w.fail("%s(): want on or ignoring", op)
		}
		if op := e.JoinModifier.Op; op != "" && op != "group_left" && op != "group_right" {
			w.fail("%s(): want group_left or group_right", op)
		}
		if e.JoinModifierPrefix != nil || e.KeepMetricNames || e.FillLeft != nil || e.FillRight != nil {
			w.fail("%s: MetricsQL-only modifiers", e.Op)
		}
		w.walk(e.Left, false)
		w.walk(e.Right, false)
	case *metricsql.NumberExpr, *metricsql.StringExpr, *metricsql.DurationExpr:
	default:
		w.fail("unsupported expression %T", e)
	}
}

// checkBalanced is a second, parser-independent guard: brackets, braces,
// parentheses and quotes must pair up.
func checkBalanced(expr string) error {
	var stack []rune
	var quote rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	for i, r := range expr {
		switch {
		case quote != 0:
			if r == quote && (i == 0 || expr[i-1] != '\\') {
				quote = 0
			}
		case r == '"' || r == '\'' || r == '`':
			quote = r
		case r == '(' || r == '[' || r == '{':
			stack = append(stack, r)
		case pairs[r] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return fmt.Errorf("unbalanced %q at offset %d", r, i)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if quote != 0 {
		return fmt.Errorf("unterminated %c string", quote)
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %q", stack[len(stack)-1])
	}
	return nil
}

func TestCheckPromQL(t *testing.T) {
	tests := []struct {
		name, expr string
		names      []string
		wantErr    string
	}{
		{"a rate over a range is fine", `sum by (topic) (rate(wirestream_kafka_records_produced_total{type="story"}[5m]))`, []string{"wirestream_kafka_records_produced_total"}, ""},
		{"Grafana's rate interval stands for a range", `rate(process_cpu_seconds_total{instance=~"$instance"}[$__rate_interval])`, []string{"process_cpu_seconds_total"}, ""},
		{"a histogram quantile names the bucket series", `histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m])))`, []string{"x_seconds_bucket"}, ""},
		{"vector matching and a fallback are PromQL", `(sum(increase(a_total[30m])) or vector(0)) == 0 and on() sum(b) > 0`, []string{"a_total", "b"}, ""},
		{"rate without a range is refused", `rate(a_total)`, nil, "needs a range"},
		{"a bare range selector is refused", `a_total[5m]`, nil, "must be the argument"},
		{"a range inside sum is refused", `sum(a_total[5m])`, nil, "must be the argument"},
		{"a MetricsQL function is refused", `range_median(a)`, nil, "not a PromQL function"},
		{"a WITH template is refused", `with (x = a) x`, nil, "WITH templates"},
		{"an unclosed parenthesis is a parse error", `sum(rate(a_total[5m])`, nil, "unexpected"},
		{"a MetricsQL default operator is refused", `a default 0`, nil, "not PromQL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, err := checkPromQL(tt.expr)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("checkPromQL(%q) = %v", tt.expr, err)
				}
				if !slices.Equal(names, tt.names) {
					t.Errorf("names = %v, want %v", names, tt.names)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("checkPromQL(%q) = %v, want an error containing %q", tt.expr, err, tt.wantErr)
			}
		})
	}
}

func TestCheckBalanced(t *testing.T) {
	for expr, ok := range map[string]bool{
		`sum(rate(a{b="(]"}[5m]))`: true,
		`sum(rate(a[5m])`:          false,
		`a{b="c}`:                  false,
		`a)`:                       false,
	} {
		if err := checkBalanced(expr); (err == nil) != ok {
			t.Errorf("checkBalanced(%q) = %v, want ok=%v", expr, err, ok)
		}
	}
}
