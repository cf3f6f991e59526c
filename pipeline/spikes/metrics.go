package spikes

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Metrics records the detector's work. Build it once per registry.
type Metrics struct {
	terms   prometheus.Gauge
	stories prometheus.Counter
	repeats prometheus.Counter
	buckets prometheus.Counter
	evicted prometheus.Counter
	alerts  *prometheus.CounterVec
	// bucketDropped counts what an open bucket left uncounted to stay
	// under max_bucket_terms, by reason: one_story, a term's count of one
	// story dropped (once per term); bucket_full, a story's mention of a
	// term not counted (once per story: a term refused in 5 stories is 5).
	bucketDropped              *prometheus.CounterVec
	bucketOneStory, bucketFull prometheus.Counter // its two series
}

// The reasons of wirestream_spikes_bucket_terms_dropped_total.
const (
	droppedOneStory   = "one_story"   // a count of one story, dropped when the bucket was full
	droppedBucketFull = "bucket_full" // a story's mention of a new term not counted: the bucket was full of counts it keeps
)

// NewMetrics registers the detector's metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		terms: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_spikes_terms",
			Help: "Terms with a baseline held in memory.",
		}),
		stories: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_spikes_stories_total",
			Help: "Stories counted.",
		}),
		repeats: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_spikes_repeated_stories_total",
			Help: "Stories not counted because their id or fingerprint was already counted.",
		}),
		buckets: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_spikes_buckets_closed_total",
			Help: "Buckets closed and folded into the baselines.",
		}),
		evicted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_spikes_terms_evicted_total",
			Help: "Terms forgotten to stay under max_terms.",
		}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_spikes_alerts_total",
			Help: "Alerts emitted, by state (firing, cleared).",
		}, []string{"state"}),
		bucketDropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_spikes_bucket_terms_dropped_total",
			Help: "What an open bucket left uncounted to stay under max_bucket_terms, by reason: one_story counts terms whose count of one story was dropped; bucket_full counts stories' mentions of terms not counted, once per story (a term refused in 5 stories counts 5).",
		}, []string{"reason"}),
	}
	m.bucketOneStory = m.bucketDropped.WithLabelValues(droppedOneStory)
	m.bucketFull = m.bucketDropped.WithLabelValues(droppedBucketFull)
	// Both states start at 0: the spike alert reads the increase of
	// firing, and a series born at 1 has no increase, so the first spike
	// alert would never fire it.
	for _, s := range []string{record.AlertFiring, record.AlertCleared} {
		m.alerts.WithLabelValues(s)
	}
	if reg != nil {
		reg.MustRegister(m.terms, m.stories, m.repeats, m.buckets, m.evicted, m.alerts, m.bucketDropped)
	}
	return m
}
