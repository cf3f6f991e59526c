package dedupeeval

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

func dataDir(t *testing.T) string { return shareddata.Dir(t) }

// The floors sit just under what was measured (precision 0.9977, recall
// 1.0000 at the default threshold): a change that costs accuracy fails.
func TestNearDuplicateEvaluationMeetsFloors(t *testing.T) {
	var out strings.Builder
	res, err := EvaluateDedupe(dataDir(t), &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	if res.Positives < 400 || res.NegSameTopic < 3000 {
		t.Fatalf("labelled set too small: %d positives, %d same-topic negatives", res.Positives, res.NegSameTopic)
	}
	if res.Precision < 0.99 {
		t.Errorf("precision %.4f below the 0.99 floor", res.Precision)
	}
	if res.Recall < 0.98 {
		t.Errorf("recall %.4f below the 0.98 floor", res.Recall)
	}
	if res.Methods["near"] == 0 {
		t.Error("no pair was found by near-duplicate detection: the set does not exercise it")
	}
}

func TestLabelledSetIsDeterministic(t *testing.T) {
	arts, err := LoadArticles(dataDir(t) + "/wikiref220")
	if err != nil {
		t.Fatal(err)
	}
	a, b := BuildPairs(arts, Seed, 1), BuildPairs(arts, Seed, 1)
	if len(a) != len(b) {
		t.Fatalf("%d vs %d pairs", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("pair %d differs between two builds with one seed", i)
		}
	}
}
