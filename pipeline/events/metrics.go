package events

import "github.com/prometheus/client_golang/prometheus"

// FoundingBestMetric names the histogram of the best candidate's
// similarity for the stories that founded an event.
const FoundingBestMetric = "wirestream_events_founding_best_similarity"

// Metrics records the clusterer's work. Build it once per registry.
type Metrics struct {
	active         prometheus.Gauge
	assigned       prometheus.Counter
	created        prometheus.Counter
	expired        prometheus.Counter
	republications prometheus.Counter
	merged         prometheus.Counter
	withdrawn      prometheus.Counter
	candidates     prometheus.Histogram
	foundingBest   prometheus.Histogram
}

// NewMetrics registers the clusterer's metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_events_active_events",
			Help: "Events currently open for new stories.",
		}),
		assigned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_events_assignments_total",
			Help: "Stories that joined an existing event.",
		}),
		created: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_events_created_total",
			Help: "Stories that founded a new event.",
		}),
		expired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_events_expired_total",
			Help: "Events closed, for inactivity or for capacity.",
		}),
		republications: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_events_republications_total",
			Help: "Duplicates counted in their original story's event.",
		}),
		merged: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_events_merged_total",
			Help: "Events folded into another event that a story showed to be the same.",
		}),
		withdrawn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_events_withdrawn_total",
			Help: "Event records published again after a failed write, to supersede what the batches decided again had published: the event's state at a higher revision, or a retraction.",
		}),
		candidates: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_events_candidates_per_story",
			Help:    "Events scored for one story: what the inverted index let through.",
			Buckets: []float64{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000},
		}),
		// Where the threshold cuts: a story that founded an event because
		// its best candidate fell just short of the threshold is the one a
		// threshold change, or other evidence, would decide otherwise.
		foundingBest: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    FoundingBestMetric,
			Help:    "For each story that founded an event: its best candidate event's similarity (time-decayed, size-weighted), 0 when no live event in the window shared a query term. The buckets suit the default threshold (0.17); founders always score under the threshold in use.",
			Buckets: []float64{0, 0.05, 0.10, 0.12, 0.15, 0.17, 0.20, 0.25, 0.30},
		}),
	}
	if reg != nil {
		reg.MustRegister(m.active, m.assigned, m.created, m.expired, m.republications, m.merged, m.withdrawn, m.candidates, m.foundingBest)
	}
	return m
}
