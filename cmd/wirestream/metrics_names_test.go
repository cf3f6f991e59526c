package main

import (
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// The names the README and reference checks compare are the families the
// registry exports, labelled ones nothing observed yet included. They
// were read out of Desc.String() by a regular expression, which is no
// promise of client_golang: a name it quotes with an escape (metric
// names may be any UTF-8 since client_golang 1.20) came back cut at the
// backslash.
func TestMetricNamesAreTheFamiliesTheRegistryExports(t *testing.T) {
	register := func(r prometheus.Registerer) {
		r.MustRegister(
			prometheus.NewCounter(prometheus.CounterOpts{Name: "a_total", Help: `help with fqName: "b"`}),
			prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: `c_"quoted"`, Help: "h"}, []string{"x", "y"}),
			prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "d_seconds", Help: "h", ConstLabels: prometheus.Labels{"k": "v"}}, []string{"z"}),
		)
	}
	got := metricNames(register)
	if want := []string{"a_total", `c_"quoted"`, "d_seconds"}; !slices.Equal(got, want) {
		t.Errorf("metricNames = %q, want %q", got, want)
	}
}
