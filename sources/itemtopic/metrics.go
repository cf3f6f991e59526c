package itemtopic

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the items reader's series. Build them once per registry with
// NewMetrics and pass them to Open.
type Metrics struct {
	items        prometheus.Counter
	undecodable  prometheus.Counter
	batches      prometheus.Counter
	commits      prometheus.Counter
	commitErrors prometheus.Counter
	committed    prometheus.Gauge
}

// NewMetrics registers the reader's metrics with reg; nil registers
// nothing (tests, tools).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		items: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_processor_items_read_total",
			Help: "Item messages read from the items topic (read again after a failover or a failed batch included).",
		}),
		undecodable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_processor_items_undecodable_total",
			Help: "Item messages that were not items: published as dead letters.",
		}),
		batches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_processor_batches_total",
			Help: "Batches of items handed to the pipeline.",
		}),
		commits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_processor_offset_commits_total",
			Help: "Commits of the items offset after acknowledged batches.",
		}),
		commitErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_processor_offset_commit_errors_total",
			Help: "Failed commits of the items offset (retried; a partition that moved away fails for good).",
		}),
		committed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_processor_committed_offset",
			Help: "The items offset this processor committed last: everything before it is in Kafka downstream.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.items, m.undecodable, m.batches, m.commits, m.commitErrors, m.committed)
	}
	return m
}
