package kafkagroup

import "github.com/prometheus/client_golang/prometheus"

// Metrics are a member's gauges and counters, labelled by group. Build them once per registry
// with NewMetrics and pass them to New.
type Metrics struct {
	rebalances *prometheus.CounterVec
	errors     *prometheus.CounterVec
	generation *prometheus.GaugeVec
	owned      *prometheus.GaugeVec
}

// NewMetrics registers the group metrics with reg; nil registers nothing (tests, tools).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		rebalances: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_group_rebalances_total",
			Help: "Consumer group generations this member joined (each one follows a rebalance).",
		}, []string{"group"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_group_join_errors_total",
			Help: "Failed attempts to join or sync the consumer group (retried with backoff).",
		}, []string{"group"}),
		generation: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_group_generation",
			Help: "The consumer group generation this member last joined.",
		}, []string{"group"}),
		owned: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_group_owned_partitions",
			Help: "Partitions of each topic this member owns now.",
		}, []string{"group", "topic"}),
	}
	if reg != nil {
		reg.MustRegister(m.rebalances, m.errors, m.generation, m.owned)
	}
	return m
}
