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
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sinks/encode"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/websub"
)

// Config is the whole configuration file.
type Config struct {
	// DataDir holds the durable state (seen stories, fingerprints, feed validators).
	DataDir string `yaml:"data_dir"`
	// Listen is the address of the HTTP listener for /metrics, /healthz and /readyz.
	Listen string `yaml:"listen"`
	// ShutdownTimeout bounds the drain of in-flight writes on SIGINT/SIGTERM.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	Log             LogConfig     `yaml:"log"`
	// Embedded is the in-memory development broker started when kafka.brokers is empty.
	Embedded EmbeddedConfig `yaml:"embedded"`

	Feeds []feed.Spec `yaml:"feeds"`
	// OPML lists OPML files whose feeds are polled too (paths relative to this file).
	OPML []string `yaml:"opml"`

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
	WebSub websub.Config `yaml:"websub"`

	// path is where the file was read from, to resolve relative paths.
	path string
}

// LogConfig selects the log format and level.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text, json; "" = text on a terminal, json otherwise
}

// EmbeddedConfig configures the in-process development broker.
type EmbeddedConfig struct {
	Addr string `yaml:"addr"`
}

// Default returns the configuration used when a key is absent.
func Default() Config {
	return Config{
		DataDir:         "data",
		Listen:          ":9464",
		ShutdownTimeout: 30 * time.Second,
		Log:             LogConfig{Level: "info"},
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
	}
}

// Load reads, checks and validates the file at path. An empty path gives
// the defaults (with environment overrides), which run the embedded broker.
func Load(path string, getenv func(string) string) (Config, error) {
	if path == "" {
		c := Default()
		if err := c.applyEnv(getenv); err != nil {
			return c, err
		}
		return c, c.Validate()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(data, getenv)
	if err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	c.path = path
	return c, nil
}

// Parse decodes a configuration document on top of the defaults.
func Parse(data []byte, getenv func(string) string) (Config, error) {
	c := Default()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return c, cleanYAMLError(err)
	}
	if root.Kind == 0 { // empty file: all defaults
		return c, c.finish(getenv)
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 && root.Content[0].Kind != yaml.MappingNode {
		return c, fmt.Errorf("line %d: the configuration must be a mapping of keys, got %s", root.Content[0].Line, kindName(root.Content[0]))
	}
	if err := checkKeys(&root, reflect.TypeOf(c), ""); err != nil {
		return c, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, cleanYAMLError(err)
	}
	return c, c.finish(getenv)
}

func (c *Config) finish(getenv func(string) string) error {
	if err := c.applyEnv(getenv); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return nil
}

// applyEnv lets the environment override broker addresses and secrets, so
// they never have to be written into the file.
func (c *Config) applyEnv(getenv func(string) string) error {
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := getenv("WIRESTREAM_KAFKA_BROKERS"); v != "" {
		c.Kafka.Brokers = SplitList(v)
	}
	if v := getenv("WIRESTREAM_KAFKA_SASL_USERNAME"); v != "" {
		c.Kafka.SASL.Username = v
	}
	if v := getenv("WIRESTREAM_KAFKA_SASL_PASSWORD"); v != "" {
		c.Kafka.SASL.Password = v
	}
	if v := getenv("WIRESTREAM_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	if v := getenv("WIRESTREAM_LISTEN"); v != "" {
		c.Listen = v
	}
	return nil
}

// Validate checks every section and returns all problems at once.
func (c *Config) Validate() error {
	var errs []error
	add := func(section string, err error) {
		if err != nil {
			errs = append(errs, prefixed(section, err))
		}
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir: must not be empty"))
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
	seen := map[string]int{}
	for i, f := range c.Feeds {
		if err := f.Validate(); err != nil {
			// The feed's own messages name it by URL; by index is what
			// finds it in the file.
			msg := strings.ReplaceAll(err.Error(), "feeds["+f.URL+"]", fmt.Sprintf("feeds[%d]", i))
			errs = append(errs, errors.New(msg))
			continue
		}
		if j, dup := seen[f.URL]; dup {
			errs = append(errs, fmt.Errorf("feeds[%d]: url %q is already listed as feeds[%d]", i, f.URL, j))
		}
		seen[f.URL] = i
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
	add("output", c.Output.Validate())
	add("websub", c.WebSub.Validate())
	return errors.Join(errs...)
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
		seen[f.URL] = true
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
			if !seen[s.URL] {
				seen[s.URL] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}

func prefixed(section string, err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, section+".") || strings.HasPrefix(msg, section+":") || strings.HasPrefix(msg, section+"[") {
		return err
	}
	return fmt.Errorf("%s.%w", section, err)
}

// SplitList splits a comma-separated list (of brokers, from the
// environment or a flag), dropping blanks.
func SplitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
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
