package dedupe

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// BenchmarkNearQueryRealText reports the candidates a near query meets on
// real text, each story queried and then indexed, as a new story is:
// WikiRef220's articles, each followed by a republication (TestRealTextHasNoHotBand's
// edit), and UCI's headlines, were they indexed (they are shorter than
// min_near_words, so dedupe gives them no signature). Candidates are the
// live stories sharing a band value with the query (index.cand); the load
// harness's template text puts ≈ 510 behind each (BenchmarkNearLookupAlike).
//
// Beside them, the same walk over the texts the load harness can serve,
// so the two can be compared: WikiRef220 cut to the harness's 120-word
// bodies; internal/newstext's stories in WikiRef220's shape (220, each
// followed by a copy, exact or edited) and at a saturated run's scale (25,000, a
// tenth of them copies, half of those edited); the old template text
// (alikeText) at that scale. foreign/query counts only candidates that
// are not the query's own original, and foreign/1k-indexed divides that
// by the stories indexed before the query (÷ 1,000): the rate per pair
// that sets how the query's work grows with the window.
func BenchmarkNearQueryRealText(b *testing.B) {
	wiki, uci, cfg := realTextSignatures(b)
	d, _ := newDeduper(b, nil)
	sign := func(text string) []uint32 { return d.sketch(strings.ToLower(text)).sig }
	sets := []struct {
		name    string
		stories []signed
	}{
		{"wikiref220", pairsOf(wiki)},
		{"uci-headlines", originals(uci)},
		{"wikiref220-120w", wiki120(b, sign)},
		{"newstext-440", newsText(sign, 440, 1)},
		{"newstext-25k", newsText(sign, 25_000, 0.1)},
		{"template-25k", template(sign, 25_000)},
	}
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			var cands []int
			foreign, rate := 0, 0.0
			for b.Loop() {
				x := newIndex(cfg.MinHashes, cfg.Bands)
				cands, foreign, rate = cands[:0], 0, 0
				for i, s := range set.stories {
					x.query(s.sig, 0, 0)
					cands = append(cands, len(x.cand))
					f := 0
					for _, slot := range x.cand {
						if s.origin < 0 || x.key(uint32(slot)) != uint64(s.origin+1) {
							f++
						}
					}
					foreign += f
					if i > 0 {
						rate += float64(f) / float64(i)
					}
					x.add(uint64(i+1), int64(i), s.sig, false)
				}
			}
			sum := 0
			for _, c := range cands {
				sum += c
			}
			slices.Sort(cands)
			n := float64(len(cands))
			b.ReportMetric(n, "stories")
			b.ReportMetric(float64(sum)/n, "cand/query")
			b.ReportMetric(float64(foreign)/n, "foreign/query")
			b.ReportMetric(rate*1000/(n-1), "foreign/1k-indexed")
			b.ReportMetric(float64(cands[len(cands)/2]), "median-cand")
			b.ReportMetric(float64(cands[len(cands)*99/100]), "p99-cand")
			b.ReportMetric(float64(cands[len(cands)-1]), "max-cand")
		})
	}
}

// signed is a story's signature and the index of the story it copies (-1: none).
type signed struct {
	sig    []uint32
	origin int
}

// pairsOf reads realTextSignatures's WikiRef220 list: each article then its republication.
func pairsOf(sigs [][]uint32) []signed {
	out := make([]signed, len(sigs))
	for i, s := range sigs {
		out[i] = signed{s, -1}
		if i%2 == 1 {
			out[i].origin = i - 1
		}
	}
	return out
}

func originals(sigs [][]uint32) []signed {
	out := make([]signed, len(sigs))
	for i, s := range sigs {
		out[i] = signed{s, -1}
	}
	return out
}

// wikiHeads is each WikiRef220 article's file and its body's first
// words words, in the files' order.
func wikiHeads(tb testing.TB, words int) (files, heads []string) {
	files, err := filepath.Glob(filepath.Join(shareddata.Dir(tb), "wikiref220", "*.txt"))
	if err != nil || len(files) < 200 {
		tb.Fatalf("wikiref220: %d articles, %v", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		_, body, _ := strings.Cut(string(b), "\n")
		w := strings.Fields(body)
		heads = append(heads, strings.Join(w[:min(words, len(w))], " "))
	}
	return files, heads
}

// wiki120 is every WikiRef220 article's first 120 words of body, then its
// republication (edit).
func wiki120(tb testing.TB, sign func(string) []uint32) []signed {
	_, heads := wikiHeads(tb, 120)
	var out []signed
	for _, text := range heads {
		out = append(out, signed{sign(text), -1}, signed{sign(edit(text)), len(out)})
	}
	return out
}

// newsText is n stories of internal/newstext with 120-word bodies; a
// share of them copies of the story before (an exact copy or, half the
// time, an edited one), as the load harness serves them.
func newsText(sign func(string) []uint32, n int, share float64) []signed {
	m := newstext.Default()
	r := rand.New(rand.NewPCG(28, 1))
	out := make([]signed, 0, n)
	var last newstext.Story
	for len(out) < n {
		if len(out) > 0 && out[len(out)-1].origin < 0 && r.Float64() < share {
			c := last
			if r.IntN(2) == 0 {
				c = m.Edit(r, last)
			}
			out = append(out, signed{sign(c.Body()), len(out) - 1})
			continue
		}
		last = m.Story(r, 120)
		out = append(out, signed{sign(last.Body()), -1})
	}
	return out
}

func template(sign func(string) []uint32, n int) []signed {
	text := alikeText(rand.New(rand.NewPCG(3, 25_000)))
	out := make([]signed, n)
	for i := range out {
		out[i] = signed{sign(text()), -1}
	}
	return out
}
