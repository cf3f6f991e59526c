package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Editing a file that names brokers reminds of the fetchers' copy in Kafka as a condition: most
// such files serve a single `wirestream run`, which reads the file and needs no push. A file
// naming no brokers gets no reminder.
func TestFeedsAddRemindsOfTheKafkaListOnlyAsACondition(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, doc string
		note      bool
	}{
		{"brokers", "kafka:\n  brokers: [127.0.0.1:9092]\nfeeds:\n  - url: https://a.example/rss\n", true},
		{"no brokers", "feeds:\n  - url: https://a.example/rss\n", false},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".yaml")
		if err := os.WriteFile(path, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://b.example/rss")
		if code != 0 {
			t.Fatalf("%s: feeds add = exit %d: %s", c.name, code, stderr)
		}
		push := strings.Contains(out, "feeds push")
		if push != c.note {
			t.Errorf("%s: a push reminder %v, want %v:\n%s", c.name, push, c.note, out)
		}
		if push && (!strings.Contains(out, "if scale-out fetchers read their feed list from Kafka") || !strings.Contains(out, "single `wirestream run`")) {
			t.Errorf("%s: the reminder reads as an order to every user, not a condition:\n%s", c.name, out)
		}
	}
}
