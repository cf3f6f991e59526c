package main

import (
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/clusterstatus"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// statusExit runs `wirestream status` with args and returns its exit code, stdout and stderr.
func statusExit(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(wirestreamBinary(t), append([]string{"status"}, args...)...)
	cmd.Env = e2eEnv()
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := runTied(cmd); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("wirestream status %s: %v", strings.Join(args, " "), err)
		}
		return exit.ExitCode(), out.String(), errOut.String()
	}
	return 0, out.String(), errOut.String()
}

// Round 29 (status29): every `run` in role all joins the role-all group, but `status` read
// only the fetchers' and processors' groups, so the quick start's one run exited 3 saying no
// fetcher and no processor runs. Now: nothing running is said once (exit 3), one run in role
// all is healthy (exit 0), two are the double-publishing warning (exit 3), in text and --json.
// On a real broker (scripts/kafka.sh; skipped loudly without one, failed under CI=true);
// every wait bounded.
func TestE2EStatusReportsTheRunsInRoleAll(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cfgOf := roleAllConfigs(t, brokers)
	ask := cfgOf()

	code, out, errOut := statusExit(t, "--config", ask)
	if code != statusNeedsALook || !strings.Contains(errOut, "no wirestream is running against these brokers and topic_prefix") {
		t.Errorf("status with nothing running exited %d; want 3 saying no wirestream is running:\n%s%s", code, out, errOut)
	}
	if n := strings.Count(out+errOut, "no wirestream is running"); n != 2 { // under the group, and on stderr
		t.Errorf("nothing running said %d times; want once in the report and once on stderr:\n%s%s", n, out, errOut)
	}

	first := startDaemon(t, cfgOf(), "--instance", "all-1")
	first.waitLog("no other run in role all", 60*time.Second)
	// Exit 0 (cli fails the test on any other code), the run named, the unused groups one line.
	text := cli(t, "status", "--config", ask)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^processors: none \(group \S+processors\): the run in role all fetches and processes$`),
		regexp.MustCompile(`(?m)^fetchers: none \(group \S+fetchers\)`),
		regexp.MustCompile(`(?m)^role all: group \S+role-all \(Stable\), topic \S+stories, \d+ partitions?$`),
		regexp.MustCompile(`(?m)^  all-1 +run in role all +127\.0\.0\.1$`),
	} {
		if !want.MatchString(text) {
			t.Errorf("status does not match %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "no processor") || strings.Contains(text, "no fetcher") {
		t.Errorf("status of one run in role all says a scaled-out role is missing:\n%s", text)
	}
	st := statusOf(t, ask)
	if all, _ := instancesOf(st[clusterstatus.RoleAll]); len(all) != 1 || all[0] != "all-1" {
		t.Errorf("status --json runs in role all %v; want [all-1]", all)
	}
	for role, g := range st {
		if g.NeedsALook != "" {
			t.Errorf("status --json: %s needs a look with one run in role all: %s", role, g.NeedsALook)
		}
	}

	// The group commits nothing, so a consumer-lag monitor (lag = end less committed offset)
	// has no offset of it to count from: it cannot read the group as lagging.
	rg := st[clusterstatus.RoleAll]
	ids := make([]int, len(rg.Partitions))
	for i := range ids {
		ids[i] = i
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	tr := &kafka.Transport{}
	of, err := (&kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr}).OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: rg.ID, Topics: map[string][]int{rg.Topic: ids}})
	tr.CloseIdleConnections()
	if err != nil || of.Error != nil || len(ids) == 0 {
		t.Fatalf("committed offsets of %s (%d partitions): %v %v", rg.ID, len(ids), err, of)
	}
	for _, p := range of.Topics[rg.Topic] {
		if p.CommittedOffset != -1 {
			t.Errorf("the role-all group committed offset %d on %s:%d; want none", p.CommittedOffset, rg.Topic, p.Partition)
		}
	}

	second := startDaemon(t, cfgOf(), "--instance", "all-2")
	second.waitLog("another run in role all publishes", 90*time.Second)
	e2eEventually(t, 90*time.Second, func() bool {
		st = statusOf(t, ask)
		all, _ := instancesOf(st[clusterstatus.RoleAll])
		return len(all) == 2
	}, func() string { return "both runs in the role-all group: " + statusCLI(t, "--config", ask) })
	if g := st[clusterstatus.RoleAll]; !strings.Contains(g.NeedsALook, "2 runs in role all publish") || !strings.Contains(g.NeedsALook, "all-1, all-2") {
		t.Errorf("status --json role all needs_a_look %q; want the double-publishing warning naming both", g.NeedsALook)
	}
	code, out, errOut = statusExit(t, "--config", ask)
	if code != statusNeedsALook || !strings.Contains(errOut, "role all: 2 runs in role all publish to these brokers and topic_prefix (all-1, all-2): every story, event and alert is published twice") ||
		!regexp.MustCompile(`(?m)^  all-2 +run in role all`).MatchString(out) {
		t.Errorf("status with two runs in role all exited %d; want 3 with the warning naming both:\n%s%s", code, out, errOut)
	}

	second.signal(syscall.SIGTERM)
	if code := second.wait(60 * time.Second); code != 0 {
		t.Errorf("all-2 exited %d after SIGTERM", code)
	}
	// It left the group: status is healthy again without waiting out a session.
	e2eEventually(t, 60*time.Second, func() bool {
		code, _, _ := statusExit(t, "--config", ask)
		return code == 0
	}, func() string { return "status healthy after all-2 stopped: " + statusCLI(t, "--config", ask) })
}
