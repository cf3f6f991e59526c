package main

// Helpers of the end-to-end tests: build the real binary once, write its
// configuration, run it as a subprocess and watch its log, /metrics and
// /readyz, and read what it published back from Kafka.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
)

// TestMain checks for leaked goroutines and removes the binary the
// end-to-end tests built. (goleak.Cleanup replaces its os.Exit, so the
// cleanup must exit with the code it is given, leak verdict included.)
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		if binDir != "" {
			os.RemoveAll(binDir)
		}
		os.Exit(code)
	}))
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// wirestreamBinary builds ./cmd/wirestream once per test binary, with the
// race detector when the tests themselves run with it (its packages are
// then already in the build cache, so it costs seconds).
func wirestreamBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "wirestream-e2e-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "wirestream")
		args := []string{"build", "-o", binPath}
		if raceEnabled() {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, ".")...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := runTied(cmd); err != nil {
			binErr = fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out.String())
		}
	})
	if binErr != nil {
		t.Fatalf("build the wirestream binary: %v", binErr)
	}
	return binPath
}

// e2eConfig is what a test varies in the binary's configuration.
type e2eConfig struct {
	DataDir         string
	Brokers         []string // empty: the embedded broker
	EmbeddedAddr    string
	TopicPrefix     string
	Feeds           []string
	Names           []string
	ShutdownTimeout time.Duration
	MaxInFlight     int
	Pprof           bool // serve /debug/pprof/
	// ProgressInterval is log.progress_interval; 0 turns the line off, as
	// tests that read the log for other lines want.
	ProgressInterval time.Duration
	Extra            string // YAML appended as it is (other sections)
}

// write renders the configuration as YAML into dir and returns its path.
func (c e2eConfig) write(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "data_dir: %s\nlisten: 127.0.0.1:0\nshutdown_timeout: %s\npprof: %t\n", q(c.DataDir), c.ShutdownTimeout, c.Pprof)
	fmt.Fprintf(&b, "log:\n  format: json\n  level: info\n  progress_interval: %s\n", c.ProgressInterval)
	if c.EmbeddedAddr != "" {
		fmt.Fprintf(&b, "embedded:\n  addr: %s\n", q(c.EmbeddedAddr))
	}
	b.WriteString("kafka:\n")
	if len(c.Brokers) > 0 {
		fmt.Fprintf(&b, "  brokers: [%s]\n", strings.Join(yamlQuoteAll(c.Brokers), ", "))
	}
	if c.TopicPrefix != "" {
		fmt.Fprintf(&b, "  topic_prefix: %s\n", q(c.TopicPrefix))
	}
	b.WriteString("  topics:\n    stories: {partitions: 3}\n")
	// The poller refuses loopback unless told; intervals short enough that
	// items appearing every second or so are seen within a couple.
	b.WriteString("poller:\n  allow_networks: [\"127.0.0.0/8\"]\n  min_interval: 1s\n  start_spread: 1s\n  backoff_initial: 1s\n  backoff_max: 2s\n")
	fmt.Fprintf(&b, "pipeline:\n  max_in_flight_batches: %d\n  maintenance_interval: 2s\n", c.MaxInFlight)
	if len(c.Feeds) > 0 {
		b.WriteString("feeds:\n")
		for i, u := range c.Feeds {
			fmt.Fprintf(&b, "  - url: %s\n    min_interval: 1s\n    max_interval: 2s\n", q(u))
			if i < len(c.Names) {
				fmt.Fprintf(&b, "    name: %s\n", q(c.Names[i]))
			}
		}
	}
	b.WriteString(c.Extra)
	path := filepath.Join(dir, "wirestream.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func yamlQuoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// newE2EConfig returns a configuration for test t against brokers, with
// its own topics (deleted when the test ends) and data directory.
func newE2EConfig(t testing.TB, brokers []string, fx *feedFixture) e2eConfig {
	t.Helper()
	c := e2eConfig{
		DataDir:         filepath.Join(t.TempDir(), "data"),
		Brokers:         brokers,
		ShutdownTimeout: 30 * time.Second,
		MaxInFlight:     4,
	}
	if fx != nil {
		for i := range fx.opts.Feeds {
			c.Feeds = append(c.Feeds, fx.FeedURL(i))
			c.Names = append(c.Names, fixturePublishers[i].Name)
		}
	}
	if len(brokers) > 0 {
		c.TopicPrefix = kafkatest.TopicPrefix(t, brokers, func(prefix string) []string {
			kc := kafka.DefaultConfig()
			kc.TopicPrefix = prefix
			return kc.TopicNames()
		})
	}
	return c
}

// topicOf is the topic records of type typ go to under prefix (the
// default topic names).
func topicOf(prefix string, typ record.Type) string {
	c := kafka.DefaultConfig()
	c.TopicPrefix = prefix
	return c.TopicName(typ)
}

// e2eDaemon is one run of the binary.
type e2eDaemon struct {
	t       testing.TB
	cmd     *exec.Cmd
	log     *syncBuffer
	done    chan struct{}
	waitErr error
	ops     string // host:port of /metrics, /healthz, /readyz
}

// spawnDaemon starts wirestream with args and env, its stdout and stderr
// as given (nil: its log buffer). Without a clean exit by the end of the
// test it is killed, and the last tail lines of its log printed when the
// test failed.
func spawnDaemon(t testing.TB, args, env []string, stdout, stderr io.Writer, tail int) *e2eDaemon {
	t.Helper()
	d := &e2eDaemon{t: t, log: &syncBuffer{}, done: make(chan struct{})}
	d.cmd = exec.Command(wirestreamBinary(t), args...)
	d.cmd.Env = env
	if stdout == nil {
		stdout = d.log
	}
	if stderr == nil {
		stderr = d.log
	}
	d.cmd.Stdout, d.cmd.Stderr = stdout, stderr
	if err := startTied(d.cmd, func(err error) { d.waitErr = err; close(d.done) }); err != nil {
		t.Fatalf("start wirestream %s: %v", strings.Join(args, " "), err)
	}
	t.Cleanup(func() {
		select {
		case <-d.done:
		default:
			_ = d.cmd.Process.Kill()
			<-d.done
		}
		if t.Failed() {
			t.Logf("wirestream (pid %d) log tail:\n%s", d.cmd.Process.Pid, d.log.Tail(tail))
		}
	})
	return d
}

// startDaemon runs `wirestream run` with cfgPath and waits until its ops
// listener is up. Without a clean exit by the end of the test it is
// killed, and its log tail printed when the test failed.
func startDaemon(t testing.TB, cfgPath string, args ...string) *e2eDaemon {
	t.Helper()
	d := spawnDaemon(t, append([]string{"run", "--config", cfgPath}, args...), e2eEnv(), nil, nil, 40)
	line := d.waitLog("serving metrics and health", 60*time.Second)
	var ev struct{ Addr string }
	if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Addr == "" {
		t.Fatalf("no ops address in %q: %v", line, err)
	}
	d.ops = ev.Addr
	return d
}

// e2eEnv is the test's environment without WIRESTREAM_* overrides, so
// the configuration file alone decides.
func e2eEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WIRESTREAM_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitLog waits for a log line containing s and returns it; it fails the
// test if the process exits or timeout passes first.
func (d *e2eDaemon) waitLog(s string, timeout time.Duration) string {
	d.t.Helper()
	return waitLine(d.t, d.log, d.done, func() error { return d.waitErr }, "wirestream", s, timeout)
}

// waitLine waits for a line of out containing s and returns it; it fails
// tb if the process named what exits (done closes; exitErr says how) or
// timeout passes first.
func waitLine(tb testing.TB, out *syncBuffer, done <-chan struct{}, exitErr func() error, what, s string, timeout time.Duration) string {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if line, ok := out.Line(s); ok {
			return line
		}
		select {
		case <-done:
			if line, ok := out.Line(s); ok {
				return line
			}
			tb.Fatalf("%s exited (%v) before printing %q", what, exitErr(), s)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s did not print %q within %v", what, s, timeout)
		}
	}
}

// signal sends sig to the process.
func (d *e2eDaemon) signal(sig syscall.Signal) {
	d.t.Helper()
	if err := d.cmd.Process.Signal(sig); err != nil {
		d.t.Fatalf("send %v to wirestream: %v", sig, err)
	}
}

// wait waits for the process to exit and returns its exit code (-1 when
// killed by a signal); it fails the test after timeout.
func (d *e2eDaemon) wait(timeout time.Duration) int {
	d.t.Helper()
	select {
	case <-d.done:
	case <-time.After(timeout):
		d.t.Fatalf("wirestream still running %v after being asked to stop", timeout)
	}
	var ee *exec.ExitError
	if errors.As(d.waitErr, &ee) {
		return ee.ExitCode()
	}
	if d.waitErr != nil {
		d.t.Fatalf("wait for wirestream: %v", d.waitErr)
	}
	return 0
}

// kill stops the process with SIGKILL and waits for it.
func (d *e2eDaemon) kill() {
	d.t.Helper()
	d.signal(syscall.SIGKILL)
	d.wait(30 * time.Second)
}

// get fetches a path of the ops listener.
func (d *e2eDaemon) get(path string) (int, string, error) {
	cl := &http.Client{Timeout: 5 * time.Second}
	resp, err := cl.Get("http://" + d.ops + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), nil
}

// metric sums the samples of a metric family whose labels include every
// label="value" in want, from /metrics.
func (d *e2eDaemon) metric(name string, want ...string) float64 {
	_, body, err := d.get("/metrics")
	if err != nil {
		return 0
	}
	sum := 0.0
	for line := range strings.SplitSeq(body, "\n") {
		if !strings.HasPrefix(line, name) || (len(line) > len(name) && line[len(name)] != '{' && line[len(name)] != ' ') {
			continue
		}
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(line, w)
		}
		if !ok {
			continue
		}
		fields := strings.Fields(line)
		if v, err := strconv.ParseFloat(fields[len(fields)-1], 64); err == nil {
			sum += v
		}
	}
	return sum
}

// storiesAcked is how many story records Kafka acknowledged in this run.
func (d *e2eDaemon) storiesAcked() int {
	return int(d.metric("wirestream_pipeline_records_total", `type="story"`))
}

// storiesPending is how many stories this run decided to publish that
// Kafka has not acknowledged yet: new stories and revisions in batches in
// flight.
func (d *e2eDaemon) storiesPending() int {
	decided := d.metric("wirestream_pipeline_items_total", `outcome="new"`) + d.metric("wirestream_pipeline_items_total", `outcome="revision"`)
	return int(decided) - d.storiesAcked()
}

// e2eEventually polls cond every 200 ms until it holds, failing the test with
// what() after timeout.
func e2eEventually(t testing.TB, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// syncBuffer collects the process's output for the test to search.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Line returns the first line containing s.
func (b *syncBuffer) Line(s string) (string, bool) {
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			return sc.Text(), true
		}
	}
	return "", false
}

// Tail returns the last n lines.
func (b *syncBuffer) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
