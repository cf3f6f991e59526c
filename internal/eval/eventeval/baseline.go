package eventeval

import (
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
)

// baseline is the plain single-pass clusterer the issue names as the bar
// to beat: TF-IDF with incremental document frequencies over lower-cased
// words of title and body, cosine to each cluster's summed centroid, join
// the best cluster at cosine >= threshold, otherwise found a new one. No
// stopwords, no time, no index: every cluster is compared.
type baseline struct {
	threshold float64
	df        map[string]float64
	n         float64
	clusters  []map[string]float64
	norms     []float64
}

func newBaseline(threshold float64) *baseline {
	return &baseline{threshold: threshold, df: map[string]float64{}}
}

func (b *baseline) add(title, body string) int {
	tf := map[string]float64{}
	for _, w := range strings.FieldsFunc(strings.ToLower(title+" "+body), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		tf[w]++
	}
	b.n++
	for w := range tf {
		b.df[w]++
	}
	// sorted so float sums, and so borderline decisions, repeat exactly
	words := slices.Sorted(maps.Keys(tf))
	var ss float64
	for _, w := range words {
		tf[w] *= math.Log((b.n+1)/(b.df[w]+1)) + 1
		ss += tf[w] * tf[w]
	}
	norm := math.Sqrt(ss)
	best, bestSim := -1, -1.0
	for i, c := range b.clusters {
		if b.norms[i] == 0 || norm == 0 {
			continue
		}
		var dot float64
		for _, w := range words {
			dot += tf[w] * c[w]
		}
		if sim := dot / (norm * b.norms[i]); sim > bestSim {
			best, bestSim = i, sim
		}
	}
	if best < 0 || bestSim < b.threshold {
		b.clusters = append(b.clusters, map[string]float64{})
		b.norms = append(b.norms, 0)
		best = len(b.clusters) - 1
	}
	c := b.clusters[best]
	ss = b.norms[best] * b.norms[best]
	for _, w := range words {
		old := c[w]
		c[w] = old + tf[w]
		ss += c[w]*c[w] - old*old
	}
	b.norms[best] = math.Sqrt(max(ss, 0))
	return best
}
