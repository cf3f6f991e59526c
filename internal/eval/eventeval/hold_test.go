package eventeval

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// docsAt are n documents a minute apart.
func docsAt(n int) []doc {
	start := time.Date(2014, 3, 10, 9, 0, 0, 0, time.UTC)
	docs := make([]doc, n)
	for i := range docs {
		at := start.Add(time.Duration(i) * time.Minute)
		docs[i] = doc{ts: at, item: record.Item{Link: fmt.Sprint("https://p.example/", i), PublishedParsed: &at}}
	}
	return docs
}

// Four documents a minute apart, each written alone: the third joins e2
// and ends e1 (merged into e2 in its write), the fourth joins e3 and ends
// e2. Held 0 is what was written; a longer hold lets each record see the
// merges written within it of its own write, followed in turn.
func TestHeldIDsFollowTheMergesWrittenWithinTheHold(t *testing.T) {
	docs := docsAt(4)
	a := assignment{
		emitted:    []string{"e1", "e2", "e2", "e3"},
		emittedAt:  []int{1, 2, 3, 4},
		mergedInto: map[string]string{"e1": "e2", "e2": "e3"},
		mergedAt:   map[string]int{"e1": 3, "e2": 4},
	}
	for _, c := range []struct {
		hold time.Duration
		want []string
	}{
		{0, []string{"e1", "e2", "e2", "e3"}},
		{time.Minute, []string{"e1", "e2", "e3", "e3"}},
		{2 * time.Minute, []string{"e2", "e3", "e3", "e3"}},
		{3 * time.Minute, []string{"e3", "e3", "e3", "e3"}},
	} {
		if got := heldIDs(a, docs, c.hold); !slices.Equal(got, c.want) {
			t.Errorf("held %v: %v, want %v", c.hold, got, c.want)
		}
	}
}

func TestHeldIDsKeepADocumentWithoutARecord(t *testing.T) {
	a := assignment{emitted: []string{"missing:x"}, emittedAt: []int{0}, mergedAt: map[string]int{}}
	if got := heldIDs(a, docsAt(1), time.Hour); got[0] != "missing:x" {
		t.Errorf("held = %v, want the missing id kept", got)
	}
}

// Event e holds story A's three documents, then B's entry and three
// followers: B's third document there and its fourth get an id of their
// own; A's never, nor B's first two, which leave A the lead. In f, B
// leads from the start.
func TestOracleSplitRelabelsASubStoryFromItsThirdDocument(t *testing.T) {
	ids := []string{"e", "e", "e", "e", "e", "f", "e", "e", "e"}
	gold := []string{"A", "A", "A", "B", "B", "B", "B", "B", "A"}
	got := oracleSplit(ids, gold)
	want := []string{"e", "e", "e", "e", "e", "f", "e\x00B", "e\x00B", "e"}
	if !slices.Equal(got, want) {
		t.Errorf("oracleSplit = %q, want %q", got, want)
	}
}

// Once the entrant's story outgrows the event's first story, it leads
// and is not split; the first story, now the minority, is from its third
// document on.
func TestOracleSplitFollowsTheLeadingStory(t *testing.T) {
	ids := []string{"e", "e", "e", "e", "e", "e"}
	gold := []string{"A", "B", "B", "A", "A", "B"}
	// B's second document makes it lead (2 to 1); A's second ties (2 to
	// 2, B keeps the lead); A's third is split off
	got := oracleSplit(ids, gold)
	want := []string{"e", "e", "e", "e", "e\x00A", "e"}
	if !slices.Equal(got, want) {
		t.Errorf("oracleSplit = %q, want %q", got, want)
	}
}

// Through the pipeline on uci-dev in time order: held 0 is the ids as
// written (a record names the event that survives its own write's
// merges), and a hold past the stream's end is the ids after merges.
func TestHeldIDsSpanEmittedToMergedOnAReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a labelled stream through the pipeline")
	}
	uci, err := loadUCI(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	lo, _ := span(uci)
	docs := stream(uci, OrderByTime, 0, lo, 0)
	a, err := replay(context.Background(), docs, config.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.mergedAt) == 0 {
		t.Fatal("the replay merged no event: nothing to hold for")
	}
	if got := heldIDs(a, docs, 0); !slices.Equal(got, a.emitted) {
		t.Error("held 0 differs from the ids as written")
	}
	if got := heldIDs(a, docs, 1000*time.Hour); !slices.Equal(got, a.merged) {
		t.Error("held past the end differs from the ids after merges")
	}
	if got := heldIDs(a, docs, time.Hour); slices.Equal(got, a.emitted) {
		t.Error("held an hour, no record saw a merge")
	}
}
