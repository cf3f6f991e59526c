package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
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
The ops listener serves /metrics, /healthz, /readyz and /status, a page
of the feeds by health, the live events and the recent alerts.

With --demo it also serves bundled demo feeds from loopback and keeps its
state in a throw-away directory, so every demo shows the whole product;
give --data-dir (or data_dir in the file) to keep the state across runs.

Examples:
  wirestream run --demo                        # demo feeds + embedded broker, no setup
  wirestream run --config wirestream.yaml
  WIRESTREAM_KAFKA_BROKERS=kafka-1:9092 wirestream run --config wirestream.yaml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newCommonFlagSet(c, env, true)
		demoMode := fs.Bool("demo", false, "serve bundled demo feeds from loopback and poll them (no network needed); state is thrown away on exit unless --data-dir is given")
		listen := fs.String("listen", "", "`address` for /metrics, /healthz, /readyz and /status (overrides listen)")
		if _, err := parseFlags(fs, args); err != nil {
			return err
		}
		cfg, err := common.load(env)
		if err == nil && *listen != "" {
			cfg.Listen = *listen
			cfg.SetFrom("listen", "--listen")
			err = cfg.Check()
		}
		var fe *config.FileError
		if err != nil && !errors.As(err, &fe) && !errors.As(err, new(config.Problems)) {
			return err
		}
		// Everything run would trip over later, reported now and at once.
		if err := config.Merge(err, cfg.Preflight(env.lookupEnv)); err != nil {
			return err
		}
		log := newLogger(env.stderr, cfg.Log)
		return runDaemon(ctx, cfg, runOptions{
			demo:      *demoMode,
			keepState: cfg.SetBy("data_dir") != "" || cfg.KeyLine("data_dir") > 0,
			out:       env.stdout,
			self:      env.self,
		}, log)
	}
	return c
}

// runOptions are what the run command adds to the configuration.
type runOptions struct {
	demo bool
	// keepState: the user chose data_dir (flag, environment or file), so
	// the demo keeps its state there instead of in a throw-away directory.
	keepState bool
	out       io.Writer // where the demo's "try this" lines go
	self      string    // how the user ran this binary, for those lines
}

// runDaemon serves the ops endpoints, starts the demo feeds and the
// embedded broker when asked, and runs the wired daemon until ctx ends.
func runDaemon(ctx context.Context, cfg config.Config, o runOptions, log *slog.Logger) (err error) {
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
	log.Info("serving metrics and health", "addr", ops.Addr(), "paths", "/metrics /healthz /readyz /status")
	if cfg.Pprof {
		ops.EnableProfiling()
		log.Warn("serving Go runtime profiles: keep the listener reachable by operators only", "addr", ops.Addr(), "path", "/debug/pprof/")
	}

	feeds, err := cfg.AllFeeds()
	if err != nil {
		return err
	}
	if o.demo {
		srv, err := demo.Start(ctx, demo.Options{}, log.With("component", "demo"))
		if err != nil {
			return fmt.Errorf("start demo feeds: %w", err)
		}
		defer srv.Close()
		for _, u := range srv.FeedURLs() {
			feeds = append(feeds, feed.Spec{URL: u, Tags: []string{"demo"}, MinInterval: time.Second, MaxInterval: srv.PollInterval()})
		}
		tuneForDemo(&cfg)
		if !o.keepState {
			// A second demo on the first one's state would find every
			// story already published and show nothing.
			dir, err := os.MkdirTemp("", "wirestream-demo-state-")
			if err != nil {
				return fmt.Errorf("demo: make a throw-away state directory: %w", err)
			}
			defer os.RemoveAll(dir) // deferred before the store opens, so it runs after it closes
			cfg.DataDir = dir
			log.Info("demo: state in a throw-away directory, deleted on exit (give --data-dir to keep it across runs)", "data_dir", dir)
		} else {
			log.Info("demo: state kept in data_dir; stories an earlier run published there are not published again", "data_dir", cfg.DataDir)
		}
	}
	if len(feeds) == 0 {
		log.Warn("no feeds configured: add feeds to the config file, or try --demo")
	}

	embedded := false
	if len(cfg.Kafka.Brokers) == 0 {
		b, err := devbroker.Start(ctx, cfg.Embedded.Addr, log.With("component", "embedded_broker"))
		if err != nil {
			return fmt.Errorf("start the embedded development broker (set kafka.brokers to use a real one): %w", err)
		}
		defer b.Close()
		cfg.Kafka.Brokers = b.Addrs()
		embedded = true
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
	ops.SetStatus(d.Status())

	log.Info("wirestream running", "feeds", len(feeds), "brokers", cfg.Kafka.Brokers, "topic_prefix", cfg.Kafka.TopicPrefix, "data_dir", cfg.DataDir)
	if o.demo && o.out != nil {
		printDemoHints(o.out, o.self, cfg, embedded, ops.Addr(), len(feeds))
	}
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
