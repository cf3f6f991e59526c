package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/devbroker"
	"github.com/wirestream/wirestream/internal/feedstatus"
	"github.com/wirestream/wirestream/internal/gcsetting"
	"github.com/wirestream/wirestream/internal/opshttp"
	"github.com/wirestream/wirestream/internal/runprogress"
	"github.com/wirestream/wirestream/sources/demo"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

func runCommand() *command {
	c := &command{name: "run", summary: "poll feeds and publish records to Kafka (the daemon)", usage: `Usage: wirestream run [flags]

Runs the daemon: polls every configured feed, turns items into story,
duplicate, event, alert and feed_status records, and publishes them to
Kafka. With no brokers configured it starts an in-memory development
broker on 127.0.0.1:9092 that any Kafka client can read. Stops cleanly
on SIGINT, SIGTERM or SIGHUP: polling stops, in-flight writes drain, state is flushed.
The ops listener serves /metrics, /healthz, /readyz and /status, a page
of the feeds by health, the live events and the recent alerts.
Beside another run or demo, move both ports: the ops listener (:9464)
with --listen, the in-memory broker with embedded.addr in the --config
file (it has no flag).

With --demo it also serves bundled demo feeds from loopback and keeps its
state in a throw-away directory, so every demo shows the whole product;
give --data-dir (or data_dir in the file) to keep the state across runs.

--role splits the work over several instances sharing a Kafka cluster:
  all      (default) everything in this one process, as above
  fetch    poll the feeds of this fetcher's share of the feed list (managed
           with "wirestream feeds push|add|remove|list"; the config's feeds:
           are not read) and publish their items to the items topic;
           run several: they share the list through a consumer group
  process  run the pipeline over the items topic while this processor is
           the active one; run two or more: the others stand by and take
           over within cluster.session_timeout
Each instance has an id (--instance, default the hostname) in its logs,
metrics and records.

Examples:
  wirestream run --demo                        # demo feeds + embedded broker, no setup
  wirestream run --config wirestream.yaml
  WIRESTREAM_KAFKA_BROKERS=kafka-1:9092 wirestream run --config wirestream.yaml
  wirestream run --role fetch --instance fetch-1 --config wirestream.yaml
  wirestream run --role process --instance process-1 --config wirestream.yaml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newCommonFlagSet(c, env, true)
		demoMode := fs.Bool("demo", false, "serve bundled demo feeds from loopback and poll them (no network needed); state is thrown away on exit unless --data-dir is given")
		listen := fs.String("listen", "", "`address` for /metrics, /healthz, /readyz and /status (overrides listen)")
		role := fs.String("role", "", "what this instance does: all, fetch or process (overrides role; default all)")
		instance := fs.String("instance", "", "this instance's `id` in logs, metrics and records (overrides instance; default the hostname)")
		rest, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			// `validate FILE` reads FILE; `run FILE` ran every default instead.
			return usagef("run takes no arguments, got %q: give a configuration file with --config (wirestream run --config %s)", rest, rest[0])
		}
		cfg, err := common.load(env)
		for _, f := range []struct {
			key, flag, value string
			set              func(string)
		}{
			{"listen", "--listen", *listen, func(v string) { cfg.Listen = v }},
			{"role", "--role", *role, func(v string) { cfg.Role = v }},
			{"instance", "--instance", *instance, func(v string) { cfg.Instance = v }},
		} {
			if err == nil && f.value != "" {
				f.set(f.value)
				cfg.SetFrom(f.key, f.flag)
				err = cfg.Check()
			}
		}
		var fe *config.FileError
		if err != nil && !errors.As(err, &fe) && !errors.As(err, new(config.Problems)) {
			return err
		}
		// Everything run would trip over later, reported now and at once.
		if err := config.Merge(err, cfg.Preflight(env.lookupEnv)); err != nil {
			return err
		}
		if *demoMode && cfg.Role != config.RoleAll {
			return usagef("--demo runs the whole pipeline in one process: it needs role all, got %s", cfg.Role)
		}
		cgroupMax := containerMemoryMax()
		defer gcsetting.Run(cfg.Runtime, env.lookupEnv, cgroupMax)()
		log := newLogger(env.stderr, cfg.Log).With("instance", cfg.InstanceID(), "role", cfg.Role)
		logGCSetting(log, cfg.Runtime, env.lookupEnv, cgroupMax)
		if env.goLog != nil {
			env.goLog.install(log)
		}
		for _, name := range unknownVars(env.environ) {
			attrs := []any{"var", name}
			if hint := settingHint(name); hint != "" {
				attrs = append(attrs, "instead", hint)
			} else if meant := meantVar(name); meant != "" {
				attrs = append(attrs, "did_you_mean", meant)
			}
			log.Warn("environment variable read by nothing: it changes no setting", attrs...)
		}
		if msg := feedListIgnored(cfg, *demoMode); msg != "" {
			log.Warn(msg)
		}
		if cfg.Role != config.RoleAll {
			return brokersHint(runRole(ctx, cfg, log), cfg.Kafka.Brokers, brokersChosenBy(cfg))
		}
		return brokersHint(runDaemon(ctx, cfg, runOptions{
			demo:      *demoMode,
			keepState: cfg.SetBy("data_dir") != "" || cfg.KeyLine("data_dir") > 0,
			out:       env.stdout,
			self:      env.self,
		}, log), cfg.Kafka.Brokers, brokersChosenBy(cfg))
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

// serveOps serves /metrics, /healthz, /readyz and /status on cfg.Listen
// until the returned stop is called, which reports the server's error.
func serveOps(cfg config.Config, reg *prometheus.Registry, log *slog.Logger) (*opshttp.Server, func() error, error) {
	ops, err := opshttp.New(cfg.Listen, reg, log)
	if err != nil {
		return nil, nil, portInUse(err, "--listen, listen in the --config file or WIRESTREAM_LISTEN; DEMO_LISTEN=127.0.0.1:29464 make demo")
	}
	// Profiles are registered before the server answers: a request made as
	// soon as the start-up line below is logged must not get a 404.
	if cfg.Pprof {
		ops.EnableProfiling()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- ops.Serve() }()
	log.Info("serving metrics and health", "addr", ops.Addr(), "paths", "/metrics /healthz /readyz /status")
	if cfg.Pprof {
		log.Warn("serving Go runtime profiles: keep the listener reachable by operators only", "addr", ops.Addr(), "path", "/debug/pprof/")
	}
	return ops, func() error {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = ops.Shutdown(sctx)
		return <-serveErr
	}, nil
}

// portInUse adds to an error of a listener whose address is taken what
// usually holds it and how to move this one: "bind: address already in
// use" alone left a newcomer's second demo at a dead end.
func portInUse(err error, move string) error {
	if !errors.Is(err, syscall.EADDRINUSE) {
		return err
	}
	return fmt.Errorf("%w (another wirestream run or make demo holds it? stop that one, or move this one: %s)", err, move)
}

// newRegistry returns the registry and metrics of one instance, with its
// id and role in wirestream_instance_info.
func newRegistry(cfg config.Config) (*prometheus.Registry, *daemon.Metrics) {
	reg := prometheus.NewRegistry()
	m := daemon.NewMetricsOf(reg, version, cfg.Role)
	m.Roles.Instance.WithLabelValues(cfg.InstanceID(), cfg.Role).Set(1)
	return reg, m
}

// withOps runs fn with this instance's metrics served on cfg.Listen, and
// stops serving them when fn returns.
func withOps(cfg config.Config, log *slog.Logger, fn func(*opshttp.Server, *daemon.Metrics, prometheus.Gatherer) error) (err error) {
	reg, m := newRegistry(cfg)
	ops, stopOps, err := serveOps(cfg, reg, log)
	if err != nil {
		return err
	}
	defer func() {
		if serr := stopOps(); serr != nil && err == nil {
			err = serr
		}
	}()
	return fn(ops, m, reg)
}

// runRole runs one fetcher or processor until ctx ends.
func runRole(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	return withOps(cfg, log, func(ops *opshttp.Server, m *daemon.Metrics, g prometheus.Gatherer) error {
		return runRoleWith(ctx, cfg, log, ops, m, g)
	})
}

func runRoleWith(ctx context.Context, cfg config.Config, log *slog.Logger, ops *opshttp.Server, m *daemon.Metrics, g prometheus.Gatherer) (err error) {
	type role interface {
		Run(ctx context.Context) error
		Close() error
	}
	var r role
	switch cfg.Role {
	case config.RoleFetch:
		if len(cfg.Feeds) > 0 || len(cfg.OPML) > 0 {
			// Said once, at INFO: a fetcher started after `feeds push`, as
			// README's scale-out runs it, is doing the right thing, and a
			// WARN telling it to push read as "you forgot to".
			log.Info("role fetch polls the feed list in Kafka, not the config's feeds directly: `wirestream feeds push --config` copies them there after each edit, `wirestream feeds list` shows what it holds",
				"config_feeds", len(cfg.Feeds))
		}
		f, err := daemon.NewFetcher(ctx, cfg, m, log)
		if err != nil {
			return err
		}
		ops.AddCheck("kafka", f.Sink.Ready)
		ops.SetStatus(f.Status())
		r = f
	case config.RoleProcess:
		p, err := daemon.NewProcessor(ctx, cfg, m, log)
		if err != nil {
			return err
		}
		ops.AddCheck("kafka", p.Sink.Ready)
		ops.AddCheck("state", p.StateReady)
		ops.SetStatus(p.Status())
		r = p
	}
	defer func() {
		if cerr := r.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	log.Info("wirestream running", roleRunningAttrs(cfg)...)
	stopProgress := runprogress.Start(ctx, g, cfg.Role, cfg.Log.ProgressInterval, log)
	err = r.Run(ctx)
	stopProgress() // no progress line after the last word
	if err != nil {
		return err
	}
	log.Info("wirestream stopped cleanly")
	return nil
}

// roleRunningAttrs are what a fetcher's or processor's start logs. Only a
// fetcher fetches, so only it names its User-Agent — the one it sends, with
// its instance — a processor logging one it never used misled operators
// hunting a publisher's complaint.
//
// Only a processor names its data_dir (its changelog's snapshot cache): a
// fetcher keeps its poll state in the feed_state topic and writes nothing
// there, and a newcomer looked for the directory its start line named.
func roleRunningAttrs(cfg config.Config) []any {
	attrs := []any{"brokers", cfg.Kafka.Brokers, "topic_prefix", cfg.Kafka.TopicPrefix}
	if cfg.Role == config.RoleFetch {
		return append(attrs, "user_agent", daemon.FetcherUserAgent(cfg), "poll_state", "topic "+feedtopics.Topics{Prefix: cfg.Kafka.TopicPrefix}.State())
	}
	return append(attrs, "data_dir", cfg.DataDir)
}

// runDaemon serves the ops endpoints, starts the demo feeds and the
// embedded broker when asked, and runs the wired daemon until ctx ends.
func runDaemon(ctx context.Context, cfg config.Config, o runOptions, log *slog.Logger) error {
	return withOps(cfg, log, func(ops *opshttp.Server, m *daemon.Metrics, g prometheus.Gatherer) error {
		return runDaemonWith(ctx, cfg, o, log, ops, m, g)
	})
}

func runDaemonWith(ctx context.Context, cfg config.Config, o runOptions, log *slog.Logger, ops *opshttp.Server, m *daemon.Metrics, g prometheus.Gatherer) (err error) {
	feeds, err := cfg.AllFeeds()
	if err != nil {
		return err
	}
	ownFeeds := len(feeds) // the --config file's, polled beside the demo's
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
		log.Warn(noFeedsWarning(cfg))
	}

	embedded := false
	if len(cfg.Kafka.Brokers) == 0 {
		b, err := devbroker.Start(ctx, cfg.Embedded.Addr, log.With("component", "embedded_broker"))
		if err != nil {
			return portInUse(fmt.Errorf("start the embedded development broker (set kafka.brokers to use a real one): %w", err),
				"embedded.addr in the --config file; DEMO_KAFKA=127.0.0.1:29092 make demo")
		}
		defer b.Close()
		cfg.Kafka.Brokers = b.Addrs()
		embedded = true
	}

	d, err := daemon.New(ctx, cfg, daemon.Options{Feeds: feeds, FeedList: feedListOf(cfg, o.demo), Metrics: m, Log: log})
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
	if embedded && !o.demo && d.Store != nil && d.Store.Restored() > 0 {
		// A restart on the embedded broker found empty topics but
		// data_dir's memory of them: `tail --from-beginning` showed
		// nothing and `feeds status` only the feeds polled since, while
		// the log said nothing was wrong.
		log.Warn("the embedded broker starts empty, but data_dir keeps the state of earlier runs: stories they published are not published again, "+
			"and a feed shows in `feeds status` only once its kept schedule polls it again; delete data_dir for a fresh start, or set kafka.brokers to a real cluster",
			"data_dir", cfg.DataDir, "entries", d.Store.Restored())
	}

	leaveRoleAll := func() {}
	if !embedded {
		// A second run in role all against the same topics publishes every
		// record twice: it says so (a WARN in both) rather than leave it to
		// the README.
		watchCtx, stopWatch := context.WithCancel(ctx)
		watched := make(chan struct{})
		go func() { defer close(watched); daemon.WatchRoleAll(watchCtx, cfg, log) }()
		leaveRoleAll = sync.OnceFunc(func() { stopWatch(); <-watched })
		defer leaveRoleAll()
	}
	log.Info("wirestream running", "feeds", len(feeds), "brokers", cfg.Kafka.Brokers, "topic_prefix", cfg.Kafka.TopicPrefix, "data_dir", cfg.DataDir)
	if o.demo && o.out != nil {
		if err := printDemoHints(o.out, o.self, cfg, embedded, ops.Addr(), len(feeds)-ownFeeds, ownFeeds); err != nil {
			// Only the hints go to stdout: its reader gone (`| head`) is
			// no reason to stop publishing, nor to die without cleaning up.
			log.Warn("the demo's hints were not printed: the demo goes on, and Ctrl-C stops it", "err", err)
		}
	}
	stopProgress := runprogress.Start(ctx, g, cfg.Role, cfg.Log.ProgressInterval, log)
	err = d.Run(ctx)
	stopProgress() // no progress line after the last word
	if err != nil {
		return err
	}
	// The group is left before the line that says the run stopped: it came
	// after "wirestream stopped cleanly", which a script or a reader takes
	// as the run's last word.
	leaveRoleAll()
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

// brokersHint adds what to check to a start that found no broker at the
// configured addresses (withBrokerHint); with none configured the error
// is the embedded broker's own, which says what to do.
func brokersHint(err error, brokers []string, chosenBy string) error {
	if len(brokers) == 0 || !noBrokerAnswered(err, brokers) {
		return err
	}
	return withBrokerHint(err, brokers, false, chosenBy)
}

// noBrokerAnswered tells whether err is a refused or timed-out connection
// to a broker's port (a timeout: an address that drops or holds the
// connection, blackholed or firewalled) or a failed lookup of a broker's
// host name: run also fetches feeds
// and subscribes at hubs, so a refusal or lookup failure of anything else
// must not be blamed on Kafka.
// Ports are compared rather than addresses: the dial names the resolved
// address, or one the cluster advertises, not the configured host name.
func noBrokerAnswered(err error, brokers []string) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		for _, b := range brokers {
			if host, _, splitErr := net.SplitHostPort(b); splitErr == nil && strings.EqualFold(host, dnsErr.Name) {
				return true
			}
		}
		return false
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Addr == nil || !(errors.Is(err, syscall.ECONNREFUSED) || opErr.Timeout()) {
		return false
	}
	_, port, splitErr := net.SplitHostPort(opErr.Addr.String())
	if splitErr != nil {
		return false
	}
	for _, b := range brokers {
		if _, p, splitErr := net.SplitHostPort(b); splitErr == nil && p == port {
			return true
		}
	}
	return false
}

// feedListOf names the list a single process polls on its feed_status
// records: its --config file (by its feed_list name, else its path),
// whose feeds `feeds status --config` reads to tell a removed feed. A
// demo's feeds are in no file: a demo names none of its own
// (feedstatus.DemoList), so none of its feeds is marked removed, not even
// those of its file; a run without a file names none ("").
func feedListOf(cfg config.Config, demo bool) string {
	switch {
	case demo:
		return feedstatus.DemoList
	case cfg.Path() == "":
		return ""
	}
	return feedstatus.FileListOf(cfg.Path(), cfg.FeedList)
}

// feedListIgnored says, naming the key and the role, that this run
// stamps some other list than the file's feed_list on its feed_status
// records; "" when the file sets none or the run stamps it. The key only
// names the feeds of a file role all polls; a fetcher set it in vain,
// without a word, and `feeds status` then read its feeds under the
// fetchers' list. A warning, not a problem: one file may serve every role
// (--role, WIRESTREAM_ROLE), and for role all the key is right.
func feedListIgnored(cfg config.Config, demo bool) string {
	if cfg.FeedList == "" {
		return ""
	}
	key := fmt.Sprintf("feed_list %q", cfg.FeedList)
	if l := cfg.KeyLine("feed_list"); l > 0 {
		key += fmt.Sprintf(" (line %d)", l)
	}
	role := "role " + cfg.Role
	if by := cfg.SetBy("role"); by != "" {
		role += " (set by " + by + ")"
	}
	switch {
	case cfg.Role == config.RoleFetch:
		return fmt.Sprintf("%s is ignored by %s: a fetcher polls the feed list in Kafka, and its feed_status records name that list, %q; feed_list names only the feeds of a file that role all polls",
			key, role, feedstatus.TopicList(daemon.FeedTopics(cfg).Feeds()))
	case cfg.Role == config.RoleProcess:
		return fmt.Sprintf("%s is ignored by %s: a processor polls no feeds; feed_list names only the feeds of a file that role all polls", key, role)
	case demo:
		return fmt.Sprintf("%s is ignored by run --demo: its feed_status records name the list %q, which holds the demo's feeds and the file's alike", key, feedstatus.DemoList)
	}
	return ""
}

// noFeedsWarning is run's warning when it has no feed to poll: "add feeds
// to the config file" when there is one, and that none was given when
// there is not — `run` alone beside a wirestream.yaml read no file, and
// was told to add feeds to it (round 31).
func noFeedsWarning(cfg config.Config) string {
	if cfg.Path() == "" {
		return "no feeds configured, and no --config given: give your file with --config FILE, or try --demo"
	}
	return "no feeds configured: add feeds to the config file, or try --demo"
}
