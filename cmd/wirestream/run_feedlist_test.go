package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// Every feed_list a run stamps on its feed_status records is a form the
// record schema lists: a demo's ("demo"), a file's by path and by the
// name it gives its feeds, with and without --demo. A consumer reading
// the schema meets no other value.
func TestEveryFeedListRunStampsIsInTheRecordSchema(t *testing.T) {
	load := func(doc string) config.Config {
		path := filepath.Join(t.TempDir(), "wirestream.yaml")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(path, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, c := range []struct {
		name string
		cfg  config.Config
		demo bool
		want string
	}{
		{"demo without a file", config.Default(), true, "demo"},
		{"demo with a named file", load("feed_list: newsroom\n"), true, "demo"},
		{"file by path", load("listen: \":9464\"\n"), false, ""},
		{"file by name", load("feed_list: newsroom\n"), false, "list newsroom"},
	} {
		stamp := feedListOf(c.cfg, c.demo)
		if c.want != "" && stamp != c.want {
			t.Errorf("%s: feed_list %q, want %q", c.name, stamp, c.want)
		}
		data, err := json.Marshal(&record.FeedStatus{Type: record.TypeFeedStatus, ID: "https://a.example/rss", SchemaVersion: record.SchemaVersion,
			FeedURL: "https://a.example/rss", Health: record.HealthOK, LastAttempt: time.Unix(0, 0).UTC(), NextPoll: time.Unix(60, 0).UTC(), FeedList: stamp})
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(data); err != nil {
			t.Errorf("%s: feed_list %q: %v", c.name, stamp, err)
		}
	}
}
