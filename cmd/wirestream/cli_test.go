package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/devkafka"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// runCLI runs the binary's dispatch in-process with captured output.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnv(t, nil, stdin, args...)
}

// validateOutput is validate's output for a configuration file holding yaml; the test fails
// unless validate exits 0 (a valid file, its warnings in the output).
func validateOutput(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "validate", "--config", path)
	if code != 0 {
		t.Fatalf("validate exited %d: %s", code, stderr)
	}
	return out
}

// runCLIEnv is runCLI with the environment variables vars (and no others).
func runCLIEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] },
		environ: func() []string {
			var kv []string
			for k, v := range vars {
				kv = append(kv, k+"="+v)
			}
			return kv
		}}
	code = dispatch(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

// Help that was asked for goes to stdout (so `| less` works) with exit 0;
// the usage printed for a mistake goes to stderr with exit 2.
func TestEveryCommandHasHelpWithAnExampleOnStdout(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", c.name, "--help")
			if code != 0 || stderr != "" {
				t.Errorf("%s --help exited %d with stderr %q, want 0 and nothing on stderr", c.name, code, stderr)
			}
			if !strings.Contains(stdout, "Example") || !strings.Contains(stdout, "wirestream "+c.name) || !strings.Contains(stdout, "Flags:") {
				t.Errorf("%s --help lacks an example or its flags on stdout:\n%s", c.name, stdout)
			}
			// The flags are listed as declared: help printed while they were
			// wrapped to refuse a repeat ended every flag's line with "panic
			// calling String method on zero main.onceValue".
			if strings.Contains(stdout, "panic") || strings.Contains(stdout, "onceValue") {
				t.Errorf("%s --help shows an internal failure:\n%s", c.name, stdout)
			}
		})
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "Commands:") {
			t.Errorf("wirestream %s = exit %d, stdout %q, stderr %q; want the usage on stdout, exit 0", args[0], code, stdout, stderr)
		}
	}
	code, stdout, stderr := runCLI(t, "")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Commands:") {
		t.Errorf("wirestream without a command = exit %d, stdout %q; want the usage on stderr, exit 2", code, stdout)
	}
	// A bad flag is reported once, without the whole usage.
	code, stdout, stderr = runCLI(t, "", "validate", "--colour")
	if code != 2 || stdout != "" || strings.Count(stderr, "-colour") != 1 || strings.Contains(stderr, "Flags:") {
		t.Errorf("a bad flag: exit %d, stdout %q, stderr %q; want one line naming it and a pointer to --help", code, stdout, stderr)
	}
}

func TestUsageMistakesExitTwo(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Commands:"},
		{"an unknown command", []string{"serve"}, `unknown command "serve"`},
		{"an unknown flag", []string{"validate", "--colour"}, "flag provided but not defined: -colour"},
		// The record types are named, so the first try need not be --help.
		{"tail without a topic", []string{"tail"}, "want exactly one TOPIC (story, duplicate, event, alert, feed_status or dead_letter), got 0 arguments"},
		{"tail with two topics", []string{"tail", "story", "event"}, "want exactly one TOPIC (story, duplicate, event, alert, feed_status or dead_letter), got 2 arguments: story event"},
		{"feeds with an unknown subcommand", []string{"feeds", "sync"}, "want: feeds import"},
		// Every subcommand is named, status included, so none is found only by --help.
		{"feeds alone", []string{"feeds"}, "feeds status|push|add|remove|list"},
		{"feeds add without a URL", []string{"feeds", "add", "--tag", "world"}, "want: feeds add --config FILE URL"},
		{"feeds push without a config", []string{"feeds", "push"}, "--config is required"},
		// The URL typed is named as typed, not as a config's feeds[...] key.
		{"feeds add of a URL without a scheme", []string{"feeds", "add", "--config", "unused.yaml", "localhost:8000/rss"},
			`wirestream feeds add: url "localhost:8000/rss": has no scheme: want an absolute URL such as "http://localhost:8000/rss"`},
		{"eval of nothing known", []string{"eval", "--data", ".", "speed"}, `unknown evaluation "speed"`},
		// Go's flag package says only "parse error" of a value it cannot
		// read; the configuration says what its keys take, and so do flags.
		{"a duration flag without its unit", []string{"feeds", "add", "--config", "unused.yaml", "https://example.com/rss", "--min-interval", "5"},
			`wirestream feeds add: --min-interval: want a duration such as 90s or 10m, got "5"`},
		// Round 31: a duration as people write it gets the one it means.
		{"a duration flag in days", []string{"feeds", "add", "--config", "unused.yaml", "https://example.com/rss", "--max-interval", "2days"},
			`wirestream feeds add: --max-interval: want a duration such as 90s or 10m, got "2days": did you mean "48h"? (durations go no further than hours)`},
		{"a duration flag without its unit says so", []string{"feeds", "add", "--config", "unused.yaml", "https://example.com/rss", "--min-interval", "5"},
			`got "5": a number needs its unit (s, m or h): did you mean "5s" or "5m"?`},
		// Round 31: a mistyped flag, command or --config gets what it meant.
		{"a mistyped flag", []string{"tail", "story", "--from-begining"},
			"wirestream tail: flag provided but not defined: -from-begining (did you mean --from-beginning?)"},
		{"a mistyped command", []string{"stauts"}, `wirestream: unknown command "stauts" (did you mean "status"?)`},
		{"another tool's word for run", []string{"start"}, `wirestream: unknown command "start" (did you mean "run"? run starts the service)`},
		{"another tool's word for validate", []string{"check", "--config", "w.yaml"},
			`wirestream: unknown command "check" (did you mean "validate"? validate checks a configuration)`},
		{"a record type as a command", []string{"spikes"},
			`wirestream: unknown command "spikes" (did you mean "wirestream tail alert"? a topic's records are read with tail)`},
		{"status given its config as an argument", []string{"status", "wirestream.yaml"},
			`wirestream status: status takes no arguments, got ["wirestream.yaml"]: give a configuration file with --config (wirestream status --config wirestream.yaml)`},
		{"a feeds subcommand's error names it", []string{"feeds", "status", "--health", "broken"},
			"wirestream feeds status: --health: want ok, degraded, failing, gone or removed, got \"broken\""},
		{"feeds status given its config as an argument", []string{"feeds", "status", "wirestream.yml"},
			`feeds status takes no arguments, got ["wirestream.yml"]: give a configuration file with --config (wirestream feeds status --config wirestream.yml)`},
		{"a number flag given a word", []string{"process", "--batch", "ten"}, `wirestream process: --batch: want a whole number, got "ten"`},
		// The value was typed as a flag: the flag is named, not the key.
		{"a negative interval flag", []string{"feeds", "add", "--config", "unused.yaml", "https://example.com/rss", "--min-interval", "-5m"},
			`wirestream feeds add: --min-interval: must be >= 0, got -5m0s`},
		// Go's flag package kept the last of two and said nothing: `run
		// --config a.yaml --config b.yaml` ran on b.yaml alone.
		{"a flag given twice", []string{"validate", "--config", "a.yaml", "--config", "b.yaml"},
			`wirestream validate: flag --config given twice ("a.yaml", then "b.yaml"): give it once`},
		{"a bool flag given twice", []string{"eval", "--detail", "--detail", "all"}, `flag --detail given twice ("true", then "true")`},
		// README's table shows the two together; the refusal came after
		// the connection, as "wirestream tail: tail: exit at end is not
		// supported with a consumer group", saying neither flag.
		{"tail --exit with a group", []string{"tail", "story", "--group", "desk", "--exit"},
			"wirestream tail: --exit and --group do not go together: a group's readers share its partitions and follow them without an end; " +
				"to read what the topic holds and stop, give --exit (with --from-beginning) without --group"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", c.args...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, c.want)
			}
		})
	}
}

// A newcomer without the labelled data who mistyped the evaluation's name
// was told the data was missing; given --data, the same command then said
// the name was unknown. The name is checked first, so one run says it.
func TestEvalOfAnUnknownNameSaysSoWithoutTheData(t *testing.T) {
	t.Chdir(t.TempDir()) // no shared/data above it
	t.Setenv("WIRESTREAM_SHARED_DATA", "")
	for _, args := range [][]string{{"eval", "speed"}, {"eval", "dedupe", "events"}} {
		code, _, stderr := runCLI(t, "", args...)
		if code != 2 || strings.Contains(stderr, "find shared data") || !strings.Contains(stderr, "want") {
			t.Errorf("wirestream %s: exit %d, stderr %q; want exit 2 naming the evaluations, not the missing data", strings.Join(args, " "), code, stderr)
		}
	}
}

// A newcomer who gave `feeds import` a feed file instead of an OPML export
// read "opml world.xml: opml: read document: expected element type <opml>
// but have <rss>": the command now names what it did and what the file is.
func TestFeedsImportOfAFeedFileSaysItIsAFeed(t *testing.T) {
	rss := filepath.Join(t.TempDir(), "world.xml")
	if err := os.WriteFile(rss, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>W</title></channel></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "", "feeds", "import", "--config", filepath.Join(t.TempDir(), "w.yaml"), rss); code != 1 ||
		!strings.Contains(stderr, "wirestream feeds: import "+rss+": opml: read document: its root element is <rss>, not <opml>: a feed, not an OPML list of feeds") {
		t.Errorf("feeds import of an RSS file = exit %d, stderr %q; want exit 1 saying it is a feed", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.Contains(out, "record schema 1") {
		t.Errorf("version = %d %q", code, out)
	}
}

func TestValidateAcceptsTheExampleAndPrintsThePlan(t *testing.T) {
	code, out, stderr := runCLI(t, "", "validate", "--config", "../../deploy/wirestream.example.yaml")
	if code != 0 {
		t.Fatalf("validate exited %d: %s", code, stderr)
	}
	for _, want := range []string{"is valid", "feeds: 3", "wirestream.stories (6 partitions", "wirestream.events (3 partitions, replication 1, cleanup compact,delete, retention 720h)",
		"wirestream.alerts (1 partition, replication 1", "2 per host", "refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1 partitions") {
		t.Errorf("validate says \"1 partitions\":\n%s", out)
	}
}

// A valid file whose feeds sit on loopback or a private network gets a
// warning naming them and poller.allow_networks: run would refuse every
// one of them, and a newcomer serving feeds from loopback was told
// "valid". A feed allow_networks admits, or one on a name, is not named.
func TestValidateWarnsOfFeedsTheGuardWouldRefuse(t *testing.T) {
	out := validateOutput(t, "feeds:\n  - url: http://127.0.0.1:25080/a.xml\n  - url: http://10.1.2.3/b.xml\n  - url: https://example.com/c.xml\npoller:\n  allow_networks: [10.0.0.0/8]\n")
	if !strings.Contains(out, "warning: run would refuse 1 feed") || !strings.Contains(out, "poller.allow_networks") || !strings.Contains(out, "http://127.0.0.1:25080/a.xml") {
		t.Errorf("validate should warn of the loopback feed and name poller.allow_networks:\n%s", out)
	}
	_, warning, _ := strings.Cut(out, "warning:")
	if strings.Contains(warning, "10.1.2.3") || strings.Contains(warning, "example.com") {
		t.Errorf("validate names an admitted feed among the refused:\n%s", warning)
	}
}

// --brokers "a:1,,b" is three items as typed: the empty one is named
// where it is, and "b" as the third (kafka.brokers[2]), not as the
// second it became when the empty item was dropped.
func TestValidateNamesABrokerItemWhereItWasTyped(t *testing.T) {
	code, _, stderr := runCLI(t, "", "validate", "--brokers", "127.0.0.1:1,,b")
	want := "kafka.brokers[1]: empty item, want host:port (from --brokers)\n" +
		`  kafka.brokers[2]: want host:port, got "b": did you mean "b:9092" (Kafka's usual port)? (from --brokers)`
	if code == 0 || !strings.Contains(stderr, want) {
		t.Errorf("validate --brokers 127.0.0.1:1,,b exited %d:\n%s\nwant it to say\n%s", code, stderr, want)
	}
}

// A file whose kafka.brokers do not accept a connection is valid, but
// warned of, each broker with why: run would exit at start, and a
// newcomer's mistyped port was reported "valid". A broker that accepts
// is not named.
func TestValidateWarnsOfBrokersThatDoNotAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	up, down := ln.Addr().String(), freeAddr(t)
	for _, c := range []struct {
		brokers string
		want    string
	}{
		{down, "warning: no Kafka broker of kafka.brokers accepts a connection from here: run, tail and feeds would exit at start:\n  " + down + ": connect: connection refused\n"},
		{up + "," + down, "warning: 1 of 2 Kafka brokers of kafka.brokers do not accept a connection from here (run asks the others):\n  " + down + ": connect: connection refused\n"},
		{up, ""},
	} {
		code, out, stderr := runCLI(t, "", "validate", "--brokers", c.brokers)
		if code != 0 {
			t.Fatalf("validate --brokers %s exited %d: %s", c.brokers, code, stderr)
		}
		_, warning, _ := strings.Cut(out, "\nwarning: ")
		if warning != "" {
			warning = "warning: " + warning
		}
		if warning != c.want {
			t.Errorf("validate --brokers %s warns\n%q\nwant\n%q", c.brokers, warning, c.want)
		}
	}
}

// A topic prefix without a separator is joined to the names as it is:
// "news" makes "newsstories". Valid, but warned of.
func TestValidateWarnsOfATopicPrefixWithoutASeparator(t *testing.T) {
	for _, c := range []struct {
		prefix, want string
	}{
		{"news", `warning: kafka.topic_prefix "news" is put before each topic name as it is: newsstories, newsevents, …; end it with "." ("news.") for news.stories`},
		{"news.", ""},
		{"news-", ""},
		{"", ""},
	} {
		out := validateOutput(t, "kafka:\n  topic_prefix: "+strconv.Quote(c.prefix)+"\n")
		_, warning, _ := strings.Cut(out, "\nwarning: ")
		if warning != "" {
			warning = "warning: " + strings.TrimSpace(warning)
		}
		if warning != c.want {
			t.Errorf("topic_prefix %q: warning\n%q\nwant\n%q", c.prefix, warning, c.want)
		}
	}
}

// A session timeout at or above shutdown_timeout is valid but warned of:
// a stop during a slow rebalance gives up on the drain's commits first.
func TestValidateWarnsOfASessionTimeoutNotBelowTheShutdownTimeout(t *testing.T) {
	for _, c := range []struct {
		yaml string
		warn bool
	}{
		{"feeds:\n  - url: https://example.com/a.xml\n", false},
		{"feeds:\n  - url: https://example.com/a.xml\ncluster:\n  session_timeout: 45s\n", true},
		{"feeds:\n  - url: https://example.com/a.xml\ncluster:\n  session_timeout: 45s\nshutdown_timeout: 60s\n", false},
	} {
		out := validateOutput(t, c.yaml)
		if got := strings.Contains(out, "warning: cluster.session_timeout (45s) is not below shutdown_timeout"); got != c.warn {
			t.Errorf("config %q: warned %v, want %v:\n%s", c.yaml, got, c.warn, out)
		}
	}
}

// Issue 14, point 4: validate reports every problem of a file at once,
// each with its line — unknown keys, values of the wrong type, bad values
// — and what run would reject beyond the file, like a listen address it
// cannot use or an OPML file it cannot read.
func TestValidateReportsEveryProblemAtOnceWithItsLine(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirestream.yaml")
	doc := `listen: "nohost"
poller:
  user_agnet: me
  min_interval: soon
  max_items: 0
opml: [missing.opml]
kafka:
  compresion: zstd
  balancer: random
`
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "validate", "--config", cfg)
	want := "wirestream validate: " + cfg + ": 7 problems:\n" +
		`  line 1: listen: want host:port such as ":9464" or "127.0.0.1:9464", got "nohost": missing port in address` + "\n" +
		`  line 3: unknown key "poller.user_agnet" (did you mean "user_agent"?)` + "\n" +
		`  line 4: poller.min_interval: want a duration such as 90s or 10m, got "soon"` + "\n" +
		"  line 5: poller.max_items: must be >= 1, got 0\n" +
		"  line 6: opml[0]: open " + filepath.Join(dir, "missing.opml") + ": no such file or directory\n" +
		`  line 8: unknown key "kafka.compresion" (did you mean "compression"?)` + "\n" +
		`  line 9: kafka.balancer: want hash or murmur2, got "random"` + "\n"
	if code != 1 || out != "" || stderr != want {
		t.Errorf("validate = exit %d, stdout %q, stderr:\n%s\nwant exit 1 and:\n%s", code, out, stderr, want)
	}
	// A flag's value is blamed on the flag.
	code, _, stderr = runCLI(t, "", "validate", "--log-level", "loud")
	if code != 1 || !strings.Contains(stderr, `log.level: must be one of debug, info, warn, error, got "loud" (from --log-level)`) {
		t.Errorf("validate --log-level loud = exit %d, stderr %q; want the problem blamed on the flag", code, stderr)
	}
}

// A file with problems also gets the warnings, after the problems: one
// who fixes the file meets everything at once rather than a loopback feed
// or a dead broker only once the rest is right. The exit code stays 1, and
// a setting that is itself a problem is not warned of again.
func TestValidateWarnsAfterTheProblemsOfABadFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.yaml")
	down := freeAddr(t)
	doc := "log:\n  level: loud\nfeeds:\n  - url: http://127.0.0.1:25080/a.xml\n  - url: http://127.0.0.1:25080/b.xml\n    min_interval: 1h\n    max_interval: 1m\n" +
		"kafka:\n  brokers: [" + down + "]\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "validate", "--config", cfg)
	problems, warnings, _ := strings.Cut(stderr, "\nwarning: ")
	if code != 1 || out != "" || !strings.HasPrefix(problems, "wirestream validate: "+cfg+": 2 problems:\n  line 2: log.level:") ||
		!strings.Contains(problems, "line 6: feeds[1].min_interval") {
		t.Fatalf("validate = exit %d, stdout %q, stderr:\n%s\nwant exit 1 and the 2 problems first", code, out, stderr)
	}
	for _, want := range []string{
		"run would refuse 1 feed on a private or loopback address until poller.allow_networks admits it:\n  http://127.0.0.1:25080/a.xml\n",
		"warning: no Kafka broker of kafka.brokers accepts a connection from here: run, tail and feeds would exit at start:\n  " + down + ": connect: connection refused\n",
	} {
		if !strings.Contains("warning: "+warnings, want) {
			t.Errorf("validate of a bad file: stderr lacks, after the problems,\n%s\ngot:\n%s", want, stderr)
		}
	}
	if strings.Contains(warnings, "b.xml") {
		t.Errorf("the feed with a problem is warned of too:\n%s", warnings)
	}
	// The brokers of a flag, not the file's, are the ones tried.
	_, _, stderr = runCLI(t, "", "validate", "--config", cfg, "--brokers", "127.0.0.1:1")
	if !strings.Contains(stderr, "  127.0.0.1:1: connect: connection refused") || strings.Contains(stderr, down) {
		t.Errorf("validate --brokers of a bad file warns of other brokers:\n%s", stderr)
	}
}

// The loopback warning named the key but not what to write in it: a
// newcomer serving feed files on 127.0.0.1 had to look up the syntax. It
// now ends with the line to write, the networks already allowed kept,
// and that line, written, silences it.
func TestValidateSaysWhichAllowNetworksLineAdmitsTheRefusedFeeds(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "w.yaml")
	feeds := "feeds:\n  - url: http://127.0.0.1:8000/a.xml\n  - url: http://localhost:8000/b.xml\n" +
		"  - url: http://10.1.2.3/c.xml\n  - url: http://[::1]:8000/d.xml\n  - url: http://192.168.4.5/e.xml\n"
	if err := os.WriteFile(cfg, []byte(feeds+"poller:\n  allow_networks: [192.168.0.0/16]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "", "validate", "--config", cfg) // a valid file's warnings go with its summary
	line := `allow_networks: [192.168.0.0/16, 127.0.0.1/32, 10.1.2.3/32, "::1/128"]`
	if want := "  to poll them, write under poller:\n    " + line + "\n"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("validate = exit %d, stdout:\n%s\nwant exit 0 and\n%s", code, out, want)
	}
	if err := os.WriteFile(cfg, []byte(feeds+"poller:\n  "+line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, "", "validate", "--config", cfg); code != 0 || strings.Contains(out+stderr, "refuse") {
		t.Errorf("with the suggested line: exit %d, output:\n%s%s\nwant exit 0 and no feed refused", code, out, stderr)
	}
}

func TestValidateRejectsEachBadConfig(t *testing.T) {
	files, _ := filepath.Glob("../../internal/config/testdata/*.bad.yaml")
	if len(files) == 0 {
		t.Fatal("no bad configs found")
	}
	for _, f := range files {
		code, out, stderr := runCLI(t, "", "validate", f)
		if code != 1 || !strings.Contains(stderr, f+": ") || out != "" {
			t.Errorf("validate %s = exit %d, stdout %q, stderr %q; want exit 1 naming the file", f, code, out, stderr)
		}
	}
}

func TestFeedsImportMergesARealWorldOPMLOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirestream.yaml")
	if err := os.WriteFile(cfg, []byte("# hand-written\nlisten: \":9464\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opml := "../../sources/feed/testdata/opml/newsroom.opml"
	code, out, stderr := runCLI(t, "", "feeds", "import", "--config", cfg, opml)
	if code != 0 {
		t.Fatalf("feeds import exited %d: %s", code, stderr)
	}
	if !strings.Contains(out, "imported 23 feeds") {
		t.Errorf("first import: %q, want 23 feeds imported", out)
	}
	data, _ := os.ReadFile(cfg)
	if !strings.Contains(string(data), "# hand-written") {
		t.Errorf("import dropped the file's comments:\n%s", data)
	}
	st, _ := os.Stat(cfg)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("import changed the file mode to %v", st.Mode().Perm())
	}
	// Nested outlines become tags.
	if !strings.Contains(string(data), "tags: [News, World]") {
		t.Errorf("nested outlines did not become tags:\n%s", data)
	}
	code, out, _ = runCLI(t, "", "feeds", "import", "--config", cfg, opml)
	if code != 0 || !strings.Contains(out, "imported 0 feeds") || !strings.Contains(out, "skipped 24:") ||
		!strings.Contains(out, "… and 3 more already listed") {
		t.Errorf("second import = %d %q, want nothing new and 24 skipped", code, out)
	}
	code, out, stderr = runCLI(t, "", "validate", "--config", cfg)
	if code != 0 || !strings.Contains(out, "feeds: 23") {
		t.Errorf("the merged config does not validate with 23 feeds: %d %s %s", code, out, stderr)
	}
}

// Issue 14, point 5: importing two feeds into a hand-written, commented
// file adds their lines and changes no other; what is skipped is named
// with its reason: a feed the file lists already, an outline listed twice.
func TestFeedsImportChangesOnlyWhatItAddsAndSaysWhatItSkipped(t *testing.T) {
	dir := t.TempDir()
	example, err := os.ReadFile("../../deploy/wirestream.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "wirestream.yaml")
	if err := os.WriteFile(cfg, example, 0o644); err != nil {
		t.Fatal(err)
	}
	opml := filepath.Join(dir, "subs.opml")
	doc := `<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="World">
  <outline type="rss" text="BBC World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
  <outline type="rss" text="Harbour Wire" xmlUrl="https://harbour.example/rss"/>
</outline>
<outline text="Business">
  <outline type="rss" text="Harbour Wire" xmlUrl="https://harbour.example/rss"/>
  <outline type="rss" text="Chip Report" xmlUrl="https://chips.example/feed.json"/>
</outline>
</body></opml>`
	if err := os.WriteFile(opml, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "feeds", "import", "--config", cfg, opml)
	if code != 0 {
		t.Fatalf("feeds import exited %d: %s", code, stderr)
	}
	after, _ := os.ReadFile(cfg)
	added := "  - url: https://harbour.example/rss\n    name: Harbour Wire\n    tags: [World, Business]\n" +
		"  - url: https://chips.example/feed.json\n    name: Chip Report\n    tags: [Business]\n"
	i := strings.Index(string(after), added)
	if i < 0 || string(after[:i])+string(after[i+len(added):]) != string(example) {
		t.Fatalf("the import changed more than the 6 lines it added:\n%s", after)
	}
	// Line numbers as the user's file has them (the example's layout may change).
	lineAt := func(b []byte, at int) int { return 1 + strings.Count(string(b[:at]), "\n") }
	first := lineAt(after, i)
	bbc := lineAt(example, strings.Index(string(example), "url: https://feeds.bbci.co.uk/news/world/rss.xml"))
	want := fmt.Sprintf("imported 2 feeds from %s into %s (lines %d-%d)\n", opml, cfg, first, first+5) +
		"skipped 2:\n" +
		fmt.Sprintf("  https://feeds.bbci.co.uk/news/world/rss.xml: already listed in %s (line %d)\n", cfg, bbc) +
		"  https://harbour.example/rss: listed twice in " + opml + ": taken once, with the tags of both (Business)\n"
	if out != want {
		t.Errorf("feeds import said:\n%s\nwant:\n%s", out, want)
	}
}

func TestProcessWritesSchemaValidRecordsDeterministically(t *testing.T) {
	files := []string{
		"../../sources/feed/testdata/feeds/bbc-world.xml",
		"../../sources/feed/testdata/feeds/guardian-world.xml",
		"../../sources/feed/testdata/feeds/npr.json",
		"../../sources/feed/testdata/feeds/ap-topnews.atom",
	}
	run := func() map[string]int {
		code, out, stderr := runCLI(t, "", append([]string{"process", "--progress", "never"}, files...)...)
		if code != 0 {
			t.Fatalf("process exited %d: %s", code, stderr)
		}
		counts := map[string]int{}
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if err := schema.Validate(line); err != nil {
				t.Errorf("invalid record: %v\n%s", err, line)
			}
			var head struct{ Type, ID string }
			if err := json.Unmarshal(line, &head); err != nil || head.ID == "" {
				t.Errorf("record without type and id: %s", line)
			}
			counts[head.Type]++
		}
		return counts
	}
	first := run()
	if first["story"] < 10 || first["event"] == 0 {
		t.Errorf("records by type = %v, want stories and events", first)
	}
	second := run()
	if first["story"] != second["story"] || first["duplicate"] != second["duplicate"] {
		t.Errorf("two runs over the same input differ: %v vs %v", first, second)
	}
}

func TestProcessSendsBadJSONLLinesToDeadLetters(t *testing.T) {
	in := `{"feed":{"url":"https://example.com/rss"},"link":"https://example.com/a","title":"Council approves new budget for city parks","content":"<p>The council approved the budget on Tuesday after a long debate about maintenance costs and new playgrounds.</p>"}
not json at all
{"feed":{"url":"https://example.com/rss"},"unknown_field":1}
`
	code, out, stderr := runCLI(t, in, "process", "--progress", "never", "-")
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	var stories, dead int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if err := schema.Validate([]byte(line)); err != nil {
			t.Errorf("invalid record: %v\n%s", err, line)
		}
		switch {
		case strings.Contains(line, `"type":"story"`):
			stories++
		case strings.Contains(line, `"type":"dead_letter"`):
			dead++
			if !strings.Contains(line, `"error":"stdin:`) {
				t.Errorf("dead letter does not say which line: %s", line)
			}
		}
	}
	if stories != 1 || dead != 2 {
		t.Errorf("stories %d, dead letters %d; want 1 and 2\n%s", stories, dead, out)
	}
	if !strings.Contains(stderr, "1 item decided (1 new") || !strings.Contains(stderr, "2 dead_letter") {
		t.Errorf("the summary on stderr does not say what became of the input: %q", stderr)
	}
}

// The broken file's error names it once, by the path given, in the log
// and its dead letter: it read "parse feed PATH: parse
// file:///malformed.xml: XML syntax error…".
func TestProcessGoesOnPastABrokenFeedFile(t *testing.T) {
	broken := "../../sources/feed/testdata/feeds/malformed.xml"
	code, out, stderr := runCLI(t, "", "process", "--progress", "never", broken, "../../sources/feed/testdata/feeds/bbc-world.xml")
	if code != 1 || !strings.Contains(stderr, "1 of 2 inputs could not be read") || !strings.Contains(stderr, "malformed.xml") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming the broken file", code, stderr)
	}
	want := "parse feed " + broken + ": XML syntax error on line 5: unexpected EOF"
	quoted, _ := json.Marshal(want)
	if !strings.Contains(out, `"type":"dead_letter"`) || !strings.Contains(out, `"error":`+string(quoted)) || strings.Count(out, broken) != 1 {
		t.Errorf("no dead letter naming the file once with the parse error %q in the output:\n%s", want, out)
	}
	if !strings.Contains(stderr, `"err":`+string(quoted)) || strings.Contains(stderr, "file://") {
		t.Errorf("the log does not say %q:\n%s", want, stderr)
	}
	if strings.Count(out, `"type":"story"`) < 3 {
		t.Errorf("the good feed's stories are missing:\n%s", out)
	}
}

// Issue 14, point 6: every copy gets a duplicate record under an id of its
// own, with its GUID — a same-feed copy (the same link with utm_ added,
// under another GUID) as much as the same link read through another feed.
func TestProcessReportsEveryCopyUnderItsOwnID(t *testing.T) {
	dir := t.TempDir()
	body := "<p>The harbour authority said on Monday that the container terminal would reopen after a week-long strike by crane operators ended with an agreement on overtime pay and shift lengths.</p>" +
		"<p>Shipping lines had diverted dozens of vessels to other ports during the stoppage, and freight forwarders warned that the backlog would take weeks to clear.</p>"
	rss := func(title string, items ...[2]string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>` + title + `</title><link>https://port.example/</link>`)
		for _, it := range items {
			b.WriteString(`<item><title>Port reopens after strike</title><link>` + it[1] + `</link><guid isPermaLink="false">` + it[0] +
				`</guid><pubDate>Mon, 09 Mar 2026 08:00:00 +0000</pubDate><description><![CDATA[` + body + `]]></description></item>`)
		}
		b.WriteString(`</channel></rss>`)
		return b.String()
	}
	a := filepath.Join(dir, "a.xml")
	b := filepath.Join(dir, "b.xml")
	link := "https://port.example/2026/03/port-reopens"
	write := func(path, doc string) {
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(a, rss("Port Daily", [2]string{"port-1", link}, [2]string{"port-1-social", link + "?utm_source=twitter&utm_medium=social"}))
	write(b, rss("Harbour Wire", [2]string{"hw-99", link}))
	code, out, stderr := runCLI(t, "", "process", "--progress", "never", a, b)
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	var story string
	var dups []record.Duplicate
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if err := schema.Validate([]byte(line)); err != nil {
			t.Errorf("invalid record: %v\n%s", err, line)
		}
		switch {
		case strings.Contains(line, `"type":"story"`):
			var s record.Story
			_ = json.Unmarshal([]byte(line), &s)
			story = s.ID
		case strings.Contains(line, `"type":"duplicate"`):
			var d record.Duplicate
			_ = json.Unmarshal([]byte(line), &d)
			dups = append(dups, d)
		}
	}
	if story == "" || len(dups) != 2 {
		t.Fatalf("story %q and %d duplicates, want one story and two duplicates:\n%s", story, len(dups), out)
	}
	guids := map[string]bool{}
	for _, d := range dups {
		if d.ID == d.DuplicateOf || d.ID == story || d.DuplicateOf != story {
			t.Errorf("duplicate %s of %s: want an id of its own, copying the story %s", d.ID, d.DuplicateOf, story)
		}
		guids[d.GUID] = true
	}
	if dups[0].ID == dups[1].ID || !guids["port-1-social"] || !guids["hw-99"] {
		t.Errorf("duplicates %+v: want two ids and the copies' GUIDs port-1-social and hw-99", dups)
	}
	if !strings.Contains(stderr, "3 items decided (1 new, 0 revisions, 2 duplicates, 0 unchanged)") {
		t.Errorf("the summary does not count the copies: %q", stderr)
	}
}

// Issue 14, point 8: `feeds status` reads the compacted feed_status topic
// into a table of feeds by health, filtered by health and tag, or as JSON.
func TestFeedsStatusReadsTheFeedStatusTopic(t *testing.T) {
	brokers := devkafka.Start(t)
	now := time.Now().UTC()
	ok := now.Add(-2 * time.Minute)
	devkafka.Publish(t, brokers,
		&record.FeedStatus{Type: record.TypeFeedStatus, ID: "https://a.example/rss", SchemaVersion: record.SchemaVersion,
			FeedURL: "https://a.example/rss", Name: "Alpha", Tags: []string{"world"}, Health: record.HealthOK,
			LastAttempt: ok, LastSuccess: &ok, NextPoll: now.Add(3 * time.Minute), ItemsFound: 20, ItemsNew: 1},
		&record.FeedStatus{Type: record.TypeFeedStatus, ID: "https://b.example/rss", SchemaVersion: record.SchemaVersion,
			FeedURL: "https://b.example/rss", Tags: []string{"tech"}, Health: record.HealthFailing, LastErrorClass: "dns",
			LastError: "fetch https://b.example/rss: lookup b.example: no such host", ConsecutiveFailures: 6,
			LastAttempt: now, NextPoll: now.Add(10 * time.Minute)},
	)
	b := strings.Join(brokers, ",")
	code, out, stderr := runCLI(t, "", "feeds", "status", "--brokers", b)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "HEALTH") || !strings.HasPrefix(lines[1], "failing") ||
		!strings.Contains(lines[1], "dns: fetch https://b.example/rss: lookup b.example: no such host (6 in a row)") ||
		!strings.HasPrefix(lines[2], "ok") || !strings.Contains(lines[2], "2m ago") || lines[3] != "2 feeds: 1 failing, 1 ok" {
		t.Errorf("feeds status = exit %d, stderr %q:\n%s", code, stderr, out)
	}
	code, out, _ = runCLI(t, "", "feeds", "status", "--brokers", b, "--tag", "world", "--json")
	var s record.FeedStatus
	if code != 0 || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &s) != nil || s.FeedURL != "https://a.example/rss" {
		t.Errorf("feeds status --tag world --json = exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "feeds", "status", "--brokers", b, "--health", "failing,gone")
	if code != 0 || !strings.Contains(out, "1 of 2 feeds shown: 1 failing") || strings.Contains(out, "Alpha") {
		t.Errorf("feeds status --health failing,gone = exit %d:\n%s", code, out)
	}
	if code, _, stderr := runCLI(t, "", "feeds", "status", "--health", "sick"); code != 2 || !strings.Contains(stderr, `want ok, degraded, failing, gone or removed, got "sick"`) {
		t.Errorf("--health sick = exit %d, %q; want a usage error", code, stderr)
	}

	// A feed the pollers' list no longer holds keeps its record (nothing
	// deletes it) and was shown failing, its next poll to come: it is
	// "removed", not polled. The list is the --config file's feeds while
	// the cluster has no feed list topic, then that topic (newcomer21).
	path := filepath.Join(t.TempDir(), "wirestream.yaml")
	doc := "kafka:\n  brokers: [" + b + "]\nfeeds:\n  - url: https://a.example/rss\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, "", "feeds", "status", "--config", path)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[1], "ok") || !strings.HasPrefix(lines[2], "removed") ||
		!strings.Contains(lines[2], "https://b.example/rss") || strings.Contains(lines[2], "in 10m") ||
		lines[3] != "2 feeds: 1 ok, 1 removed (not in the feeds of "+path+")" {
		t.Errorf("feeds status --config (a file listing a only) = exit %d, stderr %q:\n%s", code, stderr, out)
	}
	if code, _, stderr := runCLI(t, "", "feeds", "add", "--kafka", "--brokers", b, "https://b.example/rss"); code != 0 {
		t.Fatalf("feeds add --kafka = exit %d: %s", code, stderr)
	}
	code, out, stderr = runCLI(t, "", "feeds", "status", "--config", path, "--brokers", b)
	if code != 0 || !strings.Contains(out, "\nfailing") || !strings.Contains(out, "\nremoved") ||
		!strings.HasSuffix(out, "2 feeds: 1 failing, 1 removed (not in the feed list wirestream.feeds)\n") {
		t.Errorf("feeds status with a feed list topic holding b only = exit %d, stderr %q:\n%s", code, stderr, out)
	}
}

// A start against configured brokers that do not answer says what to
// check, as tail does: run exits at once, and feeds list cannot open the
// feed list. The addresses came from --brokers (or the variable), so the
// message names that once and never kafka.brokers, a key the user did
// not set.
func TestRunAndFeedsWithoutABrokerSayWhatToCheck(t *testing.T) {
	addr := freeAddr(t)
	runArgs := []string{"run", "--brokers", addr, "--listen", "127.0.0.1:0", "--data-dir", t.TempDir()}
	for _, c := range []struct {
		args []string
		env  map[string]string
		from string
	}{
		{runArgs, nil, "--brokers"},
		{[]string{"feeds", "list", "--brokers", addr}, nil, "--brokers"},
		{[]string{"run", "--listen", "127.0.0.1:0", "--data-dir", t.TempDir()}, map[string]string{"WIRESTREAM_KAFKA_BROKERS": addr}, "WIRESTREAM_KAFKA_BROKERS"},
	} {
		want := "no Kafka broker answers at " + addr + ": is it running and reachable from here? (from " + c.from + ")"
		code, _, stderr := runCLIEnv(t, c.env, "", c.args...)
		if code != 1 || !strings.Contains(stderr, "the brokers ("+addr+")") || !strings.Contains(stderr, want) ||
			strings.Contains(stderr, "kafka.brokers") || strings.Count(stderr, c.from) != 1 {
			t.Errorf("%s from %s with no broker = exit %d, %q; want exit 1, the addresses asked and what to check, naming %s once and not kafka.brokers",
				c.args[0], c.from, code, stderr, c.from)
		}
	}
}

// A newcomer whose second `run` (or `make demo`) met a port in use got
// "bind: address already in use" and nothing on what holds it or how to
// move this one: the error now names the key, flag and make variable.
func TestRunOnAPortInUseSaysHowToMoveIt(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	taken := held.Addr().String()
	dir := t.TempDir()
	cases := []struct {
		name, config string
		want         []string
	}{
		{"the embedded broker's", "listen: 127.0.0.1:0\nembedded:\n  addr: " + taken + "\n",
			[]string{"listen tcp " + taken, "address already in use", "embedded.addr", "DEMO_KAFKA="}},
		{"the ops listener's", "listen: " + taken + "\n",
			[]string{"listen for metrics and health on " + taken, "address already in use", "--listen", "DEMO_LISTEN="}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strconv.Itoa(i)+".yaml")
			if err := os.WriteFile(path, []byte(c.config), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCLI(t, "", "run", "--config", path, "--data-dir", t.TempDir())
			for _, want := range c.want {
				if code != 1 || !strings.Contains(stderr, want) {
					t.Errorf("run with %s port in use = exit %d, stderr %q; want exit 1 and %q", c.name, code, stderr, want)
				}
			}
		})
	}
}

// run against two dead brokers named only the last one kafka-go tried:
// every broker is named with its own error.
func TestRunWithSeveralDeadBrokersNamesEach(t *testing.T) {
	a, b := freeAddr(t), "no-such-broker.invalid:9092"
	code, _, stderr := runCLI(t, "", "run", "--brokers", a+","+b, "--listen", "127.0.0.1:0", "--data-dir", t.TempDir())
	if want := "\n  " + a + ": connect: connection refused"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("run with two dead brokers = exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, want)
	}
	// The lookup's reason depends on the resolver: "no such host" with one,
	// "server misbehaving", a timeout or "network is unreachable" without
	// (a sandbox); any reason will do, as long as there is one.
	lookup := regexp.MustCompile(`\n  ` + regexp.QuoteMeta(b) + `: lookup no-such-broker\.invalid\b[^\n]*: \S`)
	if !lookup.MatchString(stderr) {
		t.Errorf("run with two dead brokers: stderr:\n%s\nwant a line matching %s", stderr, lookup)
	}
}

// "feeds add URL" is what a newcomer types to have run poll a feed: with
// no kafka.brokers it says where a feed goes for run, not only that the
// fetchers' list needs Kafka.
func TestFeedsAddWithoutBrokersSaysWhereRunsFeedsGo(t *testing.T) {
	code, out, stderr := runCLI(t, "", "feeds", "add", "https://example.com/rss")
	for _, want := range []string{"scale-out fetchers", "set kafka.brokers", "list it under feeds: in its config file", "feeds import"} {
		if code != 1 || out != "" || !strings.Contains(stderr, want) {
			t.Errorf("feeds add with no brokers = exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, stderr, want)
		}
	}
}

// `feeds list --config F` is what a newcomer types to see the feeds of
// F, as `feeds add --config F` edits them; with no kafka.brokers in F the
// error names F and the command that prints the feeds run polls from it.
func TestFeedsListOfAFileWithoutBrokersNamesTheFileAndHowToSeeItsFeeds(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "local.yaml")
	if err := os.WriteFile(cfg, []byte("feeds:\n  - url: https://example.com/rss\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "feeds", "list", "--config", cfg)
	for _, want := range []string{"no kafka.brokers in " + cfg + ":", "`wirestream validate --config " + cfg + "` prints the feeds it lists"} {
		if code != 1 || out != "" || !strings.Contains(stderr, want) {
			t.Errorf("feeds list --config with no brokers = exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, stderr, want)
		}
	}
}

// run --help names the ports a second run (beside a demo) must move, and
// how: the in-memory broker has no flag, only embedded.addr in a file, and
// a newcomer reading the help alone had no way to learn it.
func TestRunHelpSaysHowToMoveItsPorts(t *testing.T) {
	_, stdout, _ := runCLI(t, "", "run", "--help")
	for _, want := range []string{"127.0.0.1:9092", "embedded.addr", ":9464", "--listen"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("run --help does not say %q:\n%s", want, stdout)
		}
	}
}

// A mistake in a feeds subcommand points at that subcommand's help, which
// lists its flags (feeds status has a help of its own): "feeds --help"
// showed import's flags to someone who had mistyped one of status's.
func TestAFeedsSubcommandsMistakePointsAtItsOwnHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		help string
	}{
		{[]string{"feeds", "status", "--health", "bad"}, "wirestream feeds status --help"},
		{[]string{"feeds", "add", "--frob"}, "wirestream feeds add --help"},
		{[]string{"feeds", "bogus"}, "wirestream feeds --help"},
	} {
		code, _, stderr := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(stderr, "Run \""+c.help+"\" for usage.") {
			t.Errorf("%v = exit %d, stderr %q; want exit 2 and a pointer to %q", c.args, code, stderr, c.help)
		}
	}
}

// `validate FILE` reads FILE, so a newcomer types `run FILE` next: run
// dropped the argument and started with every default (no feeds, 9092,
// 9464). An argument run does not take is a usage error naming --config.
// (--listen nohost makes a run that ignores it stop at once, not serve.)
func TestRunRefusesAnArgumentAndNamesConfig(t *testing.T) {
	code, _, stderr := runCLI(t, "", "run", "--listen", "nohost", "wirestream.yaml")
	if want := `run takes no arguments, got ["wirestream.yaml"]: give a configuration file with --config (wirestream run --config wirestream.yaml)`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("run FILE = exit %d, stderr %q; want exit 2 and %q", code, stderr, want)
	}
	if code, _, stderr := runCLI(t, "", "version", "extra"); code != 2 || !strings.Contains(stderr, `version takes no arguments, got ["extra"]`) {
		t.Errorf("version extra = exit %d, stderr %q; want exit 2 and the argument named", code, stderr)
	}
}

// Issue 14, point 7: with no broker to read, tail says what to check.
func TestTailWithoutABrokerSaysWhatToCheck(t *testing.T) {
	addr := freeAddr(t)
	code, _, stderr := runCLI(t, "", "tail", "--brokers", addr, "story")
	if code != 1 || !strings.Contains(stderr, "connection refused") || !strings.Contains(stderr, "no Kafka broker answers at "+addr+": is it running") {
		t.Errorf("tail with no broker = exit %d, %q; want the error and what to check", code, stderr)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.yaml")
	if err := os.WriteFile(cfg, []byte("embedded:\n  addr: "+strconv.Quote(addr)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "", "tail", "--config", cfg, "story")
	if code != 1 || !strings.Contains(stderr, "the embedded broker of `wirestream run` (and `make demo`) listens: is it running?") ||
		!strings.Contains(stderr, "--brokers host:port") {
		t.Errorf("tail of the embedded broker with none running = exit %d, %q; want a hint naming run, make demo and --brokers", code, stderr)
	}
}

// Issue 14, point 7: process ends with a summary that says which state it
// decided against — in memory, or the --data-dir that a second run reads
// (and then says that nothing it read was new).
func TestProcessSaysWhichStateItUsed(t *testing.T) {
	feedFile := "../../sources/feed/testdata/feeds/bbc-world.xml"
	_, _, stderr := runCLI(t, "", "process", "--progress", "never", feedFile)
	if !strings.Contains(stderr, "process: 4 items decided (4 new,") || !strings.Contains(stderr, "state in memory (this run only; --data-dir DIR keeps it across runs)") {
		t.Errorf("process without --data-dir ended with %q; want the tally and \"state in memory\"", stderr)
	}
	dir := filepath.Join(t.TempDir(), "state")
	for run := 1; run <= 2; run++ {
		code, _, stderr := runCLI(t, "", "process", "--progress", "never", "--data-dir", dir, feedFile)
		if code != 0 || !strings.Contains(stderr, "state in "+dir+" (kept across runs)") {
			t.Errorf("run %d with --data-dir: exit %d, stderr %q; want the state's directory named", run, code, stderr)
		}
		if seen := strings.Contains(stderr, "every item so far was seen by an earlier run"); seen != (run == 2) {
			t.Errorf("run %d with --data-dir: the all-seen warning logged = %v, want %v:\n%s", run, seen, run == 2, stderr)
		}
	}
}

// A feed file is the operator's own archive: process says when it holds
// more items than max_items, and --max-items 0 reads it whole.
func TestProcessMaxItemsCapsAFeedFileAndSaysSo(t *testing.T) {
	const bbc = "../../sources/feed/testdata/feeds/bbc-world.xml"
	code, out, stderr := runCLI(t, "", "process", "--progress", "never", "--max-items", "2", bbc)
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "more items than max_items") || !strings.Contains(stderr, "bbc-world.xml") || !strings.Contains(stderr, "--max-items 0") {
		t.Errorf("stderr does not say the file was capped and how to read it whole: %q", stderr)
	}
	// The dead letter names the flag the user set, not poller.max_items.
	if !strings.Contains(stderr, "2 items decided") || !strings.Contains(out, "over the limit of 2 (--max-items)") {
		t.Errorf("want 2 items decided and one over-limit dead letter; stderr %q\n%s", stderr, out)
	}
	code, out, stderr = runCLI(t, "", "process", "--progress", "never", "--max-items", "0", bbc)
	if code != 0 {
		t.Fatalf("process --max-items 0 exited %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "more items than max_items") || strings.Contains(out, "over the limit") || strings.Count(out, `"type":"story"`) < 3 {
		t.Errorf("--max-items 0 did not read the whole file; stderr %q", stderr)
	}
}

// run's broker hint goes only on errors about the brokers: a refused
// connection to another port or a failed lookup of another host (a feed,
// a WebSub hub) must not send the user to check Kafka.
func TestBrokerHintOnlyForTheBrokers(t *testing.T) {
	brokers := []string{"kafka-1.internal:9092", "127.0.0.1:19092"}
	refused := func(addr string) error {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Errorf("open the feed list: %w", &net.OpError{Op: "dial", Net: "tcp", Addr: a, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
	}
	lookup := func(host string) error {
		return fmt.Errorf("dial: %w", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}})
	}
	timedOut := func(addr string) error {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Errorf("provision topics: %w (gave up: %v)", &net.OpError{Op: "read", Net: "tcp", Addr: a, Err: os.ErrDeadlineExceeded}, context.DeadlineExceeded)
	}
	for _, c := range []struct {
		name string
		err  error
		hint bool
	}{
		{"refused at a broker's port, resolved", refused("10.0.0.7:9092"), true},
		{"refused at a broker's address", refused("127.0.0.1:19092"), true},
		{"refused at another port", refused("127.0.0.1:8080"), false},
		{"timed out at a broker's port", timedOut("10.255.255.1:9092"), true},
		{"timed out at another port (a feed)", timedOut("10.255.255.1:443"), false},
		{"a context's deadline alone", fmt.Errorf("provision topics: %w", context.DeadlineExceeded), false},
		{"a broker's host not found", lookup("kafka-1.internal"), true},
		{"another host not found", lookup("feeds.example.org"), false},
		{"not a network error", errors.New("config: kafka.topic_prefix: empty"), false},
	} {
		got := brokersHint(c.err, brokers, "")
		if hinted := strings.Contains(got.Error(), "no Kafka broker answers"); hinted != c.hint || !errors.Is(got, c.err) {
			t.Errorf("run, %s: hinted %v, want %v (%v)", c.name, hinted, c.hint, got)
		}
	}
	// tail, feeds status and feeds list talk only to Kafka: a refusal at
	// an address the cluster advertises (a listener this host cannot
	// reach) is the classic mistake, and gets the hint.
	if got := withBrokerHint(refused("10.0.0.7:29092"), brokers, false, ""); !strings.Contains(got.Error(), "no Kafka broker answers") {
		t.Errorf("tail, refused at an advertised listener: %v, want the hint", got)
	}
}

// TestEvalShinglesListsThePool runs `eval shingles` on the shared data:
// it states its tokenization and ends with the counts it marked.
func TestEvalShinglesListsThePool(t *testing.T) {
	code, out, stderr := runCLI(t, "", "eval", "--data", shareddata.Dir(t), "shingles")
	if code != 0 {
		t.Fatalf("eval shingles exited %d: %s", code, stderr)
	}
	for _, want := range []string{"maximal runs of letters and digits", "punctuation dropped", "unlabelled; over the line:", "under both:"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval shingles output lacks %q:\n%s", want, out)
		}
	}
}

// The JSON log writes durations as the text log and the config do: a
// newcomer read "retry_in":53000000000 beside "duration":"35ms".
func TestTheJSONLogWritesDurationsAsText(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, config.LogConfig{Level: "info", Format: "json"})
	log.Info("poll failed", "retry_in", 53*time.Second, slog.Group("g", "wait", 1500*time.Millisecond), "failures", 2)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	if got["retry_in"] != "53s" || got["g"].(map[string]any)["wait"] != "1.5s" || got["failures"] != float64(2) {
		t.Errorf("JSON log = %s, want retry_in \"53s\", g.wait \"1.5s\" and failures 2", buf.String())
	}
}

// Help's flag list says whose flags it lists: version, which has none,
// says "none" rather than end on an empty heading, and feeds --help, which
// ends on import's flags, says they are import's (a reader took --dry-run
// for every feeds subcommand's), while feeds add --help lists add's own.
func TestHelpSaysWhoseFlagsItLists(t *testing.T) {
	_, out, _ := runCLI(t, "", "version", "--help")
	if !strings.HasSuffix(out, "\nFlags: none\n") {
		t.Errorf("version --help does not end with \"Flags: none\":\n%s", out)
	}
	_, out, _ = runCLI(t, "", "feeds", "--help")
	flags := out[strings.LastIndex(out, "\nFlags:"):]
	if !strings.Contains(flags, "feeds import's") || !strings.Contains(flags, "-dry-run") {
		t.Errorf("feeds --help does not say its flags are feeds import's:\n%s", flags)
	}
	_, out, _ = runCLI(t, "", "feeds", "add", "--help")
	flags = out[strings.LastIndex(out, "\nFlags:"):]
	if strings.Contains(flags, "feeds import's") || !strings.Contains(flags, "-min-interval") {
		t.Errorf("feeds add --help does not list add's own flags:\n%s", flags)
	}
}

// process --help shows each flag's placeholder and default as the user
// types them: --format takes a format (it read "-format native", as if
// native were the value's name), --max-items defaults to the config's
// poller.max_items (it also said "(default -1)", a value no one may give),
// and a negative --max-items is a usage error, not "no flag given".
func TestProcessHelpShowsPlaceholdersAndDefaultsAsTyped(t *testing.T) {
	_, out, _ := runCLI(t, "", "process", "--help")
	for _, want := range []string{"-format format\n", "-max-items n\n", "(default: poller.max_items)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("process --help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "(default -1)") || strings.Contains(out, "-format native") {
		t.Errorf("process --help shows an internal default or a value as a placeholder:\n%s", out)
	}
	code, _, stderr := runCLI(t, "", "process", "--max-items", "-3", "x.xml")
	if code != 2 || !strings.Contains(stderr, "want 0 (no limit) or more") {
		t.Errorf("process --max-items -3 = exit %d, stderr %q; want a usage error", code, stderr)
	}
}

// "no Kafka broker answers" says which setting chose the address: the
// file's line, the flag or the variable, not "--brokers, kafka.brokers or
// WIRESTREAM_KAFKA_BROKERS chose it", which left the user to find which.
func TestBrokerHintNamesWhatChoseTheBrokers(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	path := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(path, []byte("log: {level: info}\nkafka:\n  brokers: ["+closed+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"the file", []string{"tail", "--config", path, "story", "--exit"}, "(from kafka.brokers, " + path + " line 3)"},
		{"the flag", []string{"tail", "--config", path, "--brokers", closed, "story", "--exit"}, "(from --brokers)"},
		{"feeds status, the file", []string{"feeds", "status", "--config", path}, "(from kafka.brokers, " + path + " line 3)"},
	} {
		code, _, stderr := runCLI(t, "", c.args...)
		if code == 0 || !strings.Contains(stderr, "no Kafka broker answers at "+closed+": is it running and reachable from here? "+c.want) {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant it to say %q", c.name, code, stderr, c.want)
		}
	}
}

// A broker address that accepts a connection and never answers (a
// blackholed or firewalled one) failed the start with "i/o timeout
// (gave up: …)" and no word of which address, or what chose it; a refused
// one already said both. The start is bounded here by the caller's
// deadline, as Ctrl-C or a supervisor bounds it, instead of waiting out
// the admin timeout.
func TestRunAgainstABrokerThatNeverAnswersSaysWhatChoseIt(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		var held []net.Conn // accepted, never read or answered
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	addr := l.Addr().String()
	path := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(path, []byte("log: {level: error}\nkafka:\n  brokers: ["+addr+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := dispatch(ctx, env, []string{"run", "--config", path, "--listen", "127.0.0.1:0", "--data-dir", t.TempDir()})
	want := "no Kafka broker answers at " + addr + ": is it running and reachable from here? (from kafka.brokers, " + path + " line 3)"
	if stderr := errOut.String(); code != 1 || !strings.Contains(stderr, "the brokers ("+addr+")") || !strings.Contains(stderr, want) {
		t.Errorf("run against a broker that never answers = exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, want)
	}
}

// feeds add --help (and push, remove, list) began "Usage: wirestream
// feeds import --config FILE [--dry-run] FILE.opml" and its paragraph on
// OPML: one who asked how to add a feed read first how to import a file.
// Each subcommand's help starts with its own forms and leaves import out.
func TestAFeedsSubcommandsHelpStartsWithItsOwnUsage(t *testing.T) {
	for sub, first := range map[string]string{
		"add":    "Usage: wirestream feeds add --config FILE URL [--tag T]... [--name N] [--min-interval D] [--max-interval D]\n       wirestream feeds add --kafka URL",
		"remove": "Usage: wirestream feeds remove --config FILE URL [--missing-ok]\n       wirestream feeds remove --kafka URL [--missing-ok]\n\n",
		"push":   "Usage: wirestream feeds push --config FILE [--dry-run]\n\n",
		"list":   "Usage: wirestream feeds list [--json]\n\n",
	} {
		code, out, _ := runCLI(t, "", "feeds", sub, "--help")
		if code != 0 || !strings.HasPrefix(out, first) || strings.Contains(out, "feeds import") || !strings.Contains(out, "Examples:") {
			t.Errorf("feeds %s --help (exit %d) does not start with its own usage\n%q\nor names import, or has no examples:\n%s", sub, code, first, out)
		}
	}
}

// A watch entry written in lower case where the gazetteer knows the name
// only in capitals ("uk", "u.s.", "us": acronyms count only in capitals)
// is searched as a word, not watched as the country; validate says so and
// names the spelling that watches the entity. Before, validate listed
// such an entry with the others and said nothing: `watch: [us]` counted
// every story saying "us" while its writer believed it watched place:us.
func TestValidateSaysWhichLowerCaseEntriesAreWordsNotTheirNames(t *testing.T) {
	out := validateOutput(t, "spikes:\n  watch: [uk, u.s., us, strike, keyword:us, UK]\n")
	want := "searched as words, not as the names they spell in capitals: uk (UK would watch place:gb), u.s. (U.S. would watch place:us), us (US would watch place:us)\n"
	if !strings.Contains(out, want) {
		t.Errorf("validate's plan lacks %q:\n%s", want, out)
	}
}

// validate's plan says when alerts fire: the bars, the warm-up in which
// none fires (a newcomer's first hour of run gives none), and the watched
// terms with how they are matched. Before, a file with spikes.watch was
// "valid" with nothing about alerts at all.
func TestValidateSaysWhenAlertsFireAndWhatTheWatchListMatches(t *testing.T) {
	out := validateOutput(t, "spikes:\n  watch: [Zelensky, person:keir_starmer]\n  warmup: 30m\n")
	for _, want := range []string{
		"\nalerts:\n",
		"one 5m0s bucket holds >= 5 stories from >= 3 publishers",
		"none in the first 30m0s",
		"watched (>= 2 stories from >= 2 publishers, score >= 2): Zelensky, person:keir_starmer",
		"every story whose title or text says it (whole words, any case)",
		"names watched as the entity enrichment keys them by: Zelensky → person:volodymyr_zelensky\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate's plan lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "", "validate")
	if !strings.Contains(out, "watched: none (spikes.watch)") {
		t.Errorf("validate's plan without a watch list does not say so:\n%s", out)
	}
}
