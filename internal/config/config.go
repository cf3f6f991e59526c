// Package config loads wirestream's one YAML configuration file: strictly
// (an unknown key is an error naming the key and its line), on top of
// defaults for every setting, then applies environment overrides for
// broker addresses and secrets, then validates every section.
//
// Each component owns its settings: the sections below are the Config
// types of the packages that use them, so a setting is documented once,
// next to the code that reads it.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sinks/encode"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/websub"
)

// Config is the whole configuration file.
type Config struct {
	// Role is what this instance does: all (default), fetch or process.
	Role string `yaml:"role"`
	// Instance names this instance in logs, metrics and records; "" is
	// the hostname (see InstanceID).
	Instance string `yaml:"instance"`
	// DataDir holds the state log (seen stories, fingerprints, events, spike
	// baselines, feed validators) in its state/ directory; a processor keeps
	// its changelog's snapshot cache there.
	DataDir string `yaml:"data_dir"`
	// Listen is the address of the HTTP listener for /metrics, /healthz and /readyz.
	Listen string `yaml:"listen"`
	// Pprof serves Go's runtime profiles under /debug/pprof/ on Listen.
	// Off by default: they describe the process's internals.
	Pprof bool `yaml:"pprof"`
	// ShutdownTimeout bounds the drain of in-flight writes on SIGINT/SIGTERM.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	Log             LogConfig     `yaml:"log"`
	// Embedded is the in-memory development broker started when kafka.brokers is empty.
	Embedded EmbeddedConfig `yaml:"embedded"`

	Feeds []feed.Spec `yaml:"feeds"`
	// OPML lists OPML files whose feeds are polled too (paths relative to this file).
	OPML []string `yaml:"opml"`
	// FeedList names the feeds of this file (and of its OPML files) on
	// the feed_status records a `run` of it publishes (feed_list), so that
	// `feeds status --config` with a copy of the file on another machine
	// compares them with it; "" names them by the file's absolute path,
	// which only the same machine's file matches.
	FeedList string `yaml:"feed_list"`

	Poller    feed.Config      `yaml:"poller"`
	Normalize normalize.Config `yaml:"normalize"`
	Dedupe    dedupe.Config    `yaml:"dedupe"`
	State     state.Config     `yaml:"state"`
	Enrich    enrich.Config    `yaml:"enrich"`
	Events    events.Config    `yaml:"events"`
	Spikes    spikes.Config    `yaml:"spikes"`
	Pipeline  pipeline.Config  `yaml:"pipeline"`
	Kafka     kafka.Config     `yaml:"kafka"`
	// Output is how story records are written: native or IPTC ninjs.
	Output encode.Config `yaml:"output"`
	// WebSub is push from the hubs feeds announce (off by default).
	WebSub  websub.Config `yaml:"websub"`
	Cluster ClusterConfig `yaml:"cluster"`
	// Runtime is the Go garbage collector's setting (GOGC, GOMEMLIMIT).
	Runtime RuntimeConfig `yaml:"runtime"`

	// path is where the file was read from, to resolve relative paths.
	path string
	// lines are the lines of the file's keys, for messages that say where.
	lines keyLines
	// typeErrs are the keys whose value in the file was refused for its
	// type: validation says nothing more of them.
	typeErrs []string
	// editor translates YAML's line numbers into an editor's, and
	// notes the lines YAML reads as several.
	editor editorLines
	// setBy names what set a key's value instead of the file: an
	// environment variable or a flag.
	setBy map[string]string
}

// LogConfig selects the log format and level.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text, json; "" = text on a terminal, json otherwise
	// ProgressInterval is how often run logs its progress line (polls,
	// items, records in the interval; internal/runprogress); 0 is off.
	ProgressInterval time.Duration `yaml:"progress_interval"`
}

// RuntimeConfig sets the Go garbage collector at start-up, unless the
// environment sets it (GOGC, GOMEMLIMIT win: they are the runtime's own
// knobs). Collecting less often trades memory for CPU: over ≈ 100
// interleaved runs (BENCHMARKS.md, round 26, perf26) `process` spent
// ≈ 3–9 % less CPU per item with 200–400 than with Go's 100, at up to
// 1.4× the peak RSS; a daemon's heap is its remembered state, which a
// higher setting lets grow to (1 + GCPercent/100) times the live heap.
type RuntimeConfig struct {
	// GCPercent is GOGC: the heap's growth over the live heap, in percent,
	// before the next collection. 0 takes the command's default (run:
	// Go's 100; process, a batch whose heap is mostly its own garbage:
	// 400); -1 is off (then MemoryLimitMiB should bound the heap).
	GCPercent int `yaml:"gc_percent"`
	// MemoryLimitMiB is GOMEMLIMIT in MiB: a soft limit on the Go
	// runtime's memory that makes the collector run more often near it,
	// whatever GCPercent says. 0 is 90 % of the container's cgroup memory
	// limit when there is one (internal/gcsetting.Apply); with no
	// container limit, GCPercent 0 and neither GOGC nor GOMEMLIMIT set, a
	// limit that follows the live heap (a quarter over it, re-set after
	// each collection, never under 512 MiB: internal/softlimit); else
	// none. Otherwise 32 MiB to 1 TiB (MinMemoryLimitMiB,
	// MaxMemoryLimitMiB).
	MemoryLimitMiB int64 `yaml:"memory_limit_mib"`
	// HeapHeadroomPercent is the headroom that followed limit keeps over
	// the live heap, in percent of it: 0 is a quarter (25). Lower collects
	// more often for a lower peak RSS (10k feeds over 1M remembered
	// stories: ≈ 6.6 MB of peak a percent, BENCHMARKS.md round 40); it
	// changes nothing when a limit is set or GOGC is (then nothing follows
	// the live heap).
	HeapHeadroomPercent int `yaml:"heap_headroom_percent"`
}

// The bounds of runtime.memory_limit_mib other than 0. A soft limit
// under what the process holds before its first story keeps the
// collector running without pause (Go caps it at about half the CPU):
// `run --demo` of 8 feeds holds 13 MB live in a 22 MB heap (BENCHMARKS.md,
// round 46, rss46), so anything under 32 MiB is a slip, most likely GiB
// meant. Past a tebibyte the value is a size in bytes written for MiB.
const (
	MinMemoryLimitMiB = 32
	MaxMemoryLimitMiB = 1 << 20
)

// EmbeddedConfig configures the in-process development broker.
type EmbeddedConfig struct {
	Addr string `yaml:"addr"`
}

// Default returns the configuration used when a key is absent.
func Default() Config {
	return Config{
		Role:            RoleAll,
		DataDir:         "data",
		Listen:          ":9464",
		ShutdownTimeout: 30 * time.Second,
		Log:             LogConfig{Level: "info", ProgressInterval: time.Minute},
		Embedded:        EmbeddedConfig{Addr: "127.0.0.1:9092"},
		Poller:          feed.DefaultConfig(),
		Normalize:       normalize.DefaultConfig(),
		Dedupe:          dedupe.DefaultConfig(),
		State:           state.DefaultConfig(),
		Enrich:          enrich.DefaultConfig(),
		Events:          events.DefaultConfig(),
		Spikes:          spikes.DefaultConfig(),
		Pipeline:        pipeline.DefaultConfig(),
		Kafka:           kafka.DefaultConfig(),
		Output:          encode.DefaultConfig(),
		WebSub:          websub.DefaultConfig(),
		Cluster:         DefaultCluster(),
	}
}

// Load reads, checks and validates the file at path. An empty path gives
// the defaults (with environment overrides), which run the embedded broker.
// A bad file gives a *FileError listing every problem, each with its line.
func Load(path string, getenv func(string) string) (Config, error) {
	if path == "" {
		c := Default()
		return c, c.finish(getenv, nil)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w%s", err, missingFileHint(path, err))
	}
	c, err := Parse(data, getenv)
	c.path = path
	return c, c.inFile(err)
}

// missingFileHint names the YAML file beside a --config that is not there
// that it most likely meant ("wirestream.yml" for "wirestream.yaml"), or
// the YAML files there when they are few: a mistyped name said only "no
// such file or directory" (round 31). "" for any other error.
func missingFileHint(path string, err error) string {
	if !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	dir := filepath.Dir(path)
	var names []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range m {
			names = append(names, filepath.Base(f))
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	if near := editdist.Closest(filepath.Base(path), names, 4); near != "" {
		return fmt.Sprintf(" (did you mean %s?)", filepath.Join(dir, near))
	}
	if len(names) <= 5 {
		return fmt.Sprintf(" (the YAML files in %s: %s)", dir, strings.Join(names, ", "))
	}
	return ""
}

// inFile names the file in err: Problems become a *FileError.
func (c *Config) inFile(err error) error {
	var ps Problems
	switch {
	case err == nil || c.path == "":
		return err
	case errors.As(err, &ps):
		return &FileError{Path: c.path, Problems: ps}
	}
	return fmt.Errorf("%s: %w", c.path, err)
}

// Parse decodes a configuration document on top of the defaults and
// validates it. It reports every problem it can find in one go, as
// Problems: unknown keys, values of the wrong type, and bad values, each
// with its line. Only a document that is not YAML at all stops at the
// first error.
func Parse(data []byte, getenv func(string) string) (Config, error) {
	c := Default()
	c.editor = newEditorLines(data)
	if p, ok := markupProblem(data); ok {
		return c, c.editor.explain(Problems{p})
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return c, c.editor.explain(Problems{syntaxProblem(data, err)})
	}
	if root.Kind == 0 { // empty file: all defaults
		return c, c.finish(getenv, nil)
	}
	c.editor.renumber(&root)
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 && root.Content[0].Kind != yaml.MappingNode {
		return c, c.editor.explain(Problems{{Line: root.Content[0].Line, Msg: "the configuration must be a mapping of keys, got " + kindName(root.Content[0])}})
	}
	if p, ok := foreignDocument(&root); ok {
		return c, c.editor.explain(Problems{p})
	}
	c.lines = linesOf(&root)
	brokersAsList(&root)
	var found Problems
	checkKeys(&root, reflect.TypeOf(c), "", func(e *KeyError) {
		found = append(found, Problem{Line: e.Line, Msg: e.msg()})
	})
	zeroDurations(&root, reflect.TypeOf(c))
	// Unknown keys are reported above, with the key's path; decoding goes
	// on past them and past values of the wrong type (yaml.v3 decodes what
	// it can and lists the rest), so one run shows every problem.
	if err := root.Decode(&c); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return c, append(found, yamlProblem(cleanYAMLError(err).Error()))
		}
		for _, e := range te.Errors {
			p := typeProblem(&root, e)
			found = append(found, p)
			if m := keyPrefix.FindStringSubmatch(p.Msg); m != nil {
				c.typeErrs = append(c.typeErrs, m[1])
			}
		}
	}
	return c, c.finish(getenv, found)
}

// brokersAsList reads "kafka.brokers: host:port" (one broker, or several
// comma-separated, as WIRESTREAM_KAFKA_BROKERS takes them) as the list it
// means: a plain string there was refused with "want a list", the one
// type error a newcomer's file was sure to meet. A blank string is the
// empty list, as `instance: ""` is no instance: no brokers, judged as
// when the key is left out.
func brokersAsList(root *yaml.Node) {
	top := root
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = top.Content[0]
	}
	kafka := mappingValue(top, "kafka")
	if kafka == nil {
		return
	}
	b := mappingValue(kafka, "brokers")
	if b == nil || b.Kind != yaml.ScalarNode || b.Tag != "!!str" {
		return
	}
	items := make([]*yaml.Node, 0, 1)
	for _, s := range SplitList(b.Value) {
		items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: b.Line, Column: b.Column})
	}
	*b = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: items, Line: b.Line, Column: b.Column}
}

// mappingValue is the value of key in mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (c *Config) finish(getenv func(string) string, found Problems) error {
	c.applyEnv(getenv)
	for _, p := range c.problemsOf(c.Validate()) {
		if !c.afterTypeError(p) {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		return nil
	}
	return c.editor.explain(sortProblems(found))
}

// envOverrides are the settings the environment may override, so broker
// addresses and secrets never have to be written into the file: the key,
// the variable and how its value applies.
var envOverrides = []struct {
	key, env string
	apply    func(c *Config, v string)
}{
	{"kafka.brokers", "WIRESTREAM_KAFKA_BROKERS", func(c *Config, v string) { c.Kafka.Brokers = SplitList(v) }},
	{"kafka.sasl.username", kafka.UsernameEnv, func(c *Config, v string) { c.Kafka.SASL.Username = v }},
	{"kafka.sasl.password", kafka.PasswordEnv, func(c *Config, v string) { c.Kafka.SASL.Password = v }},
	{"data_dir", "WIRESTREAM_DATA_DIR", func(c *Config, v string) { c.DataDir = v }},
	{"listen", "WIRESTREAM_LISTEN", func(c *Config, v string) { c.Listen = v }},
	{"role", "WIRESTREAM_ROLE", func(c *Config, v string) { c.Role = v }},
	{"instance", "WIRESTREAM_INSTANCE", func(c *Config, v string) { c.Instance = v }},
}

// EnvVars are the environment variables the configuration reads
// (envOverrides), in their order.
func EnvVars() []string {
	names := make([]string, len(envOverrides))
	for i, o := range envOverrides {
		names[i] = o.env
	}
	return names
}

// applyEnv applies the environment's overrides (envOverrides).
func (c *Config) applyEnv(getenv func(string) string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, o := range envOverrides {
		if v := getenv(o.env); v != "" {
			o.apply(c, v)
			c.SetFrom(o.key, o.env)
		}
	}
}

// SetBy names what set key's value instead of the file (an environment
// variable such as "WIRESTREAM_LISTEN", or a flag given to SetFrom);
// "" when the file or the default did.
func (c *Config) SetBy(key string) string { return c.setBy[key] }

// SetFrom records that source (a flag, "--listen") set key, so a problem
// with the value is blamed on it rather than on the file.
func (c *Config) SetFrom(key, source string) {
	if c.setBy == nil {
		c.setBy = map[string]string{}
	}
	c.setBy[key] = source
}

// Check validates c again after a caller changed it (flags), returning
// every problem like Load does.
func (c *Config) Check() error {
	if err := c.Validate(); err != nil {
		return c.inFile(c.editor.explain(sortProblems(c.problemsOf(err))))
	}
	return nil
}

// Validate checks every section and returns all problems at once, each
// message starting with the key it is about.
func (c *Config) Validate() error {
	var errs []error
	add := func(section string, err error) {
		for _, e := range errorsOf(err) {
			errs = append(errs, prefixed(section, e))
		}
	}
	if err := validRole(c.Role); err != nil {
		errs = append(errs, err)
	}
	if err := validInstance(c.Instance); err != nil {
		errs = append(errs, err)
	}
	if err := validFeedList(c.FeedList); err != nil {
		errs = append(errs, err)
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir: must not be empty"))
	}
	add("listen", checkListenAddr(c.Listen))
	add("embedded.addr", checkListenAddr(c.Embedded.Addr))
	if c.Runtime.GCPercent < -1 {
		errs = append(errs, fmt.Errorf("runtime.gc_percent: must be -1 (off), 0 (the command's default) or a percentage > 0, got %d", c.Runtime.GCPercent))
	}
	switch m := c.Runtime.MemoryLimitMiB; {
	case m < 0:
		errs = append(errs, fmt.Errorf("runtime.memory_limit_mib: must be 0 (none) or a size in MiB, got %d", m))
	case m > 0 && m < MinMemoryLimitMiB:
		errs = append(errs, fmt.Errorf("runtime.memory_limit_mib: must be 0 (none) or at least %d MiB: under what run holds before its first story (8 demo feeds: 13 MB live, 22 MB of heap) the collector runs without pause; a size in GiB is written ×1024, got %d", MinMemoryLimitMiB, m))
	case m > MaxMemoryLimitMiB:
		errs = append(errs, fmt.Errorf("runtime.memory_limit_mib: is in MiB, at most %d (1 TiB): %d reads as bytes (%d MiB is written %d)", MaxMemoryLimitMiB, m, m>>20, m>>20))
	}
	if c.Runtime.HeapHeadroomPercent < 0 || c.Runtime.HeapHeadroomPercent > 1000 {
		errs = append(errs, fmt.Errorf("runtime.heap_headroom_percent: must be 0 (a quarter: 25) or a percentage from 1 to 1000, got %d", c.Runtime.HeapHeadroomPercent))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("shutdown_timeout: must be > 0, got %s", c.ShutdownTimeout))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level: must be one of debug, info, warn, error, got %q", c.Log.Level))
	}
	switch c.Log.Format {
	case "", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log.format: must be text or json, got %q", c.Log.Format))
	}
	if d := c.Log.ProgressInterval; d != 0 && d < time.Second {
		// Under a second is a line per poll on a busy run: the noise the
		// line is meant to spare.
		errs = append(errs, fmt.Errorf("log.progress_interval: must be 0s (off) or at least 1s, got %s", d))
	}
	seen := map[string]int{}
	for i, f := range c.Feeds {
		if err := f.Validate(); err != nil {
			// The feed's own messages name it by URL; by index is what
			// finds it in the file.
			msg := strings.ReplaceAll(err.Error(), "feeds["+f.URL+"]", fmt.Sprintf("feeds[%d]", i))
			errs = append(errs, errors.New(msg))
			continue
		}
		if err := c.Poller.BelowFloor(f); err != nil {
			for _, e := range errorsOf(err) {
				errs = append(errs, errors.New(strings.ReplaceAll(e.Error(), "feeds["+f.URL+"]", fmt.Sprintf("feeds[%d]", i))))
			}
		}
		key := feed.RequestKey(f.URL)
		if j, dup := seen[key]; dup {
			also := ""
			if c.Feeds[j].URL != f.URL {
				also = fmt.Sprintf(" (%q)", record.RedactURL(c.Feeds[j].URL))
			}
			// Said as every feed URL is, its password as xxxxx: the
			// index finds the line.
			errs = append(errs, fmt.Errorf("feeds[%d]: url %q is already listed as feeds[%d]%s", i, record.RedactURL(f.URL), j, also))
			continue
		}
		seen[key] = i
	}
	// Fingerprints must live as long as the window they are searched in;
	// one setting (dedupe.window) decides both unless they are set alike.
	if c.Dedupe.Window > 0 && c.State.FingerprintTTL != c.Dedupe.Window {
		if c.State.FingerprintTTL != state.DefaultConfig().FingerprintTTL {
			errs = append(errs, fmt.Errorf("state.fingerprint_ttl: must equal dedupe.window (%s), got %s; set dedupe.window only", c.Dedupe.Window, c.State.FingerprintTTL))
		}
		c.State.FingerprintTTL = c.Dedupe.Window
	}
	add("poller", c.Poller.Validate())
	add("normalize", c.Normalize.Validate())
	add("dedupe", c.Dedupe.Validate())
	add("state", c.State.Validate())
	add("enrich", c.Enrich.Validate())
	add("events", c.Events.Validate())
	add("spikes", c.Spikes.Validate())
	add("pipeline", c.Pipeline.Validate())
	add("kafka", c.Kafka.Validate())
	if err := c.checkEventsRetention(); err != nil {
		errs = append(errs, err)
	}
	add("output", c.Output.Validate())
	add("websub", c.WebSub.Validate())
	add("cluster", c.Cluster.Validate())
	return errors.Join(errs...)
}

// LongestQuietEvent is the longest a live event goes without a record of its own on
// the events topic while a processor runs: every change writes one; an event is
// closed (its expired record) once idle for events.expiry on the event clock, which
// a maintenance tick (every pipeline.maintenance_interval) keeps at most
// pipeline.lateness behind the wall clock; and its newest story's time, from which
// the idleness counts, lies at most normalize.future_skew past the wall clock when
// its record was written. Merges and capacity close an event sooner.
func (c *Config) LongestQuietEvent() time.Duration {
	return c.Events.Expiry + c.Pipeline.Lateness + c.Normalize.FutureSkew + c.Pipeline.MaintenanceInterval
}

// checkEventsRetention refuses an events topic that deletes (compact,delete) sooner
// than LongestQuietEvent: Kafka would delete a live event's key, and a consumer
// reading the topic from the start would miss it until it expired.
func (c *Config) checkEventsRetention() error {
	tc := c.Kafka.Topics.Events
	if !strings.Contains(tc.CleanupPolicy, "delete") || tc.Retention <= 0 {
		return nil // compact alone keeps every key; retention 0 is kafka's own error
	}
	if q := c.LongestQuietEvent(); tc.Retention < q {
		return fmt.Errorf("kafka.topics.events.retention: must be at least %s with cleanup_policy %q, the longest a live event goes without a record "+
			"(events.expiry + pipeline.lateness + normalize.future_skew + pipeline.maintenance_interval), or Kafka deletes live events; got %s",
			q, tc.CleanupPolicy, tc.Retention)
	}
	return nil
}

// Resolve returns a path from the file relative to the file's directory.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || c.path == "" {
		return p
	}
	return filepath.Join(filepath.Dir(c.path), p)
}

// Path is the file the configuration was read from ("" for defaults).
func (c *Config) Path() string { return c.path }

// AllFeeds returns the feeds of the file plus those of its OPML files,
// de-duplicated by URL (the file's own entry wins).
func (c *Config) AllFeeds() ([]feed.Spec, error) {
	out := append([]feed.Spec(nil), c.Feeds...)
	seen := map[string]bool{}
	for _, f := range out {
		seen[feed.RequestKey(f.URL)] = true
	}
	for _, p := range c.OPML {
		path := c.Resolve(p)
		fh, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("opml: %w", err)
		}
		specs, err := feed.ParseOPML(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("opml %s: %w", path, err)
		}
		for _, s := range specs {
			if key := feed.RequestKey(s.URL); !seen[key] {
				seen[key] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// OPMLListing names the files under opml: (as the configuration writes
// them) that list the feed url requests, under any spelling of its URL;
// the configuration's own feeds: are not looked at. `run` polls such a
// feed whatever feeds: says.
func (c *Config) OPMLListing(url string) ([]string, error) {
	key := feed.RequestKey(url)
	var out []string
	for _, p := range c.OPML {
		fh, err := os.Open(c.Resolve(p))
		if err != nil {
			return out, fmt.Errorf("opml: %w", err)
		}
		specs, err := feed.ParseOPML(fh)
		fh.Close()
		if err != nil {
			return out, fmt.Errorf("opml %s: %w", c.Resolve(p), err)
		}
		for _, s := range specs {
			if feed.RequestKey(s.URL) == key {
				out = append(out, p)
				break
			}
		}
	}
	return out, nil
}

// checkListenAddr accepts what net.Listen("tcp", addr) accepts: a
// host:port whose host may be empty (every interface) and whose port is a
// number or a service name, so that `validate` rejects what `run` would.
func checkListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			err = errors.New(ae.Err)
		}
		if _, perr := strconv.ParseUint(addr, 10, 16); perr == nil {
			// A port alone, as other tools take it: net.Listen wants its colon.
			return fmt.Errorf(": want host:port, got %q, a port alone: did you mean \":%s\" (every interface) or \"127.0.0.1:%s\" (this machine only)?", addr, addr, addr)
		}
		return fmt.Errorf(": want host:port such as \":9464\" or \"127.0.0.1:9464\", got %q: %w", addr, err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf(": port %q of %q is not a number from 0 to 65535", port, addr)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf(": host %q of %q is not a host name or IP address", host, addr)
	}
	return nil
}

func prefixed(section string, err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, section+".") || strings.HasPrefix(msg, section+":") || strings.HasPrefix(msg, section+"[") {
		return err
	}
	if strings.HasPrefix(msg, ":") {
		return fmt.Errorf("%s%w", section, err)
	}
	return fmt.Errorf("%s.%w", section, err)
}

// SplitList splits a comma-separated list (of brokers, from the
// environment, a flag or a plain string in the file), each item trimmed.
// An empty item before another stays where it was written, for
// validation to name: had it been dropped, "a:1,,b" would have made "b"
// item 1 and a problem with it blamed on the item before, while the empty
// one went unsaid. Empty items at the end (a trailing comma) move no
// other item and are dropped, so a value of blanks only is the empty
// list, as an empty value is.
func SplitList(v string) []string {
	out := strings.Split(v, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "something else"
}

// cleanYAMLError drops yaml.v3's "yaml: unmarshal errors:" preamble and
// Go type names so the message reads in the user's terms.
func cleanYAMLError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimSpace(msg)
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	msg = strings.ReplaceAll(msg, "time.Duration", "a duration such as 90s or 10m")
	return errors.New(msg)
}

// markupProblem says what a document that starts with "<" is: a feed or
// an OPML file given as --config, which yaml.v3 refused at the first
// colon in its text ("mapping values are not allowed in this context") or
// read as one string. No configuration key starts with "<".
func markupProblem(data []byte) (Problem, bool) {
	rest := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	if !bytes.HasPrefix(rest, []byte("<")) {
		return Problem{}, false
	}
	line := bytes.Count(data[:len(data)-len(rest)], []byte("\n")) + 1
	return Problem{Line: line, Msg: `this is XML or HTML (it starts with "<"), not a YAML configuration: ` +
		`"wirestream process FILE" reads a feed file, and "opml: [FILE]" in a configuration polls an OPML file's feeds`}, true
}
