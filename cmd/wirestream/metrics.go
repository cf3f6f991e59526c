package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/daemon"
)

// describingRegisterer records every collector registered through it.
type describingRegisterer struct {
	prometheus.Registerer
	collectors []prometheus.Collector
}

func (d *describingRegisterer) Register(c prometheus.Collector) error {
	d.collectors = append(d.collectors, c)
	return d.Registerer.Register(c)
}

func (d *describingRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := d.Register(c); err != nil {
			panic(err)
		}
	}
}

// exportedMetricNames lists the name of every metric family the binary
// can export, labelled or not, whether or not it has been observed yet.
// Histograms also export <name>_bucket, _sum and _count; counters may be
// read with a _total suffix already in their name.
func exportedMetricNames() []string {
	return metricNames(func(r prometheus.Registerer) { daemon.NewMetrics(r, version) })
}

// metricNames lists the metric families what register registers can
// export. A labelled metric nothing observed yet has no series, so
// gathering the registry alone would miss it: every descriptor of every
// collector is gathered once, as one sample with empty label values, from
// a registry of its own, and the names are the families that registry
// exports — prometheus's own, not read back out of Desc.String().
func metricNames(register func(prometheus.Registerer)) []string {
	rec := &describingRegisterer{Registerer: prometheus.NewRegistry()}
	register(rec)
	var all everyDesc
	seen := map[*prometheus.Desc]bool{}
	for _, c := range rec.collectors {
		ch := make(chan *prometheus.Desc, 64)
		go func() { c.Describe(ch); close(ch) }()
		for d := range ch {
			if !seen[d] {
				seen[d] = true
				all = append(all, d)
			}
		}
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(all); err != nil {
		panic(err) // the same descriptors registered once already
	}
	mfs, err := reg.Gather()
	if err != nil {
		panic(err)
	}
	names := make([]string, 0, len(mfs))
	for _, mf := range mfs {
		names = append(names, mf.GetName()) // sorted, one per family
	}
	return names
}

// everyDesc collects one untyped sample of each of its descriptors.
type everyDesc []*prometheus.Desc

func (e everyDesc) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range e {
		ch <- d
	}
}

// maxLabels bounds the variable labels a descriptor is tried with: the
// Desc does not say how many it has, NewConstMetric does by refusing
// every other count.
const maxLabels = 16

func (e everyDesc) Collect(ch chan<- prometheus.Metric) {
	for _, d := range e {
		for n := 0; n <= maxLabels; n++ {
			if m, err := prometheus.NewConstMetric(d, prometheus.UntypedValue, 0, make([]string, n)...); err == nil {
				ch <- m
				break
			}
		}
	}
}
