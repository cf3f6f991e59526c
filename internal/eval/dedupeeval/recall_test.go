package dedupeeval

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/dedupe"
)

// The recall study fingerprints each text once at the longest setting and
// slices: that holds only while a shorter signature is the longer one's
// prefix.
func TestAShorterSignatureIsTheLongerOnesPrefix(t *testing.T) {
	words := strings.Fields(strings.Repeat("the quick brown fox jumps over the lazy dog near the river bank today ", 5))
	long := dedupe.MinHash(dedupe.Shingles(words, 3), 64)
	for _, k := range []int{8, 32, 40, 48} {
		if short := dedupe.MinHash(dedupe.Shingles(words, 3), k); !slices.Equal(short, long[:k]) {
			t.Errorf("MinHash k=%d is not the first %d values of k=64", k, k)
		}
	}
}

// Harder edits must give lower exact Jaccard, and the grades must reach
// below the threshold: otherwise the study never looks where recall is lost.
func TestRecallEditsAreGradedAcrossTheThreshold(t *testing.T) {
	arts, err := LoadArticles(dataDir(t) + "/wikiref220")
	if err != nil {
		t.Fatal(err)
	}
	cfg := dedupe.DefaultConfig()
	pairs := RecallPairs(cfg, arts[:40], arts, 1)
	sum, n := make([]float64, len(RecallEdits)), make([]int, len(RecallEdits))
	for _, p := range pairs {
		if p.Jaccard >= 0 {
			sum[p.Edit] += p.Jaccard
			n[p.Edit]++
		}
	}
	mean := func(kind string, rate float64) float64 {
		for i, e := range RecallEdits {
			if e.Kind == kind && e.Rate == rate {
				if n[i] == 0 {
					t.Fatalf("%s %.2f: no pair long enough", kind, rate)
				}
				return sum[i] / float64(n[i])
			}
		}
		t.Fatalf("no edit %s %.2f", kind, rate)
		return 0
	}
	for _, kind := range []string{"words", "sentences", "boilerplate", "lead"} {
		var prev float64 = 2
		for _, e := range RecallEdits {
			if e.Kind != kind {
				continue
			}
			m := mean(kind, e.Rate)
			if m >= prev {
				t.Errorf("%s %.2f: mean Jaccard %.3f not below the milder grade's %.3f", kind, e.Rate, m, prev)
			}
			prev = m
		}
	}
	if lo, hi := mean("words", 0.30), mean("words", 0.05); lo >= cfg.Threshold || hi <= 0.5 {
		t.Errorf("word edits span %.3f–%.3f: want from above 0.5 to below the threshold %.2f", lo, hi, cfg.Threshold)
	}
}

// The default's recall where the copy's exact Jaccard clears the threshold
// by a margin is what the index is for; the study must see it and count
// every copy once per setting.
func TestRecallStudyCountsEveryCopyAndTheDefaultFindsClearCopies(t *testing.T) {
	var out strings.Builder
	st, err := EvaluateRecall(dataDir(t), dedupe.DefaultConfig(), Settings, 1, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	made := 0
	for _, e := range st.EditPairs {
		made += e[0]
	}
	if made < 3000 {
		t.Fatalf("%d copies long enough, want ≥ 3000", made)
	}
	for _, r := range st.Results {
		got := 0
		for _, e := range r.ByEdit {
			got += e[0]
		}
		byBin := 0
		for _, b := range r.ByBin {
			byBin += b[0]
		}
		if got != byBin || got > made {
			t.Errorf("%s: %d merged by edit, %d by bin, of %d", r.Name, got, byBin, made)
		}
		if r.Name == "64 in 32 bands, 8-bit (default)" {
			last := len(JaccardBins) - 2 // [0.50, 1]
			if m, n := r.ByBin[last][0], st.BinPairs[last][0]; n == 0 || float64(m) < 0.99*float64(n) {
				t.Errorf("default merged %d of %d copies at exact Jaccard ≥ 0.50", m, n)
			}
		}
	}
}

// An article's copies are its own draw: removing another article from the
// study (or reordering it) must not change them, or a seed's misses move
// between articles for no reason of their own and seeds are not
// comparable across data versions.
func TestAnArticlesCopiesDoNotChangeWhenAnotherArticleIsRemoved(t *testing.T) {
	arts, err := LoadArticles(dataDir(t) + "/wikiref220")
	if err != nil {
		t.Fatal(err)
	}
	cfg := dedupe.DefaultConfig()
	n := len(RecallEdits)
	all := RecallPairs(cfg, arts[:12], arts, 3)
	without := RecallPairs(cfg, arts[1:12], arts, 3) // article 0 removed
	if len(all) != 12*n || len(without) != 11*n {
		t.Fatalf("pairs: %d and %d, want %d and %d", len(all), len(without), 12*n, 11*n)
	}
	changed := 0
	for i := range without {
		if all[n+i].B != without[i].B || all[n+i].A != without[i].A {
			changed++
		}
	}
	if changed > 0 {
		t.Errorf("%d of %d copies of the other articles changed when article 0 was removed", changed, len(without))
	}
	if again := RecallPairs(cfg, arts[:12], arts, 3); again[5].B != all[5].B {
		t.Error("the same seed made another copy")
	}
	if other := RecallPairs(cfg, arts[:12], arts, 4); other[n].B == all[n].B && other[n+1].B == all[n+1].B {
		t.Error("another seed made the same copies")
	}
}
