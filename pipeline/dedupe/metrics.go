package dedupe

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the deduper's instruments.
type Metrics struct {
	Decisions      *prometheus.CounterVec // decision: new, revision, duplicate, unchanged; method for duplicates
	IndexEntries   prometheus.Gauge
	PendingEntries prometheus.Gauge
	NearSimilarity prometheus.Histogram // best candidate's similarity, whatever the verdict: for tuning the threshold
	CheckDuration  prometheus.Histogram
}

// NewMetrics registers the deduper's metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_dedupe_decisions_total", Help: "Dedupe decisions by outcome and, for duplicates, method.",
		}, []string{"decision", "method"}),
		IndexEntries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_dedupe_index_entries", Help: "Stories in the in-memory near-duplicate index.",
		}),
		PendingEntries: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_dedupe_pending_entries", Help: "Entries decided but not yet acknowledged by the sink.",
		}),
		NearSimilarity: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_dedupe_near_similarity", Help: "Estimated Jaccard similarity of the best near-duplicate candidate.",
			// Written out: LinearBuckets(0.05, 0.05, 20) adds floats, and its
			// bounds were exported as le="0.15000000000000002", which no
			// {le="0.15"} selector matches.
			Buckets: []float64{0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
				0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1},
		}),
		CheckDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_dedupe_check_duration_seconds", Help: "Time to decide one story.",
			Buckets: prometheus.ExponentialBuckets(1e-6, 4, 10),
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Decisions, m.IndexEntries, m.PendingEntries, m.NearSimilarity, m.CheckDuration)
	}
	return m
}
