// Package daemon wires wirestream's parts into what runs: the daemon of
// `wirestream run` (feed poller, with WebSub push when enabled → pipeline
// → Kafka sink, with its state restored from and appended to the file log
// in the data directory) and the offline run of `wirestream process` (file
// source → the same pipeline → JSONL). NewPipeline is the one constructor of the
// pipeline — normalize, dedupe, enrich, events, spikes — that `run`,
// `process` and the load harness all use, so what the harness measures
// and what process evaluates is what run ships.
//
// It owns the order of a stop: polling stops, the pipeline drains its
// in-flight writes for up to shutdown_timeout (and the feeds wait as long
// for their acks), then the Kafka writer and the state store close.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/itemtopic"
	"github.com/wirestream/wirestream/sources/websub"
)

// Metrics holds every component's metrics, registered on one registry.
type Metrics struct {
	Poller    *feed.Metrics
	Normalize *normalize.Metrics
	Pipeline  *pipeline.Metrics
	Dedupe    *dedupe.Metrics
	State     *state.Metrics
	Events    *events.Metrics
	Spikes    *spikes.Metrics
	Kafka     *kafka.Metrics
	WebSub    *websub.Metrics
	// The scale-out roles': group membership, table reads, the items
	// reader, and the roles' own series.
	Group *kafkagroup.Metrics
	Table *kafkatable.Metrics
	Items *itemtopic.Metrics
	Roles *RoleMetrics
}

// NewMetricsOf is NewMetrics for an instance of role (config.RoleAll, RoleFetch,
// RoleProcess): every component's metrics are built, but only the series of role are
// registered on reg (RoleExports), so that /metrics shows no zero-valued series of
// another role.
func NewMetricsOf(reg prometheus.Registerer, version, role string) *Metrics {
	return NewMetrics(roleRegisterer{Registerer: reg, role: role}, version)
}

// NewMetrics registers the process, Go runtime and every component's
// metrics on reg. version labels wirestream_build_info.
func NewMetrics(reg prometheus.Registerer, version string) *Metrics {
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "wirestream_build_info",
		Help: "Always 1; labels carry the version and record schema version.",
	}, []string{"version", "schema_version"})
	info.WithLabelValues(version, record.SchemaVersion).Set(1)
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		info,
	)
	return &Metrics{
		Poller:    feed.NewMetrics(reg),
		Normalize: normalize.NewMetrics(reg),
		Pipeline:  pipeline.NewMetrics(reg),
		Dedupe:    dedupe.NewMetrics(reg),
		State:     state.NewMetrics(reg),
		Events:    events.NewMetrics(reg),
		Spikes:    spikes.NewMetrics(reg),
		Kafka:     kafka.NewMetrics(reg),
		WebSub:    websub.NewMetrics(reg),
		Group:     kafkagroup.NewMetrics(reg),
		Table:     kafkatable.NewMetrics(reg),
		Items:     itemtopic.NewMetrics(reg),
		Roles:     NewRoleMetrics(reg),
	}
}

// Pipeline is the pipeline as run ships it, with the state store its
// stages were restored into.
type Pipeline struct {
	*pipeline.Pipeline
	// Store appends the pipeline's state to the log it was restored from;
	// it also keeps the poller's feed state (role all). Close it after the
	// pipeline stopped: that closes the log.
	Store *state.Store
	// Restore is how long rebuilding the stages' state from the log took.
	Restore time.Duration
	// Dedupe is the pipeline's deduper, for what it remembers.
	Dedupe *dedupe.Deduper
	// The stages whose live state the status page reads, and the
	// pipeline's counters.
	Events  *events.Clusterer
	Spikes  *spikes.Detector
	Metrics *pipeline.Metrics
}

// NewPipeline builds the pipeline from cfg, writing to sink: normalizer,
// deduper, enricher, event clusterer and spike detector, with m's metrics.
// It first restores the deduper, the clusterer and the detector from
// stateLog (a state.FileLog in the data directory, or the Kafka changelog
// of a processor's partition; nil keeps the state in memory only), so the
// first batch is decided as the run before the restart would have. Its
// drain on a stop is bounded by shutdown_timeout. On error stateLog is
// closed.
func NewPipeline(ctx context.Context, cfg config.Config, stateLog state.Log, sink pipeline.Sink, m *Metrics, log *slog.Logger) (*Pipeline, error) {
	return newPipeline(ctx, cfg, stateLog, sink, m, log, nil, false)
}

// newPipeline is NewPipeline on the wall clock now (pipeline.Deps.Now; nil
// is time.Now): `process --clock` runs on a fixed one. endsAtFailure says
// the caller decides nothing after a failed batch (`process`): with the
// state in memory only, nothing is kept to take it back to
// (state.Options.NoMemoryRewind).
func newPipeline(ctx context.Context, cfg config.Config, stateLog state.Log, sink pipeline.Sink, m *Metrics, log *slog.Logger, now func() time.Time, endsAtFailure bool) (*Pipeline, error) {
	closeLog := func() {
		if stateLog != nil {
			stateLog.Close()
		}
	}
	enr, err := enrich.New(cfg.Enrich)
	if err != nil {
		closeLog()
		return nil, fmt.Errorf("enrichment: %w", err)
	}
	deduper, err := dedupe.New(cfg.Dedupe, dedupe.BoundsOf(cfg.State), m.Dedupe)
	if err != nil {
		closeLog()
		return nil, err
	}
	deduper.SetLog(log.With("component", "dedupe")) // a restore under another minhashes setting says what it dropped
	clusterer := events.New(cfg.Events, m.Events)
	clusterer.SetLog(log.With("component", "events")) // a restore that cuts far-future times says so
	detector := spikes.New(cfg.Spikes, m.Spikes)
	detector.SetLog(log.With("component", "spikes"))
	// the watch list's names watch the entities the enrichment keys them
	// as ("Britain": place:gb), by the gazetteer enrichment loaded
	detector.ResolveWatchNames(enr.EntityKey)
	detector.FollowMerges(clusterer.EventOf) // alerts name the events that survive merges
	start := time.Now()
	// A restore allocates as it decodes; most of what it keeps is
	// pointer-free arrays the collector marks for nothing, so collecting
	// often costs little and keeps the peak near what is kept.
	gc := debug.SetGCPercent(25)
	store, err := state.Open(ctx, stateLog, state.Options{Metrics: m.State, Log: log.With("component", "state"), NoMemoryRewind: endsAtFailure},
		stateOwners(deduper, enr, clusterer, detector)...)
	debug.SetGCPercent(gc)
	if err != nil {
		closeLog()
		return nil, err
	}
	p := &Pipeline{Store: store, Restore: time.Since(start), Dedupe: deduper,
		Events: clusterer, Spikes: detector, Metrics: m.Pipeline}
	if stateLog != nil {
		// A restore leaves its decoding garbage behind: hand it back at once,
		// so the resident size starts at what the state really costs.
		debug.FreeOSMemory()
	}
	pcfg := cfg.Pipeline
	pcfg.DrainTimeout = cfg.ShutdownTimeout // one knob bounds a stop
	pcfg.EventPublishInterval = cfg.Events.PublishInterval
	p.Pipeline, err = pipeline.New(pcfg, pipeline.Deps{
		Normalizer: normalize.New(cfg.Normalize, m.Normalize),
		Dedupe:     deduper,
		Store:      store,
		Enricher:   enr,
		Events:     clusterer,
		Spikes:     detector,
		Sink:       sink,
		Log:        log.With("component", "pipeline"),
		Now:        now,
	}, m.Pipeline)
	if err != nil {
		store.Close()
		return nil, err
	}
	return p, nil
}

// stateOwners are the stages among those given whose state the log keeps.
func stateOwners(stages ...any) []state.Owner {
	var out []state.Owner
	for _, s := range stages {
		if o, ok := s.(state.Owner); ok {
			out = append(out, o)
		}
	}
	return out
}

// Options are what a caller adds to the configuration.
type Options struct {
	Feeds []feed.Spec
	// FeedList names the list Feeds come from on their feed_status
	// records (feedstatus.FileList of run's --config); "" names none.
	FeedList string
	Metrics  *Metrics
	Log      *slog.Logger
	// WrapSink, when set, wraps the Kafka sink the pipeline writes to
	// (the load harness measures acknowledgements this way).
	WrapSink func(pipeline.Sink) pipeline.Sink
	// WebSubListener, when set, serves the WebSub callback instead of a
	// new listener on websub.listen (tests listen first, then name the
	// address in websub.public_url).
	WebSubListener net.Listener
}

// Daemon is one wired instance, built but not yet running.
type Daemon struct {
	cfg    config.Config
	log    *slog.Logger
	Sink   *kafka.Sink
	feeds  []feed.Spec // the configured feeds (tombstoneLegacyStatusKeys)
	poller *feed.Poller
	pl     *Pipeline
	// push is the WebSub subscriber (nil when websub.enabled is false),
	// serving its callback on pushLn.
	push   *websub.Subscriber
	pushLn net.Listener
	// Store is the restored state (dedupe memory, events, spike baselines,
	// feed state), on the file log in the data directory.
	Store *state.Store
	// Restore is how long rebuilding the state from its log took.
	Restore time.Duration
}

// New opens the file log in the data directory and the Kafka sink
// (provisioning topics), restores the state from the log, and builds the
// pipeline and the poller. On error everything opened is closed again.
func New(ctx context.Context, cfg config.Config, o Options) (d *Daemon, err error) {
	m, log := o.Metrics, o.Log
	cfg = withInstance(cfg)
	d = &Daemon{cfg: cfg, log: log}
	// The error returns below set d to nil: close what was opened through
	// a copy of the pointer, not the result.
	opened := d
	defer func() {
		if err != nil {
			opened.Close()
		}
	}()
	// The state first: a data directory another process holds fails the
	// start at once.
	stateLog, err := state.OpenFile(cfg.DataDir, cfg.State, m.State, log.With("component", "state"))
	if err != nil {
		return nil, err
	}
	// A full data dir holds batches at their commit (intake stops, the
	// feeds wait) rather than failing them to be published again at
	// every retry of their feeds.
	stateLog.WaitWhileRefused()
	if d.Sink, err = newKafkaSink(ctx, cfg, log, m); err != nil {
		stateLog.Close()
		return nil, err
	}
	var sink pipeline.Sink = d.Sink
	if o.WrapSink != nil {
		sink = o.WrapSink(sink)
	}
	if err := d.assemble(ctx, o, stateLog, sink); err != nil {
		return nil, err
	}
	return d, nil
}

// assemble restores the pipeline from stateLog, writing to sink, and
// builds the poller of o.Feeds feeding it.
func (d *Daemon) assemble(ctx context.Context, o Options, stateLog state.Log, sink pipeline.Sink) error {
	pl, err := NewPipeline(ctx, d.cfg, stateLog, sink, o.Metrics, o.Log)
	if err != nil {
		return err
	}
	pl.SetStateNote("data_dir " + d.cfg.DataDir)
	d.pl, d.Store, d.Restore = pl, pl.Store, pl.Restore
	fcfg := d.cfg.Poller
	fcfg.DrainTimeout = d.cfg.ShutdownTimeout    // one knob bounds a stop
	fcfg.FutureSkew = d.cfg.Normalize.FutureSkew // one line past which a date is not believed
	fcfg.FeedList = o.FeedList
	d.feeds = o.Feeds
	d.poller, err = feed.NewPoller(fcfg, o.Feeds, d.Store, feed.StaticAssigner{}, o.Log.With("component", "poller"), o.Metrics.Poller)
	if err != nil || !d.cfg.WebSub.Enabled {
		return err
	}
	return d.assemblePush(o)
}

// assemblePush builds the WebSub subscriber over the poller: the poller
// tells it the hubs feeds announce and takes its deliveries, and its
// requests to hubs share the poller's guard and limits. The callback
// listener opens here, so a port in use fails the start, not the run.
func (d *Daemon) assemblePush(o Options) error {
	wcfg, pcfg := d.cfg.WebSub, d.cfg.Poller
	sub, err := websub.New(wcfg, websub.Deps{
		Target:             d.poller,
		Guard:              d.poller.Guard(),
		UserAgent:          pcfg.UserAgent,
		MaxBodyBytes:       pcfg.MaxBodyBytes,
		Limit:              d.poller.AcquireHost,
		PerHostConcurrency: pcfg.PerHostConcurrency,
		ConnectTimeout:     pcfg.ConnectTimeout,
		Timeout:            pcfg.Timeout,
		Log:                o.Log.With("component", "websub"),
		Metrics:            o.Metrics.WebSub,
	})
	if err != nil {
		return err
	}
	if d.pushLn = o.WebSubListener; d.pushLn == nil {
		if d.pushLn, err = net.Listen("tcp", wcfg.Listen); err != nil {
			return fmt.Errorf("websub: listen on %s (websub.listen): %w", wcfg.Listen, err)
		}
	}
	d.push = sub
	d.poller.WatchHubs(sub, wcfg.RelaxedInterval)
	return nil
}

// Remembered is how many stories and copies the deduper remembers.
func (p *Pipeline) Remembered() int {
	stories, copies, _ := p.Dedupe.Remembered()
	return stories + copies
}

// Remembered is how many stories and copies the deduper remembers.
func (d *Daemon) Remembered() int { return d.pl.Remembered() }

var errNotTaken = errors.New("daemon: stopping before the pipeline took the batch")

// Run polls and publishes until ctx ends, then drains: the signal stops
// polling and ends the pipeline's loop; the pipeline then drains its
// in-flight writes for up to shutdown_timeout without cancelling them
// early, which would only turn soon-acknowledged batches into re-reads.
// Batches still queued are dropped uncommitted, so they are re-fetched.
// Abandoning writes at the deadline is not an error: nothing uncommitted
// is lost.
func (d *Daemon) Run(ctx context.Context) error {
	if d.Sink != nil {
		defer besideTheRun(ctx, func(ctx context.Context) {
			tombstoneLegacyStatusKeys(ctx, d.cfg.Kafka, d.Sink, d.feeds, d.log)
		})()
	}
	pollCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	pushErr := make(chan error, 1)
	if d.push != nil {
		// Subscriptions and the callback stop with polling: a delivery
		// after that could not reach the pipeline anyway.
		ln := d.pushLn
		d.pushLn = nil // Run owns it now
		go func() { pushErr <- d.push.Run(pollCtx, ln) }()
	} else {
		pushErr <- nil
	}
	batches := make(chan record.Batch, d.cfg.Pipeline.MaxInFlightBatches)
	pollErr := make(chan error, 1)
	go func() {
		pollErr <- d.poller.Run(pollCtx, batches)
		close(batches)
	}()

	perr := d.pl.Run(ctx, batches)
	stopPolling()
	// Batches the pipeline never took are acked with an error, so their
	// feeds stop waiting and read them again on the next start.
	for b := range batches {
		b.Done(ctx, errNotTaken)
	}
	if e := <-pollErr; e != nil && !errors.Is(e, context.Canceled) && perr == nil {
		perr = e
	}
	if e := <-pushErr; e != nil && perr == nil {
		perr = e
	}
	switch {
	case errors.Is(perr, pipeline.ErrDrainTimeout):
		d.log.Error("shutdown_timeout reached with writes in flight; their feeds will be fetched again on the next start", "err", perr, "shutdown_timeout", d.cfg.ShutdownTimeout)
	case perr != nil && !errors.Is(perr, context.Canceled):
		return perr
	}
	return nil
}

// Close closes the Kafka writer, then the state store (and its log). The
// drain already waited for acknowledgements, so the writer gets a short
// budget: it only flushes what is left.
func (d *Daemon) Close() error {
	var errs []error
	if d.pushLn != nil { // built but never run
		d.pushLn.Close()
	}
	if d.Sink != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := d.Sink.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("close kafka writer: %w", err))
		}
	}
	if d.Store != nil {
		if err := d.Store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close state: %w", err))
		}
	}
	return errors.Join(errs...)
}

// newKafkaSink is the one place a role builds its Kafka sink, so every role
// publishes stories in the configured output.format (the processor role
// once published native records whatever the config said).
func newKafkaSink(ctx context.Context, cfg config.Config, log *slog.Logger, m *Metrics) (*kafka.Sink, error) {
	return kafka.New(ctx, cfg.Kafka.WithFormat(cfg.Output.Format), log.With("component", "kafka"), m.Kafka)
}
