package events

import (
	"math"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// assign is AddStory up to the snapshot: it returns the event s is in.
func (c *Clusterer) assign(s *record.Story) *event {
	now := s.EventTime()
	c.advance(now)

	sk := storyKey(s.ID)
	if ev := resolve(c.byStory[sk]); c.open(ev) {
		// a revised story: same member, just activity; its topics are
		// read against its event's as the first version's were (the
		// counts hold that version's own: one story of the event's). An
		// event of this story alone has no other story to follow: its
		// counts are the first version's own topics, which FromEvent
		// would take at score 1 as if another story had named them.
		if ev.stories > 1 {
			s.Topics = c.topicsFor(ev, s.Topics, ev.stories)
		}
		ev.touch(instantOf(now), instantOf(s.FirstSeen))
		c.toBack(ev)
		s.EventID = ev.id
		return ev
	}

	// no story's term ids are in flight here: ids nothing holds can go
	c.terms.sweep()
	tf := features(s, &c.cfg, &c.fb, c.terms)
	c.fb.distinct = c.fb.distinct[:0]
	for _, t := range tf {
		c.fb.distinct = append(c.fb.distinct, t.id)
	}
	c.df.add(c.fb.distinct)
	c.log.terms(c.fb.distinct, c.df)
	v := vectorize(tf, c.df, c.cfg.StoryTerms, &c.fb)

	c.fb.query = byID(c.fb.query, v)
	q := c.fb.query // v by id: for adding it to a centroid (and the tracer)
	c.fb.qi.set(v, c.terms.span())
	best, bestScore, candidates := c.bestEvent(v, now)
	matched := c.matched
	c.traceDecision(s, v, q, now, best, bestScore)
	c.scored += uint64(candidates)
	c.m.candidates.Observe(float64(candidates))
	ev := best
	if ev == nil || bestScore < c.cfg.Threshold {
		ev = newEvent(s)
		if old := c.events[ev.id]; old != nil {
			// the same founding id again after a restart of its story: close the old one
			c.close(old)
		}
		// The id's revisions go on above the final state of an event of
		// the same id that closed before — just now, earlier in the
		// batch (the caller publishes that final state with this event's
		// first, and the higher revision, published after it, is the
		// id's state), or in an earlier batch — or above its retraction.
		c.raiseToFloor(ev)
		c.events[ev.id] = ev
		c.recency.pushBack(ev)
		ev.recent = c.tick
		c.tick++
		c.m.created.Inc()
		c.m.foundingBest.Observe(max(bestScore, 0))
	} else {
		c.toBack(ev)
		c.m.assigned.Inc()
	}

	c.addToCentroid(ev, v, q, c.centroidTerms(s))
	// the story's cosine through the query index (the same products
	// summed in the same order as cosine's bisections)
	switch {
	case ev.stories == 0 && inCentroidOrder(v, q, &ev.cent, c.terms):
		ev.setTitleCentroid(s.Title, c.terms) // a new event's centroid is v
	case ev.title == "" || ev.cent.cosineQ(v, &c.fb.qi) > ev.cent.cosine(ev.titleVec):
		ev.setTitle(s.Title, slices.Clone(v), c.terms) // v is fb's scratch
	}
	c.fb.qi.reset(v)
	prior := ev.stories
	ev.stories++
	ev.touch(instantOf(now), instantOf(s.FirstSeen))
	ev.addStoryTime(instantOf(now))
	ev.addMember(s.ID, c.cfg.MaxMembers)
	// the topics of the stories before it, then the story's own counted:
	// the event's counts are its stories' own evidence, never a topic
	// one of them took from it
	published := c.topicsFor(ev, s.Topics, prior)
	ev.addStoryStats(s, &c.seen)
	s.Topics = published
	c.byStory[sk] = ev
	ev.memberKeys = append(ev.memberKeys, sk)
	c.log.member(sk, ev)
	if ev == best {
		// the story may show ev to be one with another event: the story
		// then goes out with the id of the event that survives the merge,
		// not one that is closed the moment it is written
		ev = c.mergeMatched(ev, matched, now)
	}
	s.EventID = ev.id

	for len(c.events) > c.cfg.MaxEvents {
		oldest := c.recency.front()
		c.close(oldest)
	}
	c.setActive()
	return ev
}

// bestEvent scores the events sharing one of v's strongest terms (the
// first QueryTerms, or twice as many when those reach no event above
// Threshold) and returns the best one with its time-decayed similarity.
// c.fb.qi indexes v (queryIndex.set).
func (c *Clusterer) bestEvent(v vector, now time.Time) (*event, float64, int) {
	c.stamp++
	c.matched = c.matched[:0]
	var best *event
	bestScore, n := -1.0, 0
	c.looked = len(v)
	for i, t := range v {
		// A story that its strongest terms bring to no event above the
		// threshold would found one; before it does, it looks again with
		// twice as many terms: a long article's distinctive words are often
		// names no live event holds yet, while the event it belongs to
		// shares its next ones. Only such stories pay for the wider look.
		if i == 2*c.cfg.QueryTerms || i == c.cfg.QueryTerms && bestScore >= c.cfg.Threshold {
			c.looked = i
			break
		}
		list := c.postingsOf(t.id)
		kept := list[:0]
		for _, p := range list {
			ev := p.ev
			// unlink and unindex keep every entry current: its event alive
			// and its centroid holding the term under this entry
			// (checkPostings tests it after every story of a churn). A
			// closed event's entry would be dropped rather than scored;
			// the centroid is not searched for the term here, a bisection
			// per entry that cost a third of what scoring the candidates
			// did (BENCHMARKS.md, round 34: evcpu34).
			if !ev.alive {
				continue // closed
			}
			kept = append(kept, p)
			if ev.stamp == c.stamp {
				continue
			}
			ev.stamp = c.stamp
			if now.Sub(ev.founded.time()) > c.cfg.Window || !c.open(ev) {
				continue
			}
			n++
			score := ev.cent.cosineQ(v, &c.fb.qi) * c.decay(now.Sub(ev.lastNew.time())) * c.prior(ev)
			if score >= nearMiss*c.cfg.Threshold {
				c.matched = append(c.matched, ev)
			}
			if score > bestScore {
				best, bestScore = ev, score
			}
		}
		clear(list[len(kept):])
		c.setPostings(t.id, kept)
	}
	return best, bestScore, n
}

// prior weighs an event by its size, as a Chinese restaurant process
// does: a story as close to an event of fifty stories as to one of two is
// likelier to belong to the fifty. Without it, two early stories on
// facets of one story found two events that grow side by side and split
// it; with it, the bigger one draws the undecided stories. It grows with
// the logarithm, so a big event does not swallow what is plainly apart.
func (c *Clusterer) prior(ev *event) float64 {
	if c.cfg.SizePrior == 0 || ev.stories <= 1 {
		return 1
	}
	return 1 + c.cfg.SizePrior*math.Log(float64(ev.stories))
}

func (c *Clusterer) decay(idle time.Duration) float64 {
	if idle <= 0 {
		return 1
	}
	return math.Exp2(-float64(idle) / float64(c.cfg.HalfLife))
}
