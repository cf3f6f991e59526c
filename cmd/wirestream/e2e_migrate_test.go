package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

// Scaling out from role all republished every story the run remembered: the processors'
// state is the changelog topic and the fetchers' the feed_state topic, and neither read the
// run's data_dir (round 30's newcomer measured 12 story records of 6 ids). `wirestream
// migrate` copies the stopped run's state there. A run in role all publishes the first
// stories of one ongoing event, stops; migrate; a fetcher and a processor over the same feed:
// no story is published again, no item the run saw is even handed to the processor (the
// fetcher has the run's seen items), the event's next story carries the run's event_id; a
// second migrate is refused and writes nothing. On a real broker (skipped loudly without one);
// every wait bounded.
func TestE2EMigratedRoleAllStateRepublishesNothingAfterScaleOut(t *testing.T) {
	migrateThenScaleOut(t, false)
}

// The same, with the feed's migrated poll state deleted before the fetcher starts: it hands
// over every item of the feed again, and the processor, restored from the migrated changelog,
// publishes none of them as new — what proves the changelog half of the migration (the
// other test's fetcher hands the processor nothing the run saw).
func TestE2EMigratedChangelogAloneKeepsTheProcessorFromRepublishing(t *testing.T) {
	migrateThenScaleOut(t, true)
}

// migrateThenScaleOut is a run in role all, migrate, a fetcher and a processor; dropFeedState
// deletes the feed's migrated poll state before they start.
func migrateThenScaleOut(t *testing.T, dropFeedState bool) {
	brokers := kafkatest.Brokers(t)
	wirestreamBinary(t)
	const initial = 4
	feed := newEventFeed(t, initial, initial, 500*time.Millisecond)
	dir := t.TempDir()
	prefix := newE2EConfig(t, brokers, nil).TopicPrefix
	configOf := func(instance, dataDir string) string {
		var b strings.Builder
		q := strconv.Quote
		fmt.Fprintf(&b, "instance: %s\ndata_dir: %s\nlisten: 127.0.0.1:0\nshutdown_timeout: 20s\n", q(instance), q(dataDir))
		b.WriteString("log:\n  format: json\n  level: info\n")
		fmt.Fprintf(&b, "kafka:\n  brokers: [%s]\n  topic_prefix: %s\n", strings.Join(yamlQuoteAll(brokers), ", "), q(prefix))
		fmt.Fprintf(&b, "poller:\n  user_agent: %s\n", q(userAgentOf(instance)))
		b.WriteString("  allow_networks: [\"127.0.0.0/8\"]\n  min_interval: 1s\n  start_spread: 1s\n  backoff_initial: 1s\n  backoff_max: 2s\n")
		b.WriteString("pipeline:\n  max_in_flight_batches: 4\n  maintenance_interval: 2s\n")
		b.WriteString("cluster:\n  feed_partitions: 2\n  session_timeout: 6s\n")
		fmt.Fprintf(&b, "feeds:\n  - {url: %s, min_interval: 1s, max_interval: 1s}\n", q(feed.URL()))
		path := filepath.Join(dir, instance+".yaml")
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	stories := topicOf(prefix, record.TypeStory)
	allCfg := configOf("all-1", filepath.Join(dir, "all-data"))

	all := startDaemon(t, allCfg, "--role", "all")
	e2eEventually(t, 60*time.Second, func() bool { return all.storiesAcked() >= initial },
		func() string { return fmt.Sprintf("role all acked %d of %d stories", all.storiesAcked(), initial) })
	all.signal(syscall.SIGTERM)
	if code := all.wait(60 * time.Second); code != 0 {
		t.Fatalf("role all exited %d after SIGTERM", code)
	}
	before := storyEvents(t, brokers, stories)
	if len(before) != initial {
		t.Fatalf("role all published %d story URLs, want %d: %v", len(before), initial, before)
	}
	event := before[feed.Link(0)]
	for u, ev := range before {
		if ev == "" || ev != event {
			t.Fatalf("role all's stories are not one event: %s in %q, %s in %q", feed.Link(0), event, u, ev)
		}
	}

	began := time.Now()
	out := cli(t, "migrate", "--config", allCfg)
	t.Logf("migrate (%s):\n%s", time.Since(began).Round(time.Millisecond), out)
	for _, want := range []string{prefix + "state partition 0: ", "stories ", "events ", prefix + "feed_state: the poll state of 1 feed\n", feed.URL()} {
		if !strings.Contains(out, want) {
			t.Errorf("migrate does not name %q in what it wrote:\n%s", want, out)
		}
	}
	// A second migration would put the run's state over what is there: refused, nothing written.
	again := exec.Command(wirestreamBinary(t), "migrate", "--config", allCfg)
	again.Env = e2eEnv()
	refused, err := combinedOutputTied(again)
	if err == nil || !strings.Contains(string(refused), "already holds state") || !strings.Contains(string(refused), "--force") {
		t.Errorf("a second migrate was not refused (err %v):\n%s", err, refused)
	}
	cli(t, "feeds", "push", "--config", allCfg)
	if dropFeedState {
		deleteFeedState(t, allCfg, feed.URL())
	}

	proc := startDaemon(t, configOf("process-1", filepath.Join(dir, "process-1")), "--role", "process")
	fetch := startDaemon(t, configOf("fetch-1", filepath.Join(dir, "fetch-1")), "--role", "fetch")
	proc.waitLog("processor active", 60*time.Second)
	if !dropFeedState {
		// A processor restored its state before a migration's entries came: refused while
		// one runs, --force or not.
		during := exec.Command(wirestreamBinary(t), "migrate", "--force", "--config", allCfg)
		during.Env = e2eEnv()
		out, err := combinedOutputTied(during)
		if err == nil || !strings.Contains(string(out), "process-1 in processors") {
			t.Errorf("migrate --force beside a running processor was not refused, naming it (err %v):\n%s", err, out)
		}
	}
	e2eEventually(t, 60*time.Second, func() bool {
		for _, r := range feed.Requests() {
			if r.UserAgent == userAgentOf("fetch-1") {
				return true
			}
		}
		return false
	}, func() string { return "the fetcher never polled the feed" })
	feed.Release()
	e2eEventually(t, 60*time.Second, func() bool { _, ok := storyEvents(t, brokers, stories)[feed.Link(initial)]; return ok },
		func() string { return "the event's next story was not published after the scale-out" })
	for _, d := range []*e2eDaemon{fetch, proc} {
		d.signal(syscall.SIGTERM)
		if code := d.wait(60 * time.Second); code != 0 {
			t.Errorf("a scaled-out role exited %d after SIGTERM", code)
		}
	}

	perURL := map[string]int{}
	for _, m := range readTopic(t, brokers, stories) {
		var s struct{ URL string }
		if json.Unmarshal(m.Value, &s) == nil {
			perURL[s.URL]++
		}
	}
	for i := range initial {
		if n := perURL[feed.Link(i)]; n != 1 {
			t.Errorf("%s: %d story records, want 1 (role all's only): republished after the scale-out", feed.Link(i), n)
		}
	}
	handed := map[string]bool{}
	for _, m := range readTopic(t, brokers, prefix+"items") {
		for i := range initial {
			if strings.Contains(string(m.Value), feed.Link(i)) {
				handed[feed.Link(i)] = true
			}
		}
	}
	switch {
	case !dropFeedState && len(handed) > 0:
		t.Errorf("the fetcher handed over %v, which role all had seen: its feed state was not migrated", handed)
	case dropFeedState && len(handed) != initial:
		t.Errorf("without its feed state the fetcher handed over %d of role all's %d items, want all: the test proves nothing of the changelog", len(handed), initial)
	}
	if got := storyEvents(t, brokers, stories)[feed.Link(initial)]; got != event {
		t.Errorf("the event's next story after the scale-out is in event %q, want role all's %q", got, event)
	}
}

// deleteFeedState deletes url's poll state from the feed_state topic of the configuration at
// cfgPath, as if it had never been migrated.
func deleteFeedState(t *testing.T, cfgPath, url string) {
	t.Helper()
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cn, err := daemon.Conn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fs, err := feedtopics.OpenState(ctx, cn, daemon.FeedTopics(cfg), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	if err := fs.Delete(ctx, url); err != nil {
		t.Fatal(err)
	}
}
