package events

import (
	"cmp"
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
)

// posting is one entry of the inverted index: ev listed under a term
// while ev's centroid holds it with this seq.
type posting struct {
	ev  *event
	seq uint64
}

// addToCentroid adds v to ev's centroid, lists ev under the terms the
// centroid took and unlists it under those it let go of: an entry for a
// term the centroid no longer holds would be dropped by the next story
// that queried the term, but a term no story queries would keep its list,
// and its id, forever.
// q is v sorted by id (byID); the centroid keeps its limit strongest terms.
func (c *Clusterer) addToCentroid(ev *event, v vector, q []posTerm, limit int) {
	ev.cent.add(v, q, limit, c.terms, &c.fb)
	for _, x := range c.fb.dropped {
		c.unindex(x.t, ev, x.seq)
	}
	for _, t := range c.fb.added {
		c.index(t, ev)
	}
}

// headlineCentroid is how many terms, in percent of CentroidTerms, an
// event's centroid keeps when a story without a text joins it. A
// headline brings a dozen terms, an article the StoryTerms most: a
// hundred terms hold the words of a few articles but, once an event is
// big, only its most repeated headline words, and the rare words that tie
// a headline on a facet of the story to the rest (a name, the slug's
// words) are the ones the cut drops first, leaving it nothing to share
// with the event. Articles keep CentroidTerms: a wider centroid of
// articles meets other events' common words (round 12: every event at
// 200 terms cost wikiref220 precision). 150 % gains what 200 % does on
// uci-dev; 200 % cost a tenth more CPU per headline (scoring longer
// centroids), 150 % nothing measurable (BENCHMARKS, round 13).
const headlineCentroid = 150

// centroidTerms is how many terms an event's centroid keeps when s
// joins it: CentroidTerms, or headlineCentroid percent of it for a story
// with neither body nor summary. It depends on the story alone, so a
// restored clusterer cuts as the one that wrote the state did.
func (c *Clusterer) centroidTerms(s *record.Story) int {
	if s.Body == "" && s.Summary == "" {
		return c.maxCentroidTerms()
	}
	return c.cfg.CentroidTerms
}

// maxCentroidTerms is the most terms a centroid keeps.
func (c *Clusterer) maxCentroidTerms() int {
	return c.cfg.CentroidTerms * headlineCentroid / 100
}

// unindex removes ev's entry seq from t's list, if the list still has it
// (MaxPostings may have cut it). A list is in entry order (index appends
// the next number, cuts keep the order, Restored sorts), so the entry is
// found by bisection: at most 8 steps in a list of MaxPostings 256.
func (c *Clusterer) unindex(t termID, ev *event, seq uint64) {
	list := c.postingsOf(t)
	i, ok := slices.BinarySearchFunc(list, seq, func(p posting, seq uint64) int { return cmp.Compare(p.seq, seq) })
	if !ok || list[i].ev != ev {
		return
	}
	n := copy(list[i:], list[i+1:])
	list[i+n] = posting{}
	c.setPostings(t, list[:i+n])
}

// index lists ev under term t, dropping the oldest entry past MaxPostings:
// a term shared by that many events no longer tells them apart, and the
// newest events are the likeliest to take the next story.
func (c *Clusterer) index(t termID, ev *event) {
	list := c.postingsOf(t)
	if len(list) == 0 {
		c.terms.acquire(t) // the list holds t while it is not empty
		if n := len(c.spare); n > 0 && cap(list) == 0 {
			list, c.spare[n-1] = c.spare[n-1], nil
			c.spare = c.spare[:n-1]
		}
	}
	if len(list) >= c.cfg.MaxPostings {
		n := copy(list, list[len(list)-c.cfg.MaxPostings+1:])
		clear(list[n:])
		list = list[:n]
	}
	seq := c.postSeq
	c.postSeq++
	j, _ := ev.cent.find(t) // centroid.add keeps what it reports added
	ev.cent.seq[j] = seq
	if int(t) >= len(c.postings) {
		c.postings = append(c.postings, make([][]posting, c.terms.span()-len(c.postings))...)
	}
	c.postings[t] = append(list, posting{ev, seq})
}

// maxSpare bounds the emptied lists kept for reuse (Clusterer.spare).
const maxSpare = 4096

// postingsOf is t's list in the inverted index.
func (c *Clusterer) postingsOf(t termID) []posting {
	if int(t) < len(c.postings) {
		return c.postings[t]
	}
	return nil
}

// setPostings replaces t's list, which is t's current list cut down (an
// emptied list lets go of t).
func (c *Clusterer) setPostings(t termID, list []posting) {
	if len(list) == 0 {
		if len(c.postingsOf(t)) > 0 {
			c.postings[t] = nil
			c.terms.release(t)
			// a term's list is made anew when an event takes it again, so
			// its array goes to the next new list: lists come and go with
			// the events, and each was one to four allocations as it grew
			if len(c.spare) < maxSpare {
				c.spare = append(c.spare, list[:0])
			}
		}
		return
	}
	c.postings[t] = list
}
