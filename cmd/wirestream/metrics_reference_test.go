package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/internal/daemon"
)

// The Grafana dashboard and the Prometheus alert rules in deploy/ may only
// name metrics this binary exports: a renamed metric must fail here, not
// as an empty panel or an alert that can never fire.

const deployDir = "../../deploy"

// metricRef matches a metric name in an expression. \b keeps it from
// starting inside another identifier (…_go_…), and label values such as
// "wirestream.stories" do not match.
var metricRef = regexp.MustCompile(`\b(?:wirestream|process|go)_[a-z0-9_]+`)

// dashboardExprs returns every PromQL string of a Grafana dashboard: panel
// targets at any depth (rows nest panels) and template-variable queries.
func dashboardExprs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				if s, ok := c.(string); ok && (k == "expr" || k == "query" || k == "definition") {
					out = append(out, s)
				}
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	return out
}

// ruleExprs returns the expr of every rule in a Prometheus rules file.
func ruleExprs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rf struct {
		Groups []struct {
			Rules []struct {
				Expr string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(data, &rf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			out = append(out, r.Expr)
		}
	}
	return out
}

// metricTypes gathers the type of every family a fresh registry exposes
// before any observation: plain histograms and summaries always do.
func metricTypes(t *testing.T) map[string]dto.MetricType {
	t.Helper()
	reg := prometheus.NewRegistry()
	daemon.NewMetrics(reg, version)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]dto.MetricType{}
	for _, mf := range mfs {
		types[mf.GetName()] = mf.GetType()
	}
	return types
}

// resolve maps a series name as written in PromQL to the family that
// exports it: x_bucket, x_sum and x_count belong to histogram x.
func resolve(name string, exported []string, types map[string]dto.MetricType) (string, bool) {
	if slices.Contains(exported, name) {
		return name, true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok || !slices.Contains(exported, base) {
			continue
		}
		switch types[base] {
		case dto.MetricType_HISTOGRAM:
			return base, true
		case dto.MetricType_SUMMARY:
			return base, suffix != "_bucket"
		}
	}
	return "", false
}

func TestDashboardAndAlertsReferenceExportedMetrics(t *testing.T) {
	exported := exportedMetricNames()
	types := metricTypes(t)
	dashboards, _ := filepath.Glob(filepath.Join(deployDir, "grafana", "dashboards", "*.json"))
	rules, _ := filepath.Glob(filepath.Join(deployDir, "prometheus", "alerts*.yml"))
	if len(dashboards) == 0 || len(rules) == 0 {
		t.Fatalf("found dashboards %v and rules %v under %s: want both", dashboards, rules, deployDir)
	}
	sources := map[string][]string{}
	for _, p := range dashboards {
		sources[p] = dashboardExprs(t, p)
	}
	for _, p := range rules {
		sources[p] = ruleExprs(t, p)
	}

	referenced := map[string]bool{}
	for file, exprs := range sources {
		if len(exprs) == 0 {
			t.Errorf("%s: no expressions found", file)
		}
		for _, expr := range exprs {
			for _, name := range metricRef.FindAllString(expr, -1) {
				family, ok := resolve(name, exported, types)
				if !ok {
					t.Errorf("%s: %s is not exported by wirestream (expr: %s)", file, name, expr)
					continue
				}
				referenced[family] = true
			}
		}
	}

	// Coverage: every area the binary instruments is on the dashboard or
	// in the alerts, and most wirestream_ families are.
	var ours, seen []string
	for _, n := range exported {
		if strings.HasPrefix(n, "wirestream_") {
			ours = append(ours, n)
			if referenced[n] {
				seen = append(seen, n)
			}
		}
	}
	for _, area := range []string{"feed", "pipeline", "dedupe", "state", "kafka", "events", "spikes"} {
		found := slices.ContainsFunc(seen, func(n string) bool { return strings.HasPrefix(n, "wirestream_"+area+"_") })
		if !found {
			t.Errorf("no dashboard panel or alert uses a wirestream_%s_ metric", area)
		}
	}
	for _, must := range []string{"process_resident_memory_bytes", "process_cpu_seconds_total"} {
		if !referenced[must] {
			t.Errorf("the dashboard does not show %s", must)
		}
	}
	if share := float64(len(seen)) / float64(len(ours)); share < 0.7 {
		var missing []string
		for _, n := range ours {
			if !referenced[n] {
				missing = append(missing, n)
			}
		}
		t.Errorf("the dashboard and alerts use %d of %d wirestream_ metrics (%.0f%%), want ≥ 70%%; unused: %s",
			len(seen), len(ours), 100*share, strings.Join(missing, ", "))
	}
	t.Logf("dashboard and alerts reference %d of %d wirestream_ metric families", len(seen), len(ours))
}

func TestMetricRefIgnoresLabelValuesAndNeighbours(t *testing.T) {
	expr := `sum(rate(wirestream_kafka_records_produced_total{topic="wirestream.stories",x="a_go_b"}[5m])) / go_goroutines`
	got := metricRef.FindAllString(expr, -1)
	want := []string{"wirestream_kafka_records_produced_total", "go_goroutines"}
	if !slices.Equal(got, want) {
		t.Errorf("metricRef found %v, want %v", got, want)
	}
}

func TestResolveHistogramSeries(t *testing.T) {
	exported := []string{"h_seconds", "s_seconds", "c_total"}
	types := map[string]dto.MetricType{"h_seconds": dto.MetricType_HISTOGRAM, "s_seconds": dto.MetricType_SUMMARY, "c_total": dto.MetricType_COUNTER}
	tests := []struct {
		name, series, family string
		ok                   bool
	}{
		{"a histogram's buckets belong to it", "h_seconds_bucket", "h_seconds", true},
		{"a histogram's count belongs to it", "h_seconds_count", "h_seconds", true},
		{"a summary has no buckets", "s_seconds_bucket", "", false},
		{"a summary's sum belongs to it", "s_seconds_sum", "s_seconds", true},
		{"a counter has no _count series", "c_total_count", "", false},
		{"an unknown name is not exported", "nope_total", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			family, ok := resolve(tt.series, exported, types)
			if ok != tt.ok || (ok && family != tt.family) {
				t.Errorf("resolve(%q) = %q, %v; want %q, %v", tt.series, family, ok, tt.family, tt.ok)
			}
		})
	}
}
