package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

// When push (or add) folds another spelling of a feed into the one kept,
// the feed's poll state — validators, backoff, next poll, the items it
// has seen — comes along: it used to stay under the old key, so the feed
// was polled once without validators, as if new. A fetcher that loaded
// the kept URL's partition before the fold finds the state too, once it
// catches up on that partition (which its Assigner does for a feed added
// while it owns the partition).
func TestFeedsPushCarriesAFoldedSpellingsPollState(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string { return []string{p + "feeds", p + "feed_state"} })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirestream.yaml")
	kafka := "kafka:\n  brokers: [" + strings.Join(brokers, ", ") + "]\n  topic_prefix: " + prefix + "\ncluster:\n  feed_partitions: 4\n"
	push := func(url string) string {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(kafka+"feeds:\n  - url: "+url+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "feeds", "push", "--config", cfg)
		if code != 0 {
			t.Fatalf("feeds push: exit %d: %s", code, stderr)
		}
		return out
	}
	old, kept := "https://EXAMPLE.com/rss", "https://example.com/rss"
	push(old)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers, Provision: true})
	if err != nil {
		t.Fatal(err)
	}
	tp := feedtopics.Topics{Prefix: prefix, Partitions: 4, ReplicationFactor: 1}
	st, err := feedtopics.OpenState(ctx, cn, tp, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	state := []byte(`{"v":1,"etag":"\"v7\"","last_modified":"Fri, 04 Dec 2026 02:00:00 GMT"}`)
	if err := st.Save(ctx, old, state); err != nil {
		t.Fatal(err)
	}
	// A fetcher owning the kept URL's partition, loaded before the fold.
	p := st.PartitionOf(kept)
	store := st.NewStore(10 * time.Second)
	if err := store.Load(ctx, p); err != nil {
		t.Fatal(err)
	}

	if out := push(kept); !strings.Contains(out, "~ "+kept+" (listed before as "+old) {
		t.Fatalf("push of the other spelling said %q, want it folded", out)
	}
	m, _, err := st.Load(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if string(m[kept]) != string(state) {
		t.Errorf("feed_state of %s after the fold = %q, want the state of %s: %q", kept, m[kept], old, state)
	}
	if err := store.CatchUp(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, err := store.LoadFeedState(kept); err != nil || string(got) != string(state) {
		t.Errorf("the fetcher's store after catching up: %q, %v; want %q", got, err, state)
	}
}
