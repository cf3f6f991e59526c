package keywords

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/internal/testkit"
)

// newsTerms returns n distinct terms shaped like the corpus's: the words
// of news-like text and pairs of them (keywords' bigrams), lower case.
func newsTerms(n int) []string {
	m, r := newstext.New(39), rand.New(rand.NewPCG(39, 1))
	seen := map[string]bool{}
	var words []string
	for len(words) < 5000 {
		s := m.Story(r, 200)
		for _, w := range strings.Fields(strings.ToLower(s.Title + " " + s.Body())) {
			if w = strings.Trim(w, ".,;:\"'()"); w != "" && !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
		if len(words) == 0 {
			break
		}
	}
	terms := append([]string(nil), words[:min(len(words), n)]...)
	for len(terms) < n {
		t := words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	return terms
}

// BenchmarkCorpusBytesPerTerm is the live heap a corpus holds per term
// at the run's scale (keyword_window 20000 caps it at 400k terms), its
// terms learned 50 to a document as stories bring them, with the change
// record on and drained every 32 documents (a batch), as `run` does.
func BenchmarkCorpusBytesPerTerm(b *testing.B) {
	for _, n := range []int{100_000, 400_000} {
		terms := newsTerms(n)
		text := 0
		for _, t := range terms {
			text += len(t)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				base := testkit.LiveHeap()
				c := newCorpus(1<<30, 2*n) // no prune: every term stays
				c.track = true
				x := &Extractor{c: c}
				for i := 0; i < len(terms); i += 50 {
					c.add(terms[i:min(i+50, len(terms))])
					if i/50%32 == 31 {
						x.Changes(func(string, float64, bool) {})
					}
				}
				x.Changes(func(string, float64, bool) {})
				live := testkit.LiveHeap()
				if held, _ := c.size(); held != n {
					b.Fatalf("the corpus holds %d terms, want %d", held, n)
				}
				b.ReportMetric(float64(live-base)/float64(n), "B/term")
				b.ReportMetric(float64(text)/float64(n), "text-B/term")
				runtime.KeepAlive(c)
			}
		})
	}
}

// The corpus holds a term of news text (15 bytes on average) in less than
// 56 bytes of live heap, its own copy of the term's bytes included: at the
// 10k-feed run's 400k-term cap the map it was (≈ 80 B a term) held 27 MB
// of the run's peak (BENCHMARKS.md, round 38, peak38).
func TestTheCorpusHoldsATermInLessThan56Bytes(t *testing.T) {
	const n = 100_000
	terms := newsTerms(n)
	base := testkit.LiveHeap()
	c := newCorpus(1<<30, 2*n)
	for i := 0; i < len(terms); i += 50 {
		c.add(terms[i:min(i+50, len(terms))])
	}
	live := testkit.LiveHeap()
	if held, _ := c.size(); held != n {
		t.Fatalf("the corpus holds %d terms, want %d", held, n)
	}
	per := (float64(live) - float64(base)) / n
	t.Logf("%.1f B a term", per)
	if per >= 56 {
		t.Errorf("the corpus holds %.1f B a term, want < 56", per)
	}
	runtime.KeepAlive(c)
	runtime.KeepAlive(terms) // or their bytes, freed, count against the corpus's
}
