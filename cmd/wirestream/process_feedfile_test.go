package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A dead letter of an entry of a feed file names the file first, as a
// JSONL line's names its file and line: it named the entry's title and
// its feed — the document's site link, the same for every file of one
// site — so a user processing a directory of archives could not tell
// which file held the bad entry. Both kinds say it: an entry the reader
// refuses (a repeat) and an item the pipeline cannot make a story of (a
// link that is not http), and so does the latter's log line.
func TestProcessDeadLettersOfAFeedFileNameTheFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "monday.xml")
	bad := filepath.Join(dir, "tuesday.xml")
	if err := os.WriteFile(good, []byte(rssOf(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(rssOf(3), "</channel>",
		`<item><title>Story 1 about things</title><link>https://ex.org/s/1</link><description>Body 1.</description></item>`+
			`<item><title>A ferry story with a bad link</title><link>ftp://ex.org/ferry</link><description>The harbour ferry.</description></item></channel>`, 1)
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "process", "--progress", "never", good, bad)
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	var errs []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r struct {
			Type  record.Type `json:"type"`
			Error string      `json:"error"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if r.Type == record.TypeDeadLetter {
			errs = append(errs, r.Error)
		}
	}
	if len(errs) != 2 {
		t.Fatalf("dead letters %q, want the repeat and the bad link", errs)
	}
	for _, e := range errs {
		if !strings.HasPrefix(e, bad+": ") {
			t.Errorf("dead letter %q does not start with its file %s", e, bad)
		}
	}
	if !strings.Contains(strings.Join(errs, "\n"), "repeats item 2 of the document") || !strings.Contains(strings.Join(errs, "\n"), `"A ferry story with a bad link"`) {
		t.Errorf("dead letters %q, want the repeat and the ferry story", errs)
	}
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "item rejected") && !strings.Contains(l, bad) {
			t.Errorf("log line %q does not name the file", l)
		}
	}
}
