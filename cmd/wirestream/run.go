package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/devbroker"
	"github.com/wirestream/wirestream/internal/opshttp"
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
		fs, common := newCommonFlagSet(c, env, true)
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

// runDaemon serves the ops endpoints, starts the demo feeds and the
// embedded broker when asked, and runs the wired daemon until ctx ends.
func runDaemon(ctx context.Context, cfg config.Config, demoMode bool, log *slog.Logger) (err error) {
	reg := prometheus.NewRegistry()
	m := daemon.NewMetrics(reg, version)

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
		b, err := devbroker.Start(ctx, cfg.Embedded.Addr, log.With("component", "embedded_broker"))
		if err != nil {
			return fmt.Errorf("start the embedded development broker (set kafka.brokers to use a real one): %w", err)
		}
		defer b.Close()
		cfg.Kafka.Brokers = b.Addrs()
	}

	d, err := daemon.New(ctx, cfg, daemon.Options{Feeds: feeds, Metrics: m, Log: log})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := d.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	ops.AddCheck("kafka", d.Sink.Ready)
	ops.AddCheck("state", d.Store.Ready)

	log.Info("wirestream running", "feeds", len(feeds), "brokers", cfg.Kafka.Brokers, "topic_prefix", cfg.Kafka.TopicPrefix, "data_dir", cfg.DataDir)
	if err := d.Run(ctx); err != nil {
		return err
	}
	log.Info("wirestream stopped cleanly")
	return nil
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
