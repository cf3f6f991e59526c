package main

// End-to-end fault tests of the processor role on the one broker `make
// test` starts (README "Scaling out", "What happens when something
// fails"): faults the cluster test (e2e_scaleout_test.go) does not make.
// Two processors started at the same instant on an empty state — no
// topics yet, both provisioning them, both joining the group — and the
// active one killed in the middle of a rebalance, as a third joins. What
// reached Kafka is read back and counted by record id, as a consumer
// would. BENCHMARKS.md round 28 (faults28) has the same faults on a
// three-broker cluster with scripts/soak's feed server and checker.

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
)

// roleConfig writes the configuration of one instance of the scale-out
// roles on cfg's broker, topics and feeds: its own data directory and user
// agent, the shortest session the brokers accept (6 s), so that a killed
// member's partitions move soon.
func roleConfig(t *testing.T, cfg e2eConfig, dir, instance string) string {
	t.Helper()
	c := cfg
	c.DataDir = filepath.Join(dir, instance, "data")
	c.Extra = fmt.Sprintf("instance: %s\ncluster:\n  session_timeout: 6s\n", strconv.Quote(instance)) + cfg.Extra
	sub := filepath.Join(dir, instance)
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	path := c.write(t, sub)
	// The user agent names the instance, as the scale-out test's do.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Replace(string(b), "poller:\n", "poller:\n  user_agent: "+strconv.Quote(userAgentOf(instance))+"\n", 1)
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// rolesTopicPrefix is a topic prefix of t's own whose topics — the
// records' and the roles' (feed list, feed state, items, state changelog)
// — are deleted when the test ends.
func rolesTopicPrefix(t *testing.T, brokers []string) string {
	t.Helper()
	return kafkatest.TopicPrefix(t, brokers, func(prefix string) []string {
		kc := kafka.DefaultConfig()
		kc.TopicPrefix = prefix
		return append(kc.TopicNames(), prefix+"feeds", prefix+"feed_state", prefix+"items", prefix+"state")
	})
}

// startDaemonsAtOnce starts one `wirestream run` per argument list before
// waiting for any of them, and returns once each serves its ops listener.
func startDaemonsAtOnce(t *testing.T, args ...[]string) []*e2eDaemon {
	t.Helper()
	var ds []*e2eDaemon
	for _, a := range args {
		ds = append(ds, spawnDaemon(t, append([]string{"run"}, a...), e2eEnv(), nil, nil, 40))
	}
	for _, d := range ds {
		line := d.waitLog("serving metrics and health", 60*time.Second)
		var ev struct{ Addr string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Addr == "" {
			t.Fatalf("no ops address in %q: %v", line, err)
		}
		d.ops = ev.Addr
	}
	return ds
}

// actives is how many of ds say they are the active processor.
func actives(ds ...*e2eDaemon) (n int, active *e2eDaemon) {
	for _, d := range ds {
		if d.metric("wirestream_processor_active") == 1 {
			n++
			active = d
		}
	}
	return n, active
}

// Two processors started at the same instant on an empty state make one
// active and one standby; the active killed as a newcomer joins — in the
// middle of the rebalance its join starts — hands over to one of the two
// others after the session timeout: every story the feeds served is on the
// stories topic, each URL under one story id, and a story on an ongoing
// event published after the kill joins the event its earlier stories are
// in.
func TestE2EProcessorsStartedAtOnceAndKilledMidRebalanceLoseNoStory(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	wirestreamBinary(t) // built before the feeds' clock starts
	fx := newFixture(t, fixtureOptions{Feeds: 3, Items: 24, Initial: 3, Step: time.Second, Seed: 28})
	// The event's stories after the fourth appear only after the kill, one
	// every 2 s, so the processor that takes over has one to decide.
	ev := newEventFeed(t, 2, 4, 2*time.Second)
	// newE2EConfig's, with a prefix whose cleanup knows the roles' topics.
	cfg := e2eConfig{Brokers: brokers, TopicPrefix: rolesTopicPrefix(t, brokers), ShutdownTimeout: 30 * time.Second, MaxInFlight: 4}
	for i := range fx.opts.Feeds {
		cfg.Feeds = append(cfg.Feeds, fx.FeedURL(i))
		cfg.Names = append(cfg.Names, fixturePublishers[i].Name)
	}
	cfg.Feeds = append(cfg.Feeds, ev.URL())
	cfg.Names = append(cfg.Names, "Harbour News")
	dir := t.TempDir()
	storiesTopic := topicOf(cfg.TopicPrefix, record.TypeStory)
	if out := cli(t, "feeds", "push", "--config", roleConfig(t, cfg, dir, "admin")); !strings.Contains(out, "4 added") {
		t.Fatalf("feeds push: %s", out)
	}

	// The fault: both processors (and the fetcher) at once, before any of
	// the roles' topics exists.
	started := startDaemonsAtOnce(t,
		[]string{"--config", roleConfig(t, cfg, dir, "process-1"), "--role", "process", "--instance", "process-1"},
		[]string{"--config", roleConfig(t, cfg, dir, "process-2"), "--role", "process", "--instance", "process-2"},
		[]string{"--config", roleConfig(t, cfg, dir, "fetch-1"), "--role", "fetch", "--instance", "fetch-1"},
	)
	procs := map[string]*e2eDaemon{"process-1": started[0], "process-2": started[1]}
	live := func() []*e2eDaemon { return slices.Collect(maps.Values(procs)) }
	var active *e2eDaemon
	e2eEventually(t, 90*time.Second, func() bool {
		var n int
		n, active = actives(live()...)
		return n == 1 && active.storiesAcked() > 0
	}, func() string {
		n, _ := actives(live()...)
		return fmt.Sprintf("%d of the two processors started at once are active (want 1, publishing)", n)
	})
	for id, d := range procs {
		if d != active {
			d.waitLog("consumer group generation", 60*time.Second)
			if n, _ := actives(d); n != 0 {
				t.Errorf("%s is active beside the other processor", id)
			}
		}
	}

	// The event's first stories are out under one event before the kill.
	var before map[string]string
	e2eEventually(t, 60*time.Second, func() bool {
		before = storyEvents(t, brokers, storiesTopic)
		return before[ev.Link(0)] != "" && before[ev.Link(3)] != ""
	}, func() string { return "the event's first stories never reached the stories topic" })
	event := before[ev.Link(3)]
	idsBefore := storyIDs(t, brokers, storiesTopic)

	// The fault: a third processor joins, and the active one is killed as
	// the newcomer's join goes out — the group waits for the killed member
	// until its session expires, then deals the partition to a survivor.
	procs["process-3"] = startDaemon(t, roleConfig(t, cfg, dir, "process-3"), "--role", "process", "--instance", "process-3")
	procs["process-3"].waitLog("processor standing by until it owns the items partition", 60*time.Second)
	active.kill()
	killed := time.Now()
	for id, d := range procs {
		if d == active {
			delete(procs, id)
		}
	}
	ev.Release()
	var takeover time.Duration
	e2eEventually(t, 2*time.Minute, func() bool {
		n, a := actives(live()...)
		takeover = time.Since(killed)
		return n == 1 && a.storiesAcked() > 0
	}, func() string {
		n, _ := actives(live()...)
		return fmt.Sprintf("%d processors active after the kill (want 1, publishing)", n)
	})

	// Nothing lost: every fixture item and every event story in the topic.
	e2eEventually(t, 2*time.Minute, func() bool { return fx.AllServed() && ev.visible(time.Now()) == len(ev.stories) },
		func() string { return fmt.Sprintf("fixture served %d of %d items", len(fx.Served()), len(fx.All())) })
	var acc storyAccount
	var final map[string]string
	missingEvent := func() []int {
		var out []int
		for i := range ev.stories {
			if final[ev.Link(i)] == "" {
				out = append(out, i)
			}
		}
		return out
	}
	e2eEventually(t, 2*time.Minute, func() bool {
		msgs := readTopic(t, brokers, storiesTopic)
		acc, final = accountStories(msgs), storyEventsOf(msgs)
		return len(acc.Missing(fx, fx.All())) == 0 && len(missingEvent()) == 0
	}, func() string {
		missing := acc.Missing(fx, fx.All())
		return fmt.Sprintf("%d of %d served stories not in %s:%s; the event's stories %v not in it",
			len(missing), len(fx.All()), storiesTopic, describeItems(missing), missingEvent())
	})
	acc.check(t)
	// Each URL keeps the one story id it had before the kill.
	for url, ids := range storyIDs(t, brokers, storiesTopic) {
		if len(ids) != 1 {
			t.Errorf("%s published under %d story ids: %v", url, len(ids), slices.Collect(maps.Keys(ids)))
		}
		for id := range idsBefore[url] {
			if !ids[id] {
				t.Errorf("%s had story id %s before the kill, %v after", url, id, slices.Collect(maps.Keys(ids)))
			}
		}
	}
	// The event's stories decided after the takeover join its event
	// (followed through merges, as a consumer reads merged_into).
	into := eventsMergedInto(t, brokers, topicOf(cfg.TopicPrefix, record.TypeEvent))
	for i := 4; i < len(ev.stories); i++ {
		if got := final[ev.Link(i)]; finalEvent(into, got) != finalEvent(into, event) {
			t.Errorf("the event's story %d, published after the takeover, has event_id %s (ends in %s), want the event before it, %s (ends in %s)",
				i, got, finalEvent(into, got), event, finalEvent(into, event))
		}
	}
	t.Logf("two processors started at once on an empty state, one active; the active killed as a third joined: "+
		"a survivor published after %v; %d items served, all %d stories in the topic: %d story messages, %d extra copies (same record-id), %d second versions",
		takeover.Round(100*time.Millisecond), len(fx.All())+len(ev.stories), len(acc.Copies), acc.Messages, acc.Duplicates(), acc.Revisions())
	for _, d := range append(live(), started[2]) {
		stopCleanly(t, d, cfg.ShutdownTimeout)
	}
}
