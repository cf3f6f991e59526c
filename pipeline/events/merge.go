package events

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Single-pass clustering's known weakness is the split seed: two early
// stories on different facets of one event (the deal, the price war it
// promises) found two events that each grow and never meet. When a story
// is close to several events, it is evidence they are one; if, after the
// story joins the best of them, their centroids are also close
// (MergeThreshold), the smaller is folded into the larger.
//
// Close is the threshold for the event the story joins, but only
// nearMiss of it for the others: the split seed's second event is
// often the one a story just missed (the facet it did not take), and
// the merge test on the centroids, not the story's score, decides.
// Counting only the events above the threshold left such pairs to meet
// later, if ever, through a story close to both at once.

// A fragment read as a story. The merge test compares two centroids,
// which suits two events of about one size; a fragment of a few headlines
// on one facet of a story (a sub-story, a market wrap under the story's
// label) against the story's big event is a different shape: the big
// centroid is broad (its stories' many words, up to headlineCentroid of
// them), the fragment's narrow, and their cosine stays under
// MergeThreshold even when every one of the fragment's headlines is about
// the big event's news. A story scored against the big event is weighed
// by its size (prior), the fragment's stories were too when they were
// decided; the second look reads the fragment as one story: when a story
// just met both, the fragment folds into the big event if its centroid,
// scored as a story's vector against the big event (cosine × the size
// prior), reaches fragmentJoin times the join threshold. Measured on
// uci-dev's halves (BENCHMARKS, round 15): a small event of 2–4 stories
// against one of 20 or more at 1.6 × Threshold; single-story events left
// out (their founding story was already scored as a story against the big
// event, and reading them again cost wikiref220 and uci-dev by time).
//
// The score is a story's in full: the big event's prior and its time
// decay since its last new story (a day-old event does not take a fresh
// fragment a fresh story would not join). The prior is the one of an
// event of at most fragmentPriorMax stories: the prior grows without
// bound with the event's size, and the needed cosine would fall with it
// (0.143 at 20 stories, 0.114 at 100, 0.100 at 300, 0.089 at 1,000) to
// where a rolling event of a 48 h window takes any few headlines sharing
// a word or two. Measured (BENCHMARKS, round 15, fixfold): a bound at 300
// stories changes no figure of uci-dev or wikiref220; at 100 it cost
// uci-dev by time 0.002 after merges, at 20 more.
const (
	fragmentMin      = 2   // fewest stories of an event read as a fragment
	fragmentMax      = 4   // most stories of an event read as a fragment
	fragmentInto     = 20  // fewest stories of the event a fragment folds into
	fragmentPriorMax = 300 // the size prior of a bigger event is this size's
	fragmentJoin     = 1.6 // × Threshold: the fragment's score as a story
)

// nearMiss is the share of Threshold at which an event a story reached is
// a merge candidate for the event it joins. Below it a story shares with
// the event little more than a common word; the bound also keeps the
// merge test (a walk over two centroids) to a few events per story, where
// a common word reaches dozens.
const nearMiss = 0.5

// resolve follows merges to the event a story belongs to now.
func resolve(ev *event) *event {
	for ev != nil && ev.mergedInto != nil {
		ev = ev.mergedInto
	}
	return ev
}

// mergeMatched folds into ev the other events in matched whose centroid
// is close to ev's, each time keeping the bigger event, and returns the
// event that survives. The folded events' final states (Expired,
// MergedInto) are handed out by the next Expire. A fold changes ev (its
// centroid, its size), so the candidates it turned down before are
// tested again against the event the fold made, until a pass folds
// none: which candidates fold does not hang on their order in matched
// (a fragment tested first against another fragment, and turned down,
// would otherwise never meet the big event the story's fragment folded
// into after it). now is the story's time, for the big event's decay.
func (c *Clusterer) mergeMatched(ev *event, matched []*event, now time.Time) *event {
	if c.cfg.MergeThreshold <= 0 {
		return ev
	}
	for folded := true; folded; {
		folded = false
		for _, o := range matched {
			if o == ev || !o.alive || !c.oneEvent(ev, o, now) {
				continue
			}
			into, from := ev, o
			if from.stories > into.stories {
				// keep the bigger event's id: more consumers already know it
				into, from = from, into
			}
			c.merge(into, from)
			ev = into
			folded = true
		}
	}
	return ev
}

// oneEvent is mergeMatched's test: a and b's centroids are close, or
// one is a fragment of the other (read as a story at now, it would join
// it).
func (c *Clusterer) oneEvent(a, b *event, now time.Time) bool {
	cos := c.centroidCosine(&a.cent, &b.cent)
	if cos >= c.cfg.MergeThreshold {
		return true
	}
	small, big := a, b
	if small.stories > big.stories {
		small, big = big, small
	}
	return small.stories >= fragmentMin && small.stories <= fragmentMax && big.stories >= fragmentInto &&
		cos*c.decay(now.Sub(big.lastNew.time()))*c.fragmentPrior(big) >= fragmentJoin*c.cfg.Threshold
}

// fragmentPrior is the size prior of big for oneEvent, bounded at
// fragmentPriorMax stories.
func (c *Clusterer) fragmentPrior(big *event) float64 {
	if big.stories <= fragmentPriorMax {
		return c.prior(big)
	}
	return 1 + c.cfg.SizePrior*math.Log(fragmentPriorMax)
}

func (c *Clusterer) merge(into, from *event) {
	c.unlink(from)
	from.mergedInto = into
	from.ownTitle(c.terms) // into may take it
	v := from.cent.top(from.cent.len(), c.terms)
	c.fb.mergeQ = byID(c.fb.mergeQ, v)
	// the folded terms fit in the larger of the two centroids (each cut
	// to what its stories allowed), within the bounds a story may set
	limit := min(max(c.cfg.CentroidTerms, into.cent.len(), from.cent.len()), c.maxCentroidTerms())
	c.addToCentroid(into, v, c.fb.mergeQ, limit)
	if into.cent.cosine(from.titleVec) > into.cent.cosine(into.titleVec) {
		into.setTitle(from.title, from.titleVec, c.terms)
	}
	into.stories += from.stories
	into.repubs += from.repubs
	into.touch(from.last, from.seenFirst)
	into.touch(from.last, from.seenLast)
	into.addStoryTime(from.pubFirst)
	into.addStoryTime(from.lastNew)
	if from.founded.before(into.founded) {
		into.founded = from.founded
	}
	for _, id := range append(from.members[from.head:], from.members[:from.head]...) {
		into.addMember(id, c.cfg.MaxMembers)
	}
	for _, p := range from.pubs {
		into.addPublisher(p)
	}
	for i := range from.entities {
		e := &from.entities[i]
		kind, name := e.kindName()
		into.entities = addEntity(into.entities, e.key(), kind, name, uint64(e.stories), &into.strs)
	}
	// in key order: past the bound, the keys taken do not depend on a
	// map's iteration order
	for _, kc := range from.keywords {
		into.keywords.add(kc.key, kc.n, maxTrackedKeywords, &into.strs)
	}
	for _, kc := range from.topics {
		into.topics.add(kc.key, kc.n, math.MaxInt, nil)
	}
	for _, kc := range from.evidence {
		into.evidence.add(kc.key, kc.n, math.MaxInt, nil)
	}
	into.evidenced += from.evidenced
	for _, l := range from.langs {
		if !slices.Contains(into.langs, l) && len(into.langs) < maxLanguages {
			into.langs = append(into.langs, l)
		}
	}
	slices.Sort(into.langs)
	// from's stories now belong to into, in memory through mergedInto and
	// in the state log by name
	into.memberKeys = append(into.memberKeys, from.memberKeys...)
	for _, k := range from.memberKeys {
		c.log.member(k, into)
	}
	from.memberKeys = nil
	c.log.gone(from, false)
	c.toBack(into)
	c.m.merged.Inc()
	final := from.snapshot(c.terms)
	final.Expired = true
	final.MergedInto = into.id
	c.retire(final)
	from.release(c.terms)
}

// centroidCosine sums the products of the terms two centroids share in
// the order of their texts, so the float sum repeats exactly and is the
// one the text-keyed maps gave (which summed over the smaller centroid's
// terms in text order, a term the other lacked adding zero). The shared
// terms are found by one merge of the id-sorted lists.
func (c *Clusterer) centroidCosine(a, b *centroid) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	shared := c.fb.shared[:0]
	for i, j := 0, 0; i < len(a.ids) && j < len(b.ids); {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			shared = append(shared, term{a.ids[i], a.w[i] * b.w[j]})
			i++
			j++
		}
	}
	slices.SortFunc(shared, func(x, y term) int { return strings.Compare(c.terms.term(x.id), c.terms.term(y.id)) })
	var dot float64
	for _, t := range shared {
		dot += t.w
	}
	c.fb.shared = shared[:0]
	return dot / (a.norm * b.norm)
}
