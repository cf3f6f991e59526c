package pipeline

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Metrics are the orchestrator's instruments.
type Metrics struct {
	Items         *prometheus.CounterVec // outcome: new, revision, duplicate, unchanged, dead_letter
	Records       *prometheus.CounterVec // type
	Batches       *prometheus.CounterVec // result: committed, failed, commit_error
	InFlight      prometheus.Gauge
	StateBytes    prometheus.Gauge // encoded state changes of the batches decided and not yet committed
	StateWaits    prometheus.Counter
	SinkWrite     prometheus.Histogram
	WriteBatches  prometheus.Histogram // batches per sink write (coalesced)
	KeyWaits      prometheus.Counter   // writes with records that waited for an earlier write carrying their key
	CommitBatches prometheus.Histogram // batches per state commit (grouped)
	BatchLatency  prometheus.Histogram // from decision to commit
	PruneDuration prometheus.Histogram
}

// NewMetrics registers the orchestrator's metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_pipeline_items_total", Help: "Items processed, by outcome.",
		}, []string{"outcome"}),
		Records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_pipeline_records_total", Help: "Records acknowledged by the sink, by type.",
		}, []string{"type"}),
		Batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_pipeline_batches_total", Help: "Batches finished, by result.",
		}, []string{"result"}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_pipeline_in_flight_batches", Help: "Batches written to the sink and not yet committed.",
		}),
		StateBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_pipeline_state_bytes_in_flight", Help: "Bytes of encoded state changes (keys and values) of the batches decided and not yet committed: waiting for the sink, then for the state log. Bounded by pipeline.max_in_flight_state_bytes, passed by one run of the second stage at most.",
		}),
		StateWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_pipeline_state_bytes_waits_total", Help: "Times Run's intake stopped taking batches, or its second stage stopped deciding them, because the state changes in flight reached pipeline.max_in_flight_state_bytes (each counts its own wait).",
		}),
		SinkWrite: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_pipeline_sink_write_duration_seconds", Help: "Time for the sink to acknowledge one Write call: one per write (one batch, or several coalesced), two when a write is split because some of its records wait for a write out with their keys; sink_write_batches counts writes.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
		}),
		WriteBatches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_pipeline_sink_write_batches", Help: "Source batches per sink write: more than one when writes lag and decided batches are coalesced, or when batches queued for the second stage were decided together.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
		CommitBatches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_pipeline_commit_batches", Help: "Source batches per state commit: more than one when several were acknowledged by the sink while an earlier commit ran, or were decided together.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
		KeyWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_pipeline_sink_write_key_waits_total",
			Help: "Sink writes some of whose records waited for an earlier write still out that carries their key (an event's next revision, a story's next version), while the rest went at once: the sink keeps the order of one key only within a write.",
		}),
		BatchLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_pipeline_batch_duration_seconds", Help: "Time from a batch's decisions to its commit.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
		}),
		PruneDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_pipeline_prune_duration_seconds", Help: "Time to prune state and the near-duplicate index.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
	}
	// Every result starts at 0: the batches-failing alert reads the rate of
	// failed|commit_error, and a series born at 1 has no rate, so the first
	// failed batch would never fire it.
	for _, r := range []string{"committed", "failed", "commit_error"} {
		m.Batches.WithLabelValues(r)
	}
	// The items by outcome and the records by type start at 0 too: run's
	// progress line and README name them, and an operator grepping a fresh
	// scrape for them found nothing until the first story.
	for _, o := range ItemOutcomes {
		m.Items.WithLabelValues(o)
	}
	for _, t := range record.Types {
		m.Records.WithLabelValues(string(t))
	}
	if reg != nil {
		reg.MustRegister(m.Items, m.Records, m.Batches, m.InFlight, m.StateBytes, m.StateWaits, m.SinkWrite, m.WriteBatches, m.KeyWaits, m.CommitBatches, m.BatchLatency, m.PruneDuration)
	}
	return m
}

// ItemOutcomes are the outcome labels of wirestream_pipeline_items_total:
// a decision's kind (dedupe.Kind) or a dead letter. /status sums them,
// and the counter starts each at 0: one list, so a new outcome reaches
// both.
var ItemOutcomes = []string{"new", "revision", "duplicate", "unchanged", "dead_letter"}
