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
//	                       the members and publishers whole, the
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
// it with every delta it needs. A restore applies an event's deltas over
// its image in the order of the version they carry (recency tick,
// revision: each change of an event raises one of them and lowers
// neither), skipping those the image is already at or past — those of an
// earlier cycle, and those a snapshot's image holds already.
// The member ring and the publishers are written whole: a commit the log
// kept only in part may have lost the delta before (a commit can carry
// several batches' deltas of an event), and then only the entity and
// keyword counts that delta alone wrote are lost, never a story's
// membership.
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
	if ev.logFull || int(ev.logSteps) >= maxDeltaSteps {
		l.add('e', ev.id, func(b []byte) []byte { return encodeLoggedEvent(b, ev, d) })
		ev.logFull, ev.logSteps = false, 0
		return
	}
	ev.logSteps++
	ev.logKeys = max(ev.logKeys, ev.logSteps)
	ents, kws := l.changedKeys(ev, joins)
	l.addStep(ev.logSteps, ev.id, func(b []byte) []byte { return encodeEventDelta(b, ev, ents, kws, d) })
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

// encodeEventDelta writes ev's delta (eventDelta): the entity keys ents
// and keywords kws are those the stories that joined it counted.
func encodeEventDelta(b []byte, e *event, ents, kws []string, d *dict) []byte {
	b = append(b, deltaVersion)
	b = appendEventFields(b, e)
	b = appendLoggedCentroid(b, e, d)
	b = appendTitle(b, e, d)
	// the member ring from its oldest and the publishers whole, as the
	// whole entry writes them: a commit the log keeps only in part may
	// lose a delta (one commit can carry several batches' deltas of an
	// event), and a story must not be left a member its event's record
	// does not list
	b = binary.AppendUvarint(b, uint64(len(e.members)))
	for _, part := range [...][]string{e.members[e.head:], e.members[:e.head]} {
		for _, m := range part {
			b = state.AppendString(b, m)
		}
	}
	b = state.AppendStrings(b, e.pubs)
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
	members   []string   // the member ring, oldest first
	pubs      []string
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
	x.members = d.Strings()
	x.pubs = d.Strings()
	if len(x.pubs) > maxTrackedPublishers {
		return nil, fmt.Errorf("%d publishers, more than the %d an event keeps", len(x.pubs), maxTrackedPublishers)
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

// apply gives e the delta's state; a delta that names a publisher twice
// (a damaged log) it refuses before it changes anything.
func (x *eventDelta) apply(e *event, dict *dict) error {
	for i, p := range x.pubs {
		if slices.Contains(x.pubs[:i], p) {
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
	e.members, e.head = x.members, 0
	e.pubs, e.pubOrder = e.pubs[:0], nil
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

// deltaKey names a delta in the restore: its event and step.
type deltaKey struct {
	id   string
	step uint8
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
	r.deltas[key] = x
	return nil
}

// applyDeltas applies each loaded event's deltas over it in the order of
// their versions, skipping those it is already at or past (and one naming
// a publisher twice), and sets the highest step the log holds a key of as
// both its step and its keys': the next delta takes a step no delta it
// needs holds (a snapshot's image may have replaced the first steps of
// its cycle). It returns how many it skipped as damaged.
func (c *Clusterer) applyDeltas(r *restore) int {
	type keyed struct {
		deltaKey
		x *eventDelta
	}
	all := make([]keyed, 0, len(r.deltas))
	for k, x := range r.deltas {
		if r.events[k.id] != nil {
			all = append(all, keyed{k, x})
		}
	}
	slices.SortFunc(all, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.id, b.id), cmp.Compare(a.x.fields.recent, b.x.fields.recent),
			cmp.Compare(a.x.fields.rev, b.x.fields.rev), cmp.Compare(a.step, b.step))
	})
	skipped := 0
	for _, k := range all {
		ev := r.events[k.id]
		ev.logSteps = max(ev.logSteps, k.step)
		ev.logKeys = ev.logSteps
		if k.x.newerThan(ev) && k.x.apply(ev, c.terms) != nil {
			skipped++
		}
	}
	return skipped
}

// newerThan reports whether the delta is past e's version: its recency
// tick or its revision is higher than e's (each change of an event raises
// one of them and lowers neither).
func (x *eventDelta) newerThan(e *event) bool {
	return x.fields.recent > e.recent || x.fields.rev > e.rev
}
