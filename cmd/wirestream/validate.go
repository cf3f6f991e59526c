package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/sinks/encode"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

func validateCommand() *command {
	c := &command{name: "validate", summary: "check a config file and print what it would do", usage: `Usage: wirestream validate [--config FILE]

Checks a configuration file strictly and reports every problem at once,
each with its line: unknown keys, values of the wrong type, bad values,
and what "run" would trip over outside the file (unreadable OPML, TLS or
password files, header variables that are not set, a listen address
that is no host:port). When the file is valid it prints what "wirestream
run" would do with it: the feeds it would poll, the topics it would
write, the limits it would keep and when alerts would fire; and it warns of what it sees from
here that run would refuse: feeds on a private address, kafka.brokers
that do not accept a connection, an address to listen on (listen,
embedded.addr, websub.listen) that another process holds. A file with problems gets these warnings too, after
its problems, on stderr.
Exit code 0 when valid, 1 when not (warnings do not change it).

Example:
  wirestream validate --config deploy/wirestream.example.yaml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newCommonFlagSet(c, env, true)
		rest, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(rest) == 1 && common.config == "" { // "validate FILE" reads naturally too
			common.config = rest[0]
		} else if len(rest) > 0 {
			return usagef("unexpected arguments %q", rest)
		}
		cfg, err := common.load(env)
		var fe *config.FileError
		if err != nil && !errors.As(err, &fe) {
			return err // not read at all
		}
		// What run would trip over outside the file (OPML, secrets, TLS
		// files, header variables), reported with the file's own problems.
		if err = config.Merge(err, cfg.Preflight(env.lookupEnv)); err != nil {
			// The warnings too, after the problems: one who fixes the
			// file should meet every problem in one go, not a loopback
			// feed or a mistyped broker only once the rest is right.
			// They are drawn from the values read, leaving out the
			// settings the problems are about.
			var w strings.Builder
			feeds, ferr := cfg.AllFeeds()
			if ferr != nil {
				feeds = cfg.Feeds // an OPML problem is among err's
			}
			var fine []feed.Spec
			for i, f := range feeds {
				if (i >= len(cfg.Feeds) || !hasProblem(err, fmt.Sprintf("feeds[%d]", i))) && f.Validate() == nil {
					fine = append(fine, f)
				}
			}
			if !hasProblem(err, "poller.allow_networks") {
				warnRefused(&w, cfg, fine)
			}
			warnLoopbackAliases(&w, fine, "")
			warnSecrets(&w, fine)
			if !hasProblem(err, "kafka.topic_prefix") {
				warnTopicPrefix(&w, cfg)
			}
			if !hasProblem(err, "cluster.replication_factor") && !hasProblem(err, "kafka.topics") {
				warnTopicReplication(&w, cfg)
			}
			if !hasProblem(err, "cluster.session_timeout") && !hasProblem(err, "shutdown_timeout") {
				warnSessionTimeout(&w, cfg)
			}
			if !hasProblem(err, "kafka.brokers") {
				warnBrokers(ctx, &w, cfg.Kafka.Brokers)
			}
			if !hasProblem(err, "feed_list") && !hasProblem(err, "role") {
				warnFeedListIgnored(&w, cfg)
			}
			warnListeners(&w, cfg, env.tryListen, func(key string) bool { return !hasProblem(err, key) && !hasProblem(err, "kafka.brokers") })
			warnUnknownEnv(&w, env.environ)
			if w.Len() == 0 {
				return err
			}
			return withWarnings{err: err, warnings: strings.TrimRight(w.String(), "\n")}
		}
		feeds, err := cfg.AllFeeds()
		if err != nil {
			return err
		}
		names := watchNameReader(cfg) // the gazetteer loads once (≈ 0.1 s), for the plan and the warning
		describe(env.stdout, cfg, len(feeds), feedLines(feeds), names)
		warnRefused(env.stdout, cfg, feeds)
		warnLoopbackAliases(env.stdout, feeds, "")
		warnSecrets(env.stdout, feeds)
		warnAmbiguousWatchNames(env.stdout, cfg.Spikes.Watch, names)
		warnTopicPrefix(env.stdout, cfg)
		warnTopicReplication(env.stdout, cfg)
		warnSessionTimeout(env.stdout, cfg)
		warnBrokers(ctx, env.stdout, cfg.Kafka.Brokers)
		warnFeedListIgnored(env.stdout, cfg)
		warnListeners(env.stdout, cfg, env.tryListen, func(string) bool { return true })
		warnUnknownEnv(env.stdout, env.environ)
		return nil
	}
	return c
}

// withWarnings is a configuration's problems followed by validate's
// warnings, printed together on stderr with exit code 1.
type withWarnings struct {
	err      error
	warnings string // each starts with "\nwarning: "
}

func (w withWarnings) Error() string { return w.err.Error() + "\n" + w.warnings }
func (w withWarnings) Unwrap() error { return w.err }

// hasProblem tells whether one of err's problems is about key (or a key
// under it): its message starts with the key, as every validation
// message does.
func hasProblem(err error, key string) bool {
	var ps config.Problems
	if !errors.As(err, &ps) {
		return false
	}
	for _, p := range ps {
		if rest, ok := strings.CutPrefix(p.Msg, key); ok && (rest == "" || strings.ContainsAny(rest[:1], ":.[ ")) {
			return true
		}
	}
	return false
}

// describe prints a plan of what run would do, for humans.
func describe(w io.Writer, cfg config.Config, nFeeds int, feeds []string, names *entities.Extractor) {
	src := cfg.Path()
	if src == "" {
		src = "(defaults: no --config given)"
	}
	fmt.Fprintf(w, "configuration %s is valid\n", src)
	if cfg.Path() == "" {
		// `validate` alone beside a wirestream.yaml checked no file: say so,
		// and how to check the file (round 31's newcomer read "valid").
		for _, f := range []string{"wirestream.yaml", "wirestream.yml"} {
			if _, err := os.Stat(f); err == nil {
				fmt.Fprintf(w, "(%s here is not read without --config: wirestream validate --config %s)\n", f, f)
				break
			}
		}
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "feeds: %d", nFeeds)
	if len(cfg.OPML) > 0 {
		fmt.Fprintf(w, " (including OPML: %s)", strings.Join(cfg.OPML, ", "))
	}
	if nFeeds == 0 && cfg.Role == config.RoleAll {
		// run warns "no feeds configured"; validate said "is valid" and
		// "feeds: 0" of an empty file, and nothing more (round 42).
		file := cfg.Path()
		if file == "" {
			file = "wirestream.yaml"
		}
		fmt.Fprintf(w, " (run polls nothing: add one with wirestream feeds add --config %s URL, or try run --demo)", file)
	}
	fmt.Fprintln(w)
	const show = 20
	for i, f := range feeds {
		if i == show {
			fmt.Fprintf(w, "  … and %d more\n", len(feeds)-show)
			break
		}
		fmt.Fprintf(w, "  %s\n", f)
	}

	fmt.Fprintln(w, "\nkafka:")
	if len(cfg.Kafka.Brokers) == 0 {
		fmt.Fprintf(w, "  brokers: none configured: run starts the in-memory development broker on %s\n", cfg.Embedded.Addr)
	} else {
		fmt.Fprintf(w, "  brokers: %s\n", strings.Join(cfg.Kafka.Brokers, ", "))
	}
	compression := cfg.Kafka.Compression
	if l := cfg.Kafka.EffectiveCompressionLevel(); l > 0 {
		compression += fmt.Sprintf(" (level %d)", l)
	}
	fmt.Fprintf(w, "  compression: %s, partitioner: %s, batch timeout: %s\n", compression, cfg.Kafka.Balancer, cfg.Kafka.BatchTimeout)
	fmt.Fprintln(w, "  topics:")
	kc := cfg.Kafka.WithFormat(cfg.Output.Format)
	for _, t := range record.Types {
		tc := kc.Topic(t)
		fmt.Fprintf(w, "    %-12s → %s (%s, replication %d, cleanup %s", t, kc.TopicName(t), plural(tc.Partitions, "partition"), tc.ReplicationFactor, tc.CleanupPolicy)
		if tc.Retention > 0 {
			// On a compacted topic it is how long a key stays after its last record.
			fmt.Fprintf(w, ", retention %s", config.ShortDuration(tc.Retention))
		}
		fmt.Fprint(w, ")")
		if tc.Format != encode.Native {
			fmt.Fprintf(w, ", written as %s", tc.Format)
		}
		fmt.Fprintln(w)
	}
	if !cfg.Kafka.Provision {
		// Created by nobody else: the roles check them as run checks the above.
		fmt.Fprintln(w, "  scale-out topics (run --role fetch|process; kafka.provision is false: create them too):")
		for _, t := range daemon.RoleTopics(cfg) {
			fmt.Fprintf(w, "    %s (%s, replication %d, cleanup %s)\n", t.Name, plural(t.Partitions, "partition"), t.ReplicationFactor, t.CleanupPolicy)
		}
	}

	p := cfg.Poller
	fmt.Fprintln(w, "\nlimits:")
	fmt.Fprintf(w, "  poll interval: %s to %s (adaptive)\n", p.MinInterval, p.MaxInterval)
	fmt.Fprintf(w, "  concurrency: %d per host, %d in all\n", p.PerHostConcurrency, p.GlobalConcurrency)
	// The whole poll's timeout alone read as the time a slow feed has: one
	// that takes 30 s to answer failed at header_timeout's 20 s.
	fmt.Fprintf(w, "  fetch timeout: %s (connect %s, response headers %s); body cap: %s; items per feed: %d; redirects: %d\n",
		p.Timeout, p.ConnectTimeout, p.HeaderTimeout, byteSize(p.MaxBodyBytes), p.MaxItems, p.MaxRedirects)
	if len(p.AllowNetworks) > 0 {
		fmt.Fprintf(w, "  private networks allowed: %s\n", strings.Join(p.AllowNetworks, ", "))
	} else {
		fmt.Fprintln(w, "  private, loopback and link-local addresses: refused")
	}
	fmt.Fprintf(w, "  near-duplicate window: %s\n", cfg.Dedupe.Window)
	// A fetcher's and a processor's state is in Kafka: "state: data" read
	// as a directory each keeps, and a fetcher writes nothing there.
	switch cfg.Role {
	case config.RoleFetch:
		fmt.Fprintf(w, "  state: poll state in topic %s (a fetcher writes nothing to data_dir)\n", feedtopics.Topics{Prefix: cfg.Kafka.TopicPrefix}.State())
	case config.RoleProcess:
		cache := "no snapshot cache (state.changelog.snapshot_cache: false)"
		if cfg.State.Changelog.SnapshotCache {
			cache = "its snapshot cache in " + dataDirFromHere(cfg.DataDir)
		}
		fmt.Fprintf(w, "  state: changelog topic %s%s, %s\n", cfg.Kafka.TopicPrefix, cfg.State.Changelog.Name, cache)
	default:
		fmt.Fprintf(w, "  state: %s\n", dataDirFromHere(cfg.DataDir))
	}
	fmt.Fprintf(w, "  metrics and health: %s\n", cfg.Listen)
	if cfg.Pprof {
		fmt.Fprintf(w, "  profiles: /debug/pprof/ on %s (pprof: true): keep the listener reachable by operators only\n", cfg.Listen)
	} else {
		fmt.Fprintln(w, "  profiles: off (pprof: true serves them under /debug/pprof/)")
	}
	if d := cfg.Log.ProgressInterval; d > 0 {
		fmt.Fprintf(w, "  progress line: every %s (log.progress_interval)\n", d)
	} else {
		fmt.Fprintln(w, "  progress line: off (log.progress_interval: 0s)")
	}
	if ws := cfg.WebSub; ws.Enabled {
		fmt.Fprintf(w, "  websub push: on; callback listener %s, reached at %s; lease %s, polled every %s while pushes arrive\n",
			ws.Listen, ws.PublicURL, ws.Lease, ws.RelaxedInterval)
	} else {
		fmt.Fprintln(w, "  websub push: off (polling only)")
	}

	sp := cfg.Spikes
	fmt.Fprintln(w, "\nalerts:")
	fmt.Fprintf(w, "  a term (a story's entity or keyword) fires when one %s bucket holds >= %s from >= %s, score >= %g and >= %gx its baseline; none in the first %s of the stream (warm-up)\n",
		sp.Bucket, stories(sp.MinStories), plural(sp.MinPublishers, "publisher"), sp.Threshold, sp.MinRatio, sp.Warmup)
	if len(sp.Watch) == 0 {
		fmt.Fprintln(w, "  watched: none (spikes.watch)")
	} else {
		fmt.Fprintf(w, "  watched (>= %s from >= %s, score >= %g): %s\n", stories(sp.WatchMinStories), plural(sp.WatchMinPublishers, "publisher"), sp.WatchThreshold, strings.Join(sp.Watch, ", "))
		// An entity key is matched as a key, a name the gazetteer knows as
		// its entity's (spikes.Detector.ResolveWatchNames); another word or
		// phrase is searched in the stories' text too (spikes.textWatches).
		fmt.Fprintln(w, "    an entity key (person:…) counts the stories that name that entity; a name the gazetteer knows (Britain, US) watches its entity however a story spells it; another word or phrase, every story whose title or text says it (whole words, any case)")
		named, capitals := watchedEntities(cfg.Spikes.Watch, names)
		if len(named) > 0 {
			fmt.Fprintf(w, "    names watched as the entity enrichment keys them by: %s\n", strings.Join(named, ", "))
		}
		if len(capitals) > 0 {
			fmt.Fprintf(w, "    searched as words, not as the names they spell in capitals: %s\n", strings.Join(capitals, ", "))
		}
	}
}

// byteSize is n bytes as validate's plan prints it: in the largest binary
// unit it fills, "10 MiB" rather than "10485760 bytes"; a size that is no
// whole unit keeps its bytes beside, "1.5 MiB (1572864 bytes)", so the
// figure in the file can still be found.
func byteSize(n int64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	if n < 1024 {
		return plural(int(n), "byte")
	}
	v, unit := float64(n)/1024, units[0]
	for _, u := range units[1:] {
		if v < 1024 {
			break
		}
		v, unit = v/1024, u
	}
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10) + " " + unit
	}
	s := strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 2, 64), "0"), ".")
	return fmt.Sprintf("%s %s (%d bytes)", s, unit, n)
}

// dataDirFromHere is dir as validate's plan prints it: a relative one
// with the directory it names from here, since it is relative to where
// run starts, not to the file (opml: is), and a run started elsewhere
// began an empty state there and published every story again.
func dataDirFromHere(dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return fmt.Sprintf("%s (%s from here: data_dir is relative to the directory run starts in, not to the file)", dir, abs)
}

// warnSessionTimeout warns of a cluster.session_timeout at or above
// shutdown_timeout: at a rebalance the active processor's drained batches
// wait for the next generation for up to the session timeout, while a
// stop waits for them only shutdown_timeout, so a slow rebalance during a
// stop costs the next owner a restore.
func warnSessionTimeout(w io.Writer, cfg config.Config) {
	if cfg.Cluster.SessionTimeout < cfg.ShutdownTimeout {
		return
	}
	fmt.Fprintf(w, "\nwarning: cluster.session_timeout (%s) is not below shutdown_timeout (%s): a stop during a rebalance may give up on the drained batches' commits before the next generation decides, and the next owner restores its state from the changelog\n",
		cfg.Cluster.SessionTimeout, cfg.ShutdownTimeout)
}

// warnLoopbackAliases names the feeds that name another's server by
// another of the machine's names for itself (feed.LoopbackAliases):
// http://localhost:8000/x beside http://127.0.0.1:8000/x, one document
// polled twice. With only given, the aliases of that URL alone (feeds add).
func warnLoopbackAliases(w io.Writer, feeds []feed.Spec, only string) {
	urls := make([]string, len(feeds))
	for i, f := range feeds {
		urls[i] = f.URL
	}
	for _, a := range feed.LoopbackAliases(urls) {
		if only != "" && a[0] != only && a[1] != only {
			continue
		}
		fmt.Fprintf(w, "\nwarning: %s names the machine's own feed %s under another name: both are polled, each with its own schedule and feed_status, "+
			"for what is most likely one document (keep one; the two are not folded, as a server may answer each name differently)\n", record.RedactURL(a[0]), record.RedactURL(a[1]))
	}
}

// warnRefused names the feeds whose address the poller's guard would
// refuse (loopback or a private network allow_networks does not admit):
// the file is valid, but run would poll none of them and say "blocked".
func warnRefused(w io.Writer, cfg config.Config, feeds []feed.Spec) {
	var refused []string
	allow := slices.Clone(cfg.Poller.AllowNetworks)
	guard := cfg.Poller.Guard()
	for _, f := range feeds {
		if feed.RefusedAddress(guard, f.URL) != nil {
			refused = append(refused, "  "+record.RedactURL(f.URL))
			if n := refusedNetwork(f.URL); n != "" && !slices.Contains(allow, n) {
				allow = append(allow, n)
			}
		}
	}
	if len(refused) == 0 {
		return
	}
	fmt.Fprintf(w, "\nwarning: run would refuse %s on a private or loopback address until poller.allow_networks admits it:\n", plural(len(refused), "feed"))
	const show = 5
	for i, r := range refused {
		if i == show {
			fmt.Fprintf(w, "  … and %d more\n", len(refused)-show)
			break
		}
		fmt.Fprintln(w, r)
	}
	// The line to write, so a newcomer serving feed files on 127.0.0.1
	// need not look up the key's syntax; the networks allowed already stay.
	for i, n := range allow {
		if strings.Contains(n, ":") { // an IPv6 network: quoted, as YAML would misread a plain ::1
			allow[i] = strconv.Quote(n)
		}
	}
	them := "them"
	if len(refused) == 1 {
		them = "it"
	}
	fmt.Fprintf(w, "  to poll %s, write under poller:\n    allow_networks: [%s]\n", them, strings.Join(allow, ", "))
}

// refusedNetwork is the one-address network that admits rawURL's host,
// named as RefusedAddress reads it ("localhost" is 127.0.0.1), or "" for
// a host that is no address.
func refusedNetwork(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	return netip.PrefixFrom(a, a.BitLen()).String()
}

// warnTopicReplication warns of output topics replicated less than the
// cluster's shared topics: cluster.replication_factor says the brokers are
// several, and a story topic of replication 1 loses what a lost broker
// held, where the items, state and feed topics survive it.
func warnTopicReplication(w io.Writer, cfg config.Config) {
	rf := cfg.Cluster.ReplicationFactor
	if rf <= 1 {
		return
	}
	kc := cfg.Kafka.WithFormat(cfg.Output.Format)
	var low []string
	for _, t := range record.Types {
		if tc := kc.Topic(t); tc.ReplicationFactor < rf {
			low = append(low, fmt.Sprintf("%s (replication %d)", strings.TrimPrefix(kafka.TopicKey(t), "kafka.topics."), tc.ReplicationFactor))
		}
	}
	if len(low) == 0 {
		return
	}
	fmt.Fprintf(w, "\nwarning: cluster.replication_factor is %d, but the output topics %s are created with less: a broker lost loses the records only it held; set kafka.topics.<name>.replication_factor: %d (and min_insync_replicas: %d) for each\n",
		rf, strings.Join(low, ", "), rf, cfg.Cluster.MinInsyncReplicas)
}

// warnTopicPrefix warns of a kafka.topic_prefix that does not end in a
// separator: it is joined to the topic names as written, and a newcomer's
// "news" made "newsstories", which validate printed without a word.
func warnTopicPrefix(w io.Writer, cfg config.Config) {
	p := cfg.Kafka.TopicPrefix
	if p == "" || strings.ContainsAny(p[len(p)-1:], ".-_") {
		return
	}
	kc := cfg.Kafka.WithFormat(cfg.Output.Format)
	fmt.Fprintf(w, "\nwarning: kafka.topic_prefix %q is put before each topic name as it is: %s, %s, …; end it with \".\" (%q) for %s\n",
		p, kc.TopicName(record.TypeStory), kc.TopicName(record.TypeEvent), p+".", p+"."+strings.TrimPrefix(kc.TopicName(record.TypeStory), p))
}

// warnFeedListIgnored warns of a feed_list the file's role does not
// stamp on its records (feedListIgnored), as run does at start.
func warnFeedListIgnored(w io.Writer, cfg config.Config) {
	if msg := feedListIgnored(cfg, false); msg != "" {
		fmt.Fprintf(w, "\nwarning: %s\n", msg)
	}
}

// warnListeners tries each address run would listen on — listen,
// embedded.addr while the embedded broker would start, websub.listen when
// on — and warns of those it cannot have, with their key: validate said
// "valid" of a listen address a running demo held, and run then stopped at
// "bind: address already in use". checked says whether a key's value is
// one to try (not one the file's problems are about). It is a warning, not
// a problem: validate may run on another machine than run, or beside the
// running instance the file is for, which holds its own addresses.
func warnListeners(w io.Writer, cfg config.Config, try func(string) error, checked func(key string) bool) {
	if try == nil {
		return
	}
	type listener struct{ key, addr string }
	ls := []listener{{"listen", cfg.Listen}}
	if len(cfg.Kafka.Brokers) == 0 && cfg.Role == config.RoleAll {
		ls = append(ls, listener{"embedded.addr", cfg.Embedded.Addr})
	}
	if cfg.WebSub.Enabled {
		ls = append(ls, listener{"websub.listen", cfg.WebSub.Listen})
	}
	var bad []string
	for _, l := range ls {
		if !checked(l.key) {
			continue
		}
		if err := try(l.addr); err != nil {
			var op *net.OpError
			if errors.As(err, &op) && op.Err != nil {
				err = op.Err // without "listen tcp ADDR:", which repeats the address
			}
			bad = append(bad, fmt.Sprintf("  %s %s: %v", l.key, l.addr, err))
		}
	}
	if len(bad) == 0 {
		return
	}
	fmt.Fprintf(w, "\nwarning: run could not listen where this file says, from here (another process holds the address, or it is not this machine's; a wirestream running with this file holds its own until it stops):\n%s\n", strings.Join(bad, "\n"))
}

// stories is plural's "story".
func stories(n int) string {
	if n == 1 {
		return "1 story"
	}
	return fmt.Sprintf("%d stories", n)
}

// plural is "1 partition", "3 partitions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// brokerDialTimeout bounds validate's look at each broker: long enough
// for a broker across a WAN, short enough for a command run by hand.
const brokerDialTimeout = 3 * time.Second

// warnBrokers tries a TCP connection to each of kafka.brokers, all at
// once, and warns of those that refuse it: run, tail and feeds exit at
// start when none answers, and a typo in a broker address was "valid".
// Only a connection is tried — no Kafka request, TLS or SASL — so a
// warning is certain, while no warning promises nothing more. It is a
// warning, not a problem: validate may run where the brokers are not
// reachable (a build host), and the exit code says only whether the file
// is right.
func warnBrokers(ctx context.Context, w io.Writer, brokers []string) {
	if len(brokers) == 0 {
		return
	}
	var down []string
	for i, err := range dialBrokers(ctx, brokers) {
		if err != nil {
			down = append(down, fmt.Sprintf("  %s: %v", brokers[i], err))
		}
	}
	switch {
	case len(down) == 0:
		return
	case len(down) == len(brokers):
		fmt.Fprintf(w, "\nwarning: no Kafka broker of kafka.brokers accepts a connection from here: run, tail and feeds would exit at start:\n")
	default:
		fmt.Fprintf(w, "\nwarning: %d of %d Kafka brokers of kafka.brokers do not accept a connection from here (run asks the others):\n", len(down), len(brokers))
	}
	fmt.Fprintln(w, strings.Join(down, "\n"))
}

// dialBrokers tries a TCP connection to each broker, all at once, within
// brokerDialTimeout, and returns each one's error (nil for one that
// accepts), without the "dial tcp ADDR:" that would repeat its address.
func dialBrokers(ctx context.Context, brokers []string) []error {
	errs := make([]error, len(brokers))
	var wg sync.WaitGroup
	for i, b := range brokers {
		wg.Go(func() {
			d := net.Dialer{Timeout: brokerDialTimeout}
			conn, err := d.DialContext(ctx, "tcp", b)
			if err == nil {
				conn.Close()
			}
			var op *net.OpError
			if errors.As(err, &op) && op.Err != nil {
				err = op.Err
			}
			errs[i] = err
		})
	}
	wg.Wait()
	return errs
}

// warnSecrets names the feeds whose URL holds a secret: a password
// (https://user:secret@host/feed), a token as its user name
// (https://TOKEN@host/feed) or a well-known token parameter (?token=,
// record.RedactURL). The poller sends it, and what it publishes names the
// feed with the secret as xxxxx (records, their keys, feed_status,
// /status, logs, feed_state's keys since round 34), but the feed list
// keeps the URL as written: the file, and the feeds topic's keys once
// pushed — where a header (README, "Feed headers") keeps it out.
func warnSecrets(w io.Writer, feeds []feed.Spec) {
	for _, f := range feeds {
		named := record.RedactURL(f.URL)
		if named == f.URL {
			continue
		}
		if f.Name != "" {
			named += " (" + f.Name + ")"
		}
		fmt.Fprintf(w, "\nwarning: feed %s has a password or token in its URL: records, keys and /status name the feed with it as xxxxx, "+
			"but the feed list keeps the URL as written (this file; the feeds topic's keys once pushed or added there, readable by whoever may read that topic). "+
			"Give the URL without it and the credentials as a header the environment fills in:\n"+
			"    headers:\n      Authorization: \"Basic ${FEED_BASIC_AUTH}\"   # FEED_BASIC_AUTH=$(printf '%%s' 'user:password' | base64)\n"+
			"      # or, for a token: Authorization: \"Bearer ${FEED_TOKEN}\" (or the header the service names)\n", named)
	}
}

// warnAmbiguousWatchNames names each name of spikes.watch that the gazetteer run loads knows
// as more than one entity a story can carry ("IRA": Iran and the Irish Republican Army; not
// "Georgia", whose US state no story is keyed by: OtherKeysOfName): the detector watches the
// one a story's lone mention of the name is given (KeyOfName), which the operator may not
// have meant; the key of each other watches it instead. A warning, not a failure: the entity
// watched is often the one meant. Nothing when names is nil (watchNameReader).
func warnAmbiguousWatchNames(w io.Writer, watch []string, names *entities.Extractor) {
	if names == nil {
		return
	}
	for _, e := range spikes.WatchedEntities(watch, names.KeyOfName) {
		if others := names.OtherKeysOfName(e.Name); len(others) > 0 {
			fmt.Fprintf(w, "\nwarning: spikes.watch: %s names more than one entity the enrichment knows: watched as %s; "+
				"to watch another, write its key in the list instead: %s\n", e.Name, e.Key, strings.Join(others, ", "))
		}
	}
}

// watchNameReader is the recognizer with the gazetteer run loads (enrich.extra_entities
// included), which tells what the names of spikes.watch are watched as; nil when spikes.watch
// is empty or the gazetteer does not load (validate reports the extra file's problem).
func watchNameReader(cfg config.Config) *entities.Extractor {
	if len(cfg.Spikes.Watch) == 0 {
		return nil
	}
	x, err := entities.New(entities.Options{ExtraGazetteer: cfg.Enrich.ExtraEntities})
	if err != nil {
		return nil
	}
	return x
}

// watchedEntities is, for validate's plan, each name of spikes.watch that
// the gazetteer run loads (enrich.extra_entities included) knows, as
// "Britain → place:gb": what the detector watches it as; and each entry
// that is a word only for its case, as "uk (UK would watch place:gb)".
// None when names is nil (watchNameReader: the gazetteer does not
// load, and validate reports the extra file's problem).
func watchedEntities(watch []string, names *entities.Extractor) (named, capitals []string) {
	if names == nil {
		return nil, nil
	}
	for _, e := range spikes.WatchedEntities(watch, names.KeyOfName) {
		named = append(named, e.Name+" → "+e.Key)
	}
	for _, c := range spikes.WordsOfCapitalNames(watch, names.KeyOfName) {
		capitals = append(capitals, fmt.Sprintf("%s (%s would watch %s)", c.Entry, c.Name, c.Key))
	}
	return named, capitals
}
