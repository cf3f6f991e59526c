package normalize

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Metrics count what normalization had to repair in the items it turned
// into stories. Items a feed offers again are counted again.
type Metrics struct {
	Truncated *prometheus.CounterVec // field
	DateFlags *prometheus.CounterVec // flag
}

// NewMetrics builds the metrics and registers them on reg (nil: not
// registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Truncated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_normalize_truncated_total",
			Help: "Stories with a field cut to its cap, by field (title, body, html, guid, url, publisher, feed_title, authors, categories, subjects, media, published_raw, updated_raw); the story's truncated field names them.",
		}, []string{"field"}),
		DateFlags: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_normalize_date_flags_total",
			Help: "Stories whose dates raised a flag, by flag (missing, unparsed, implausible, future_clamped, no_timezone, from_updated); the story's date_flags name them.",
		}, []string{"flag"}),
	}
	// Every field and flag starts at 0, so the series exist before the
	// first cut or flag: an alert on a rate, or a look at /metrics, finds
	// them from the start instead of no series at all.
	for _, f := range [...]string{record.FieldTitle, record.FieldBody, record.FieldHTML, record.FieldGUID,
		record.FieldURL, record.FieldPublisher, record.FieldFeedTitle, record.FieldAuthors, record.FieldCategories,
		record.FieldSubjects, record.FieldMedia, record.FieldPublishedRaw, record.FieldUpdatedRaw} {
		m.Truncated.WithLabelValues(f)
	}
	for _, f := range [...]string{record.DateMissing, record.DateUnparsed, record.DateImplausible,
		record.DateFutureClamped, record.DateNoTimezone, record.DateFromUpdated} {
		m.DateFlags.WithLabelValues(f)
	}
	if reg != nil {
		reg.MustRegister(m.Truncated, m.DateFlags)
	}
	return m
}

func (m *Metrics) observe(s *record.Story) {
	for _, f := range s.Truncated {
		m.Truncated.WithLabelValues(f).Inc()
	}
	for _, f := range s.DateFlags {
		m.DateFlags.WithLabelValues(f).Inc()
	}
}
