package events

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// term is one dimension of the vector space with its weight.
type term struct {
	id termID
	w  float64
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
// shedding one-off rarities. The table holds a reference to each term it
// counts (dict).
//
// A halving is not written to the state log term by term: epoch counts
// the halvings, the log's clock entry holds it, and each count is written
// with the epoch it was written at, so a restore halves a count once for
// every halving since (Clusterer.ageRestoredCounts). Rewriting every
// term at a halving was the largest transient of the 10k-feed harness
// (≈ 76 MB in one batch, BENCHMARKS.md round 34).
type docFreq struct {
	dict  *dict
	df    []float64 // by term id; 0: not in the table (a count is 1 or more)
	size  int       // terms in the table
	n     float64
	max   int
	epoch uint64 // halvings so far
	fresh int    // terms new to the table since the state log was last told (changes.tombstoneForgotten)
	// forgot holds the texts of the terms halvings forgot whose
	// tombstones the state log has not been given yet (changes.tombstoneForgotten).
	forgot forgotten
}

func newDocFreq(d *dict, max int) *docFreq {
	return &docFreq{dict: d, max: max}
}

// get is t's count, 0 when the table does not have it.
func (d *docFreq) get(t termID) float64 {
	if int(t) < len(d.df) {
		return d.df[t]
	}
	return 0
}

// set makes t's count n (> 0), taking a reference when t is new to the table.
func (d *docFreq) set(t termID, n float64) {
	if int(t) >= len(d.df) {
		d.df = append(d.df, make([]float64, d.dict.span()-len(d.df))...)
	}
	if d.df[t] == 0 {
		d.size++
		d.fresh++
		d.dict.acquire(t)
	}
	d.df[t] = n
}

// drop forgets t's count, if the table has it.
func (d *docFreq) drop(t termID) {
	if d.get(t) == 0 {
		return
	}
	d.df[t] = 0
	d.size--
	d.dict.release(t)
}

func (d *docFreq) add(distinct []termID) {
	d.n++
	for _, t := range distinct {
		d.set(t, d.get(t)+1)
	}
	if d.size > d.max {
		d.halve()
	}
}

func (d *docFreq) halve() {
	d.n /= 2
	d.epoch++
	for t, c := range d.df {
		if c == 0 {
			continue
		}
		if c /= 2; c < 1 {
			d.forget(termID(t))
		} else {
			d.df[t] = c
		}
	}
}

// forget drops t, whose count fell below 1, noting it for its tombstone.
func (d *docFreq) forget(t termID) {
	d.forgot.add(d.dict.term(t))
	d.drop(t)
}

// appendCount appends a term's value in the state log: its count n, then
// the epoch it is a count of when there were halvings (a value of 8
// bytes is a count of epoch 0, as every value before round 35 was).
func (d *docFreq) appendCount(b []byte, n float64) []byte {
	b = state.AppendFloat(b, n)
	if d.epoch > 0 {
		b = binary.AppendUvarint(b, d.epoch)
	}
	return b
}

// forgotten is a queue of term texts, each a uvarint length and its
// bytes: a halving forgets half a million terms at the default bound, and
// as strings each would keep its text and a 16-byte header alive until
// its tombstone is written.
type forgotten struct {
	buf []byte
	at  int // the next text to take starts at buf[at]
	n   int // texts in the queue
}

func (f *forgotten) add(t string) {
	f.buf = append(binary.AppendUvarint(f.buf, uint64(len(t))), t...)
	f.n++
}

// take returns the next text, copied, and false when the queue is empty.
func (f *forgotten) take() (string, bool) {
	if f.n == 0 {
		return "", false
	}
	l, k := binary.Uvarint(f.buf[f.at:])
	start := f.at + k
	f.at = start + int(l)
	f.n--
	t := string(f.buf[start:f.at])
	if f.n == 0 {
		f.clear()
	}
	return t, true
}

// clear empties the queue, giving its buffer back when it is large.
func (f *forgotten) clear() {
	if cap(f.buf) > keepScratch {
		f.buf = nil
	}
	f.buf, f.at, f.n = f.buf[:0], 0, 0
}

// idf is the smoothed inverse document frequency, always > 0.
func (d *docFreq) idf(t termID) float64 {
	return math.Log((d.n+1)/(d.get(t)+1)) + 1
}

// featureBuf holds the buffers a story's features are built in, reused
// from story to story (the clusterer handles one at a time).
type featureBuf struct {
	scan     wordScanner // the words of the title, body or slug
	slug     []string    // the words of a link's slug (slugWords)
	slot     []int32     // by term id: 1 + the term's index in feats, 0 when not in this story
	feats    []term      // the story's distinct terms with their raw frequencies
	body     []float64   // by index in feats: the term's count in the body
	key      []byte      // an entity key or keyword with its namespace prefix
	distinct []termID
	sorted   vector
	vec      vector    // the story's vector (vectorize)
	added    []termID  // the terms a centroid took (centroid.add)
	dropped  []dropped // the indexed terms a centroid let go of (centroid.add)
	old      []float64 // centroid.add: a term's weight before, by place in the vector
	news     []posTerm // centroid.add: the terms new to the centroid
	mids     []termID  // centroid.add: a centroid over its bound, merged before the cut
	mw       []float64
	mseq     []uint64
	mrank    []uint8
	byRank   []int32    // centroid.add's cut: by rank, the term's index in the merged arrays, -1 if none
	keep     []int32    // centroid.add's cut: by index in the merged arrays, the term's new rank, -1 if dropped
	query    []posTerm  // the story's vector sorted by id (addToCentroid)
	mergeQ   []posTerm  // a folded centroid's terms sorted by id (merge)
	qi       queryIndex // the story's vector by term id (bestEvent, assign)
	shared   []term     // centroidCosine's shared terms with their products
}

// feat returns the index in feats of t, adding it with frequency 0.
func (fb *featureBuf) feat(t termID) int {
	if int(t) >= len(fb.slot) {
		fb.slot = append(fb.slot, make([]int32, int(t)+1-len(fb.slot)+len(fb.slot)/4)...)
	}
	if i := fb.slot[t]; i > 0 {
		return int(i - 1)
	}
	fb.feats = append(fb.feats, term{t, 0})
	fb.body = append(fb.body, 0)
	fb.slot[t] = int32(len(fb.feats))
	return len(fb.feats) - 1
}

// features returns a story's distinct terms with their weighted raw
// frequencies: title words weighted by titleW, summary and body words by
// 1 (sublinear tf applied later) — or, with neither, the slug words of the
// link the title lacks — entity keys by entityW and keywords by
// keywordW. The slice is fb's, valid until the next call; the terms are
// in d, their ids valid until d's next sweep.
func features(s *record.Story, cfg *Config, fb *featureBuf, d *dict) []term {
	fb.feats, fb.body = fb.feats[:0], fb.body[:0]
	sc := &fb.scan
	// (the index first, in each case: feat may grow the slices, and Go does
	// not say whether fb.feats[fb.feat(t)] reads fb.feats before the call)
	for sc.reset(s.Title, s.Language); sc.next(); {
		i := fb.feat(d.internBytes(sc.word))
		fb.feats[i].w += cfg.TitleWeight
	}
	body := s.Body
	if body == "" {
		body = s.Summary
	}
	// A headline alone is a few words, and the story's link often holds
	// others the editor picked for it ("fed-official-...": "federal
	// reserve plosser stimulus economy"): they stand in for the body,
	// but a word the title has already counts there. A story with a text
	// has better words than its link.
	if body == "" {
		fb.slug = slugWords(fb.slug[:0], s.URL)
		for _, w := range fb.slug {
			for sc.reset(w, s.Language); sc.next(); {
				if i := fb.feat(d.internBytes(sc.word)); fb.feats[i].w <= 0 {
					fb.body[i]++ // not a title word
				}
			}
		}
		clear(fb.slug) // slices of the story's link: not kept past it
	} else {
		// sublinear tf for the body so a long article's repetitions do not drown its title
		for sc.reset(body, s.Language); sc.next(); {
			i := fb.feat(d.internBytes(sc.word))
			fb.body[i]++
		}
	}
	sc.reset("", "") // the story's text is not kept past it
	for i, c := range fb.body {
		if c > 0 {
			fb.feats[i].w += 1 + math.Log(c)
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
			fb.key = append(append(fb.key[:0], entityPrefix...), e.Key...)
			i := fb.feat(d.internBytes(fb.key))
			fb.feats[i].w = max(fb.feats[i].w, w)
		}
	}
	if cfg.KeywordWeight > 0 {
		for _, k := range s.Keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				fb.key = append(append(fb.key[:0], keywordPrefix...), k...)
				i := fb.feat(d.internBytes(fb.key))
				fb.feats[i].w = cfg.KeywordWeight
			}
		}
	}
	for _, f := range fb.feats {
		fb.slot[f.id] = 0
	}
	return fb.feats
}

// vectorize turns term frequencies into a TF-IDF vector, keeps the top
// limit terms and normalizes it.
// The terms are sorted in fb; the vector is the top copied into fb.vec,
// valid until the next story: an event that keeps it as its title's
// vector keeps a clone (most stories are not their event's title).
func vectorize(tf []term, df *docFreq, limit int, fb *featureBuf) vector {
	all := fb.sorted[:0]
	for _, t := range tf {
		all = append(all, term{t.id, t.w * df.idf(t.id)})
	}
	strongest(all, limit, df.dict)
	v := append(fb.vec[:0], all[:min(len(all), limit)]...)
	fb.sorted, fb.vec = all[:0], v
	normalize(v)
	return v
}

// sortTerms orders strongest first, ties by term text, so truncation is
// deterministic and the same as when terms were keyed by their text.
//
// It is slices.SortFunc(v, d.cmp) with the comparison written in: a full
// centroid sorts its hundred terms on every story it takes, and calling
// d.cmp through a func value cost more than comparing. The order is total
// (terms are distinct), so any correct sort gives the same result.
func sortTerms(v vector, d *dict) {
	quickTerms(v, d.terms, 2*bits.Len(uint(len(v))))
}

// quickTerms is a quicksort (median-of-three pivot, insertion sort below
// 13 terms) in sortTerms' order; past depth levels it hands the rest to
// slices.SortFunc, which bounds the worst case.
func quickTerms(v vector, texts []string, depth int) {
	before := func(a, b term) bool { // a sorts before b
		if a.w != b.w {
			return a.w > b.w
		}
		return texts[a.id] < texts[b.id]
	}
	for len(v) > 12 {
		if depth == 0 {
			slices.SortFunc(v, func(a, b term) int {
				if before(a, b) {
					return -1
				}
				return 1 // terms are distinct: never equal
			})
			return
		}
		depth--
		hi := len(v) - 1
		m := hi / 2
		if before(v[m], v[0]) {
			v[m], v[0] = v[0], v[m]
		}
		if before(v[hi], v[0]) {
			v[hi], v[0] = v[0], v[hi]
		}
		if before(v[hi], v[m]) {
			v[hi], v[m] = v[m], v[hi]
		}
		v[0], v[m] = v[m], v[0] // the median as pivot, at v[0]
		p := 0                  // v[1:p+1] sort before the pivot
		for i := 1; i <= hi; i++ {
			if before(v[i], v[0]) {
				p++
				v[p], v[i] = v[i], v[p]
			}
		}
		v[0], v[p] = v[p], v[0]
		// recurse into the shorter side, loop on the longer
		if p < len(v)-p {
			quickTerms(v[:p], texts, depth)
			v = v[p+1:]
		} else {
			quickTerms(v[p+1:], texts, depth)
			v = v[:p]
		}
	}
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && before(v[j], v[j-1]); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// strongest moves v's k strongest terms to v[:k] in sortTerms' order and
// leaves the rest after them in no order: what sorting all of v and
// keeping k gives (the order is total, keys being distinct), without
// sorting the hundreds of terms of an article to keep 64 of them.
func strongest(v vector, k int, d *dict) {
	compareTerms := d.cmp
	if k >= len(v) {
		sortTerms(v, d)
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
	sortTerms(v[lo:hi], d)
	sortTerms(v[:lo], d)
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

// acquire and release count v's terms as held (an event's title vector).
func (v vector) acquire(d *dict) {
	for _, t := range v {
		d.acquire(t.id)
	}
}

func (v vector) release(d *dict) {
	for _, t := range v {
		d.release(t.id)
	}
}
