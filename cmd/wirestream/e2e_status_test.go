package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/clusterstatus"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// statusCLI runs `wirestream status` with args and returns its report,
// stdout: it exits 3 while a group needs a look (the deployment starting,
// a processor gone), saying so on stderr, which is no failure here.
func statusCLI(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(wirestreamBinary(t), append([]string{"status"}, args...)...)
	cmd.Env = e2eEnv()
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := runTied(cmd); err != nil && cmd.ProcessState.ExitCode() != statusNeedsALook {
		t.Fatalf("wirestream status %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// statusOf runs `wirestream status --json` and returns its groups by role.
func statusOf(t *testing.T, cfgPath string) map[string]clusterstatus.GroupStatus {
	t.Helper()
	out := statusCLI(t, "--config", cfgPath, "--json")
	got := map[string]clusterstatus.GroupStatus{}
	for line := range strings.Lines(out) {
		var g clusterstatus.GroupStatus
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			t.Fatalf("status --json line %q: %v", line, err)
		}
		got[g.Role] = g
	}
	return got
}

// instancesOf are the instances of g's members, and those that own partitions.
func instancesOf(g clusterstatus.GroupStatus) (all, owning []string) {
	for _, m := range g.Members {
		all = append(all, m.Instance)
		if len(m.Partitions) > 0 {
			owning = append(owning, m.Instance)
		}
	}
	return all, owning
}

// Round 29 (operator29): one command says which processor is active, which stand by, and
// which fetcher owns which feed list partitions — two of each role as separate processes
// against a real broker, then the active processor stopped.
func TestE2EStatusNamesTheActiveProcessorTheStandbyAndEachFetchersPartitions(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	base := newE2EConfig(t, brokers, nil)
	base.Extra = "cluster:\n  feed_partitions: 6\n  session_timeout: 6s\n"
	cfgOf := func(instance string) string {
		c := base
		dir := filepath.Join(t.TempDir(), instance)
		c.DataDir = filepath.Join(dir, "data")
		return c.write(t, t.TempDir())
	}
	start := func(role, instance string) *e2eDaemon {
		return startDaemon(t, cfgOf(instance), "--role", role, "--instance", instance)
	}
	ask := cfgOf("operator")

	start("fetch", "fetch-1")
	start("fetch", "fetch-2")
	p1 := start("process", "process-1")
	var st map[string]clusterstatus.GroupStatus
	e2eEventually(t, 90*time.Second, func() bool {
		st = statusOf(t, ask)
		_, active := instancesOf(st["processors"])
		all, _ := instancesOf(st["fetchers"])
		return slices.Equal(active, []string{"process-1"}) && len(all) == 2 && len(st["fetchers"].Unowned()) == 0 &&
			st["fetchers"].State == "Stable"
	}, func() string {
		return "process-1 active and both fetchers owning every partition: " + statusCLI(t, "--config", ask)
	})
	start("process", "process-2")
	e2eEventually(t, 90*time.Second, func() bool {
		st = statusOf(t, ask)
		all, _ := instancesOf(st["processors"])
		return len(all) == 2 && st["processors"].State == "Stable"
	}, func() string { return "process-2 in the processors' group: " + statusCLI(t, "--config", ask) })

	all, active := instancesOf(st["processors"])
	if !slices.Equal(all, []string{"process-1", "process-2"}) || !slices.Equal(active, []string{"process-1"}) {
		t.Errorf("processors %v, active %v; want process-1 active, process-2 standing by", all, active)
	}
	var owned []int
	for _, m := range st["fetchers"].Members {
		if len(m.Partitions) != 3 {
			t.Errorf("fetcher %s owns partitions %v; want 3 of 6", m.Instance, m.Partitions)
		}
		owned = append(owned, m.Partitions...)
	}
	if slices.Sort(owned); !slices.Equal(owned, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("fetchers own partitions %v between them; want 0-5 once each", owned)
	}
	// Every partition owned, a processor active: exit 0 (cli fails the test on any other).
	text := cli(t, "status", "--config", ask)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^processors: group \S+processors \(Stable\), topic \S+items, 1 partition$`),
		regexp.MustCompile(`(?m)^  process-1 +active \(partition 0\) +127\.0\.0\.1$`),
		regexp.MustCompile(`(?m)^  process-2 +standby +127\.0\.0\.1$`),
		regexp.MustCompile(`(?m)^  partition 0: .*end offset \d+: \d+ to decide$`),
		regexp.MustCompile(`(?m)^fetchers: group \S+fetchers \(Stable\), topic \S+feeds, 6 partitions$`),
		regexp.MustCompile(`(?m)^  fetch-1 +3 partitions: \d(-\d)?(, \d(-\d)?)* +127\.0\.0\.1$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("status does not match %s:\n%s", want, text)
		}
	}

	p1.signal(syscall.SIGTERM)
	if code := p1.wait(60 * time.Second); code != 0 {
		t.Fatalf("process-1 exited %d after SIGTERM", code)
	}
	e2eEventually(t, 90*time.Second, func() bool {
		st = statusOf(t, ask)
		all, active := instancesOf(st["processors"])
		return slices.Equal(all, []string{"process-2"}) && slices.Equal(active, []string{"process-2"})
	}, func() string {
		return "process-2 active alone after process-1 stopped: " + statusCLI(t, "--config", ask)
	})
}
