package enricheval

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
)

// skipUnderRace skips a corpus-wide quality check under -race. These read
// thousands of stories on one goroutine — enricheval and pipeline/enrich
// start none — so the race detector has nothing to find in them and only
// makes them slower (TestEntities, TestTopics, TestKeywords and
// TestWriteEntityKeysCoversEveryItem: 78 s under -race, 35 s without, at a
// load of 15-20). They run in full without -race: in a plain `go test`,
// and in scripts/test.sh, which runs this package again without -race
// after its race run (race_off_test.go).
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceOn {
		t.Skip("a single-goroutine quality check over the labelled corpora: run without -race (scripts/test.sh does, after its race run)")
	}
}

// TestEntities holds the recognizer to floors a little under the measured
// figures of each labelled set, so a regression fails and an improvement
// is free to land.
func TestEntities(t *testing.T) {
	skipUnderRace(t)
	var out bytes.Buffer
	res, err := EvaluateEntities(shareddata.Dir(t), &out, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, r := range res {
		for _, m := range r.Mistakes {
			t.Log(m)
		}
	}
	floors := map[string]map[string]float64{ // set → kind → F1 floor
		res[0].Set:                 {entities.Person: 0.92, entities.Organization: 0.88, entities.Place: 0.95},
		res[len(EntitySets)].Set:   {entities.Person: 0.88, entities.Organization: 0.92, entities.Place: 0.89},
		res[len(EntitySets)+1].Set: {entities.Person: 0.90, entities.Organization: 0.90, entities.Place: 0.90},
	}
	for _, r := range res {
		for kind, floor := range floors[r.Set] {
			if f := r.ByKind[kind].F1(); f < floor {
				t.Errorf("%s, %s: F1 %.3f below the floor %.2f", r.Set, kind, f, floor)
			}
		}
	}
}

// TestTopics holds top-1 accuracy on every headline set to a floor. The
// floor is 0.55, not a figure tuned to today's result: the lexicon holds no
// cue that names a dev story (UCI's dev set scores 57 % without them), so
// the floor guards against a regression, not for a fit to the dev set.
func TestTopics(t *testing.T) {
	skipUnderRace(t)
	var out bytes.Buffer
	res, err := EvaluateTopics(shareddata.Dir(t), &out, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	for _, s := range res {
		if s.Accuracy() < 0.55 {
			t.Errorf("%s: top-1 %.3f below the floor 0.55", s.Set, s.Accuracy())
		}
		// The errors report accounts for every item once; for uci-news,
		// which accepts one topic a class, its diagonal is the right ones.
		for c, n := range s.ByClass {
			items, guesses := 0, 0
			for _, k := range s.Confusion[c] {
				items += k[0]
				guesses += k[1]
			}
			if items != n[1] || guesses > items {
				t.Errorf("%s, class %s: confusion holds %d items (%d guesses), want %d", s.Set, c, items, guesses, n[1])
			}
			if strings.HasPrefix(s.Set, "uci-news") && !s.Reading && s.Confusion[c][c][0] != n[0] {
				t.Errorf("%s, class %s: confusion has %d on its diagonal, want the %d right", s.Set, c, s.Confusion[c][c][0], n[0])
			}
			// The stories of a class hold its items and its right ones.
			var byStory [2]int
			for _, k := range s.Stories[c] {
				byStory[0] += k[0]
				byStory[1] += k[1]
			}
			if byStory != n {
				t.Errorf("%s, class %s: its stories hold %v (right, items), want %v", s.Set, c, byStory, n)
			}
		}
	}
	if !strings.Contains(out.String(), "topics — errors") {
		t.Error("no errors report printed")
	}
	// uci-news health is one story of 59 headlines: its figure is said to
	// rest on too few stories, and the classes of all headline sets are
	// reported with each story counted once.
	if !regexp.MustCompile(`uci-news dev.csv headlines +07 health .* 59 +1, too few to judge`).MatchString(out.String()) {
		t.Error("uci-news health is not marked as one story, too few to judge")
	}
	if !strings.Contains(out.String(), "by class, each story counted once") {
		t.Error("no report by story printed")
	}
	// uci-news is read a second time by its stories' IPTC labels, both
	// ways, every headline; the report says which IPTC class each of its
	// categories' stories fall in, and the by-story pool counts no
	// headline twice (its uci-news stories are UCI's 43).
	readings := 0
	for _, s := range res {
		if strings.HasPrefix(s.Set, "uci-news dev.csv headlines, IPTC story labels") {
			readings++
			if !s.Reading || s.Total != 3285 {
				t.Errorf("%s: reading %v, %d headlines scored, want a reading of all 3285", s.Set, s.Reading, s.Total)
			}
		}
	}
	if readings != 2 {
		t.Errorf("uci-news read by IPTC story labels %d ways, want 2 (text alone, enriched)", readings)
	}
	if !regexp.MustCompile(`07 health \(1 stories, 59 headlines\): 14 society: 1 \(59\)`).MatchString(out.String()) {
		t.Error("the categories' IPTC reading does not say uci-news health is one society story")
	}
	// Blind set 17 is scored both ways, every one of its 224 headlines.
	blind := 0
	for _, s := range res {
		if strings.HasPrefix(s.Set, "blind set 17") {
			blind++
			if s.Total != 224 {
				t.Errorf("%s: %d headlines scored, want 224", s.Set, s.Total)
			}
		}
	}
	if blind != 2 {
		t.Errorf("blind set 17 scored %d ways, want 2 (text alone, enriched)", blind)
	}
}
