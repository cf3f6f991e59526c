package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// clockInputs are a feed file (stories, events, repeated entries: dead
// letters) and a JSONL file of items without fetched_at, one the duplicate
// of the other, and a line that is not an item: every kind of wall-clock
// stamp process writes.
func clockInputs(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	feedFile := filepath.Join(dir, "bbc-world.xml")
	doc, err := os.ReadFile(filepath.Join("..", "..", "sources", "feed", "testdata", "feeds", "bbc-world.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(feedFile, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	items := filepath.Join(dir, "items.jsonl")
	body := "Dockworkers at the port of Rotterdam walked out on Monday morning over pay and automation, halting container traffic at Europe's largest harbour as unions warned the strike could last all week and shipping lines diverted vessels to Antwerp and Hamburg."
	lines := `{"feed":{"url":"https://example.com/"},"link":"https://example.com/a","title":"Port strike halts Rotterdam","description":"` + body + `","published_raw":"2026-12-05T10:00:00Z"}
{"feed":{"url":"https://example.org/"},"link":"https://example.org/b","title":"Port strike halts Rotterdam","description":"` + body + `","published_raw":"2026-12-05T10:05:00Z"}
{"titel":"not an item"}
`
	if err := os.WriteFile(items, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{feedFile, items}
}

// Two runs of process over the same input stamped the wall clock into
// first_seen, fetched_at, seen_at, events' first_seen/last_seen and dead
// letters, so they differed and every comparison had to mask them. With
// --clock every such stamp reads the one instant given: the same input
// gives the same bytes.
func TestProcessClockGivesByteIdenticalRuns(t *testing.T) {
	files := clockInputs(t)
	run := func(extra ...string) string {
		t.Helper()
		args := append(append([]string{"process", "--progress", "never"}, extra...), files...)
		code, stdout, stderr := runCLI(t, "", args...)
		if code != 0 || stdout == "" {
			t.Fatalf("process %v wrote nothing: %s", extra, stderr)
		}
		return stdout
	}
	if a, b := run(), run(); a == b {
		t.Fatalf("without --clock two runs gave the same bytes: the test cannot see a wall-clock stamp")
	}
	const at = "2026-12-05T12:00:00Z"
	a, b := run("--clock", at), run("--clock", at)
	if a != b {
		t.Fatalf("two runs with --clock %s differ:\n%s\n---\n%s", at, a, b)
	}
	for _, field := range []string{`"first_seen":"` + at + `"`, `"seen_at":"` + at + `"`, `"last_seen":"` + at + `"`, `"fetched_at":"` + at + `"`} {
		if !strings.Contains(a, field) {
			t.Errorf("no record carries %s:\n%s", field, a)
		}
	}
	if c := run("--clock", "2026-12-05T13:00:00+01:00"); c != a {
		t.Errorf("the same instant in another zone gave other bytes")
	}
}

// A --clock that is not an RFC 3339 instant is a usage error naming the
// flag and the form it wants, before any input is read.
func TestProcessClockRefusesABadValue(t *testing.T) {
	for _, v := range []string{"yesterday", "2026-12-05", "2026-12-05 12:00:00", ""} {
		code, stdout, stderr := runCLI(t, "", "process", "--clock", v, "no-such-file.xml")
		if code != 2 || stdout != "" || !strings.Contains(stderr, "--clock") || !strings.Contains(stderr, "RFC 3339") {
			t.Errorf("--clock %q: exit %d, stdout %q, stderr %q; want a usage error naming --clock and RFC 3339", v, code, stdout, stderr)
		}
	}
}

// process --help documents --clock.
func TestProcessHelpDocumentsClock(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "process", "--help")
	if code != 0 || !strings.Contains(stdout, "-clock") || !strings.Contains(stdout, "reproducible") {
		t.Errorf("process --help (exit %d) does not document --clock:\n%s", code, stdout)
	}
}

// A --clock earlier than the input's newest dates clamped those dates to
// the instant (normalize.future_skew) with only a date flag to show for
// it: a replay at the wrong instant went unnoticed. The run ends with one
// line on stderr counting the stories clamped and saying what to give;
// a clock after the input's dates says nothing.
func TestProcessClockWarnsOfClampedDates(t *testing.T) {
	files := clockInputs(t)
	code, stdout, stderr := runCLI(t, "", append([]string{"process", "--progress", "never", "--clock", "2026-12-05T09:00:00Z"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	clamped := strings.Count(stdout, `"future_clamped"`)
	if clamped == 0 {
		t.Fatalf("no story flagged future_clamped: the test cannot see a clamp:\n%s", stdout)
	}
	var warnings []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "--clock") {
			warnings = append(warnings, l)
		}
	}
	if len(warnings) != 1 {
		t.Fatalf("want one line on stderr about --clock, got %d:\n%s", len(warnings), stderr)
	}
	w := warnings[0]
	for _, want := range []string{strconv.Itoa(clamped) + " stor", "2026-12-05T09:00:00Z", "future_clamped", "after the input's newest date"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not say %q", w, want)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(stderr), w) {
		t.Errorf("the warning is not the run's last line:\n%s", stderr)
	}

	_, _, stderr = runCLI(t, "", append([]string{"process", "--progress", "never", "--clock", "2026-12-06T00:00:00Z"}, files...)...)
	if strings.Contains(stderr, "clamped") {
		t.Errorf("a clock after every date warned:\n%s", stderr)
	}
}
