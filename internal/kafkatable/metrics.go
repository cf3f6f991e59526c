package kafkatable

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the table readers' counters, labelled by topic. Build them once per registry
// with NewMetrics and pass them to Open.
type Metrics struct {
	records        *prometheus.CounterVec
	restoreSeconds *prometheus.HistogramVec
	retries        *prometheus.CounterVec
}

// NewMetrics registers the table metrics with reg; nil registers nothing (tests, tools).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_table_records_read_total",
			Help: "Records read from compacted table topics, by restores and follows.",
		}, []string{"topic"}),
		restoreSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wirestream_table_restore_seconds",
			Help:    "Time to restore one table partition up to its high watermark.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 8), // 10 ms .. ~164 s
		}, []string{"topic"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_table_read_retries_total",
			Help: "Table reads retried after a broker error.",
		}, []string{"topic"}),
	}
	if reg != nil {
		reg.MustRegister(m.records, m.restoreSeconds, m.retries)
	}
	return m
}
