package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rssOf is an RSS document of n undated items.
func rssOf(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://ex.org/</link>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Story %d about things</title><link>https://ex.org/s/%d</link><description>Body %d.</description></item>`, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// The summary counts each read-stage dead letter as what it stands for: a
// feed document's over-limit dead letter is the items it cut, by number
// and under the setting the user set; a file that does not exist is a file
// not read. Both were counted "not items" — "1 not items" for 99,500 cut
// items, or for a missing file.
func TestProcessSummaryCountsCutItemsAndUnreadFilesAsSuch(t *testing.T) {
	dir := t.TempDir()
	feedFile := filepath.Join(dir, "big.xml")
	if err := os.WriteFile(feedFile, []byte(rssOf(12)), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nosuch.xml")
	code, _, stderr := runCLI(t, "", "process", "--max-items", "10", feedFile, missing)
	if code == 0 {
		t.Errorf("process with a missing file exited 0")
	}
	for _, want := range []string{
		"10 items decided",
		"did not read 2 items over the limit of 10 (--max-items) in 1 feed document, a dead_letter per document (--max-items 0 reads them all)",
		"could not read 1 file (" + missing + "): its dead_letter says why",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary %q, want %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "not items") || strings.Contains(stderr, "refused") {
		t.Errorf("summary %q counts the cut items or the missing file as refused input", stderr)
	}
}

// The over-limit dead letter names the setting the user set (--max-items
// here, where it named poller.max_items) and says which items it left out
// as the limit chose them: a feed without dates keeps its first, and its
// last are not "the oldest".
func TestProcessOverLimitDeadLetterNamesTheFlagAndSaysWhichItemsItLeft(t *testing.T) {
	feedFile := filepath.Join(t.TempDir(), "big.xml")
	if err := os.WriteFile(feedFile, []byte(rssOf(12)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "process", "--max-items", "10", feedFile)
	want := "the document has 12 items, over the limit of 10 (--max-items): it has no dates, so its first 10 were kept and the 2 after them were not read"
	if code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("process exited %d; output lacks %q:\n%s\n%s", code, want, stdout, stderr)
	}
}

// An entry that repeats an earlier item of its feed document is a dead
// letter counted as a repeat: the summary called it "not items", though it
// is an item, read once already.
func TestProcessSummaryCountsARepeatedEntryAsARepeatNotAsNotAnItem(t *testing.T) {
	doc := strings.Replace(rssOf(3), "</channel>",
		`<item><title>Story 1 about things</title><link>https://ex.org/s/1</link><description>Body 1.</description></item></channel>`, 1)
	feedFile := filepath.Join(t.TempDir(), "twice.xml")
	if err := os.WriteFile(feedFile, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "process", feedFile)
	if code != 0 || !strings.Contains(stdout, "repeats item 2 of the document") {
		t.Fatalf("process exited %d; want the repeat as a dead letter:\n%s\n%s", code, stdout, stderr)
	}
	want := "refused 1 input (0 not items, 1 repeating an earlier item of the same feed document, 0 not stories)"
	if !strings.Contains(stderr, "3 items decided") || !strings.Contains(stderr, want) {
		t.Errorf("summary %q, want 3 items decided and %q", stderr, want)
	}
}

// One duplicate is "1 duplicate" in the summary, as tail says "1 story":
// a newcomer's first process over a feed with one wire copy read "1
// duplicates".
func TestProcessSummarySaysOneDuplicateInTheSingular(t *testing.T) {
	body := "Dockworkers at the Port of Rotterdam walked off the job on Friday in a dispute over automation, halting container traffic."
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://ex.org/</link>` +
		`<item><title>Rotterdam strike</title><link>https://ex.org/a</link><description>` + body + `</description></item>` +
		`<item><title>Port strike in Rotterdam</title><link>https://ex.org/b</link><description>` + body + `</description></item>` +
		`</channel></rss>`
	feedFile := filepath.Join(t.TempDir(), "wire.xml")
	if err := os.WriteFile(feedFile, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "process", feedFile)
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	if want := "2 items decided (1 new, 0 revisions, 1 duplicate, 0 unchanged)"; !strings.Contains(stderr, want) {
		t.Errorf("summary %q, want %q", stderr, want)
	}
}

// --out appends: a newcomer's second `process --out records.jsonl` (no
// --data-dir) wrote every record again after the first run's, silently,
// where `> records.jsonl` replaces the file. The second run says so.
func TestProcessOutSaysItAppendsToAFileThatHoldsRecords(t *testing.T) {
	dir := t.TempDir()
	feedFile, out := filepath.Join(dir, "world.xml"), filepath.Join(dir, "records.jsonl")
	if err := os.WriteFile(feedFile, []byte(rssOf(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "process", "--out", out, feedFile)
	if code != 0 || strings.Contains(stderr, "appends") {
		t.Fatalf("first run: exit %d, stderr %q: want 0 and no note (the file is new)", code, stderr)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "", "process", "--out", out, feedFile)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if want := "--out appends to " + out + ", which holds"; !strings.Contains(stderr, want) {
		t.Errorf("second run's stderr %q, want %q", stderr, want)
	}
	second, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n, m := strings.Count(string(second), "\n"), strings.Count(string(first), "\n"); m == 0 || n != 2*m {
		t.Errorf("the file holds %d lines after two runs of %d: want both runs' records", n, m)
	}
}
