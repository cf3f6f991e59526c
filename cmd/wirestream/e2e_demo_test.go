package main

// Issue 14, points 1–3: `make demo` as a newcomer meets it — the real
// Makefile target, run twice, each stopped with Ctrl-C (SIGINT to make's
// whole process group, as a terminal sends it) — and the warning of a run
// whose every item an earlier run already published.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
)

// makeDemo is one `make demo` in its own process group.
type makeDemo struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

func startMakeDemo(t *testing.T, root, bin, cfgPath string) *makeDemo {
	t.Helper()
	m := &makeDemo{out: &syncBuffer{}, done: make(chan struct{})}
	m.cmd = exec.Command("make", "-C", root, "--no-print-directory", "demo", "BIN="+bin, "DEMO_ARGS=--config "+cfgPath)
	m.cmd.Env = e2eEnv()
	m.cmd.Stdout, m.cmd.Stderr = m.out, m.out
	// Its own process group, so the SIGINT below reaches make, its shell
	// and wirestream, as Ctrl-C in a terminal does (ctrlCMake); a watchdog
	// kills the group if this test binary dies without its cleanups.
	stopWatchdog, err := startGroupTied(m.cmd, func(err error) { m.err = err; close(m.done) })
	if err != nil {
		t.Fatalf("start make demo: %v", err)
	}
	t.Cleanup(func() {
		select {
		case <-m.done:
		default:
			_ = syscall.Kill(-m.cmd.Process.Pid, syscall.SIGKILL)
			<-m.done
		}
		stopWatchdog()
		if t.Failed() {
			t.Logf("make demo output (tail):\n%s", m.out.Tail(40))
		}
	})
	return m
}

// waitFor waits for a line containing s in make's output.
func (m *makeDemo) waitFor(t *testing.T, s string, timeout time.Duration) string {
	t.Helper()
	return waitLine(t, m.out, m.done, func() error { return m.err }, "make demo", s, timeout)
}

func TestE2EMakeDemoTwiceShowsTheProductAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary through make demo: skipped in -short mode")
	}
	t.Parallel()
	if _, err := exec.LookPath("make"); err != nil {
		testkit.Missing(t, "make is not on PATH: apt-get install make")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "wirestream")
	// Only the addresses move (other tests and a developer's demo use the
	// defaults); no data_dir, so the demo chooses its state as it would.
	kafkaAddr := freeAddr(t)
	cfgPath := filepath.Join(t.TempDir(), "demo.yaml")
	doc := fmt.Sprintf("listen: 127.0.0.1:0\nembedded:\n  addr: %s\nlog:\n  format: json\n", strconv.Quote(kafkaAddr))
	if err := os.WriteFile(cfgPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ {
		m := startMakeDemo(t, root, bin, cfgPath)
		m.waitFor(t, "make demo: building "+bin, 30*time.Second)
		// The first build compiles every dependency: minutes on two cores.
		m.waitFor(t, "wirestream demo is running", 8*time.Minute)
		out := m.out.String()
		if b, r := strings.Index(out, "make demo: building"), strings.Index(out, "make demo: starting"); b < 0 || r < b || strings.Index(out, `"level"`) < r {
			t.Errorf("run %d: make demo should say it builds, then that it starts, before the daemon logs:\n%s", run, out)
		}
		// The second build finds every package in the build cache: it says
		// so, and not the first build's minutes (it said "1-3 minutes"
		// on every run).
		if run == 2 && (!strings.Contains(out, "packages are in Go's build cache, nothing to compile (seconds)") || strings.Contains(out, "minutes")) {
			t.Errorf("run 2: make demo should say the build has nothing to compile:\n%s", m.out.Tail(40))
		}
		line := m.waitFor(t, "serving metrics and health", time.Second)
		var ev struct{ Addr string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Addr == "" {
			t.Fatalf("no ops address in %q: %v", line, err)
		}
		for _, hint := range []string{
			"kcat -b " + kafkaAddr + " -t wirestream.stories -C -e",
			bin + " tail --brokers " + kafkaAddr + " story --from-beginning",
			"curl -s http://" + ev.Addr + "/metrics",
			"http://" + ev.Addr + "/status",
			"Ctrl-C stops the demo cleanly",
		} {
			if !strings.Contains(out, hint) {
				t.Errorf("run %d: the demo's hints lack %q", run, hint)
			}
		}
		if !strings.Contains(out, "state in a throw-away directory") {
			t.Errorf("run %d: the demo does not say its state is thrown away", run)
		}
		d := &e2eDaemon{t: t, ops: ev.Addr}
		var stories, events float64
		e2eEventually(t, 3*time.Minute, func() bool {
			stories = d.metric("wirestream_pipeline_records_total", `type="story"`)
			events = d.metric("wirestream_pipeline_records_total", `type="event"`)
			return stories >= 10 && events >= 2
		}, func() string { return fmt.Sprintf("run %d: %v stories, %v events published", run, stories, events) })
		t.Logf("make demo run %d: %v stories and %v event updates published", run, stories, events)

		if err := ctrlCMake(m.cmd.Process.Pid); err != nil { // Ctrl-C
			t.Fatal(err)
		}
		select {
		case <-m.done:
		case <-time.After(90 * time.Second):
			t.Fatalf("run %d: make demo still running 90 s after Ctrl-C", run)
		}
		out = m.out.String()
		// make dies of the SIGINT it got itself; what matters is that the
		// recipe succeeded, so make reports no error.
		var ee *exec.ExitError
		if m.err != nil && !(errors.As(m.err, &ee) && ee.ProcessState.Sys().(syscall.WaitStatus).Signal() == syscall.SIGINT) {
			t.Errorf("run %d: make demo after Ctrl-C: %v, want a clean exit", run, m.err)
		}
		if !strings.Contains(out, "wirestream stopped cleanly") || strings.Contains(out, "make: ***") || strings.Contains(out, "Error ") {
			t.Errorf("run %d: after Ctrl-C, want \"wirestream stopped cleanly\" and no make error:\n%s", run, m.out.Tail(5))
		}
		if strings.Contains(out, "seen by an earlier run") {
			t.Errorf("run %d: the demo warns that everything was seen before: its state was not its own", run)
		}
	}
}

// A run whose every item an earlier run already published says so, and
// where that state is: here the demo on a kept data_dir, run twice.
func TestE2EADemoOnKeptStateSaysNothingIsNew(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data")
	cfg := e2eConfig{DataDir: dataDir, EmbeddedAddr: freeAddr(t), ShutdownTimeout: 30 * time.Second, MaxInFlight: 4}
	path := cfg.write(t, t.TempDir())
	d := startDaemon(t, path, "--demo")
	d.waitLog("demo: state kept in data_dir", 10*time.Second)
	// The second run reads the same timeline from its start: once this one
	// decided more items than the warning waits for, the second run's
	// first ones are all copies of this one's stories.
	itemsDecided := func() float64 { return d.metric("wirestream_pipeline_items_total") }
	e2eEventually(t, 2*time.Minute, func() bool { return d.storiesAcked() >= 17 && itemsDecided() >= 25 }, func() string {
		return fmt.Sprintf("first run: %d stories acknowledged, %v items decided; want the backlog's 17 and 25 items", d.storiesAcked(), itemsDecided())
	})
	stopCleanly(t, d, cfg.ShutdownTimeout)
	if _, ok := d.log.Line("seen by an earlier run"); ok {
		t.Error("the first run on an empty data_dir warned that nothing was new")
	}

	d2 := startDaemon(t, path, "--demo")
	line := d2.waitLog("seen by an earlier run", 2*time.Minute)
	if !strings.Contains(line, `"level":"WARN"`) || !strings.Contains(line, "data_dir "+dataDir) {
		t.Errorf("the warning should be a WARN naming the data_dir %s: %s", dataDir, line)
	}
	if n := d2.storiesAcked(); n != 0 {
		t.Errorf("the second run published %d stories before the warning; want none", n)
	}
	stopCleanly(t, d2, cfg.ShutdownTimeout)
}
