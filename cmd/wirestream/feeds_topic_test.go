package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/feedstatus"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// The fetchers' feed list on a real broker, managed from the command line:
// push makes the topic match a config, add and remove change one feed,
// list shows what fetchers will poll, each feed with its partition.
func TestFeedsPushAddRemoveAndListTheFeedListTopic(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string { return []string{p + "feeds", p + "feed_state"} })
	cfg := filepath.Join(t.TempDir(), "wirestream.yaml")
	doc := "kafka:\n  brokers: [" + strings.Join(brokers, ", ") + "]\n  topic_prefix: " + prefix + "\ncluster:\n  feed_partitions: 4\n" +
		"feeds:\n  - url: https://a.example/rss\n    tags: [world]\n  - url: https://b.example/rss\n" +
		"  - url: https://c.example/rss\n    headers:\n      Authorization: \"Bearer ${WIRE_TOKEN}\"\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		code, out, stderr := runCLI(t, "", append(args, "--config", cfg)...)
		if code != 0 {
			t.Fatalf("wirestream %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		return out
	}

	if out := run("feeds", "push", "--dry-run"); !strings.Contains(out, "3 added") {
		t.Errorf("push --dry-run said %q, want 3 added", out)
	}
	if out := run("feeds", "list"); out != "" {
		t.Errorf("a dry run wrote to the topic: list says %q", out)
	}
	if out := run("feeds", "push"); !strings.Contains(out, "3 added, 0 updated, 0 removed") {
		t.Errorf("push said %q", out)
	}
	if out := run("feeds", "push"); !strings.Contains(out, "0 added, 0 updated, 0 removed, 3 unchanged") {
		t.Errorf("a second push said %q, want nothing changed", out)
	}
	if out := run("feeds", "add", "--kafka", "https://d.example/rss", "--tag", "business", "--tag", "europe"); !strings.HasPrefix(out, "added https://d.example/rss (partition ") {
		t.Errorf("add said %q", out)
	}
	if out := run("feeds", "add", "--kafka", "https://d.example/rss", "--tag", "business", "--tag", "europe"); !strings.HasPrefix(out, "unchanged") {
		t.Errorf("adding the same feed again said %q", out)
	}
	if out := run("feeds", "remove", "--kafka", "https://b.example/rss"); out != "removed https://b.example/rss\n" {
		t.Errorf("remove said %q", out)
	}
	if out := run("feeds", "remove", "--kafka", "https://b.example/rss", "--missing-ok"); !strings.Contains(out, "nothing to remove") {
		t.Errorf("removing it again with --missing-ok said %q", out)
	}
	// Without --missing-ok a feed the topic does not hold is an error that
	// names the topic and the feed most likely meant.
	if code, _, stderr := runCLI(t, "", "feeds", "remove", "--kafka", "http://www.a.example/rss/", "--config", cfg); code != 1 ||
		!strings.Contains(stderr, "no feed http://www.a.example/rss/ is configured in the fetchers' feed list "+prefix+"feeds: nothing removed; did you mean https://a.example/rss?") {
		t.Errorf("remove of an unlisted spelling = exit %d, %q, want exit 1 naming the topic and https://a.example/rss", code, stderr)
	}
	list := run("feeds", "list", "--json")
	for _, want := range []string{`"url":"https://a.example/rss","tags":["world"]`, `"url":"https://c.example/rss","headers":{"Authorization":"Bearer ${WIRE_TOKEN}"}`,
		`"url":"https://d.example/rss","tags":["business","europe"]`} {
		if !strings.Contains(list, want) {
			t.Errorf("list --json lacks %s:\n%s", want, list)
		}
	}
	if strings.Contains(list, "b.example") || strings.Count(list, "\n") != 3 {
		t.Errorf("list --json after the removal:\n%s", list)
	}
	// Push makes the topic match the config again: d goes, b comes back.
	if out := run("feeds", "push"); !strings.Contains(out, "1 added, 0 updated, 1 removed, 2 unchanged") ||
		!strings.Contains(out, "+ https://b.example/rss") || !strings.Contains(out, "- https://d.example/rss") {
		t.Errorf("push after add and remove said %q", out)
	}
	// add of a listed feed sets what it is given and keeps the rest: c's
	// Authorization header stays (before, the flags were the whole entry,
	// and re-tagging c dropped it).
	if out := run("feeds", "add", "--kafka", "https://c.example/rss", "--tag", "wire"); !strings.HasPrefix(out, "updated https://c.example/rss") {
		t.Errorf("add of a listed feed with a tag said %q", out)
	}
	if list := run("feeds", "list", "--json"); !strings.Contains(list, `"url":"https://c.example/rss","tags":["wire"],"headers":{"Authorization":"Bearer ${WIRE_TOKEN}"}`) {
		t.Errorf("list --json after re-tagging c, want its header kept:\n%s", list)
	}
	// One machine's feed under two of its names: both listed (two
	// requests), and add says so, as validate does of a file.
	if out := run("feeds", "add", "--kafka", "http://127.0.0.1:8000/x"); !strings.HasPrefix(out, "added http://127.0.0.1:8000/x") {
		t.Errorf("add of a loopback feed said %q", out)
	}
	code, out, stderr := runCLI(t, "", "feeds", "add", "--kafka", "http://localhost:8000/x", "--config", cfg)
	if code != 0 || !strings.HasPrefix(out, "added http://localhost:8000/x") ||
		!strings.Contains(stderr, "warning: http://localhost:8000/x names the machine's own feed http://127.0.0.1:8000/x under another name") {
		t.Errorf("add of localhost beside 127.0.0.1 = exit %d, stdout %q, stderr %q; want it added, with a warning naming both", code, out, stderr)
	}
}

// `feeds status` on a real broker (auto.create.topics.enable=true) marks
// the feeds the fetchers' feed list does not hold "removed", and reads
// that list without creating it: a cluster whose `run` polls its file
// must not get an empty feed list from a status read.
func TestFeedsStatusMarksRemovedFeedsWithoutCreatingTheFeedList(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	sink := kafkasink.DefaultConfig()
	sink.Brokers = brokers
	sink.TopicPrefix = kafkatest.TopicPrefix(t, brokers, func(p string) []string {
		names := []string{p + "feeds", p + "feed_state"}
		for _, ty := range record.Types {
			names = append(names, sink.TopicName(ty))
		}
		return names
	})
	now := time.Now().UTC()
	var recs []record.Record
	for _, u := range []string{"https://a.example/rss", "https://b.example/rss"} {
		recs = append(recs, &record.FeedStatus{Type: record.TypeFeedStatus, ID: u, SchemaVersion: record.SchemaVersion,
			FeedURL: u, Health: record.HealthFailing, LastErrorClass: "dns", LastError: "fetch " + u + ": no such host",
			ConsecutiveFailures: 2, LastAttempt: now.Add(-4 * time.Minute), NextPoll: now.Add(-2 * time.Minute)})
	}
	ctx := t.Context()
	s, err := kafkasink.New(ctx, sink, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "wirestream.yaml")
	doc := "kafka:\n  brokers: [" + strings.Join(brokers, ", ") + "]\n  topic_prefix: " + sink.TopicPrefix + "\npoller:\n  status_interval: 1h\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := runCLI(t, "", "feeds", "status", "--config", cfg)
	if code != 0 || strings.Contains(out, "removed") || !strings.Contains(out, "\n2 feeds: 2 failing\n") {
		t.Errorf("feeds status with no feed list anywhere = exit %d, %q:\n%s\nwant both failing, none marked", code, stderr, out)
	}
	if list, err := feedstatus.ReadList(ctx, sink, sink.TopicPrefix+"feeds"); list != nil || err != nil {
		t.Errorf("after feeds status the cluster has the feed list topic (%v, %v): a status read created it", list, err)
	}

	if code, _, stderr := runCLI(t, "", "feeds", "add", "--kafka", "--config", cfg, "https://a.example/rss"); code != 0 {
		t.Fatalf("feeds add --kafka = exit %d: %s", code, stderr)
	}
	code, out, stderr = runCLI(t, "", "feeds", "status", "--config", cfg)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) < 4 || !strings.HasPrefix(lines[1], "failing") || !strings.Contains(lines[1], "~in") ||
		!strings.HasPrefix(lines[2], "removed") || !strings.Contains(lines[2], "https://b.example/rss") || strings.Contains(lines[2], "~") ||
		lines[3] != "2 feeds: 1 failing, 1 removed (not in the feed list "+sink.TopicPrefix+"feeds)" {
		t.Errorf("feeds status with a feed list holding a = exit %d, %q:\n%s\nwant b removed, a failing ~in", code, stderr, out)
	}

	// A single `run` polling its file shares the topics: its records name
	// the file (feed_list) and are compared with it alone — c, which the
	// Kafka list does not hold, is polled, not removed; d, taken out of
	// the file, is removed from it.
	withFeeds := filepath.Join(t.TempDir(), "run.yaml")
	if err := os.WriteFile(withFeeds, []byte(doc+"feeds:\n  - url: https://c.example/rss\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	recs = nil
	for _, u := range []string{"https://c.example/rss", "https://d.example/rss"} {
		recs = append(recs, &record.FeedStatus{Type: record.TypeFeedStatus, ID: u, SchemaVersion: record.SchemaVersion,
			FeedURL: u, Health: record.HealthFailing, LastErrorClass: "dns", LastError: "fetch " + u + ": no such host",
			ConsecutiveFailures: 2, LastAttempt: now.Add(-4 * time.Minute), NextPoll: now.Add(-2 * time.Minute),
			FeedList: feedstatus.FileList(withFeeds)})
	}
	if s, err = kafkasink.New(ctx, sink, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, "", "feeds", "status", "--config", withFeeds)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	want := "4 feeds: 2 failing, 2 removed (not in the feed list " + sink.TopicPrefix + "feeds nor the feeds of " + withFeeds + ")"
	if code != 0 || len(lines) < 6 || lines[5] != want || strings.Contains(strings.Join(lines[1:3], "\n"), "removed") ||
		!strings.Contains(strings.Join(lines[1:3], "\n"), "https://c.example/rss") || !strings.Contains(strings.Join(lines[3:5], "\n"), "https://d.example/rss") {
		t.Errorf("feeds status --config %s = exit %d, %q:\n%s\nwant a and c failing, b and d removed, and %q", withFeeds, code, stderr, out, want)
	}
}
