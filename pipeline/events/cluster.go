package events

import (
	"cmp"
	"container/list"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Clusterer assigns stories to events. It is safe for concurrent use, but
// decisions depend on arrival order, so a deterministic replay needs one
// caller feeding stories in order.
type Clusterer struct {
	mu  sync.Mutex
	cfg Config
	m   *Metrics

	clock    time.Time // the event clock: the latest story time seen (or given to Expire)
	terms    *dict     // term ids (terms.go)
	df       *docFreq
	events   map[string]*event
	recency  *list.List        // events, least recently updated first
	tick     uint64            // orders the recency list (event.recent), so a restore rebuilds it
	postings [][]posting       // by term id: events whose centroid holds it, oldest first
	postSeq  uint64            // sequence of postings entries (cterm.seq)
	byStory  map[uint64]*event // member story (storyKey) → its event, for revisions and duplicates
	floors   floors            // ids whose revisions a new event must continue above (floors.go)
	deadIDs  int               // byStory entries pointing at closed events
	closed   []*record.Event   // final states of the events closed since Expire last handed them out
	matched  []*event          // events the last lookup found within nearMiss of the threshold: merge candidates
	stamp    uint64
	scored   uint64 // events scored in all lookups: the work the index lets through
	looked   int    // how many query terms the last lookup queried
	trace    func(*Decision)
	// ownTopics keeps every story's own topics (KeepOwnTopics)
	ownTopics bool
	fb        featureBuf // reused by every story's features
	seen      storySeen  // reused by every story's addStoryStats

	log     changes  // what the state log has not been told yet (state.go)
	restore *restore // what a restore loaded, until Restored
}

// posting is one entry of the inverted index: ev listed under a term
// while ev's centroid holds it with this seq.
type posting struct {
	ev  *event
	seq uint64
}

// New returns a Clusterer that records its work in m (nil: unregistered
// metrics). cfg must have passed Validate.
func New(cfg Config, m *Metrics) *Clusterer {
	if m == nil {
		m = NewMetrics(nil)
	}
	c := &Clusterer{cfg: cfg, m: m}
	c.forget()
	return c
}

// forget empties the clusterer's memory: no event, no term, no story, no
// clock. Change tracking and the lookup counters stay. Called with c.mu
// held, or before c is shared.
func (c *Clusterer) forget() {
	c.clock, c.tick, c.postSeq, c.deadIDs = time.Time{}, 0, 0, 0
	c.terms = newDict()
	c.df = newDocFreq(c.terms, c.cfg.MaxVocabulary)
	c.events = make(map[string]*event)
	c.recency = list.New()
	c.postings = nil
	c.byStory = make(map[uint64]*event)
	c.floors = newFloors()
	c.closed, c.matched, c.restore = nil, nil, nil
	c.fb = featureBuf{} // its scratch is by term id, of the dict just dropped
	c.log = changes{on: c.log.on}
}

// AddStory assigns s to the best matching active event or founds a new
// one, sets s.EventID, and returns the event's new state. Time is
// s.EventTime(); the event clock moves to it if it is later, closing the
// events idle for Expiry by then. A story id seen before (a revision)
// stays in its event.
func (c *Clusterer) AddStory(s *record.Story) *record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.assign(s).snapshot(c.terms)
}

// Assign is AddStory without the event's new state: it returns the id of
// the event s joined (s.EventID). A caller that adds many stories takes
// Current of the events they changed once, after the last: an event's
// state copies its members, publishers and counts, so a copy per story
// was most of the cost of clustering.
func (c *Clusterer) Assign(s *record.Story) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.assign(s).id
}

// KeepOwnTopics makes every story keep its own topics, never its
// event's (event.topicsFor): for evaluation, which scores the topics a
// story is published with against those it had.
func (c *Clusterer) KeepOwnTopics(keep bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ownTopics = keep
}

// topicsFor is ev.topicsFor unless stories keep their own topics.
func (c *Clusterer) topicsFor(ev *event, ts []record.Topic, prior int) []record.Topic {
	if c.ownTopics {
		return ts
	}
	return ev.topicsFor(ts, prior)
}

// Current returns the state of the active event id with a new revision,
// or nil when no active event has that id (it closed; Expire hands out
// its final state). (Snapshot is the state log's: every live entry.)
func (c *Clusterer) Current(id string) *record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	ev := c.events[id]
	if ev == nil {
		return nil
	}
	c.log.touch(ev) // the revision it hands out goes to the log with the caller's batch
	return ev.snapshot(c.terms)
}

// Head is Current without the event's lists (publishers, entities,
// keywords, topics, languages, story ids): the new revision, the title,
// the times and the counts. The pipeline takes it for an update that
// may wait (pipeline.Config.EventPublishInterval), whose record is then
// dropped most of the time, and Fill completes it when it goes out.
func (c *Clusterer) Head(id string) *record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	ev := c.events[id]
	if ev == nil {
		return nil
	}
	ev.rev++
	c.log.touch(ev) // as Current: a restart continues above this revision
	return ev.headRecord()
}

// Fill completes h, which Head returned, with the event's lists: the
// record Current would have returned instead of h. ok is false when the
// event changed since Head (it closed, or took another revision).
func (c *Clusterer) Fill(h *record.Event) (ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ev := c.events[h.ID]
	if ev == nil || ev.rev != h.Revision {
		return false
	}
	ev.fill(h, c.terms)
	return true
}

// EventOf returns the id of the event the story of id belongs to now,
// following merges, or "" when no event holds it. A story assigned earlier
// in a batch may have been emitted into an event a later story of the
// batch folded into another; the pipeline asks again before it writes the
// batch, so the record names the event that survives, not one whose final
// state goes out in the same write.
func (c *Clusterer) EventOf(storyID string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev := resolve(c.byStory[storyKey(storyID)]); ev != nil {
		return ev.id
	}
	return ""
}

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
		ev.touch(now, s.FirstSeen)
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
	q := c.fb.query // v by id: for scoring it and adding it to a centroid
	best, bestScore, candidates := c.bestEvent(v, q, now)
	matched := c.matched
	c.traceDecision(s, v, q, now, best, bestScore)
	c.scored += uint64(candidates)
	c.m.candidates.Observe(float64(candidates))
	ev := best
	if ev == nil || bestScore < c.cfg.Threshold {
		ev = newEvent(s, c.cfg.MaxMembers)
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
		ev.elem = c.recency.PushBack(ev)
		ev.recent = c.tick
		c.tick++
		c.m.created.Inc()
		c.m.foundingBest.Observe(max(bestScore, 0))
	} else {
		c.toBack(ev)
		c.m.assigned.Inc()
	}

	c.addToCentroid(ev, v, q, c.centroidTerms(s))
	// the story's cosine by one merge of q with the centroid (the same
	// products summed in the same order as cosine's bisections)
	c.fb.prod = append(c.fb.prod[:0], make([]float64, len(v))...)
	if ev.title == "" || ev.cent.cosineByID(q, c.fb.prod) > ev.cent.cosine(ev.titleVec) {
		ev.setTitle(s.Title, slices.Clone(v), c.terms) // v is fb's scratch
	}
	prior := ev.stories
	ev.stories++
	ev.touch(now, s.FirstSeen)
	ev.addStoryTime(now)
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
		oldest := c.recency.Front().Value.(*event)
		c.close(oldest)
	}
	c.setActive()
	return ev
}

// bestEvent scores the events sharing one of v's strongest terms (the
// first QueryTerms, or twice as many when those reach no event above
// Threshold) and returns the best one with its time-decayed similarity. q is v sorted
// by id (byID).
func (c *Clusterer) bestEvent(v vector, q []posTerm, now time.Time) (*event, float64, int) {
	c.stamp++
	c.matched = c.matched[:0]
	prod := append(c.fb.prod[:0], make([]float64, len(v))...)
	c.fb.prod = prod
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
			// unlink and unindex keep every entry current (checkPostings
			// tests it); these drop one that is not rather than score it
			if !ev.alive {
				continue // closed
			}
			if j, ok := ev.cent.find(t.id); !ok || ev.cent.seq[j] != p.seq {
				continue // the centroid no longer lists the term under this entry
			}
			kept = append(kept, p)
			if ev.stamp == c.stamp {
				continue
			}
			ev.stamp = c.stamp
			if now.Sub(ev.founded) > c.cfg.Window || !c.open(ev) {
				continue
			}
			n++
			score := ev.cent.cosineByID(q, prod) * c.decay(now.Sub(ev.lastNew)) * c.prior(ev)
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

// toBack marks ev the most recently active event.
func (c *Clusterer) toBack(ev *event) {
	c.recency.MoveToBack(ev.elem)
	ev.recent = c.tick
	c.tick++
	c.log.touch(ev)
}

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
		}
		return
	}
	c.postings[t] = list
}

// AddDuplicate counts a republication in the original story's event, sets
// d.EventID and returns the event's new state, or nil when the original
// is unknown or its event has closed. Duplicates are not members; their
// time is d.Published (the event clock when it has none).
func (c *Clusterer) AddDuplicate(d *record.Duplicate) *record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev := c.assignDuplicate(d); ev != nil {
		return ev.snapshot(c.terms)
	}
	return nil
}

// AssignDuplicate is AddDuplicate without the event's new state: it
// returns the event's id (d.EventID), or "" (see Assign).
func (c *Clusterer) AssignDuplicate(d *record.Duplicate) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev := c.assignDuplicate(d); ev != nil {
		return ev.id
	}
	return ""
}

// assignDuplicate is AddDuplicate up to the snapshot.
func (c *Clusterer) assignDuplicate(d *record.Duplicate) *event {
	now := d.Published
	if now.IsZero() {
		now = c.clock
	}
	c.advance(now)
	ev := resolve(c.byStory[storyKey(d.DuplicateOf)])
	if !c.open(ev) {
		return nil
	}
	d.EventID = ev.id
	ev.repubs++
	ev.addPublisher(d.Publisher)
	ev.touch(now, d.SeenAt)
	c.toBack(ev)
	c.m.republications.Inc()
	return ev
}

// Expire moves the event clock to now (event time: a story's published
// time, see record.Story.EventTime), if that is later, and returns the final states,
// marked Expired, of the events closed since the last call: idle for
// Expiry on the event clock, folded into another, or closed early for
// capacity. Whether and when it is called changes no decision: stories
// close expired events themselves, so a replay that calls it once per
// batch assigns stories as a live run that calls it every minute. An id
// that its founding story founded again since the last call is both
// among them and active: its active state has the higher revision, and
// is published after.
func (c *Clusterer) Expire(now time.Time) []*record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advance(now)
	out := c.closed
	c.closed = nil
	if c.deadIDs > 1024 && c.deadIDs > len(c.byStory)/2 {
		for id, ev := range c.byStory {
			if ev = resolve(ev); !ev.alive {
				delete(c.byStory, id)
			}
		}
		c.deadIDs = 0
	}
	c.setActive()
	return out
}

// open reports whether ev can still take stories and republications: not
// closed, and not idle for Expiry on the event clock.
func (c *Clusterer) open(ev *event) bool {
	return ev != nil && ev.alive && c.clock.Sub(ev.last) < c.cfg.Expiry
}

// advance moves the event clock to now if that is later, then closes the
// least recently active events while they are idle for Expiry. The
// recency list is in order of activity as it arrived, not of event time,
// so an expired event behind a live one waits for its turn; open() keeps
// it out of every decision meanwhile, and the closed prefix is the same
// however often advance ran before, so decisions never depend on it.
func (c *Clusterer) advance(now time.Time) {
	if now.After(c.clock) {
		c.clock = now
		// open() decides on the clock: a restart must not reopen what it closed
		c.log.clock()
	}
	for el := c.recency.Front(); el != nil; el = c.recency.Front() {
		ev := el.Value.(*event)
		if c.open(ev) {
			break
		}
		c.close(ev)
	}
}

// close forgets ev and retires its final state.
func (c *Clusterer) close(ev *event) {
	c.unlink(ev)
	c.log.gone(ev, true)
	c.deadIDs += ev.stories
	c.m.expired.Inc()
	final := ev.snapshot(c.terms)
	final.Expired = true
	ev.release(c.terms)
	c.retire(final)
}

// retire keeps a closed event's final state for Expire to hand out, and
// its revision as the id's floor for an event that founds the id again.
func (c *Clusterer) retire(final *record.Event) {
	c.closed = append(c.closed, final)
	c.setFloor(final.ID, floor{rev: final.Revision, at: c.clock})
}

// unlink removes ev from the live structures.
func (c *Clusterer) unlink(ev *event) {
	ev.alive = false
	c.recency.Remove(ev.elem)
	delete(c.events, ev.id)
	for _, t := range ev.cent.ids {
		list := c.postingsOf(t)
		kept := list[:0]
		for _, x := range list {
			if x.ev != ev {
				kept = append(kept, x)
			}
		}
		clear(list[len(kept):])
		c.setPostings(t, kept)
	}
}

func (c *Clusterer) setActive() {
	c.m.active.Set(float64(len(c.events)))
}

// Active returns the number of active events.
func (c *Clusterer) Active() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}
