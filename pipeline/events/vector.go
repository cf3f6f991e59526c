package events

import (
	"math"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// term is one dimension of the vector space with its weight.
type term struct {
	key string
	w   float64
}

// vector is a sparse, L2-normalized vector, strongest terms first.
type vector []term

// Entity keys and keywords live in their own namespaces so a keyword never
// collides with a title word or an entity key with either.
const (
	entityPrefix  = "\x01"
	keywordPrefix = "\x02"
)

// docFreq holds incremental document frequencies: every story adds its
// distinct terms before it is vectorized, so IDF reflects the stream seen
// so far. When the table outgrows its bound, all counts (and the document
// count) are halved and terms falling to zero are forgotten — an
// exponential forgetting that keeps the IDF ratios of common terms while
// shedding one-off rarities.
type docFreq struct {
	df  map[string]float64
	n   float64
	max int
	// halved says every count changed since the state log was told, and
	// forgot lists the terms that fell to zero then.
	halved bool
	forgot []string
}

func newDocFreq(max int) *docFreq {
	return &docFreq{df: make(map[string]float64, 1024), max: max}
}

func (d *docFreq) add(distinct []string) {
	d.n++
	for _, t := range distinct {
		d.df[t]++
	}
	if len(d.df) > d.max {
		d.n /= 2
		d.halved = true
		for t, c := range d.df {
			if c /= 2; c < 1 {
				delete(d.df, t)
				d.forgot = append(d.forgot, t)
			} else {
				d.df[t] = c
			}
		}
	}
}

// idf is the smoothed inverse document frequency, always > 0.
func (d *docFreq) idf(t string) float64 {
	return math.Log((d.n+1)/(d.df[t]+1)) + 1
}

// featureBuf holds the buffers a story's features are built in, reused
// from story to story (the clusterer handles one at a time).
type featureBuf struct {
	words    []string
	tf       map[string]float64
	counts   map[string]float64
	distinct []string
	sorted   vector
}

// features returns a story's weighted raw term frequencies: title words
// weighted by titleW, summary and body words by 1 (sublinear tf applied
// later), entity keys by entityW and keywords by keywordW. The map is
// fb's, valid until the next call.
func features(s *record.Story, cfg *Config, fb *featureBuf) map[string]float64 {
	if fb.tf == nil {
		fb.tf, fb.counts = make(map[string]float64, 64), make(map[string]float64, 64)
	}
	tf := fb.tf
	clear(tf)
	fb.words = tokens(fb.words[:0], s.Title, s.Language)
	for _, w := range fb.words {
		tf[w] += cfg.TitleWeight
	}
	body := s.Body
	if body == "" {
		body = s.Summary
	}
	if body != "" {
		// sublinear tf for the body so a long article's repetitions do not drown its title
		counts := fb.counts
		clear(counts)
		fb.words = tokens(fb.words[:0], body, s.Language)
		for _, w := range fb.words {
			counts[w]++
		}
		for w, c := range counts {
			tf[w] += 1 + math.Log(c)
		}
	}
	if cfg.EntityWeight > 0 {
		for _, e := range s.Entities {
			if e.Key == "" {
				continue
			}
			w := cfg.EntityWeight
			if e.InTitle {
				w *= 1.5
			}
			tf[entityPrefix+e.Key] = max(tf[entityPrefix+e.Key], w)
		}
	}
	if cfg.KeywordWeight > 0 {
		for _, k := range s.Keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				tf[keywordPrefix+k] = cfg.KeywordWeight
			}
		}
	}
	return tf
}

// vectorize turns term frequencies into a TF-IDF vector, keeps the top
// limit terms and normalizes it.
// The terms are sorted in fb; the vector kept is a copy of the top.
func vectorize(tf map[string]float64, df *docFreq, limit int, fb *featureBuf) vector {
	all := fb.sorted[:0]
	for t, f := range tf {
		all = append(all, term{t, f * df.idf(t)})
	}
	strongest(all, limit)
	v := slices.Clone(all[:min(len(all), limit)])
	clear(all) // drop the strings
	fb.sorted = all[:0]
	normalize(v)
	return v
}

// sortTerms orders strongest first, ties by key, so truncation is deterministic.
func sortTerms(v vector) {
	slices.SortFunc(v, compareTerms)
}

func compareTerms(a, b term) int {
	if a.w != b.w {
		if a.w > b.w {
			return -1
		}
		return 1
	}
	return strings.Compare(a.key, b.key)
}

// strongest moves v's k strongest terms to v[:k] in sortTerms' order and
// leaves the rest after them in no order: what sorting all of v and
// keeping k gives (the order is total, keys being distinct), without
// sorting the hundreds of terms of an article to keep 64 of them.
func strongest(v vector, k int) {
	if k >= len(v) {
		sortTerms(v)
		return
	}
	lo, hi := 0, len(v) // the k-th strongest lies in v[lo:hi]
	for hi-lo > 12 {
		// median of three as the pivot, moved to v[lo]
		m := lo + (hi-lo)/2
		if compareTerms(v[m], v[lo]) < 0 {
			v[m], v[lo] = v[lo], v[m]
		}
		if compareTerms(v[hi-1], v[lo]) < 0 {
			v[hi-1], v[lo] = v[lo], v[hi-1]
		}
		if compareTerms(v[hi-1], v[m]) < 0 {
			v[hi-1], v[m] = v[m], v[hi-1]
		}
		v[lo], v[m] = v[m], v[lo]
		p := lo // v[lo+1:p+1] are stronger than the pivot
		for i := lo + 1; i < hi; i++ {
			if compareTerms(v[i], v[lo]) < 0 {
				p++
				v[p], v[i] = v[i], v[p]
			}
		}
		v[lo], v[p] = v[p], v[lo]
		switch {
		case p == k:
			lo, hi = k, k
		case p < k:
			lo = p + 1
		default:
			hi = p
		}
	}
	sortTerms(v[lo:hi])
	sortTerms(v[:lo])
}

func normalize(v vector) {
	var ss float64
	for _, t := range v {
		ss += t.w * t.w
	}
	if ss == 0 {
		return
	}
	inv := 1 / math.Sqrt(ss)
	for i := range v {
		v[i].w *= inv
	}
}

// centroid is the sum of an event's normalized member vectors, truncated
// to its strongest terms so memory per event is fixed. Each term carries
// the sequence number of its entry in the inverted index, so the index can
// tell a current entry from one left behind when the term dropped out and
// came back, and can be rebuilt in its order after a restart.
type centroid struct {
	w    map[string]cterm
	norm float64
}

type cterm struct {
	w   float64
	seq uint64 // the postings entry (Clusterer.index) that lists this term
}

// dropped is in no order.
func (c *centroid) add(v vector, limit int) (added, dropped []string) {
	if c.w == nil {
		c.w = make(map[string]cterm, len(v))
	}
	ss := c.norm * c.norm
	for _, t := range v {
		old, ok := c.w[t.key]
		if !ok {
			added = append(added, t.key)
		}
		c.w[t.key] = cterm{old.w + t.w, old.seq}
		ss += (old.w+t.w)*(old.w+t.w) - old.w*old.w
	}
	if len(c.w) > limit {
		all := make(vector, 0, len(c.w))
		for k, ct := range c.w {
			all = append(all, term{k, ct.w})
		}
		strongest(all, limit)
		for _, t := range all[limit:] {
			delete(c.w, t.key)
			dropped = append(dropped, t.key)
		}
		// recomputed in sorted order: map order would make the float sum,
		// and so a borderline decision, differ between replays
		ss = 0
		for _, t := range all[:limit] {
			ss += t.w * t.w
		}
	}
	c.norm = math.Sqrt(max(ss, 0))
	return added, dropped
}

// cosine of a normalized vector with the centroid.
func (c *centroid) cosine(v vector) float64 {
	if c.norm == 0 {
		return 0
	}
	var dot float64
	for _, t := range v {
		dot += t.w * c.w[t.key].w
	}
	return dot / c.norm
}

// top returns the centroid's n strongest terms.
func (c *centroid) top(n int) vector {
	all := make(vector, 0, len(c.w))
	for k, ct := range c.w {
		all = append(all, term{k, ct.w})
	}
	sortTerms(all)
	if len(all) > n {
		all = all[:n]
	}
	return all
}
