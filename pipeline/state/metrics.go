package state

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the store's instruments.
type Metrics struct {
	Keys           *prometheus.GaugeVec // by bucket
	FileSize       prometheus.Gauge
	CommitDuration prometheus.Histogram
	Pruned         *prometheus.CounterVec // by reason: ttl, evicted, fingerprint
}

// NewMetrics registers the store's metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Keys: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_state_keys", Help: "Keys in each state bucket.",
		}, []string{"bucket"}),
		FileSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_state_file_size_bytes", Help: "Size of the state database file.",
		}),
		CommitDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_state_commit_duration_seconds", Help: "Time to write and fsync one batch's state.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		Pruned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_state_pruned_total", Help: "Entries removed by pruning, by reason.",
		}, []string{"reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.Keys, m.FileSize, m.CommitDuration, m.Pruned)
	}
	return m
}
