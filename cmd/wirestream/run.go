package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/opshttp"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sinks/embedded"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/demo"
	"github.com/wirestream/wirestream/sources/feed"
)

func runCommand() *command {
	c := &command{name: "run", summary: "poll feeds and publish records to Kafka (the daemon)", usage: `Usage: wirestream run [flags]

Runs the daemon: polls every configured feed, turns items into story,
duplicate, event, alert and feed_status records, and publishes them to
Kafka. With no brokers configured it starts an in-memory development
broker on 127.0.0.1:9092 that any Kafka client can read. Stops cleanly
on SIGINT/SIGTERM: polling stops, in-flight writes drain, state is flushed.

Examples:
  wirestream run --demo                        # demo feeds + embedded broker, no setup
  wirestream run --config wirestream.yaml
  WIRESTREAM_KAFKA_BROKERS=kafka-1:9092 wirestream run --config wirestream.yaml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs := newFlagSet(c, env)
		var common commonFlags
		common.register(fs, true)
		demoMode := fs.Bool("demo", false, "serve bundled demo feeds from loopback and poll them (no network needed)")
		listen := fs.String("listen", "", "`address` for /metrics, /healthz and /readyz (overrides listen)")
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		cfg, err := common.load(env)
		if err != nil {
			return err
		}
		if *listen != "" {
			cfg.Listen = *listen
		}
		log := newLogger(env.stderr, cfg.Log)
		return runDaemon(ctx, cfg, *demoMode, log)
	}
	return c
}

// runDaemon wires sources → pipeline → sinks and runs until ctx ends.
func runDaemon(ctx context.Context, cfg config.Config, demoMode bool, log *slog.Logger) (err error) {
	reg := prometheus.NewRegistry()
	m := newAllMetrics(reg)

	ops, err := opshttp.New(cfg.Listen, reg, log)
	if err != nil {
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- ops.Serve() }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ops.Shutdown(sctx)
		if serr := <-serveErr; serr != nil && err == nil {
			err = serr
		}
	}()
	log.Info("serving metrics and health", "addr", ops.Addr(), "paths", "/metrics /healthz /readyz")

	feeds, err := cfg.AllFeeds()
	if err != nil {
		return err
	}
	if demoMode {
		srv, err := demo.Start(ctx, demo.Options{}, log.With("component", "demo"))
		if err != nil {
			return fmt.Errorf("start demo feeds: %w", err)
		}
		defer srv.Close()
		for _, u := range srv.FeedURLs() {
			feeds = append(feeds, feed.Spec{URL: u, Tags: []string{"demo"}, MinInterval: time.Second, MaxInterval: srv.PollInterval()})
		}
		tuneForDemo(&cfg)
	}
	if len(feeds) == 0 {
		log.Warn("no feeds configured: add feeds to the config file, or try --demo")
	}

	if len(cfg.Kafka.Brokers) == 0 {
		b, err := embedded.Start(ctx, cfg.Embedded.Addr, log.With("component", "embedded_broker"))
		if err != nil {
			return fmt.Errorf("start the embedded development broker (set kafka.brokers to use a real one): %w", err)
		}
		defer b.Close()
		cfg.Kafka.Brokers = b.Addrs()
	}

	store, err := state.OpenBolt(cfg.DataDir, cfg.State)
	if err != nil {
		return err
	}
	store.SetMetrics(m.state)
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close state: %w", cerr)
		}
	}()

	sink, err := kafka.New(ctx, cfg.Kafka, log.With("component", "kafka"), m.kafka)
	if err != nil {
		return err
	}
	defer func() {
		// The drain already waited for acknowledgements; closing only
		// flushes what is left, so it gets a short budget of its own.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if cerr := sink.Close(cctx); cerr != nil && err == nil {
			err = fmt.Errorf("close kafka writer: %w", cerr)
		}
	}()
	ops.AddCheck("kafka", sink.Ready)
	ops.AddCheck("state", store.Ready)

	stages, err := newStages(cfg, m)
	if err != nil {
		return err
	}
	deduper, err := dedupe.New(cfg.Dedupe, store, m.dedupe, time.Now())
	if err != nil {
		return err
	}
	cfg.Pipeline.DrainTimeout = cfg.ShutdownTimeout
	pl, err := pipeline.New(cfg.Pipeline, pipeline.Deps{
		Normalizer: normalize.New(cfg.Normalize),
		Dedupe:     deduper,
		Store:      store,
		Enricher:   stages.enricher,
		Events:     stages.events,
		Spikes:     stages.spikes,
		Sink:       sink,
		Log:        log.With("component", "pipeline"),
		Metrics:    m.pipeline,
	})
	if err != nil {
		return err
	}
	poller, err := feed.NewPoller(cfg.Poller, feeds, store, feed.StaticAssigner{}, log.With("component", "poller"), m.poller)
	if err != nil {
		return err
	}

	// Shutdown order: the signal stops polling and ends the pipeline's
	// loop; the pipeline then drains its in-flight writes for up to
	// shutdown_timeout (set as its drain timeout above) without cancelling
	// them early, which would only turn soon-acknowledged batches into
	// re-reads. Batches still queued are dropped uncommitted: re-fetched.
	pollCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()

	batches := make(chan record.Batch, cfg.Pipeline.MaxInFlightBatches)
	pollErr := make(chan error, 1)
	go func() {
		pollErr <- poller.Run(pollCtx, batches)
		close(batches)
	}()
	log.Info("wirestream running", "feeds", len(feeds), "brokers", cfg.Kafka.Brokers, "topic_prefix", cfg.Kafka.TopicPrefix, "data_dir", cfg.DataDir)

	perr := pl.Run(ctx, batches)
	stopPolling()
	for range batches { // unblock the poller if the pipeline stopped early
	}
	if e := <-pollErr; e != nil && !errors.Is(e, context.Canceled) && perr == nil {
		perr = e
	}
	switch {
	case errors.Is(perr, pipeline.ErrDrainTimeout):
		// Not a failure of the stop: nothing abandoned was committed, so
		// the next start fetches it again (at-least-once).
		log.Error("shutdown_timeout reached with writes in flight; their feeds will be fetched again on the next start", "err", perr, "shutdown_timeout", cfg.ShutdownTimeout)
	case perr != nil && !errors.Is(perr, context.Canceled):
		return perr
	}
	log.Info("wirestream stopped cleanly")
	return nil
}

// stages builds the optional enrichment stages shared by run and process.
type stageSet struct {
	enricher *enrich.Enricher
	events   *events.Clusterer
	spikes   *spikes.Detector
}

func newStages(cfg config.Config, m *allMetrics) (stageSet, error) {
	enr, err := enrich.New(cfg.Enrich)
	if err != nil {
		return stageSet{}, fmt.Errorf("enrichment: %w", err)
	}
	return stageSet{
		enricher: enr,
		events:   events.New(cfg.Events, events.WithMetrics(m.events)),
		spikes:   spikes.New(cfg.Spikes, spikes.WithMetrics(m.spikes)),
	}, nil
}

func buildInfo() prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "wirestream_build_info",
		Help: "Always 1; labels carry the version and record schema version.",
	}, []string{"version", "schema_version"})
	g.WithLabelValues(version, record.SchemaVersion).Set(1)
	return g
}

// tuneForDemo compresses the timing of what a newcomer should see into the
// demo's few minutes: the demo feeds serve from loopback (refused by
// default), and spike buckets of five minutes with an hour of warm-up
// would never fire in a three-minute timeline.
func tuneForDemo(cfg *config.Config) {
	cfg.Poller.AllowNetworks = append(cfg.Poller.AllowNetworks, "127.0.0.0/8")
	cfg.Poller.MinInterval = time.Second
	cfg.Spikes.Bucket = 30 * time.Second
	cfg.Spikes.Warmup = 20 * time.Second
	cfg.Spikes.BaselineHalfLife = time.Minute
	cfg.Spikes.Cooldown = time.Minute
	cfg.Spikes.ClearAfter = 30 * time.Second
}
