package eventeval

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// eventLabelStories is how many stories the label file's header says
// were drawn.
const eventLabelStories = 12

// TestEventLabelsCoverTheDrawnStoriesOfDevCSV: the shipped event labels
// parse, name only ids of uci-news/dev.csv, and hold every headline of
// exactly the stories their header says were drawn (the first twelve by
// sha256 of the story id) — the draw was made blind to the clusterer, and
// a label file that drifted from it would no longer be that draw. No
// event spans two STORY ids (the guideline's rule 6).
func TestEventLabelsCoverTheDrawnStoriesOfDevCSV(t *testing.T) {
	labels, err := parseEventLabels(eventLabelsText)
	if err != nil {
		t.Fatal(err)
	}
	rows := shareddata.UCI(t)
	storyOf := map[string]string{}
	for _, r := range rows {
		storyOf[r.ID] = r.Label
	}
	for id := range labels {
		if _, ok := storyOf[id]; !ok {
			t.Errorf("labelled id %s is not a row of dev.csv", id)
		}
	}

	var stories []string
	for _, r := range rows {
		if !slices.Contains(stories, r.Label) {
			stories = append(stories, r.Label)
		}
	}
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	slices.SortFunc(stories, func(a, b string) int { return strings.Compare(hash(a), hash(b)) })
	drawn := stories[:eventLabelStories]
	for _, r := range rows {
		_, labelled := labels[r.ID]
		if want := slices.Contains(drawn, r.Label); labelled != want {
			t.Errorf("row %s of story %s: labelled %v, want %v (the draw is every headline of the first %d stories by sha256)", r.ID, r.Label, labelled, want, eventLabelStories)
		}
	}

	storyOfEvent := map[string]string{}
	for id, event := range labels {
		if event == noEvent {
			continue
		}
		if s, ok := storyOfEvent[event]; ok && s != storyOf[id] {
			t.Errorf("event %s spans stories %s and %s", event, s, storyOf[id])
		}
		storyOfEvent[event] = storyOf[id]
	}
}

func TestParseEventLabelsRejectsMalformedLines(t *testing.T) {
	for name, text := range map[string]string{
		"id twice":    "# header\n1\ta\n1\tb\n",
		"no tab":      "1 a\n",
		"no event":    "1\t\n",
		"three cols":  "1\ta\tb\n",
		"only header": "# nothing labelled\n",
	} {
		if _, err := parseEventLabels(text); err == nil {
			t.Errorf("%s: parsed %q without error", name, text)
		}
	}
	got, err := parseEventLabels("# guideline\n\n1\ta\r\n2\tnone\n")
	if err != nil || len(got) != 2 || got["1"] != "a" || got["2"] != noEvent {
		t.Errorf("parsed %v, %v; want 1→a, 2→none", got, err)
	}
}

// TestScoreEventSubsetReadsOnlyLabelledDocsAndNoneAsSingletons: one
// predicted event holding a story of two happenings, an empty headline
// and an unlabelled document of another story is perfect under the STORY
// label on the subset, and under the event label loses precision to the
// two happenings and the "none" headline, which is an event of its own.
func TestScoreEventSubsetReadsOnlyLabelledDocsAndNoneAsSingletons(t *testing.T) {
	docs := []doc{
		{id: "1", label: "S"}, {id: "2", label: "S"}, {id: "3", label: "S"},
		{id: "4", label: "S"}, {id: "5", label: "T"},
	}
	labels := map[string]string{"1": "hire", "2": "hire", "3": "recall", "4": noEvent}
	pred := []string{"e", "e", "e", "e", "e"}
	got := scoreEventSubset(docs, pred, pred, labels)
	if got == nil || got.Docs != 4 {
		t.Fatalf("scored %+v, want 4 documents", got)
	}
	if got.StoryEmitted.BCubed.F1 != 1 || got.StoryEmitted.Classes != 1 {
		t.Errorf("under STORY: %+v, want F1 1 over one class (document 5 is not in the subset)", got.StoryEmitted)
	}
	if got.EventEmitted.Classes != 3 {
		t.Errorf("under events: %d classes, want 3 (hire, recall, the none singleton)", got.EventEmitted.Classes)
	}
	// BCubed precision: (2·2/4 + 1/4 + 1/4) / 4 = 0.375; recall 1
	if p, r := got.EventEmitted.BCubed.P, got.EventEmitted.BCubed.R; p != 0.375 || r != 1 {
		t.Errorf("under events: BCubed P %.3f R %.3f, want 0.375 and 1", p, r)
	}
	if got.KnownEmitted.Classes != 2 || math.Abs(got.KnownEmitted.BCubed.P-5.0/9) > 1e-9 {
		t.Errorf("under events without none: %+v, want 2 classes and BCubed P 5/9", got.KnownEmitted)
	}
	if scoreEventSubset(docs[4:], pred[4:], pred[4:], labels) != nil {
		t.Error("a stream without labelled documents scored a subset")
	}
}
