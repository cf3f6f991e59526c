package main

// End-to-end faults of a three-broker cluster under `--role all` (round
// 29, branch cluster29): the leader of the stories topic's partitions
// stalled (SIGSTOP) past the producer's timeouts, and two brokers of three
// stalled, below min.insync.replicas. Topics have replication factor 3 and
// min.insync.replicas 2. What reached Kafka is read back and counted by
// record id, as a consumer would. Both start a cluster (80 s and more on
// a loaded machine), so they run only with WIRESTREAM_E2E_LONG=1.

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

type clusterRun struct {
	t  *testing.T
	c  *kafkatest.Cluster
	s  *scaleOut
	fx *feedFixture
	d  *e2eDaemon
}

func startClusterRun(t *testing.T, seed uint64) *clusterRun {
	t.Helper()
	if os.Getenv("WIRESTREAM_E2E_LONG") == "" {
		t.Skip("WIRESTREAM_E2E_LONG unset: a three-broker cluster takes 80 s and more to start on a loaded machine")
	}
	wirestreamBinary(t)
	c := kafkatest.StartCluster(t, 3)
	fx := newFixture(t, fixtureOptions{Feeds: 3, Items: 40, Initial: 4, Step: 3 * time.Second, Seed: seed})
	s := &scaleOut{t: t, dir: t.TempDir(), brokers: c.Brokers, prefix: uniquePrefix(t)}
	for i := range fx.opts.Feeds {
		s.feeds = append(s.feeds, fx.FeedURL(i))
	}
	if out := cli(t, "feeds", "push", "--config", s.config("admin")); !strings.Contains(out, "3 added") {
		t.Fatalf("feeds push: %s", out)
	}
	r := &clusterRun{t: t, c: c, s: s, fx: fx, d: s.start("all", "all-1")}
	e2eEventually(t, 2*time.Minute, func() bool { return r.d.storiesAcked() > 0 },
		func() string { return "role all published no story before the fault" })
	return r
}

// storiesLeader returns the node that leads most of the stories topic's partitions.
func (r *clusterRun) storiesLeader() int {
	r.t.Helper()
	count := map[int]int{}
	best := 0
	for _, p := range r.c.Partitions(r.t, topicOf(r.s.prefix, record.TypeStory)) {
		count[p.Leader.ID]++
		if best == 0 || count[p.Leader.ID] > count[best] {
			best = p.Leader.ID
		}
	}
	if best < 1 || best > 3 {
		r.t.Fatalf("no leader of the stories topic among nodes 1-3: %v", count)
	}
	return best
}

// alive fails the test if the daemon has exited.
func (r *clusterRun) alive(when string) {
	r.t.Helper()
	select {
	case <-r.d.done:
		r.t.Fatalf("wirestream exited %s: %v", when, r.d.waitErr)
	default:
	}
}

// checkNoStoryLost waits (bounded) until every item the fixture served is
// on the stories topic and checks the account of it.
func (r *clusterRun) checkNoStoryLost(what string) storyAccount {
	r.t.Helper()
	return checkEveryServedStoryArrived(r.t, r.fx, r.c.Brokers, r.s.prefix, what, 3*time.Minute)
}

// logLines counts the daemon's log lines at level WARN or ERROR so far.
func (r *clusterRun) logLines() int {
	n := 0
	for line := range strings.SplitSeq(r.d.log.String(), "\n") {
		if strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`) {
			n++
		}
	}
	return n
}

// (a) The leader of the stories topic's partitions stalls for longer than
// the producer's timeouts, then runs again: writes go to the new leader,
// nothing is lost, and the process neither exits nor stalls for good.
func TestE2EClusterStoriesLeaderStalledPastTheProducerTimeouts(t *testing.T) {
	r := startClusterRun(t, 2901)
	leader := r.storiesLeader()
	acked := r.d.storiesAcked()
	r.c.PauseNode(t, leader)
	paused := time.Now()
	resumed := false
	defer func() {
		if !resumed {
			r.c.ResumeNode(t, leader)
		}
	}()
	// Stories go on being published while the old leader is stalled: the
	// controller moves leadership once the node's session times out.
	e2eEventually(t, 2*time.Minute, func() bool { r.alive("while the leader was stalled"); return r.d.storiesAcked() > acked },
		func() string {
			return fmt.Sprintf("no story acknowledged while node %d (the leader) was stalled", leader)
		})
	t.Logf("first story acknowledged %v after node %d, the stories leader, was stalled", time.Since(paused), leader)
	if d := 45*time.Second - time.Since(paused); d > 0 {
		time.Sleep(d) // past the producer's write and request timeouts
	}
	r.alive("while the leader was stalled")
	r.c.ResumeNode(t, leader)
	resumed = true
	acc := r.checkNoStoryLost("after the stories leader stalled")
	t.Logf("leader stalled 45 s: %d story messages, %d extra copies, %d second versions", acc.Messages, acc.Duplicates(), acc.Revisions())
	stopCleanly(t, r.d, 30*time.Second)
}

// (b) Two brokers of three stall for about 25 s: the one left cannot meet
// min.insync.replicas 2 (nor the controller quorum). Writes wait and retry
// with backoff, not a hot loop of errors, and resume; nothing is lost.
func TestE2EClusterTwoBrokersStalledBelowMinInsync(t *testing.T) {
	r := startClusterRun(t, 2902)
	leader := r.storiesLeader()
	other := leader%3 + 1
	before := r.logLines()
	logAt := len(r.d.log.String())
	r.c.PauseNode(t, leader)
	r.c.PauseNode(t, other)
	paused := time.Now()
	resumed := false
	defer func() {
		if !resumed {
			r.c.ResumeNode(t, leader)
			r.c.ResumeNode(t, other)
		}
	}()
	var ready []string
	notReady := 0
	for time.Since(paused) < 25*time.Second {
		r.alive("while two brokers were stalled")
		code, body, err := r.d.get("/readyz")
		ready = append(ready, fmt.Sprintf("%.0fs /readyz %d %v %s; stories acked %d, pending %d", time.Since(paused).Seconds(), code, err,
			strings.TrimSpace(body), r.d.storiesAcked(), r.d.storiesPending()))
		if code != 200 && strings.Contains(body, "writes failing") {
			notReady++
		}
		time.Sleep(time.Second)
	}
	during := r.logLines() - before
	r.c.ResumeNode(t, leader)
	r.c.ResumeNode(t, other)
	resumed = true
	t.Logf("/readyz while nodes %d and %d were stalled:\n%s", leader, other, strings.Join(ready, "\n"))
	t.Logf("%d WARN/ERROR lines in the 25 s of the stall", during)
	if lines := strings.Split(r.d.log.String()[logAt:], "\n"); len(lines) > 0 {
		t.Logf("its log in and after the stall (up to 30 lines):\n%s", strings.Join(lines[:min(30, len(lines))], "\n"))
	}
	// A hot loop logs an error per attempt, hundreds a second; a retry
	// with backoff a few a second at most.
	if during > 200 {
		t.Errorf("%d WARN/ERROR log lines in 25 s with two brokers stalled: a hot loop of errors, not a backoff", during)
	}
	// The writes that wait say so, once their run of failures has lasted
	// quietretry.WarnAfter: the first attempt fails by kafka.write_timeout
	// (10 s), well inside the 25 s stall.
	e2eEventually(t, 30*time.Second, func() bool { return strings.Contains(r.d.log.String()[logAt:], "kafka write failed; retrying") },
		func() string { return "no warning that writes were failing while two brokers of three were stalled" })
	// The one node left answers ApiVersions, but no write is acknowledged:
	// /readyz says so once the writes have warned (before round 29's fix
	// it said 200 throughout).
	if notReady == 0 {
		t.Errorf("/readyz never said the writes were failing while two brokers of three were stalled")
	}
	acc := r.checkNoStoryLost("after two brokers stalled")
	t.Logf("two brokers stalled 25 s: %d story messages, %d extra copies, %d second versions", acc.Messages, acc.Duplicates(), acc.Revisions())
	stopCleanly(t, r.d, 30*time.Second)
}
