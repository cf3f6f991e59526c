package daemon

import (
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
)

// RoleMetrics are the series of the scale-out roles (fetch, process) and
// the instance id every role reports.
type RoleMetrics struct {
	// Instance is wirestream_instance_info{instance_id, role} = 1, so
	// dashboards and alerts can tell instances and roles apart.
	Instance *prometheus.GaugeVec
	// Active is 1 while this processor is the active one (it owns the items
	// partition and has its state), 0 while it stands by.
	Active prometheus.Gauge
	// Lag is how many items in the items topic wait behind the committed
	// offset.
	Lag prometheus.Gauge
	// Activations counts the times this processor became the active one.
	Activations prometheus.Counter
	// Restore is how long becoming active took: restoring the state and
	// building the pipeline, before the first batch.
	Restore prometheus.Histogram
	// FetchBatches counts the fetcher's batches by outcome: written (items
	// and feed_status acknowledged), failed.
	FetchBatches *prometheus.CounterVec
	// FetchItems counts the items a fetcher published to the items topic.
	FetchItems prometheus.Counter
	// SinkEpochs is 1 while the active pipeline's records carry the items partition's sink
	// producer epoch (kafka.sink_fence), 0 while auto writes them without, and on a processor
	// standing by.
	SinkEpochs prometheus.Gauge
}

// NewRoleMetrics registers the role metrics on reg (nil: unregistered).
func NewRoleMetrics(reg prometheus.Registerer) *RoleMetrics {
	m := &RoleMetrics{
		Instance: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_instance_info",
			Help: "Always 1; labels carry this instance's id (its --instance, or hostname) and role (all, fetch, process).",
		}, []string{"instance_id", "role"}),
		Active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_processor_active",
			Help: "1 while this processor is the active one (it owns the items partition), 0 while it stands by. The sum over processors should be 1.",
		}),
		Lag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_processor_lag_records",
			Help: "Items in the items topic after the processors' committed offset: what waits to be processed (records only: the transaction markers of a producer writing with transactions are not counted).",
		}),
		Activations: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_processor_activations_total",
			Help: "Times this processor became the active one (at start, or taking over from one that died or left).",
		}),
		Restore: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_processor_activation_seconds",
			Help: "Time from owning the items partition to being ready for its first batch: the state restored, the pipeline built.",
			// 10 ms .. ~3 min by threes, written out: ExponentialBuckets(0.01, 3, 10)
			// multiplies floats and exported le="7.290000000000001".
			Buckets: []float64{0.01, 0.03, 0.09, 0.27, 0.81, 2.43, 7.29, 21.87, 65.61, 196.83},
		}),
		FetchBatches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_fetcher_batches_total",
			Help: "Polls' batches a fetcher published, by outcome: written (items and feed_status acknowledged by Kafka), failed (the feed is read again).",
		}, []string{"outcome"}),
		FetchItems: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_fetcher_items_published_total",
			Help: "Items a fetcher published to the items topic and Kafka acknowledged.",
		}),
		SinkEpochs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_sink_epochs",
			Help: "1 while the active processor's sink records carry the items partition's producer epoch (kafka.sink_fence), 0 while kafka.sink_fence: auto writes them without (fallen back: see the log), and while the processor is not active.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Instance, m.Active, m.Lag, m.Activations, m.Restore, m.FetchBatches, m.FetchItems, m.SinkEpochs)
	}
	return m
}

// roleSeries are the metric name prefixes each role exports beside everyRole's: its own
// components' series and no other role's, so that a fetcher shows no
// wirestream_processor_active 0 (a dashboard listed it as a standby processor), a
// processor no wirestream_feed_* of no feeds, and role all none of the scale-out roles'.
var roleSeries = map[string][]string{
	config.RoleAll: {"wirestream_feed_", "wirestream_websub_", "wirestream_normalize_", "wirestream_pipeline_",
		"wirestream_dedupe_", "wirestream_events_", "wirestream_spikes_", "wirestream_state_"},
	config.RoleFetch: {"wirestream_feed_", "wirestream_fetcher_", "wirestream_group_", "wirestream_table_"},
	config.RoleProcess: {"wirestream_processor_", "wirestream_sink_epochs", "wirestream_normalize_", "wirestream_pipeline_",
		"wirestream_dedupe_", "wirestream_events_", "wirestream_spikes_", "wirestream_state_", "wirestream_group_", "wirestream_table_"},
}

// everyRole are the series every role exports: the Go runtime's and the process's, the
// build and instance, and the Kafka writer's (every role writes records).
var everyRole = []string{"go_", "process_", "wirestream_build_info", "wirestream_instance_info", "wirestream_kafka_"}

// roleOnly leaves out of role all the changelog's series, which only a processor has.
var roleOnly = map[string][]string{config.RoleAll: {"wirestream_state_changelog_"}}

// roleRegisterer registers only the collectors whose series role exports; the others are
// built all the same (the code that counts into them runs in every role, or not at all),
// just not exported.
type roleRegisterer struct {
	prometheus.Registerer
	role string
}

func (r roleRegisterer) Register(c prometheus.Collector) error {
	if !r.exports(c) {
		return nil
	}
	return r.Registerer.Register(c)
}

func (r roleRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
}

var descName = regexp.MustCompile(`fqName: "([^"]+)"`)

// exports reports whether any series c describes is role's.
func (r roleRegisterer) exports(c prometheus.Collector) bool {
	ch := make(chan *prometheus.Desc, 16)
	go func() { c.Describe(ch); close(ch) }()
	keep := false
	for d := range ch {
		if m := descName.FindStringSubmatch(d.String()); m != nil && RoleExports(r.role, m[1]) {
			keep = true
		}
	}
	return keep
}

// RoleExports reports whether an instance of role exports the series name.
func RoleExports(role, name string) bool {
	own, known := roleSeries[role]
	if !known {
		return true
	}
	has := func(ps []string) bool {
		return slices.ContainsFunc(ps, func(p string) bool { return strings.HasPrefix(name, p) })
	}
	return (has(everyRole) || has(own)) && !has(roleOnly[role])
}
