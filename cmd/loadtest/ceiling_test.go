package main

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestADeclaredLanguageCopyHoldsTheSameItems(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "h.xml"), filepath.Join(dir, "h-en.xml")
	items := []record.Item{
		{Title: "Fed holds rates as inflation cools", Link: "https://example.invalid/1"},
		{Title: "Ça ne change rien, dit le ministre", Link: "https://example.invalid/2"},
	}
	if err := datasets.WriteRSS(src, "https://example.invalid/", items); err != nil {
		t.Fatal(err)
	}
	if err := declareLanguage(src, dst, "en"); err != nil {
		t.Fatal(err)
	}
	parse := func(name string) *gofeed.Feed {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		feed, err := gofeed.NewParser().Parse(f)
		if err != nil {
			t.Fatal(err)
		}
		return feed
	}
	before, after := parse(src), parse(dst)
	if before.Language != "" || after.Language != "en" {
		t.Fatalf("languages %q and %q, want none and en", before.Language, after.Language)
	}
	if len(after.Items) != len(items) {
		t.Fatalf("%d items, want %d", len(after.Items), len(items))
	}
	for i, it := range after.Items {
		if it.Title != before.Items[i].Title || it.Link != before.Items[i].Link {
			t.Errorf("item %d: %q %q, want %q %q", i, it.Title, it.Link, before.Items[i].Title, before.Items[i].Link)
		}
	}
}

func TestDeclareLanguageRefusesADocumentWithoutAChannel(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "atom.xml")
	if err := os.WriteFile(src, []byte(`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := declareLanguage(src, filepath.Join(dir, "out.xml"), "en"); err == nil {
		t.Fatal("no error for a document without a channel")
	}
}

func TestEachRoundRunsTheFilesInAnotherOrder(t *testing.T) {
	firsts := map[int]bool{}
	for r := range 4 {
		order := rotated(4, r)
		seen := map[int]bool{}
		for _, i := range order {
			seen[i] = true
		}
		if len(order) != 4 || len(seen) != 4 {
			t.Fatalf("round %d: %v is not every file once", r, order)
		}
		firsts[order[0]] = true
	}
	if len(firsts) != 4 {
		t.Errorf("4 rounds began with %d different files, want 4", len(firsts))
	}
}

// The ceiling's figures carry four significant digits, so that two runs a
// few tenths of a percent apart print apart: a headline's 0.07 ms at three
// decimals moved in steps of 1.4 % (round 18).
func TestCeilingFiguresCarryFourSignificantDigits(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{0.07128, "0.07128"},
		{0.071, "0.07100"},
		{1.3264, "1.326"},
		{3.5618, "3.562"},
		{18.04, "18.04"},
		{1234.5, "1234"},
		{0, "0.000"},
		{-0.0021, "-0.002100"},
	} {
		if got := significant(c.x); got != c.want {
			t.Errorf("significant(%v) = %q, want %q", c.x, got, c.want)
		}
	}
	if a, b := significant(0.0710), significant(0.0712); a == b {
		t.Errorf("0.0710 and 0.0712 ms (0.3 %% apart) both print %q", a)
	}
}

// A runner may carry environment settings before its binary, as a shell
// line does, so one run can time the same binary under two GC settings
// (round 26) — and a path is never taken for a setting.
func TestARunnerSplitsItsEnvironmentFromItsBinary(t *testing.T) {
	for _, c := range []struct {
		in, bin string
		env     []string
	}{
		{"/tmp/ws", "/tmp/ws", nil},
		{"GOGC=400 /tmp/ws", "/tmp/ws", []string{"GOGC=400"}},
		{" GOGC=off GOMEMLIMIT=256MiB  ./ws ", "./ws", []string{"GOGC=off", "GOMEMLIMIT=256MiB"}},
		{"/tmp/a=b/ws", "/tmp/a=b/ws", nil},
		{"GOGC=400", "", []string{"GOGC=400"}},
		{"=x /tmp/ws", "=x /tmp/ws", nil},
	} {
		env, bin := splitEnv(c.in)
		if bin != c.bin || !slices.Equal(env, c.env) {
			t.Errorf("splitEnv(%q) = %q, %q; want %q, %q", c.in, env, bin, c.env, c.bin)
		}
	}
}

func TestAChildRunsWithItsRunnersEnvironment(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	argv := []string{"sh", "-c", `test "$WIRESTREAM_CEILING_PROBE" = yes`}
	if _, err := childCPU(context.Background(), []string{"WIRESTREAM_CEILING_PROBE=yes"}, argv); err != nil {
		t.Errorf("with the setting: %v", err)
	}
	if _, err := childCPU(context.Background(), nil, argv); err == nil {
		t.Error("without the setting the child saw it anyway")
	}
}

// The start-up a set's per-item figure subtracts is its first item alone:
// the tables a process builds on its first story then count as start-up,
// not as the items' (round 39's cpu39: an empty feed builds none of them).
func TestAFirstItemCopyHoldsOnlyTheFirstItem(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "h.xml"), filepath.Join(dir, "h-1.xml")
	items := []record.Item{
		{Title: "Fed holds rates as inflation cools", Link: "https://example.invalid/1", Content: "<p>The first body.</p>"},
		{Title: "Ça ne change rien, dit le ministre", Link: "https://example.invalid/2"},
		{Title: "A third item", Link: "https://example.invalid/3"},
	}
	if err := datasets.WriteRSS(src, "https://example.invalid/", items); err != nil {
		t.Fatal(err)
	}
	declared := filepath.Join(dir, "h-en.xml")
	if err := declareLanguage(src, declared, "en"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ src, lang string }{{src, ""}, {declared, "en"}} {
		if err := firstItemOnly(c.src, dst); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := gofeed.NewParser().Parse(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Items) != 1 || feed.Items[0].Title != items[0].Title || feed.Items[0].Link != items[0].Link ||
			feed.Items[0].Content != items[0].Content {
			t.Fatalf("%s: %d items (%+v), want only the first", c.src, len(feed.Items), feed.Items)
		}
		if feed.Language != c.lang {
			t.Errorf("%s: language %q, want %q", c.src, feed.Language, c.lang)
		}
	}
	if err := firstItemOnly(filepath.Join(dir, "none.xml"), dst); err == nil {
		t.Error("no error for a missing file")
	}
	empty := filepath.Join(dir, "empty.xml")
	if err := datasets.WriteRSS(empty, "https://example.invalid/", nil); err != nil {
		t.Fatal(err)
	}
	if err := firstItemOnly(empty, dst); err == nil {
		t.Error("no error for a feed without items")
	}
}

func TestPerItemAfterAOneItemStartUpDividesByTheOtherItems(t *testing.T) {
	// 10 items at 1.5 s, the first alone at 0.6 s: 0.1 s a further item
	if got := perItemAfterFirst(1.5, 0.6, 10); math.Abs(got-0.1) > 1e-12 {
		t.Fatalf("got %v, want 0.1", got)
	}
}
