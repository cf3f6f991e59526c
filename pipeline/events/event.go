package events

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/topics"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Per-event bounds: an event followed by thousands of outlets must not
// grow without limit. Counts past a bound are approximate (new keys are
// ignored once the table is full), which only affects the long tail that
// is never published anyway.
const (
	maxTrackedPublishers = 1000
	maxPublishedPubs     = 100
	maxTrackedEntities   = 256
	maxTrackedKeywords   = 256
	maxPublishedEntities = 10
	maxPublishedKeywords = 10
	maxPublishedTopics   = 3
	maxLanguages         = 16
)

// event is the live state of one event.
//
// The fields bestEvent reads of every candidate a story's postings bring
// (a hundred a story on news text) come first and together — stamp,
// founded, lastNew, last, stories, alive and the centroid's norm, ids and
// weights, 104 bytes — so scoring a candidate touches two cache lines of
// its event, not the five it did when they were spread over the struct
// (each candidate's event is a cache miss: BENCHMARKS.md, round 44: evcpu44).
type event struct {
	stamp uint64 // last lookup that scored this event, to score it once
	// Event clock (record.Story.EventTime): founded is the founding story's time, from
	// which Window counts; pubFirst and lastNew the earliest and latest
	// member story's, the decay counting from lastNew; last the latest
	// activity, stories or republications, from which Expiry counts.
	// Instants, not time.Times: 48 bytes where six time.Times were 144.
	founded instant
	lastNew instant
	last    instant
	stories int
	alive   bool
	logged  bool // listed in the clusterer's changes since its last Changes
	// titleIsCent: the title's vector is the centroid's terms in
	// strongest-first order (sortTerms), as a one-story event's is, and
	// titleVec is nil; titleVector builds it, ownTitle before the
	// centroid changes. Most events keep one story, and the copy was
	// ≈ 1 KB an article's (BENCHMARKS.md, round 42: evmem42).
	titleIsCent bool
	cent        centroid

	id       string
	rev      int
	pubFirst instant
	// Wall clock: when wirestream first and last saw activity.
	seenFirst, seenLast instant
	repubs              int

	title    string
	titleVec vector // the representative story's vector, to compare newcomers with (nil while titleIsCent)

	members []string // ring of the last MaxMembers story ids
	head    int

	pubs []string // distinct publishers, first-seen order
	// pubOrder is pubs' indexes in text order once they are more than
	// fewPubs (until then pubs is searched): most events have a publisher
	// or two, and a map per event was an allocation per founded event and
	// a hash per story; a map of a wide event's publishers was some 40
	// bytes a publisher, an index is 2 (maxTrackedPublishers < 1<<16)
	pubOrder []uint16
	pubCount int
	entities []entityCount // in key order
	keywords counts
	strs     slab // the copies of pubs', entities' and keywords' strings
	// topics counts every member story's own topics (the record's);
	// evidence only those of the stories whose own were no guess
	// (topics.Guess), evidenced how many such stories there were: what a
	// guess joining the event follows (topics.FromEvent).
	topics    counts
	evidence  counts
	evidenced int
	langs     []string

	mergedInto *event // set when folded into another event

	// memberKeys are every member story's key (storyKey), those merged in
	// included: byStory points them here, and the state log is told when
	// the event closes.
	memberKeys []uint64

	older, newer *event // neighbours in the clusterer's recency list (recency.go)
	recent       uint64 // order in the recency list (Clusterer.tick)
}

// eventID is stable: derived from the founding story, so a replay names
// the event the same.
func eventID(storyID string) string {
	h := sha256.Sum256([]byte(storyID))
	var b [2 + 16]byte // one allocation, the string's
	copy(b[:], "e_")
	hex.Encode(b[2:], h[:8])
	return string(b[:])
}

func newEvent(s *record.Story) *event {
	t, seen := instantOf(s.EventTime()), instantOf(s.FirstSeen)
	return &event{
		id:        eventID(s.ID),
		founded:   t,
		pubFirst:  t,
		lastNew:   t,
		last:      t,
		seenFirst: seen,
		seenLast:  seen,
		alive:     true,
	}
}

// touch records activity at event time t, seen by wirestream at seen.
func (e *event) touch(t, seen instant) {
	if t.after(e.last) {
		e.last = t
	}
	if !seen.isZero() && (e.seenFirst.isZero() || seen.before(e.seenFirst)) {
		e.seenFirst = seen
	}
	if seen.after(e.seenLast) {
		e.seenLast = seen
	}
}

// addStoryTime widens the member stories' span to t.
func (e *event) addStoryTime(t instant) {
	if t.before(e.pubFirst) {
		e.pubFirst = t
	}
	if t.after(e.lastNew) {
		e.lastNew = t
	}
}

// firstMembers is the room an event's ring of members takes when its
// second story comes.
const firstMembers = 8

func (e *event) addMember(id string, maxMembers int) {
	if len(e.members) < maxMembers {
		if len(e.members) == cap(e.members) && len(e.members) < firstMembers {
			// Most events keep their founding story alone: its ring holds
			// one id, where room for 8 was 112 bytes unused an event
			// (BENCHMARKS.md, round 43: evmem43). A second story makes the
			// room for 8 at once, so a growing event grows as it did.
			room := 1
			if len(e.members) > 0 {
				room = min(maxMembers, firstMembers)
			}
			e.members = slices.Grow(e.members, room-len(e.members))
		}
		e.members = append(e.members, id)
		return
	}
	e.members[e.head] = id
	e.head = (e.head + 1) % len(e.members)
}

func (e *event) addPublisher(p string) {
	if p == "" {
		return
	}
	if e.hasPublisher(p) {
		return
	}
	if len(e.pubs) >= maxTrackedPublishers {
		e.pubCount++ // may overcount repeats past the bound; stated in the README
		return
	}
	e.pubs = append(e.pubs, e.strs.str(p))
	e.pubCount++
	e.indexPublishers()
}

// pubOrder's positions are uint16: a bound past 1<<16 does not compile.
const _ = uint16(maxTrackedPublishers - 1)

// fewPubs is how many publishers an event searches in pubs before it
// keeps them in text order in pubOrder too.
const fewPubs = 8

func (e *event) hasPublisher(p string) bool {
	if e.pubOrder != nil {
		_, ok := e.findPublisher(p)
		return ok
	}
	return slices.Contains(e.pubs, p)
}

// findPublisher is where p is, or would go, in pubOrder.
func (e *event) findPublisher(p string) (int, bool) {
	return slices.BinarySearchFunc(e.pubOrder, p, func(i uint16, p string) int { return strings.Compare(e.pubs[i], p) })
}

// indexPublishers puts the last of pubs in pubOrder, making pubOrder
// when pubs outgrow fewPubs.
func (e *event) indexPublishers() {
	switch {
	case e.pubOrder != nil:
		last := len(e.pubs) - 1
		i, _ := e.findPublisher(e.pubs[last])
		e.pubOrder = slices.Insert(e.pubOrder, i, uint16(last))
	case len(e.pubs) > fewPubs:
		e.pubOrder = make([]uint16, len(e.pubs), 2*len(e.pubs))
		for i := range e.pubOrder {
			e.pubOrder[i] = uint16(i)
		}
		slices.SortFunc(e.pubOrder, func(a, b uint16) int { return strings.Compare(e.pubs[a], e.pubs[b]) })
	}
}

// storySeen is what addStoryStats counted of one story already (an
// entity or keyword counts once per story): two sets reused from story to
// story rather than a map made, and a key concatenated, per story.
type storySeen struct {
	entities, keywords keySet
}

// keySet is a set of a story's keys, reused from story to story: a
// slice searched while it is short (a headline has a few entities and
// keywords, for which clearing and hashing into a map cost more than
// comparing), a map from fewKeys on.
type keySet struct {
	few  []string
	many map[string]struct{}
}

const fewKeys = 16

func (k *keySet) reset() {
	clear(k.few) // the story's strings are not kept past it
	k.few = k.few[:0]
	if len(k.many) > 0 {
		clear(k.many)
	}
}

// add adds key and reports whether it was new.
func (k *keySet) add(key string) bool {
	if len(k.many) > 0 {
		if _, dup := k.many[key]; dup {
			return false
		}
		k.many[key] = struct{}{}
		return true
	}
	if slices.Contains(k.few, key) {
		return false
	}
	if len(k.few) < fewKeys {
		k.few = append(k.few, key)
		return true
	}
	if k.many == nil {
		k.many = make(map[string]struct{}, 4*fewKeys)
	}
	for _, x := range k.few {
		k.many[x] = struct{}{}
	}
	k.many[key] = struct{}{}
	clear(k.few)
	k.few = k.few[:0]
	return true
}

// addStoryStats folds a member story's enrichment into the event.
func (e *event) addStoryStats(s *record.Story, seen *storySeen) {
	if e.strs.b == nil && e.entities == nil && e.keywords == nil {
		e.sizeFor(s)
	}
	e.addPublisher(s.Publisher)
	seen.entities.reset()
	seen.keywords.reset()
	for _, en := range s.Entities {
		if en.Key == "" || !seen.entities.add(en.Key) {
			continue
		}
		e.entities = addEntity(e.entities, en.Key, en.Kind, en.Name, 1, &e.strs)
	}
	for _, k := range s.Keywords {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" || !seen.keywords.add(k) {
			continue
		}
		e.keywords.add(k, 1, maxTrackedKeywords, &e.strs)
	}
	evidenced := len(s.Topics) > 0 && !topics.Guess(s.Topics)
	if evidenced {
		e.evidenced++
	}
	for _, t := range s.Topics {
		if t.Name != "" {
			e.topics.add(t.Name, 1, math.MaxInt, nil)
			if evidenced {
				e.evidence.add(t.Name, 1, math.MaxInt, nil)
			}
		}
	}
	if s.Language != "" && !slices.Contains(e.langs, s.Language) && len(e.langs) < maxLanguages {
		e.langs = append(e.langs, s.Language)
		slices.Sort(e.langs)
	}
}

// sizeFor sizes a new event's lists and its slab's first array for its
// founding story's entities, keywords and publisher (at most: a story
// may repeat one): most events keep one story or two, and grown from
// nothing by doubling, a list of 5 entities held 8 and a story's 370
// bytes of strings a 256-byte array and a 512-byte one, 400 bytes of
// them unused (round 39). What a later story brings grows them as
// before.
func (e *event) sizeFor(s *record.Story) {
	n := len(s.Publisher)
	for _, en := range s.Entities {
		n += entityTextLen(en.Key, en.Kind, en.Name)
	}
	for _, k := range s.Keywords {
		n += len(k)
	}
	e.strs.reserve(n)
	if k := min(len(s.Entities), maxTrackedEntities); k > 0 {
		e.entities = make([]entityCount, 0, k)
	}
	if k := min(len(s.Keywords), maxTrackedKeywords); k > 0 {
		e.keywords = make(counts, 0, k)
	}
}

// topicsFor is the topics a member story is published with, ts its own:
// a guess or weak topic takes the topic the event's earlier stories
// clearly name (topics.FromEvent), a guess counting only the stories
// whose own topics were evidence. prior is how many stories the event
// held before it; the counts must not hold the story's own yet (a
// revision's first version's are: one story of many).
func (e *event) topicsFor(ts []record.Topic, prior int) []record.Topic {
	evidence := lead(e.evidence)
	evidence.Of = e.evidenced
	all := lead(e.topics)
	all.Of = prior
	return topics.FromEvent(ts, evidence, all)
}

// lead is the topic most counted in c and its count; a tie goes to the
// first name in key order.
func lead(c counts) topics.Tally {
	var t topics.Tally
	for _, kc := range c {
		if kc.n > t.Named {
			t.Lead, t.Named = kc.key, kc.n
		}
	}
	return t
}

// setTitle makes the story titled title, with vector v, the event's
// representative; the event holds v's terms instead of the last one's.
func (e *event) setTitle(title string, v vector, d *dict) {
	v.acquire(d)
	e.titleVec.release(d)
	e.title, e.titleVec, e.titleIsCent = title, v, false
}

// setTitleCentroid makes the story titled title the event's
// representative, its vector the centroid's terms in strongest-first
// order (titleIsCent): what its founding story's vector is when the
// centroid took it whole and its order is that one (inCentroidOrder).
func (e *event) setTitleCentroid(title string, d *dict) {
	e.titleVec.release(d)
	e.title, e.titleVec, e.titleIsCent = title, nil, true
}

// titleVector is the vector of the event's title: titleVec, or the
// centroid's terms in strongest-first order built in buf's memory.
func (e *event) titleVector(buf vector, d *dict) vector {
	if !e.titleIsCent {
		return e.titleVec
	}
	buf = buf[:0]
	for j, id := range e.cent.ids {
		buf = append(buf, term{id, e.cent.w[j]})
	}
	sortTerms(buf, d)
	return buf
}

// ownTitle gives the event its title's vector as a copy of its own, if
// the centroid stood for it: the centroid is about to change.
func (e *event) ownTitle(d *dict) {
	if !e.titleIsCent {
		return
	}
	v := e.titleVector(make(vector, 0, e.cent.len()), d)
	v.acquire(d)
	e.titleVec, e.titleIsCent = v, false
}

// inCentroidOrder reports whether v (q is v sorted by id: byID) is what
// titleVector builds from c: c's terms are v's with v's weights, and v is
// in strongest-first order. A story's vector is sorted before it is
// normalized, so two weights that differ by a rounding may tie after it,
// and a tie sorts by text: then v is kept as it is, for the cosine sums
// in its order.
func inCentroidOrder(v vector, q []posTerm, c *centroid, d *dict) bool {
	if len(q) != c.len() || len(q) != len(v) {
		return false
	}
	for i, t := range q {
		if c.ids[i] != t.id || c.w[i] != t.w {
			return false
		}
	}
	texts := d.terms
	for i := 1; i < len(v); i++ {
		if !before(v[i-1].w, texts[v[i-1].id], v[i].w, texts[v[i].id]) {
			return false
		}
	}
	return true
}

// release lets go of the event's terms once it is closed (folded into
// another or expired) and its final state taken: nothing reads its
// vectors after that.
func (e *event) release(d *dict) {
	e.cent.release(d)
	e.titleVec.release(d)
	e.titleVec, e.titleIsCent = nil, false
}

// snapshot is the event's state as a record, with a new revision. It
// shares nothing with the event: the caller may keep it while the event
// changes (pipeline.Clusterer promises this).
func (e *event) snapshot(d *dict) *record.Event {
	e.rev++
	return e.asRecord(d)
}

// asRecord is the event's state as a record under its current revision,
// sharing nothing with the event.
func (e *event) asRecord(d *dict) *record.Event {
	ev := e.headRecord()
	e.fill(ev, d)
	return ev
}

// headRecord is the event's record under its current revision without its
// lists (publishers, entities, keywords, topics, languages, story ids):
// its revision, title, times and counts.
func (e *event) headRecord() *record.Event {
	return &record.Event{
		Type:           record.TypeEvent,
		ID:             e.id,
		SchemaVersion:  record.SchemaVersion,
		Revision:       e.rev,
		Title:          e.title,
		FirstSeen:      e.seenFirst.time(),
		LastSeen:       e.seenLast.time(),
		FirstPublished: e.pubFirst.time(),
		LastPublished:  e.lastNew.time(),
		StoryCount:     e.stories,
		Republications: e.repubs,
		PublisherCount: e.pubCount,
	}
}

// fill sets ev's lists, which headRecord leaves out, to the event's, sharing
// nothing with the event.
func (e *event) fill(ev *record.Event, d *dict) {
	ev.Publishers = slices.Clone(e.pubs[:min(len(e.pubs), maxPublishedPubs)])
	ev.Languages = slices.Clone(e.langs)
	ev.StoryIDs = make([]string, 0, len(e.members))
	if ev.Publishers == nil {
		ev.Publishers = []string{}
	}
	ev.StoryIDs = append(ev.StoryIDs, e.members[e.head:]...)
	ev.StoryIDs = append(ev.StoryIDs, e.members[:e.head]...)

	if len(e.entities) > 0 {
		top := make([]entityCount, 0, min(len(e.entities), maxPublishedEntities))
		for _, c := range e.entities { // in key order
			top = insertTopInKeyOrder(top, c, int(c.stories), maxPublishedEntities, entityStories)
		}
		ev.Entities = make([]record.EntityCount, len(top))
		for i := range top {
			ev.Entities[i] = top[i].record()
		}
	}
	ev.Keywords = topCounts(e.keywords, maxPublishedKeywords)
	if len(ev.Keywords) == 0 {
		// no enrichment: the centroid's strongest words stand in for keywords
		for _, t := range e.cent.top(maxPublishedKeywords*2, d) {
			if k := d.term(t.id); k[0] != entityPrefix[0] && k[0] != keywordPrefix[0] && len(ev.Keywords) < maxPublishedKeywords {
				ev.Keywords = append(ev.Keywords, k)
			}
		}
	}
	ev.Topics = topCounts(e.topics, maxPublishedTopics)
}

// topCounts returns the n keys with the highest counts, ties by key.
func topCounts(c counts, n int) []string {
	if len(c) == 0 {
		return nil
	}
	top := make([]keyCount, 0, min(len(c), n))
	for _, kc := range c { // in key order
		top = insertTopInKeyOrder(top, kc, kc.n, n, keyCountN)
	}
	keys := make([]string, len(top))
	for i, t := range top {
		keys[i] = t.key
	}
	return keys
}

// insertTopInKeyOrder keeps top, highest count first and ties by key, as
// the first n of everything offered to it — what sorting it all and
// keeping n gives, at a fraction of the cost when most are not kept (an
// event tracks 256 keywords and publishes 10) — for values offered in
// ascending key order, each key once — as
// an event's counts and entities are kept (counts.add, addEntity, and so
// every restore and merge). Then x's key is above every key in top, so x
// comes after each value whose count is at least its own and before the
// others: the order is decided by counts alone. The string comparisons
// of the ties (most counts are 1 on news text) were most of the cost of an
// event's record (BENCHMARKS.md, round 29; TestTopInKeyOrderIsInsertTop).
func insertTopInKeyOrder[T any](top []T, x T, count, n int, countOf func(*T) int) []T {
	if n <= 0 || len(top) == n && count <= countOf(&top[n-1]) {
		return top
	}
	lo, hi := 0, len(top) // counts descend: the first place whose count is below x's
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); countOf(&top[m]) >= count {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if len(top) == n {
		top = top[:n-1]
	}
	return slices.Insert(top, lo, x)
}

func keyCountN(kc *keyCount) int { return kc.n }
