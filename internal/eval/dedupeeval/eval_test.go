package dedupeeval

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/dedupe"
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

// Another feed listing a site's URL first must not suppress the site's
// story, and a republication, or a summary and its full text, under the
// URL must stay one story. The floors sit under what was measured
// (BENCHMARKS.md, round 26 hostile26): 440/440, 6789 and 6768 of 6790,
// 217 and 167 of 217. The site's stories on a feed host at 0.995: 48
// values in 24 bands published 6730 of 6790 (0.991) and was taken back
// as the default for it (round 40).
func TestURLClaimsMeetFloors(t *testing.T) {
	var out strings.Builder
	r, err := EvaluateClaims(dataDir(t), dedupe.DefaultConfig(), &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	if r.Republished < 400 || r.Different < 6000 || r.Leads < 200 {
		t.Fatalf("set too small: %+v", r)
	}
	frac := func(n, of int) float64 { return float64(n) / float64(of) }
	for _, c := range []struct {
		what  string
		got   float64
		floor float64
	}{
		{"republications kept copies (site on its host)", frac(r.CopyOnHost, r.Republished), 0.99},
		{"republications kept copies (site on a feed host)", frac(r.CopyOnFeedHost, r.Republished), 0.99},
		{"site stories published (on its host)", frac(r.PublishedOnHost, r.Different), 0.99},
		{"site stories published (on a feed host)", frac(r.PublishedFeedHost, r.Different), 0.995},
		{"leads kept copies (the site's feeds)", frac(r.LeadCopySite, r.Leads), 0.99},
		{"leads kept copies (off its host)", frac(r.LeadCopyOffHost, r.Leads), 0.7},
	} {
		if c.got < c.floor {
			t.Errorf("%s: %.3f, below the floor %.2f", c.what, c.got, c.floor)
		}
	}
}
