package main

import (
	"regexp"
	"sort"

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

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// exportedMetricNames lists the name of every metric family the binary
// can export, labelled or not, whether or not it has been observed yet.
// Histograms also export <name>_bucket, _sum and _count; counters may be
// read with a _total suffix already in their name.
func exportedMetricNames() []string {
	rec := &describingRegisterer{Registerer: prometheus.NewRegistry()}
	daemon.NewMetrics(rec, version)
	seen := map[string]bool{}
	for _, c := range rec.collectors {
		ch := make(chan *prometheus.Desc, 64)
		go func() { c.Describe(ch); close(ch) }()
		for d := range ch {
			if m := fqName.FindStringSubmatch(d.String()); m != nil {
				seen[m[1]] = true
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
