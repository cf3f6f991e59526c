package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/mattn/go-isatty"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

func schemaVersion() string { return record.SchemaVersion }

// commonFlags are the flags every long-running command shares.
type commonFlags struct {
	config    string
	logFormat string
	logLevel  string
	brokers   string
	dataDir   string
}

// newCommonFlagSet is newFlagSet with the flags every config-reading
// command shares already registered; withKafka adds --brokers and
// --data-dir (run, validate).
func newCommonFlagSet(c *command, env *cliEnv, withKafka bool) (*flag.FlagSet, *commonFlags) {
	fs := newFlagSet(c, env)
	common := &commonFlags{}
	common.register(fs, withKafka, withKafka)
	return fs, common
}

// newReaderFlagSet is newCommonFlagSet for a command that reads or edits
// Kafka and keeps no state (tail, feeds status, the feed list in Kafka,
// status): --brokers, and a --data-dir that its help does not list and
// that only warns, on stderr, that it is ignored. Before round 29 these
// commands listed it and ignored it silently; round 29 refused it (exit
// 2), which broke scripts that passed it everywhere: for a release it is
// accepted with the warning.
func newReaderFlagSet(c *command, env *cliEnv) (*flag.FlagSet, *commonFlags) {
	fs := newFlagSet(c, env)
	common := &commonFlags{}
	common.register(fs, true, false)
	fs.Var(ignoredFlag{cmd: c.name, w: env.stderr}, "data-dir", "ignored: this command keeps no state")
	return fs, common
}

// ignoredFlag is a flag a command accepts only to say that it ignores it;
// printHelp leaves it out.
type ignoredFlag struct {
	cmd string
	w   io.Writer
}

func (f ignoredFlag) String() string { return "" }

func (f ignoredFlag) Set(string) error {
	fmt.Fprintf(f.w, "wirestream %s: --data-dir is ignored by %s: it keeps no state\n", f.cmd, f.cmd)
	return nil
}

func (f *commonFlags) register(fs *flag.FlagSet, withKafka, withDataDir bool) {
	fs.StringVar(&f.config, "config", "", "configuration `file` (YAML); without one, every setting has its default")
	fs.StringVar(&f.logFormat, "log-format", "", "log format: text or json (default: text on a terminal, json otherwise)")
	fs.StringVar(&f.logLevel, "log-level", "", "log level: debug, info, warn, error (overrides log.level)")
	if withKafka {
		fs.StringVar(&f.brokers, "brokers", "", "comma-separated Kafka `addresses` (overrides kafka.brokers and WIRESTREAM_KAFKA_BROKERS; given empty, it overrides nothing; with brokers set nowhere, the embedded dev broker)")
	}
	if withDataDir {
		fs.StringVar(&f.dataDir, "data-dir", "", "state `directory` (overrides data_dir)")
	}
}

// load reads the configuration and applies flag overrides, which win over
// the environment, which wins over the file. On a bad file it returns
// what it read with every problem (a *config.FileError).
// The flags are applied to a bad file's values too, so that what validate
// warns of beside the problems (brokers that do not answer) is what the
// command line asked for.
func (f *commonFlags) load(env *cliEnv) (config.Config, error) {
	cfg, err := config.Load(f.config, env.getenv)
	if err != nil && !errors.As(err, new(*config.FileError)) {
		return cfg, err // not read at all
	}
	if f.brokers != "" {
		cfg.Kafka.Brokers = config.SplitList(f.brokers)
		cfg.SetFrom("kafka.brokers", "--brokers")
	}
	if f.dataDir != "" {
		cfg.DataDir = f.dataDir
		cfg.SetFrom("data_dir", "--data-dir")
	}
	if f.logFormat != "" {
		cfg.Log.Format = f.logFormat
		cfg.SetFrom("log.format", "--log-format")
	}
	if f.logLevel != "" {
		cfg.Log.Level = f.logLevel
		cfg.SetFrom("log.level", "--log-level")
	}
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Check()
}

// lookupEnv is env's environment as os.LookupEnv reads it (an empty
// value counts as unset, as getenv cannot tell them apart).
func (env *cliEnv) lookupEnv(k string) (string, bool) {
	v := env.getenv(k)
	return v, v != ""
}

// newLogger logs text to a terminal and JSON otherwise (or as configured).
func newLogger(w io.Writer, lc config.LogConfig) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(lc.Level))
	opts := &slog.HandlerOptions{Level: level}
	format := lc.Format
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	opts.ReplaceAttr = durationText
	return slog.New(slog.NewJSONHandler(w, opts))
}

// durationText writes a time.Duration the way the text log, the config
// and the rest of the JSON log (where a duration was formatted before
// logging) do: "53s", not slog's 53000000000 nanoseconds, which a reader
// of "retry_in":53000000000 had to count the zeros of.
func durationText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

// readEmbeddedIfNone points a reader of the topics (tail, feeds status)
// at the embedded broker of a running `wirestream run` when no brokers
// are configured, and says whether it did.
func readEmbeddedIfNone(cfg *config.Config) bool {
	if len(cfg.Kafka.Brokers) > 0 {
		return false
	}
	cfg.Kafka.Brokers = []string{cfg.Embedded.Addr}
	return true
}
