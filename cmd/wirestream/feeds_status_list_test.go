package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// `feeds status` run on another machine than `run`: the two have copies of one configuration
// file at different paths. A file that names its feeds (feed_list) is the same list on both:
// the status read marks the feed taken out of its copy removed, and the one still in it polled.
// A file that does not is named by its path, which differs: nothing is marked (the feed
// comparison must not guess), as the README says. Before round 22 the list was always the path,
// so the cross-machine read marked none even with a name.
func TestFeedsStatusOnAnotherMachineComparesWithTheFilesNamedFeedList(t *testing.T) {
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
	base := "kafka:\n  brokers: [" + strings.Join(brokers, ", ") + "]\n  topic_prefix: " + sink.TopicPrefix + "\npoller:\n  status_interval: 1h\n"
	write := func(dir, doc string) string {
		path := filepath.Join(dir, "wirestream.yaml")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	both := "feeds:\n  - url: https://a.example/rss\n  - url: https://b.example/rss\n"
	onlyA := "feeds:\n  - url: https://a.example/rss\n"
	for _, tc := range []struct {
		name, key   string
		wantRemoved bool
	}{
		{"named", "feed_list: newsroom\n", true},
		{"by path", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The machine that runs: its file lists a and b, and its records name its list.
			runs, err := config.Load(write(t.TempDir(), base+tc.key+both), func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			stamp := feedListOf(runs, false)
			now := time.Now().UTC()
			var recs []record.Record
			for _, u := range []string{"https://a.example/rss", "https://b.example/rss"} {
				recs = append(recs, &record.FeedStatus{Type: record.TypeFeedStatus, ID: u, SchemaVersion: record.SchemaVersion,
					FeedURL: u, Health: record.HealthOK, LastAttempt: now.Add(-time.Minute),
					NextPoll: now.Add(5 * time.Minute), FeedList: stamp})
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
			// The other machine: its copy lies elsewhere, and b has been taken out of it.
			copyPath := write(mkdir(t, filepath.Join(t.TempDir(), "elsewhere")), base+tc.key+onlyA)
			code, out, stderr := runCLI(t, "", "feeds", "status", "--config", copyPath)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || len(lines) < 4 {
				t.Fatalf("feeds status --config %s = exit %d, %q:\n%s", copyPath, code, stderr, out)
			}
			removed := strings.HasPrefix(lines[2], "removed") && strings.Contains(lines[2], "https://b.example/rss")
			if removed != tc.wantRemoved || strings.HasPrefix(lines[1], "removed") {
				t.Errorf("run stamped %q; feeds status on another machine:\n%s\nwant b removed: %v, a not", stamp, out, tc.wantRemoved)
			}
		})
	}
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
