package main

// End-to-end faults of the scale-out roles on the one broker `make test`
// starts, beyond e2e_faults_test.go's (round 29, branch faults29): a
// foreign producer's records in the state changelog, the fetcher and the
// processor killed at the same instant. What reached Kafka is read back
// and counted by record id, as a consumer would.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// rolesRun is one fetcher and its processors on cfg's broker and feeds.
type rolesRun struct {
	t   *testing.T
	cfg e2eConfig
	dir string
	fx  *feedFixture
}

func newRolesRun(t *testing.T, fx fixtureOptions) *rolesRun {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	wirestreamBinary(t) // built before the feeds' clock starts
	r := &rolesRun{t: t, dir: t.TempDir(), fx: newFixture(t, fx)}
	r.cfg = e2eConfig{Brokers: brokers, TopicPrefix: rolesTopicPrefix(t, brokers), ShutdownTimeout: 20 * time.Second, MaxInFlight: 4}
	for i := range r.fx.opts.Feeds {
		r.cfg.Feeds = append(r.cfg.Feeds, r.fx.FeedURL(i))
		r.cfg.Names = append(r.cfg.Names, fixturePublishers[i].Name)
	}
	if out := cli(t, "feeds", "push", "--config", roleConfig(t, r.cfg, r.dir, "admin")); !strings.Contains(out, fmt.Sprintf("%d added", fx.Feeds)) {
		t.Fatalf("feeds push: %s", out)
	}
	return r
}

func (r *rolesRun) start(role, instance string) *e2eDaemon {
	r.t.Helper()
	return startDaemon(r.t, roleConfig(r.t, r.cfg, r.dir, instance), "--role", role, "--instance", instance)
}

// checkNoStoryLost waits (bounded) until every item the fixture served is
// on the stories topic and returns the account of it.
func (r *rolesRun) checkNoStoryLost(what string) storyAccount {
	r.t.Helper()
	return checkEveryServedStoryArrived(r.t, r.fx, r.cfg.Brokers, r.cfg.TopicPrefix, what, 2*time.Minute)
}

// checkEveryServedStoryArrived waits (each step up to wait) until the fixture served every
// item and every one is a story on prefix's stories topic, checks the account (one key and
// record-id per story) and returns it; what names the moment in a failure.
func checkEveryServedStoryArrived(t *testing.T, fx *feedFixture, brokers []string, prefix, what string, wait time.Duration) storyAccount {
	t.Helper()
	e2eEventually(t, wait, fx.AllServed, func() string {
		return fmt.Sprintf("fixture served %d of %d items", len(fx.Served()), len(fx.All()))
	})
	topic := topicOf(prefix, record.TypeStory)
	var acc storyAccount
	e2eEventually(t, wait, func() bool {
		acc = accountStories(readTopic(t, brokers, topic))
		return len(acc.Missing(fx, fx.All())) == 0
	}, func() string {
		missing := acc.Missing(fx, fx.All())
		return fmt.Sprintf("%s: %d of %d served stories not in %s:%s", what, len(missing), len(fx.All()), topic, describeItems(missing))
	})
	acc.check(t)
	return acc
}

// A producer that is not wirestream writes records into the state
// changelog partition the active processor appends to — garbage under
// keys of the state's own tables — and the processor is then stopped and
// another started. The new owner restores the partition: it must not be
// stuck refusing it forever with the feeds' items waiting in the items
// topic; it says which record it could not read, and decides every item.
func TestE2EAForeignRecordInTheStateChangelogDoesNotStopProcessing(t *testing.T) {
	r := newRolesRun(t, fixtureOptions{Feeds: 3, Items: 16, Initial: 4, Step: time.Second, Seed: 29})
	fetcher := r.start("fetch", "fetch-1")
	p1 := r.start("process", "process-1")
	e2eEventually(t, 90*time.Second, func() bool { return p1.storiesAcked() > 0 },
		func() string { return "process-1 published no story" })

	// The fault: a foreign producer's records, one per table of the state
	// (table id, then the key), with bytes no table can read.
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP(r.cfg.Brokers...), Topic: r.cfg.TopicPrefix + "state", RequiredAcks: kafka.RequireAll, Transport: tr}
	defer w.Close()
	var garbage []kafka.Message
	for table := byte(1); table <= 8; table++ {
		garbage = append(garbage, kafka.Message{Partition: 0, Key: append([]byte{table}, "not-a-key\xff\x00"...), Value: []byte("\xde\xad\xbe\xef garbage from another producer")})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kafkatest.Write(t, ctx, w, garbage...)

	p1.kill()
	p2 := r.start("process", "process-2")
	e2eEventually(t, 90*time.Second, func() bool { return p2.metric("wirestream_processor_active") == 1 }, func() string {
		return "process-2 never became active after restoring a changelog with foreign records"
	})
	// It says which records it skipped and what to do about them.
	line := p2.waitLog(kafkastate.UnreadableRecordMsg, 10*time.Second)
	if !strings.Contains(line, `"level":"ERROR"`) || !strings.Contains(line, `"offset":`) {
		t.Errorf("the skipped record is not an ERROR naming its offset: %s", line)
	}
	acc := r.checkNoStoryLost("after foreign records in the changelog")
	t.Logf("foreign records in the changelog: %d story messages, %d extra copies, %d second versions", acc.Messages, acc.Duplicates(), acc.Revisions())
	stopCleanly(t, p2, r.cfg.ShutdownTimeout)
	stopCleanly(t, fetcher, r.cfg.ShutdownTimeout)
}

// eventRevisionsBackwards reads the events topic and returns, for each
// event id whose revisions on it do not only rise in offset order, the
// revisions in that order: a compacted topic then keeps an older state of
// the event as its latest.
func eventRevisionsBackwards(t *testing.T, brokers []string, topic string) map[string][]int {
	t.Helper()
	seq := map[string][]int{}
	for _, m := range readTopic(t, brokers, topic) { // per partition, in offset order; an id is on one
		var e struct {
			ID       string `json:"id"`
			Revision int    `json:"revision"`
		}
		if json.Unmarshal(m.Value, &e) == nil && e.ID != "" {
			seq[e.ID] = append(seq[e.ID], e.Revision)
		}
	}
	out := map[string][]int{}
	for id, revs := range seq {
		for i := 1; i < len(revs); i++ {
			if revs[i] < revs[i-1] {
				out[id] = revs
				break
			}
		}
	}
	return out
}

// The active processor stopped (SIGSTOP: a stopped VM, a GC stall, a
// network partition) past its session while the feeds go on, the standby
// taking the items partition over and publishing, then resumed: the
// zombie learns it lost the partition and stands by, every story is on the
// stories topic, and no event's revisions go back on the events topic —
// what it had in flight is refused by the sink fence (README "Sink
// fencing") rather than landing over the standby's newer records.
func TestE2EAProcessorStoppedPastItsSessionAndResumedStandsByAndSendsNoEventBack(t *testing.T) {
	r := newRolesRun(t, fixtureOptions{Feeds: 3, Items: 24, Initial: 3, Step: time.Second, Seed: 291})
	ev := newEventFeed(t, 2, 4, time.Second)
	if out := cli(t, "feeds", "add", "--kafka", ev.URL(), "--config", roleConfig(t, r.cfg, r.dir, "admin")); !strings.Contains(out, "added") {
		t.Fatalf("feeds add: %s", out)
	}
	fetcher := r.start("fetch", "fetch-1")
	p1 := r.start("process", "process-1")
	e2eEventually(t, 90*time.Second, func() bool { return p1.metric("wirestream_processor_active") == 1 && p1.storiesAcked() > 0 },
		func() string { return "process-1 never active and publishing" })
	p2 := r.start("process", "process-2")
	p2.waitLog("consumer group generation", 60*time.Second)
	eventsTopic := topicOf(r.cfg.TopicPrefix, record.TypeEvent)
	e2eEventually(t, 60*time.Second, func() bool { return len(readTopic(t, r.cfg.Brokers, eventsTopic)) > 0 },
		func() string { return "no event record before the stop" })

	// The fault: process-1 stopped while it publishes, the event's held
	// stories appearing from now on, one a second.
	p1.signal(syscall.SIGSTOP)
	stopped := time.Now()
	ev.Release()
	resumed := false
	defer func() {
		if !resumed {
			_ = p1.cmd.Process.Signal(syscall.SIGCONT) // so that cleanup's kill ends it
		}
	}()
	e2eEventually(t, 90*time.Second, func() bool { return p2.metric("wirestream_processor_active") == 1 && p2.storiesAcked() > 0 },
		func() string { return "process-2 did not take over from the stopped process-1" })
	takeover := time.Since(stopped)
	// A few of the standby's batches out before the zombie wakes up.
	acked := p2.storiesAcked()
	e2eEventually(t, 30*time.Second, func() bool { return p2.storiesAcked() >= acked+2 || r.fx.AllServed() },
		func() string { return "process-2 published nothing more after taking over" })
	p1.signal(syscall.SIGCONT)
	resumed = true
	resumedAt := time.Now()
	e2eEventually(t, 60*time.Second, func() bool { return p1.metric("wirestream_processor_active") == 0 },
		func() string { return "process-1, resumed after losing its session, still says it is active" })
	stoodBy := time.Since(resumedAt)
	t.Logf("process-1 stood by %v after resuming; checking the topics", stoodBy.Round(100*time.Millisecond))
	if n, _ := actives(p1, p2); n != 1 {
		t.Errorf("%d processors active after the zombie resumed, want 1", n)
	}

	acc := r.checkNoStoryLost("after the zombie processor resumed")
	e2eEventually(t, 60*time.Second, func() bool { return ev.visible(time.Now()) == len(ev.stories) },
		func() string { return "the event feed did not show all its stories" })
	e2eEventually(t, 2*time.Minute, func() bool {
		ids := storyEvents(t, r.cfg.Brokers, topicOf(r.cfg.TopicPrefix, record.TypeStory))
		for i := range ev.stories {
			if ids[ev.Link(i)] == "" {
				return false
			}
		}
		return true
	}, func() string { return "the event's stories did not all reach the stories topic" })
	for id, revs := range eventRevisionsBackwards(t, r.cfg.Brokers, eventsTopic) {
		t.Errorf("event %s: revisions on the events topic go back: %v (a zombie's late record over the standby's)", id, revs)
	}
	t.Logf("active processor stopped %v (taken over after %v), then resumed: %d story messages, %d extra copies (same record-id), %d second versions; process-1 stood by %v after resuming",
		resumedAt.Sub(stopped).Round(100*time.Millisecond), takeover.Round(100*time.Millisecond), acc.Messages, acc.Duplicates(), acc.Revisions(),
		stoodBy.Round(100*time.Millisecond))
	for _, d := range []*e2eDaemon{p1, p2, fetcher} {
		stopCleanly(t, d, r.cfg.ShutdownTimeout)
	}
}

// The fetcher and the active processor killed at the same instant (a
// node running both lost) and started again on their data dirs: every
// story the feeds served is on the stories topic, each URL under one
// story id; what was in flight is published again under the same
// record-id (README "Delivery guarantees").
func TestE2EAFetcherAndTheProcessorKilledTogetherLoseNoStory(t *testing.T) {
	r := newRolesRun(t, fixtureOptions{Feeds: 3, Items: 24, Initial: 3, Step: time.Second, Seed: 292})
	fetcher := r.start("fetch", "fetch-1")
	p1 := r.start("process", "process-1")
	e2eEventually(t, 90*time.Second, func() bool { return p1.storiesAcked() > 3 },
		func() string { return "process-1 published no story" })
	storiesTopic := topicOf(r.cfg.TopicPrefix, record.TypeStory)
	idsBefore := storyIDs(t, r.cfg.Brokers, storiesTopic)

	// The fault: both killed at once, mid-stream.
	_ = fetcher.cmd.Process.Signal(syscall.SIGKILL)
	_ = p1.cmd.Process.Signal(syscall.SIGKILL)
	fetcher.wait(30 * time.Second)
	p1.wait(30 * time.Second)
	killed := time.Now()
	fetcher = r.start("fetch", "fetch-1")
	p1 = r.start("process", "process-1")
	e2eEventually(t, 90*time.Second, func() bool {
		return p1.storiesAcked() > 0 || r.fx.AllServed() && p1.metric("wirestream_processor_active") == 1
	},
		func() string { return "the restarted processor published nothing" })
	again := time.Since(killed)

	acc := r.checkNoStoryLost("after the fetcher and the processor were killed together")
	for url, ids := range storyIDs(t, r.cfg.Brokers, storiesTopic) {
		if len(ids) != 1 {
			t.Errorf("%s published under %d story ids: %v", url, len(ids), slices.Collect(maps.Keys(ids)))
		}
		for id := range idsBefore[url] {
			if !ids[id] {
				t.Errorf("%s had story id %s before the kill, %v after", url, id, slices.Collect(maps.Keys(ids)))
			}
		}
	}
	t.Logf("fetcher and processor killed together and restarted: publishing again %v after the kill; %d stories, %d story messages, %d extra copies (same record-id), %d second versions",
		again.Round(100*time.Millisecond), len(acc.Copies), acc.Messages, acc.Duplicates(), acc.Revisions())
	stopCleanly(t, p1, r.cfg.ShutdownTimeout)
	stopCleanly(t, fetcher, r.cfg.ShutdownTimeout)
}

// The broker restarted on an empty data dir (its disk lost or replaced)
// while a fetcher and a processor run: every topic, the feed list, the
// groups' offsets, the producer ids and the state changelog gone. The
// processor becomes active again by itself, creating the changelog again
// (before round 29 it waited for ever for a next generation); the feed
// list must be pushed again (`wirestream feeds push`) — nothing else
// knows it. Each feed's progress is gone too, so every item still listed
// is published again, as after a lost data dir: every story the feeds
// list ends up on the stories topic.
//
// Round 29 left a defect, which round 30 fixed: kafka-go's consumer group
// asked for its topic's partitions allowing auto-creation, so a broker
// that auto-creates topics (the default, and scripts/kafka.sh's) created
// the fetchers' feed list again with its own defaults (one partition,
// cleanup.policy=delete), which `feeds push` refused, naming it, until
// the fetcher was stopped and the topic deleted. Now the first push
// creates it as configured, and the running fetcher is dealt it. Behind WIRESTREAM_E2E_LONG=1 (and KAFKA_CONTROL=1, as scripts/test.sh
// sets): about 3 minutes, most of it the broker's restart.
func TestE2EABrokerBackOnAnEmptyDataDirIsRecoveredByAPush(t *testing.T) {
	if os.Getenv("WIRESTREAM_E2E_LONG") == "" {
		t.Skip("WIRESTREAM_E2E_LONG unset: the broker restarted on an empty data dir takes about 3 minutes")
	}
	r := newRolesRun(t, fixtureOptions{Feeds: 3, Items: 30, Initial: 3, Step: time.Second, Seed: 293})
	if !kafkatest.RequireControl(t) {
		return
	}
	fetcher := r.start("fetch", "fetch-1")
	p1 := r.start("process", "process-1")
	e2eEventually(t, 90*time.Second, func() bool { return p1.storiesAcked() > 3 },
		func() string { return "process-1 published no story" })

	kafkatest.RestartBrokerEmpty(t)
	wiped := time.Now()
	e2eEventually(t, 3*time.Minute, func() bool {
		_, ok := p1.log.Line("processor state lost")
		return ok || strings.Count(p1.log.String(), "processor active: it owns the items partition") > 1
	}, func() string { return "process-1 did not become active again after the broker came back empty" })
	active := time.Since(wiped)

	push := func() (string, error) {
		cmd := exec.Command(wirestreamBinary(t), "feeds", "push", "--config", roleConfig(t, r.cfg, r.dir, "admin"))
		cmd.Env = e2eEnv()
		out, err := combinedOutputTied(cmd)
		return string(out), err
	}
	if out, err := push(); err != nil {
		t.Fatalf("feeds push after the wipe (the running fetcher's group must not have let the broker create the feed list with its defaults): %v\n%s", err, out)
	}
	acc := r.checkNoStoryLost("after the broker came back on an empty data dir")
	t.Logf("broker back on an empty data dir: the processor active again %v after, by itself; every story on the new stories topic %v after (%d story messages, %d extra copies)",
		active.Round(100*time.Millisecond), time.Since(wiped).Round(100*time.Millisecond), acc.Messages, acc.Duplicates())
	stopCleanly(t, p1, r.cfg.ShutdownTimeout)
	stopCleanly(t, fetcher, r.cfg.ShutdownTimeout)
}
