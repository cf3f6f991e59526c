package events

import (
	"math"
	"slices"
	"strings"
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
// MergedInto) are handed out by the next Expire.
func (c *Clusterer) mergeMatched(ev *event, matched []*event) *event {
	if c.cfg.MergeThreshold <= 0 {
		return ev
	}
	for _, o := range matched {
		if o == ev || !o.alive || c.centroidCosine(&ev.cent, &o.cent) < c.cfg.MergeThreshold {
			continue
		}
		into, from := ev, o
		if from.stories > into.stories {
			// keep the bigger event's id: more consumers already know it
			into, from = from, into
		}
		c.merge(into, from)
		ev = into
	}
	return ev
}

func (c *Clusterer) merge(into, from *event) {
	c.unlink(from)
	from.mergedInto = into
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
	if from.founded.Before(into.founded) {
		into.founded = from.founded
	}
	for _, id := range append(from.members[from.head:], from.members[:from.head]...) {
		into.addMember(id, c.cfg.MaxMembers)
	}
	for _, p := range from.pubs {
		into.addPublisher(p)
	}
	for _, e := range from.entities {
		into.entities = addEntity(into.entities, e)
	}
	// in key order: past the bound, the keys taken do not depend on a
	// map's iteration order
	for _, kc := range from.keywords {
		into.keywords.add(kc.key, kc.n, maxTrackedKeywords)
	}
	for _, kc := range from.topics {
		into.topics.add(kc.key, kc.n, math.MaxInt)
	}
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
