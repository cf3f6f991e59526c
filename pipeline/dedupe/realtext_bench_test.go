package dedupe

import (
	"slices"
	"testing"
)

// BenchmarkNearQueryRealText reports the candidates a near query meets on
// real text, each story queried and then indexed, as a new story is:
// WikiRef220's articles, each followed by a republication (TestRealTextHasNoHotBand's
// edit), and UCI's headlines, were they indexed (they are shorter than
// min_near_words, so dedupe gives them no signature). Candidates are the
// live stories sharing a band value with the query (index.cand); the load
// harness's template text puts ≈ 510 behind each (BenchmarkNearLookupAlike).
func BenchmarkNearQueryRealText(b *testing.B) {
	wiki, uci, cfg := realTextSignatures(b)
	for _, set := range []struct {
		name string
		sigs [][]uint32
	}{{"wikiref220", wiki}, {"uci-headlines", uci}} {
		b.Run(set.name, func(b *testing.B) {
			var cands []int
			for b.Loop() {
				x := newIndex(cfg.MinHashes, cfg.Bands)
				cands = cands[:0]
				for i, sig := range set.sigs {
					x.query(sig, 0, 0)
					cands = append(cands, len(x.cand))
					x.add(uint64(i+1), int64(i), sig, false)
				}
			}
			sum := 0
			for _, c := range cands {
				sum += c
			}
			slices.Sort(cands)
			b.ReportMetric(float64(len(cands)), "stories")
			b.ReportMetric(float64(sum)/float64(len(cands)), "cand/query")
			b.ReportMetric(float64(cands[len(cands)/2]), "median-cand")
			b.ReportMetric(float64(cands[len(cands)*99/100]), "p99-cand")
			b.ReportMetric(float64(cands[len(cands)-1]), "max-cand")
		})
	}
}
