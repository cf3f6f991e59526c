package main

import (
	"strconv"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wirestream/wirestream/internal/daemon"
)

// A histogram's bucket bounds are its le labels: a bound built by adding
// or multiplying floats (LinearBuckets(0.05, 0.05, 20)) was exported as
// le="0.15000000000000002" and le="0.39999999999999997", which a PromQL
// selector such as {le="0.4"} never matches and the Grafana heatmap shows
// as its legend. Every bound must print as the short number it stands for.
func TestEveryHistogramBucketBoundIsAShortNumber(t *testing.T) {
	reg := prometheus.NewRegistry()
	daemon.NewMetrics(reg, version)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	histograms := 0
	for _, f := range families {
		if f.GetType() != dto.MetricType_HISTOGRAM {
			continue
		}
		for _, m := range f.GetMetric() {
			histograms++
			for _, b := range m.GetHistogram().GetBucket() {
				ub := b.GetUpperBound()
				short, _ := strconv.ParseFloat(strconv.FormatFloat(ub, 'g', 6, 64), 64)
				if short != ub {
					t.Errorf("%s: bucket le=%q; want the bound it stands for, %v", f.GetName(), strconv.FormatFloat(ub, 'g', -1, 64), short)
				}
			}
		}
	}
	if histograms == 0 {
		t.Fatal("no histogram exported before any observation: the check checked nothing")
	}
}
