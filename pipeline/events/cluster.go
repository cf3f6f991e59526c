package events

import (
	"log/slog"
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
	// restoreLog is where a restore says what it cut (SetLog); nil:
	// slog.Default.
	restoreLog *slog.Logger

	clock    time.Time // the event clock: the latest story time seen (or given to Expire)
	terms    *dict     // term ids (terms.go)
	df       *docFreq
	events   map[string]*event
	recency  recency           // events, least recently updated first
	tick     uint64            // orders the recency list (event.recent), so a restore rebuilds it
	postings []postingSlot     // by term id: events whose centroid holds it, oldest first (index.go)
	one      [1]posting        // postingsOf's copy of a list held in its slot
	postSeq  uint64            // sequence of postings entries (cterm.seq)
	spare    [][]posting       // emptied lists' arrays (zeroed), for the next list that leaves its slot (index)
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
	c.recency = recency{}
	c.postings, c.spare = nil, nil
	c.one = [1]posting{} // postingsOf's scratch: no event past here
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
	ev.touch(instantOf(now), instantOf(d.SeenAt))
	c.toBack(ev)
	c.m.republications.Inc()
	return ev
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
