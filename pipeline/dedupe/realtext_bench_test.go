package dedupe

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkNearQueryRealText reports the candidates a near query meets on
// real text, each story queried and then indexed, as a new story is:
// WikiRef220's articles, each followed by a republication (TestRealTextHasNoHotBand's
// edit), and UCI's headlines, were they indexed (they are shorter than
// min_near_words, so dedupe gives them no signature). Candidates are the
// live stories sharing a band value with the query (index.cand); the load
// harness's template text puts ≈ 510 behind each (BenchmarkNearLookupAlike).
func BenchmarkNearQueryRealText(b *testing.B) {
	dir := shareddata.Dir(b)
	d, _ := newDeduper(b, nil)
	files, err := filepath.Glob(filepath.Join(dir, "wikiref220", "*.txt"))
	if err != nil || len(files) < 200 {
		b.Fatalf("wikiref220: %d articles, %v", len(files), err)
	}
	var wiki [][]uint32
	for _, f := range files {
		t, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text := strings.ToLower(string(t))
		for _, v := range []string{text, edit(text)} {
			if k := d.sketch(v); k.sig != nil {
				wiki = append(wiki, k.sig)
			}
		}
	}
	cfg := d.cfg
	cfg.MinNearWords = cfg.ShingleWords
	h, err := New(cfg, BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "uci-news", "dev.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var uci [][]uint32
	for _, row := range rows[1:] {
		if k := h.sketch(strings.ToLower(row[1])); k.sig != nil {
			uci = append(uci, k.sig)
		}
	}
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
