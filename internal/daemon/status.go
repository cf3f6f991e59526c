package daemon

import (
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wirestream/wirestream/internal/opshttp"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/sources/feed"
)

// statusView is the daemon's live state as the /status page reads it:
// feed health from the poller, live events from the clusterer, recent
// alerts from the spike detector and the pipeline's counters. It only
// reads, through each part's own concurrency-safe read method.
type statusView struct {
	poller *feed.Poller
	events *events.Clusterer
	spikes *spikes.Detector
	m      *pipeline.Metrics
	// counters are the counts the page shows: pipelineCounters, or a
	// fetcher's.
	counters []counter
	started  time.Time
	now      func() time.Time

	mu      sync.Mutex
	samples []countSample // oldest first, at most one per sampleEvery
}

type countSample struct {
	at     time.Time
	totals []float64
}

// rateWindow is what per-minute rates are measured over once the run is
// that old; sampleEvery bounds the samples kept for it.
const (
	rateWindow  = time.Minute
	sampleEvery = 5 * time.Second
)

// counted are the counters the page shows, in its order: what came in,
// then what went out by record type.
var counted = []struct {
	name  string
	items bool // wirestream_pipeline_items_total (all outcomes), else records of typ
	typ   record.Type
}{
	{name: "items decided", items: true},
	{name: "stories published", typ: record.TypeStory},
	{name: "duplicates published", typ: record.TypeDuplicate},
	{name: "event updates published", typ: record.TypeEvent},
	{name: "alerts published", typ: record.TypeAlert},
	{name: "feed statuses published", typ: record.TypeFeedStatus},
	{name: "dead letters published", typ: record.TypeDeadLetter},
}

// counter is one row of the page's counts.
type counter struct {
	name string
	read func() float64
}

// pipelineCounters are the rows of an instance that runs the pipeline
// (role all, a processor), as counted lists them.
func pipelineCounters(m *pipeline.Metrics) []counter {
	out := make([]counter, 0, len(counted))
	for _, c := range counted {
		if c.items {
			out = append(out, counter{c.name, func() float64 {
				var n float64
				for _, o := range pipeline.ItemOutcomes {
					n += counterValue(m.Items.WithLabelValues(o))
				}
				return n
			}})
			continue
		}
		out = append(out, counter{c.name, func() float64 { return counterValue(m.Records.WithLabelValues(string(c.typ))) }})
	}
	return out
}

// fetcherCounters are a fetcher's rows: it decides no item and publishes
// no story, so the pipeline's rows read 0 there whatever it polled.
func fetcherCounters(r *RoleMetrics) []counter {
	return []counter{
		{"items published", func() float64 { return counterValue(r.FetchItems) }},
		{"polls published (items and feed status)", func() float64 { return counterValue(r.FetchBatches.WithLabelValues("written")) }},
		{"polls not published (read again)", func() float64 { return counterValue(r.FetchBatches.WithLabelValues("failed")) }},
	}
}

// Status returns the read-only view of d's live state that the ops
// listener's /status page shows.
func (d *Daemon) Status() opshttp.Status {
	return &daemonStatus{id: d.cfg.InstanceID(), statusView: &statusView{poller: d.poller, events: d.pl.Events,
		spikes: d.pl.Spikes, m: d.pl.Metrics, counters: pipelineCounters(d.pl.Metrics), started: time.Now(), now: time.Now}}
}

type daemonStatus struct {
	id string
	*statusView
}

func (s *daemonStatus) Pace() (opshttp.Pace, bool) { return pollerPace(s.poller) }

func (s *daemonStatus) Describe() string {
	return fmt.Sprintf("Instance %s, role all: it polls its feeds, runs the pipeline and publishes.", s.id)
}

func (v *statusView) Feeds() []record.FeedStatus {
	if v.poller == nil {
		return nil
	}
	return v.poller.Health()
}

// pollerPace says whether a poller keeps its feeds' schedules: the
// Pace of role all and of a fetcher (a processor polls nothing and
// shows none).
func pollerPace(p *feed.Poller) (opshttp.Pace, bool) {
	if p == nil {
		return opshttp.Pace{}, false
	}
	b := p.Behind()
	return opshttp.Pace{Behind: b.IsBehind(), Line: b.Summary(), Advice: feed.BehindAdvice}, true
}

func (v *statusView) Events(n int) []*record.Event {
	if v.events == nil {
		return nil
	}
	return v.events.Live(n)
}

func (v *statusView) Alerts(n int) []record.Alert {
	if v.spikes == nil {
		return nil
	}
	return v.spikes.Recent(n)
}

// Throughput reads the pipeline's counters and turns them into rates
// over the last minute (over the whole run until it is a minute old).
func (v *statusView) Throughput() opshttp.Throughput {
	now := v.now()
	totals := make([]float64, len(v.counters))
	for i, c := range v.counters {
		totals[i] = c.read()
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	// The baseline: the newest sample at least rateWindow old, else the
	// start of the run (all counters at zero).
	base := countSample{at: v.started, totals: make([]float64, len(v.counters))}
	keep := 0
	for i, s := range v.samples {
		if now.Sub(s.at) >= rateWindow {
			base, keep = s, i
		}
	}
	v.samples = v.samples[keep:]
	if n := len(v.samples); n == 0 || now.Sub(v.samples[n-1].at) >= sampleEvery {
		v.samples = append(v.samples, countSample{at: now, totals: totals})
	}

	t := opshttp.Throughput{Since: v.started, Window: now.Sub(base.at).Round(time.Second), InFlight: int(gaugeValue(v.m.InFlight))}
	minutes := now.Sub(base.at).Minutes()
	for i, c := range v.counters {
		r := opshttp.Count{Name: c.name, Total: totals[i]}
		if minutes > 0 {
			r.PerMinute = (totals[i] - base.totals[i]) / minutes
		}
		t.Counts = append(t.Counts, r)
	}
	return t
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil || m.Counter == nil {
		return 0
	}
	return m.Counter.GetValue()
}

func gaugeValue(g prometheus.Gauge) float64 {
	var m dto.Metric
	if err := g.Write(&m); err != nil || m.Gauge == nil {
		return 0
	}
	return m.Gauge.GetValue()
}
