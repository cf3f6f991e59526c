package events

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/state"
)

// An event a batch changed only by stories joining it, republications and
// new revisions is logged as a delta, not whole: a whole entry rewrote
// every member, publisher, entity and keyword of the event for each
// story that joined it — ≈ 17.5 KB a story on the harness's news text,
// where what changed was ≈ 0.6 KB (BenchmarkChangesBytesNews, round 47).
//
//	'E' step:1 event id → eventDelta: the fixed fields, the centroid and
//	                       the title whole (they change with every story),
//	                       the newest members, the publishers added, the
//	                       entities and keywords the joining stories
//	                       counted (their counts now), the topic counts
//	                       and languages whole
//
// Every item is written as its value now, never as an increment, so a
// delta replayed over an image that already holds it changes nothing.
// An event's deltas take the keys step 1, 2, … after its last whole
// entry; the maxDeltaSteps-th change writes it whole again, and the next
// delta takes step 1 again. The deltas of the cycle before stay in the log
// until a step of the next one or the event's close (which writes their
// tombstones) replaces them: a compacted log holds at most maxDeltaSteps
// deltas an event and none of a closed one, and a commit whose whole
// entry was lost (one the log kept only in part) leaves the entry before
// it with every delta it needs. A restore applies an event's deltas that
// the log holds after its image over it, in the log's order (which a
// compacted changelog keeps): those of an earlier cycle come before it.
// One that does not follow from the event's state is skipped: a commit
// the log kept only in part may have lost the delta before it (a commit
// can carry several batches' deltas of an event), and a snapshot's image
// may hold it already. A later one that follows is applied, so the event
// is at worst the state of its entries before the loss, as when a lost
// commit held its whole entry.
//
// A log written before deltas has none: its images restore as before, and
// the first change of each event is a delta on top of the image.

// maxDeltaSteps is how many deltas an event's entries run to before it is
// written whole again: more make the log smaller and a restore apply more.
const maxDeltaSteps = 16

// deltaVersion is the first byte of a delta's value.
const deltaVersion = 1

// join is a story that joined ev since ev's last entry: the entity keys
// and keywords it counted are keys[from:ents] and keys[ents:to].
type join struct {
	ev             *event
	from, ents, to int
}

// joined records that a story joined ev, with the keys seen holds (what
// addStoryStats counted of it). An event written whole next needs none.
func (l *changes) joined(ev *event, seen *storySeen) {
	if !l.on || ev.logFull {
		return
	}
	j := join{ev: ev, from: len(l.keys)}
	l.keys = seen.entities.appendTo(l.keys)
	j.ents = len(l.keys)
	l.keys = seen.keywords.appendTo(l.keys)
	j.to = len(l.keys)
	l.joins = append(l.joins, j)
}

// addEvent writes ev's entry: whole when it is new, changed where a delta
// does not follow it, or after maxDeltaSteps deltas; else a delta of
// what joins brought.
func (l *changes) addEvent(ev *event, joins []join, d *dict) {
	defer func() { ev.loggedPubs = uint16(len(ev.pubs)) }()
	if ev.logFull || int(ev.logSteps) >= maxDeltaSteps {
		l.add('e', ev.id, func(b []byte) []byte { return encodeLoggedEvent(b, ev, d) })
		ev.logFull, ev.logSteps = false, 0
		return
	}
	ev.logSteps++
	ev.logKeys = max(ev.logKeys, ev.logSteps)
	ents, kws := l.changedKeys(ev, joins)
	l.addStep(ev.logSteps, ev.id, func(b []byte) []byte { return encodeEventDelta(b, ev, len(joins), ents, kws, d) })
}

// dropSteps writes the tombstones of an event's delta keys 1 to steps.
func (l *changes) dropSteps(id string, steps uint8) {
	for s := uint8(1); s <= steps && s != 0; s++ {
		l.addStep(s, id, nil)
	}
}

// changedKeys returns the entity keys and keywords the joins counted that
// ev holds, each once and in key order (the event's order), in the
// changes' scratch.
func (l *changes) changedKeys(ev *event, joins []join) (ents, kws []string) {
	ents = l.ents[:0]
	kws = l.kws[:0]
	for _, j := range joins {
		ents = append(ents, l.keys[j.from:j.ents]...)
		kws = append(kws, l.keys[j.ents:j.to]...)
	}
	slices.Sort(ents)
	ents = slices.DeleteFunc(slices.Compact(ents), func(k string) bool { _, ok := findEntity(ev.entities, k); return !ok })
	slices.Sort(kws)
	kws = slices.DeleteFunc(slices.Compact(kws), func(k string) bool { _, ok := ev.keywords.find(k); return !ok })
	l.ents, l.kws = ents, kws
	return ents, kws
}

func findEntity(es []entityCount, key string) (int, bool) {
	return slices.BinarySearchFunc(es, key, func(e entityCount, k string) int { return strings.Compare(e.key(), k) })
}

// addStep appends the entry of delta step of event id (nil value: its tombstone).
func (l *changes) addStep(step uint8, id string, value func([]byte) []byte) {
	sp := state.Span{Key: len(l.buf), Val: -1}
	l.buf = append(append(l.buf, 'E', step), id...)
	l.addValue(sp, value)
}

// encodeEventDelta writes ev's delta (eventDelta) after joins stories
// joined it, the entity keys ents and keywords kws among what they counted.
func encodeEventDelta(b []byte, e *event, joins int, ents, kws []string, d *dict) []byte {
	b = append(b, deltaVersion)
	b = appendEventFields(b, e)
	b = appendLoggedCentroid(b, e, d)
	b = appendTitle(b, e, d)
	// the member ring's length and its newest members, oldest first
	n := len(e.members)
	k := min(joins, n)
	b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(n)), uint64(k))
	for i := n - k; i < n; i++ {
		b = state.AppendString(b, e.members[(e.head+i)%n])
	}
	// the publishers' count and those added since the last entry
	added := e.pubs[min(int(e.loggedPubs), len(e.pubs)):]
	b = binary.AppendUvarint(b, uint64(len(e.pubs)))
	b = state.AppendStrings(b, added)
	b = binary.AppendUvarint(b, uint64(len(ents)))
	for _, key := range ents {
		i, _ := findEntity(e.entities, key)
		en := &e.entities[i]
		kind, name := en.kindName()
		b = state.AppendString(state.AppendString(state.AppendString(b, key), name), kind)
		b = binary.AppendUvarint(b, uint64(en.stories))
	}
	b = binary.AppendUvarint(b, uint64(len(kws)))
	for _, key := range kws {
		i, _ := e.keywords.find(key)
		b = binary.AppendUvarint(state.AppendString(b, key), uint64(e.keywords[i].n))
	}
	return appendTopics(b, e)
}

// eventDelta is a decoded delta: what Restored applies over its event.
type eventDelta struct {
	fields    eventFields
	cent      []textTerm
	title     string
	titleVec  []textTerm // nil: the centroid's (titleIsCent)
	ringLen   int
	newest    []string // the ring's newest members, oldest first
	pubsLen   int
	pubs      []string // the publishers at pubsLen-len(pubs) on
	entities  []deltaEntity
	keywords  counts
	topics    counts
	langs     []string
	evidence  counts
	evidenced int
}

// textTerm is a centroid's or title vector's term by its text.
type textTerm struct {
	text string
	w    float64
	seq  uint64
}

type deltaEntity struct {
	key, name, kind string
	stories         uint64
}

// decodeEventDelta reads a delta's value whole, or returns an error; it
// interns nothing, so a refused delta leaves the clusterer as it was.
func decodeEventDelta(v []byte) (*eventDelta, error) {
	d := state.Decoder{B: v}
	if ver := d.Byte(); ver != deltaVersion {
		if err := d.End(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("unknown delta version %d", ver)
	}
	x := &eventDelta{fields: readEventFields(&d)}
	for range d.Count() {
		x.cent = append(x.cent, textTerm{d.String(), d.Float(), d.Uvarint()})
	}
	x.title = d.String()
	if d.Byte() != 0 {
		x.titleVec = []textTerm{}
		for range d.Count() {
			x.titleVec = append(x.titleVec, textTerm{text: d.String(), w: d.Float()})
		}
	}
	ringLen := d.Uvarint()
	if ringLen > math.MaxInt32 {
		return nil, fmt.Errorf("a member ring of %d", ringLen)
	}
	x.ringLen = int(ringLen)
	k := d.Count()
	if k > x.ringLen {
		return nil, fmt.Errorf("%d newest members of a ring of %d", k, x.ringLen)
	}
	for range k {
		x.newest = append(x.newest, d.String())
	}
	x.pubsLen = int(min(d.Uvarint(), math.MaxInt32))
	x.pubs = d.Strings()
	if x.pubsLen > maxTrackedPublishers || len(x.pubs) > x.pubsLen {
		return nil, fmt.Errorf("%d publishers added of %d, at most %d", len(x.pubs), x.pubsLen, maxTrackedPublishers)
	}
	n := d.Count()
	if n > maxTrackedEntities {
		return nil, fmt.Errorf("%d entities, more than the %d an event keeps", n, maxTrackedEntities)
	}
	for range n {
		x.entities = append(x.entities, deltaEntity{d.String(), d.String(), d.String(), d.Uvarint()})
	}
	x.keywords = readCounts(&d, maxTrackedKeywords, nil)
	x.topics = readCounts(&d, maxRestoredTopics, nil)
	x.langs = d.Strings()
	x.evidence = readCounts(&d, maxRestoredTopics, nil)
	x.evidenced = int(d.Uvarint())
	if err := d.End(); err != nil {
		return nil, err
	}
	return x, nil
}

// apply gives e the delta's state: it checks the member ring and the
// publishers against e before it changes anything.
func (x *eventDelta) apply(e *event, dict *dict) error {
	ring, err := x.ring(e)
	if err != nil {
		return err
	}
	keep := x.pubsLen - len(x.pubs) // the publishers e had before the delta's
	if keep > len(e.pubs) || len(e.pubs) > x.pubsLen {
		return fmt.Errorf("%d publishers past %d, over an event of %d", len(x.pubs), keep, len(e.pubs))
	}
	for i, p := range x.pubs {
		if slices.Contains(e.pubs[:keep], p) || slices.Contains(x.pubs[:i], p) {
			return fmt.Errorf("publisher %q twice", p)
		}
	}
	x.fields.set(e)
	// the centroid and the title's vector, interned before the old ones'
	// terms are let go of (an id nothing holds may be numbered anew)
	es := make([]centry, 0, len(x.cent))
	for _, t := range x.cent {
		if t.w != 0 {
			es = append(es, centry{dict.intern(t.text), t.w, t.seq})
		}
	}
	old := e.cent
	e.cent = centroid{norm: x.fields.norm}
	e.cent.restoreTerms(es, dict)
	old.release(dict)
	oldTitle := e.titleVec
	e.title, e.titleVec, e.titleIsCent = x.title, nil, x.titleVec == nil
	if x.titleVec != nil {
		e.titleVec = make(vector, 0, len(x.titleVec))
		for _, t := range x.titleVec {
			e.titleVec = append(e.titleVec, term{dict.intern(t.text), t.w})
		}
		e.titleVec.acquire(dict)
	}
	oldTitle.release(dict)
	e.members, e.head = ring, 0
	e.pubs, e.pubOrder = e.pubs[:keep], nil
	e.indexPublishers()
	for _, p := range x.pubs {
		e.pubs = append(e.pubs, e.strs.str(p))
		e.indexPublishers()
	}
	for _, en := range x.entities {
		if i, ok := findEntity(e.entities, en.key); ok {
			e.entities[i].stories = uint32(min(en.stories, math.MaxUint32))
		} else {
			e.entities = addEntity(e.entities, en.key, en.kind, en.name, en.stories, &e.strs)
		}
	}
	for _, kc := range x.keywords {
		if i, ok := e.keywords.find(kc.key); ok {
			e.keywords[i].n = kc.n
		} else {
			e.keywords.add(kc.key, kc.n, maxTrackedKeywords, &e.strs)
		}
	}
	e.topics, e.langs, e.evidence, e.evidenced = x.topics, x.langs, x.evidence, x.evidenced
	return nil
}

// ring is e's member ring with the delta's newest members, oldest first:
// the members e holds (oldest first) followed by those of the newest that
// joined after e's state, the last ringLen of them. Which those are is
// told by the stories' count (each story that joins adds one member, and
// only a merge, written whole, adds more), not by the ids: an image may
// be past the delta's start (a snapshot's), and a story unjoined and
// decided again can be in the ring twice.
func (x *eventDelta) ring(e *event) ([]string, error) {
	added := x.fields.stories - e.stories // members the delta adds to e's
	var all []string
	switch {
	case added < 0:
		return nil, fmt.Errorf("%d stories, fewer than the event's %d", x.fields.stories, e.stories)
	case added > len(x.newest) && len(x.newest) == x.ringLen:
		all = x.newest // the ring is the newest alone
	case added > len(x.newest):
		return nil, fmt.Errorf("%d stories joined, %d of them written", added, len(x.newest))
	default:
		all = append(append(make([]string, 0, len(e.members)+added), e.members[e.head:]...), e.members[:e.head]...)
		all = append(all, x.newest[len(x.newest)-added:]...)
	}
	if len(all) < x.ringLen {
		return nil, fmt.Errorf("a ring of %d members from %d held and %d new", x.ringLen, len(e.members), added)
	}
	return slices.Clone(all[len(all)-x.ringLen:]), nil
}

// deltaKey names a delta in the restore: its event and step.
type deltaKey struct {
	id   string
	step uint8
}

// loadedDelta is a delta and its place among the entries loaded.
type loadedDelta struct {
	x  *eventDelta
	at uint64
}

// loadDelta keeps the delta under key k (a tombstone drops it) for
// Restored, once its value has decoded whole.
func (c *Clusterer) loadDelta(k []byte, v []byte) error {
	if len(k) < 3 || k[1] == 0 {
		return errors.New("events: delta key without a step and an event id")
	}
	key := deltaKey{string(k[2:]), k[1]}
	r := c.restoring()
	if v == nil {
		delete(r.deltas, key)
		return nil
	}
	x, err := decodeEventDelta(v)
	if err != nil {
		return fmt.Errorf("events: delta %d of event %s: %w", key.step, key.id, err)
	}
	r.loaded++
	r.deltas[key] = loadedDelta{x, r.loaded}
	return nil
}

// applyDeltas applies each loaded event's deltas that came after its
// image over it, in the order they came, skipping those that do not
// follow from its state, and sets the highest step the log holds a key
// of as both its step and its keys': the next delta takes a step no
// delta it needs holds (a snapshot's image may have replaced the first
// steps of its cycle). It returns how many it skipped.
func (c *Clusterer) applyDeltas(r *restore) int {
	type keyed struct {
		deltaKey
		loadedDelta
	}
	all := make([]keyed, 0, len(r.deltas))
	for k, d := range r.deltas {
		if r.events[k.id] != nil {
			all = append(all, keyed{k, d})
		}
	}
	slices.SortFunc(all, func(a, b keyed) int { return cmp.Or(strings.Compare(a.id, b.id), cmp.Compare(a.at, b.at)) })
	skipped := 0
	for _, k := range all {
		ev := r.events[k.id]
		ev.logSteps = max(ev.logSteps, k.step)
		ev.logKeys = ev.logSteps
		if k.at > r.imageAt[k.id] && k.x.apply(ev, c.terms) != nil {
			skipped++
		}
	}
	for _, ev := range r.events {
		ev.loggedPubs = uint16(len(ev.pubs))
	}
	return skipped
}
