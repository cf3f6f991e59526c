package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// A second `run` in role all against the same brokers and topic prefix is no standby: it
// polls every feed and publishes every record again (the newcomer's 9 stories became 18), and
// nothing said so. Both runs join the role-all group; each warns once the group has another
// member, naming both instances. On a real broker (scripts/kafka.sh; skipped loudly without
// one, failed under CI=true); every wait bounded.
func TestE2EASecondRoleAllRunWarnsThatEveryRecordIsPublishedTwice(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cfgOf := roleAllConfigs(t, brokers)
	const warning = "another run in role all publishes to these brokers and topic_prefix"
	first := startDaemon(t, cfgOf(), "--instance", "all-1")
	first.waitLog("no other run in role all", 60*time.Second) // checked alone before the second comes
	if _, warned := first.log.Line(warning); warned {
		t.Fatalf("a run in role all alone warns of another: %s", first.log.String())
	}
	second := startDaemon(t, cfgOf(), "--instance", "all-2")
	for _, d := range []*e2eDaemon{second, first} {
		line := d.waitLog(warning, 90*time.Second)
		if !strings.Contains(line, `"level":"WARN"`) || !strings.Contains(line, "all-1") || !strings.Contains(line, "all-2") || !strings.Contains(line, `"members":2`) {
			t.Errorf("the warning does not name both runs: %s", line)
		}
		if strings.Contains(line, "--instance to tell them apart") {
			t.Errorf("runs of two names are told to take an --instance: %s", line)
		}
	}
	second.signal(syscall.SIGTERM)
	if code := second.wait(60 * time.Second); code != 0 {
		t.Errorf("the second role-all run exited %d after SIGTERM", code)
	}
	// A run killed without leaving is no other run: its restart must not warn of it. The
	// coordinator ends the dead member's session before the restarted run's first generation.
	first.kill()
	restarted := startDaemon(t, cfgOf(), "--instance", "all-1")
	restarted.waitLog("no other run in role all", 60*time.Second)
	restarted.signal(syscall.SIGTERM)
	if code := restarted.wait(60 * time.Second); code != 0 {
		t.Errorf("the restarted role-all run exited %d after SIGTERM", code)
	}
	if line, warned := restarted.log.Line(warning); warned {
		t.Errorf("a run restarted after a crash warns of its dead self: %s", line)
	}
}

// roleAllConfigs returns what writes one more role-all run's config on brokers: the same
// topics and group, a data dir of its own, and a 6 s session so a stopped run leaves the
// role-all group within a bounded wait.
func roleAllConfigs(t *testing.T, brokers []string) func() string {
	base := newE2EConfig(t, brokers, nil)
	base.Extra = "cluster:\n  session_timeout: 6s\n"
	return func() string {
		c := base
		c.DataDir = filepath.Join(t.TempDir(), "data")
		return c.write(t, t.TempDir())
	}
}

// A run in role all left the role-all group after it logged "wirestream stopped cleanly", so
// the line a script or a newcomer takes as the run's last word was followed by the group's
// "left consumer group". The group is left first now. On a real broker (skipped loudly
// without one); every wait bounded.
func TestE2ERoleAllLeavesItsGroupBeforeSayingItStoppedCleanly(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	d := startDaemon(t, roleAllConfigs(t, brokers)(), "--instance", "all-1")
	d.waitLog("no other run in role all", 60*time.Second)
	d.signal(syscall.SIGTERM)
	if code := d.wait(60 * time.Second); code != 0 {
		t.Fatalf("the role-all run exited %d after SIGTERM", code)
	}
	out := d.log.String()
	left, stopped := strings.Index(out, "left consumer group"), strings.Index(out, "wirestream stopped cleanly")
	if left < 0 || stopped < 0 || stopped < left {
		t.Errorf("want the group left before \"wirestream stopped cleanly\":\n%s", out)
	}
}
