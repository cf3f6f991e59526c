package events

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The clusterer's state in the state log (table events), so a restart
// assigns the next story as the run before it would have: the same event
// ids, revisions, centroids, document frequencies and clock. Keys:
//
//	'e' event id      → the live event (encodeEvent; in a batch's entries encodeLoggedEvent, its centroid's terms unsorted)
//	's' story key:8   → the id of the live event the story belongs to
//	'd' term          → its document frequency (float64), then the halving epoch it counts at when not 0 (uvarint)
//	'c'               → the clock, the sequence counters, the document count, then the halving epoch when not 0 (uvarint)
//	'r' event id      → the revision a new event of that id continues above, and when it was set (floors.go)
//
// A halving of the document frequencies moves the epoch in 'c' alone: a
// restore halves each count once for every halving since its own epoch
// and forgets those that fall below 1, as the live table did, so the
// last entry of each key (a compacted changelog) is enough whenever it
// was written. The terms a halving forgot get their tombstones over the
// next batches (changes.tombstoneForgotten). A log of round 34 or before, whose
// halvings rewrote every count, has no epoch anywhere: every count is of
// epoch 0, the epoch is 0, and it restores as it did.
//
// A closed event leaves tombstones for itself and its stories. The
// inverted index is not stored: Restored rebuilds it from the centroids'
// entry numbers, in the order it had. (Where a term was listed under more
// than max_postings events and the cap dropped one that a later closing
// would have let back, the rebuilt list may hold that older event again:
// a superset of the candidates before, never fewer.)

var _ state.Owner = (*Clusterer)(nil)

func storyKey(id string) uint64 { return xxhash.Sum64String(id) }

// TrackChanges turns on (or off) the record of what changed for Changes.
func (c *Clusterer) TrackChanges(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log.on = on
}

// Reset forgets every event and the clock, as New left the clusterer, so
// that a state.Store.Rewind loads it again from the log. The active-events
// gauge follows at once: Restored sets it only when the log had entries
// for the clusterer, and the next story may be a while.
func (c *Clusterer) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forget()
	c.setActive()
}

// Tables is the clusterer's table in the state log.
func (c *Clusterer) Tables() []state.Table { return []state.Table{state.Events} }

func byRecent(a, b *event) int { return cmp.Compare(a.recent, b.recent) }

func memberKey(k uint64) []byte { return binary.LittleEndian.AppendUint64([]byte{'s'}, k) }

func (c *Clusterer) termEntry(t string) state.Entry {
	e := state.Entry{Table: state.Events, Key: append([]byte{'d'}, t...)}
	if n, ok := c.docFreq(t); ok {
		e.Value = c.df.appendCount(nil, n)
	}
	return e
}

// docFreq is the document frequency of the term t, when the table has it.
func (c *Clusterer) docFreq(t string) (float64, bool) {
	id, ok := c.terms.lookup(t)
	if !ok {
		return 0, false
	}
	n := c.df.get(id)
	return n, n > 0
}

func (c *Clusterer) encodeGlobal() []byte { return c.appendGlobal(nil) }

func (c *Clusterer) appendGlobal(b []byte) []byte {
	b = state.AppendTime(b, c.clock)
	b = binary.AppendUvarint(b, c.tick)
	b = binary.AppendUvarint(b, c.postSeq)
	b = state.AppendFloat(b, c.df.n)
	if c.df.epoch > 0 {
		b = binary.AppendUvarint(b, c.df.epoch)
	}
	return b
}

// Load applies one restored entry. It decodes and checks the entry whole
// before it changes anything: an entry it refuses (an error naming the
// key) leaves the clusterer as it was, the entry loaded before it under
// the same key included, and begins no restore.
func (c *Clusterer) Load(e state.Entry) error {
	if len(e.Key) == 0 {
		return errors.New("events: empty key")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.load(e); err != nil {
		return err
	}
	c.restoring() // Restored links up what was loaded, even if only tombstones
	return nil
}

// load applies e by its key's kind; an entry it refuses it has not
// applied in part (Load's promise).
func (c *Clusterer) load(e state.Entry) error {
	switch e.Key[0] {
	case 'e':
		return c.loadEvent(string(e.Key[1:]), e.Value)
	case 's':
		if len(e.Key) != 9 {
			return fmt.Errorf("events: story key of %d bytes, want 9", len(e.Key))
		}
		k := binary.LittleEndian.Uint64(e.Key[1:])
		if e.Value == nil {
			delete(c.restoring().members, k)
		} else {
			c.restoring().members[k] = string(e.Value)
		}
	case 'd':
		return c.loadTerm(string(e.Key[1:]), e.Value)
	case 'r':
		id := string(e.Key[1:])
		if e.Value == nil {
			c.floors.drop(id)
			return nil
		}
		d := state.Decoder{B: e.Value}
		f := floor{rev: int(d.Uvarint()), at: d.Time()}
		if err := d.End(); err != nil {
			return fmt.Errorf("events: floor of %s: %w", id, err)
		}
		c.floors.set(id, f)
	case 'c':
		return c.loadGlobal(e.Value)
	default:
		return fmt.Errorf("events: unknown key kind %q", e.Key[0])
	}
	return nil
}

// loadEvent replaces the loaded event of that id (or deletes it, for a
// tombstone) once the new one has decoded: a value that does not decode
// keeps the one before it.
func (c *Clusterer) loadEvent(id string, v []byte) error {
	var ev *event
	if v != nil {
		var err error
		if ev, err = decodeEvent(id, v, c.terms); err != nil {
			if ev != nil {
				ev.release(c.terms)
			}
			return fmt.Errorf("events: event %s: %w", id, err)
		}
	}
	r := c.restoring()
	if old := r.events[id]; old != nil {
		old.release(c.terms)
		delete(r.events, id)
	}
	if ev != nil {
		r.events[id] = ev
	}
	return nil
}

// loadTerm sets term t's document frequency and the halving epoch it
// counts at (a tombstone drops it), once the value has decoded whole and
// the count is 1 or more.
func (c *Clusterer) loadTerm(t string, v []byte) error {
	if v == nil {
		if id, ok := c.terms.lookup(t); ok {
			c.df.drop(id)
		}
		return nil
	}
	d := state.Decoder{B: v}
	n := d.Float()
	epoch := halvingEpoch(&d)
	if d.End() != nil {
		return fmt.Errorf("events: term %q: value of %d bytes", t, len(v))
	}
	if !(n >= 1) || math.IsInf(n, 1) {
		// counts start at 1 and a halving forgets what falls below it;
		// an infinite one is never halved away and weighs -Inf
		return fmt.Errorf("events: term %q: document frequency %v, want a finite 1 or more", t, n)
	}
	id := c.terms.intern(t)
	c.df.set(id, n)
	c.restoring().setEpoch(id, epoch)
	return nil
}

// loadGlobal sets the clock, the sequence counters, the document count
// and the halving epoch, all of them or (a value cut short or too long)
// none.
func (c *Clusterer) loadGlobal(v []byte) error {
	d := state.Decoder{B: v}
	clock := d.Time()
	tick, postSeq := d.Uvarint(), d.Uvarint()
	n := d.Float()
	epoch := halvingEpoch(&d)
	if err := d.End(); err != nil {
		return fmt.Errorf("events: clock: %w", err)
	}
	if !(n >= 0) || math.IsInf(n, 1) {
		// the count starts at 0, grows by 1 a story and is halved: a NaN
		// one made every idf NaN, so no story joined an event again
		return fmt.Errorf("events: clock: document count %v, want a finite count of 0 or more", n)
	}
	c.clock, c.tick, c.postSeq = clock, tick, postSeq
	c.df.n, c.df.epoch = n, epoch
	return nil
}

// halvingEpoch reads the halving epoch that ends a term's or the clock's
// value: it is written only when not 0, and a log of round 34 or before
// has none (epoch 0).
func halvingEpoch(d *state.Decoder) uint64 {
	if len(d.B) == 0 {
		return 0
	}
	return d.Uvarint()
}

// restore holds what Load gathered until Restored links it up.
type restore struct {
	events  map[string]*event
	members map[uint64]string
	// epochs are the halving epochs of the loaded counts, by term id
	// (0 past its end): the log's epoch may come after them.
	epochs []uint64
}

func (r *restore) setEpoch(t termID, epoch uint64) {
	if int(t) >= len(r.epochs) {
		if epoch == 0 {
			return
		}
		r.epochs = append(r.epochs, make([]uint64, int(t)+1-len(r.epochs))...)
	}
	r.epochs[t] = epoch
}

// ageRestoredCounts halves each loaded count once for every halving since
// the epoch it was written at, and forgets those that fall below 1, as
// the live table did at those halvings (halving a float by 2 is exact,
// so k halvings are the one scaling by 2^-k). Their entries are still in
// the log: they wait for their tombstones as the live table's forgotten
// terms do (a crash may have come before those were written). A count of
// a later epoch than the log's (a batch cut short before its clock
// entry) is taken as it is, and written again at the log's epoch with
// the next batch: left with its later epoch, it would read as already
// halved by the next halving the log's clock reaches.
func (c *Clusterer) ageRestoredCounts(epochs []uint64) {
	var ahead []termID
	for t, n := range c.df.df {
		if n == 0 {
			continue
		}
		var e uint64
		if t < len(epochs) {
			e = epochs[t]
		}
		if e > c.df.epoch {
			ahead = append(ahead, termID(t))
		}
		if e >= c.df.epoch {
			continue
		}
		if n = math.Ldexp(n, -int(min(c.df.epoch-e, 1100))); n < 1 {
			c.df.forget(termID(t))
		} else {
			c.df.df[t] = n
		}
	}
	if len(ahead) > 0 {
		c.log.terms(ahead, c.df)
	}
}

func (c *Clusterer) restoring() *restore {
	if c.restore == nil {
		c.restore = &restore{events: map[string]*event{}, members: map[uint64]string{}}
	}
	return c.restore
}

// Restored links the loaded events into the recency list, the story map
// and the inverted index, in the order they had.
func (c *Clusterer) Restored() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.restore
	if r == nil {
		return nil
	}
	c.restore = nil
	defer c.terms.sweep() // what the log replaced or deleted
	c.ageRestoredCounts(r.epochs)
	c.df.fresh = 0 // loaded, not brought in by stories
	c.boundRestoredTimes(r)
	evs := slices.SortedFunc(maps.Values(r.events), byRecent)
	for _, ev := range evs {
		c.events[ev.id] = ev
		c.recency.pushBack(ev)
		// A floor beside a held event of its id is a close the log kept
		// in part (the floor, not the event's tombstone): the sink holds
		// the end at the floor's revision, so the event goes on above it.
		// The floor stays: the raised revision reaches the log only with
		// the event's next change.
		if f, ok := c.floors.get(ev.id); ok {
			ev.rev = max(ev.rev, f.rev)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.members)) {
		if ev := r.events[r.members[k]]; ev != nil {
			c.byStory[k] = ev
			ev.memberKeys = append(ev.memberKeys, k)
		}
	}
	// The inverted index, from each centroid term's entry number: a list
	// in entry order, capped at MaxPostings as index() caps it.
	type entry struct {
		seq uint64
		ev  *event
	}
	byTerm := map[termID][]entry{}
	for _, ev := range evs {
		for j, t := range ev.cent.ids {
			byTerm[t] = append(byTerm[t], entry{ev.cent.seq[j], ev})
		}
	}
	for t, es := range byTerm {
		slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.seq, b.seq) })
		es = es[max(0, len(es)-c.cfg.MaxPostings):]
		if int(t) >= len(c.postings) {
			c.postings = append(c.postings, make([]postingSlot, c.terms.span()-len(c.postings))...)
		}
		list := c.one[:0]
		if len(es) > 1 {
			list = make([]posting, 0, len(es))
		}
		for _, e := range es {
			list = append(list, posting{e.ev, e.seq})
		}
		c.postings[t] = slotOf(list, true)
		c.one[0] = posting{} // scratch (setPostings)
		c.terms.acquire(t)
	}
	c.setActive()
	return nil
}

// Count is the number of live events.
func (c *Clusterer) Count(state.Table) int { return c.Active() }

// Snapshot hands emit the live events, their stories, the document
// frequencies and the clock. The clusterer is locked while it encodes a
// few hundred events at a time.
func (c *Clusterer) Snapshot(emit func(state.Entry) error) error {
	c.mu.Lock()
	evs := make([]*event, 0, len(c.events))
	for ev := c.recency.front(); ev != nil; ev = ev.newer {
		evs = append(evs, ev)
	}
	c.mu.Unlock()
	buf := make([]state.Entry, 0, 4096) // a chunk of terms' entries
	var ids []textorder.Keyed[int32]
	// Keys and values go in 64 KB arrays, each entry cut to its own length
	// and capacity: an event is encoded into a reused scratch and copied
	// in with its stories' entries, not allocated entry by entry. emit
	// copies what it keeps (state.Owner), so once a chunk is emitted its
	// arrays hold the next: a compaction allocates the largest chunk's
	// bytes, not the whole encoded state again (≈ 28 MB in the 10k-feed +
	// 1M-story run, round 38).
	var a, scratch []byte
	var arrays [][]byte // this snapshot's, in the order a chunk fills them
	next := 0           // the array a chunk takes when a is full
	room := func(n int) {
		if cap(a)-len(a) >= n {
			return
		}
		for next < len(arrays) && cap(arrays[next]) < n {
			next++ // too small for this entry: left for the next chunk
		}
		if next < len(arrays) {
			a = arrays[next][:0]
		} else {
			a = make([]byte, 0, max(64<<10, n))
			arrays = append(arrays, a)
		}
		next++
	}
	cut := func(start, k int) state.Entry {
		return state.Entry{Table: state.Events, Key: a[start:k:k], Value: a[k:len(a):len(a)]}
	}
	flush := func() error {
		for _, e := range buf {
			if err := emit(e); err != nil {
				return err
			}
		}
		clear(buf) // the entries' bytes are written over from here
		buf, a, next = buf[:0], nil, 0
		return nil
	}
	for i := 0; i < len(evs); i += 256 {
		c.mu.Lock()
		for _, ev := range evs[i:min(i+256, len(evs))] {
			if !ev.alive {
				continue // closed since: its tombstones are in the log after the snapshot
			}
			scratch = encodeEvent(scratch[:0], ev, &ids, c.terms)
			room(1 + len(ev.id) + len(scratch) + len(ev.memberKeys)*(9+len(ev.id)))
			start := len(a)
			a = append(append(a, 'e'), ev.id...)
			k := len(a)
			a = append(a, scratch...)
			buf = append(buf, cut(start, k))
			for _, m := range ev.memberKeys {
				start := len(a)
				a = binary.LittleEndian.AppendUint64(append(a, 's'), m)
				k := len(a)
				a = append(a, ev.id...)
				buf = append(buf, cut(start, k))
			}
		}
		c.mu.Unlock()
		if err := flush(); err != nil {
			return err
		}
	}
	// In the order of the terms' ids, not sorted by text: a restore needs
	// no order, and sorting every counted term for each snapshot was the
	// largest of the owners' sorts (round 43, snap43: ≈ 12 % of the
	// snapshot). The ids are handed out in the order the stories bring
	// the terms (freed ones again, the last freed first: no map, no
	// seed), so the file is still a function of the stories read. By
	// text as well as id: an id may be freed and numbered anew while
	// unlocked. The id taken with its text is used again only while it
	// still names that text and the table still counts it (so holds it:
	// not freed, the dictionary's own for the text), else the text is
	// looked up as before; the terms' keys and values go in shared
	// arrays, fresh ones when full, so an emit that keeps an entry keeps
	// valid bytes.
	c.mu.Lock()
	terms := make([]textorder.Keyed[termID], 0, c.df.size)
	for t, n := range c.df.df {
		if n > 0 {
			terms = append(terms, textorder.Make(c.terms.term(termID(t)), termID(t)))
		}
	}
	c.mu.Unlock()
	for i := 0; i < len(terms); i += 4096 {
		c.mu.Lock()
		for _, t := range terms[i:min(i+4096, len(terms))] {
			n := c.df.get(t.Val)
			if !(n > 0) || c.terms.term(t.Val) != t.Key {
				if e := c.termEntry(t.Key); e.Value != nil {
					buf = append(buf, e)
				}
				continue
			}
			room(1 + len(t.Key) + 8 + binary.MaxVarintLen64)
			start := len(a)
			a = append(append(a, 'd'), t.Key...)
			k := len(a)
			a = c.df.appendCount(a, n)
			buf = append(buf, cut(start, k))
		}
		c.mu.Unlock()
		if err := flush(); err != nil {
			return err
		}
	}
	c.mu.Lock()
	fs := make([]textorder.Keyed[*floorEntry], 0, len(c.floors.byID))
	for id, f := range c.floors.byID {
		fs = append(fs, textorder.Make(id, f))
	}
	textorder.Sort(fs)
	for _, f := range fs {
		room(1 + len(f.Key) + binary.MaxVarintLen64 + 16)
		start := len(a)
		a = append(append(a, 'r'), f.Key...)
		k := len(a)
		a = encodeFloor(a, f.Val.floor)
		buf = append(buf, cut(start, k))
	}
	room(1 + 16 + 4*binary.MaxVarintLen64 + 8)
	start := len(a)
	a = append(a, 'c')
	a = c.appendGlobal(a)
	buf = append(buf, cut(start, start+1))
	c.mu.Unlock()
	return flush()
}

// Clock is the event clock: the latest story time seen. The pipeline's
// clock starts from it after a restore.
func (c *Clusterer) Clock() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clock
}

func encodeFloor(b []byte, f floor) []byte {
	return state.AppendTime(binary.AppendUvarint(b, uint64(f.rev)), f.at)
}

// encodeEvent writes what the event must keep to decide and publish as
// before; the centroid with its terms' index entry numbers, the title
// vector only when it is not the centroid's (as for a one-story event).
// Lists are written in key order (the centroid's in the order of its
// terms' texts, sorted in the scratch ids by textorder). Terms are written as their
// texts, never as term ids, which number terms only in this process.
// The snapshot writes this: a restored clusterer numbers its terms anew,
// and by text its snapshot is the same bytes as the live one's.
//
// Version 2 adds, after the languages, the counts of the topics of the
// stories whose own topics were evidence and how many such stories
// there were (event.evidence, event.evidenced).
func encodeEvent(b []byte, e *event, ids *[]textorder.Keyed[int32], d *dict) []byte {
	b = appendEventHead(b, e)
	// the terms in text order, each with its index in the centroid (so
	// none is looked up again), compared by their first eight bytes first
	cks := (*ids)[:0]
	for j, id := range e.cent.ids {
		cks = append(cks, textorder.Make(d.term(id), int32(j)))
	}
	textorder.Sort(cks)
	b = binary.AppendUvarint(b, uint64(len(cks)))
	for _, k := range cks {
		b = appendCentroidTerm(b, e, int(k.Val), k.Key)
	}
	clear(cks) // the texts are the dictionary's: not kept alive by the scratch
	*ids = cks[:0]
	return appendEventTail(b, e, d)
}

// encodeLoggedEvent is encodeEvent with the centroid's terms in the
// order the centroid keeps them (by term id), unsorted: what Changes
// writes for every event a batch touched. A restore reads the terms in
// any order (centroid.restoreTerms sorts them by the ids it hands out),
// so the restored event is the one encodeEvent's image gives; the sort
// by text was ≈ a third of encodeEvent in the events stage's profile
// (BENCHMARKS.md, round 44: evcpu44, snap44; round 45: evlog45).
func encodeLoggedEvent(b []byte, e *event, d *dict) []byte {
	b = appendEventHead(b, e)
	b = binary.AppendUvarint(b, uint64(len(e.cent.ids)))
	for j, id := range e.cent.ids {
		b = appendCentroidTerm(b, e, j, d.term(id))
	}
	return appendEventTail(b, e, d)
}

// appendEventHead writes the format version and the event's fixed
// fields: what an event's value holds before its centroid's terms.
func appendEventHead(b []byte, e *event) []byte {
	b = append(b, 2) // format version
	b = binary.AppendUvarint(b, uint64(e.rev))
	for _, t := range [...]instant{e.founded, e.pubFirst, e.lastNew, e.last, e.seenFirst, e.seenLast} {
		b = state.AppendTime(b, t.time())
	}
	for _, n := range [...]int{e.stories, e.repubs, e.pubCount} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = binary.AppendUvarint(b, e.recent)
	return state.AppendFloat(b, e.cent.norm)
}

// appendCentroidTerm writes the centroid's j-th term, whose text is text.
func appendCentroidTerm(b []byte, e *event, j int, text string) []byte {
	b = state.AppendString(b, text)
	b = state.AppendFloat(b, e.cent.w[j])
	return binary.AppendUvarint(b, e.cent.seq[j])
}

// appendEventTail writes what follows the centroid's terms: the title
// and its vector, members, publishers, entities and the counts.
func appendEventTail(b []byte, e *event, d *dict) []byte {
	b = state.AppendString(b, e.title)
	if e.titleIsCent || sameAsCentroid(e.titleVec, &e.cent) {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(e.titleVec)))
		for _, t := range e.titleVec {
			b = state.AppendString(b, d.term(t.id))
			b = state.AppendFloat(b, t.w)
		}
	}
	// the member ring from its oldest, as state.AppendStrings would write the unrolled list
	b = binary.AppendUvarint(b, uint64(len(e.members)))
	for _, part := range [...][]string{e.members[e.head:], e.members[:e.head]} {
		for _, m := range part {
			b = state.AppendString(b, m)
		}
	}
	b = state.AppendStrings(b, e.pubs)
	// entities, keywords and topics are kept in key order
	b = binary.AppendUvarint(b, uint64(len(e.entities)))
	for i := range e.entities {
		en := &e.entities[i]
		kind, name := en.kindName()
		b = state.AppendString(state.AppendString(state.AppendString(b, en.key()), name), kind)
		b = binary.AppendUvarint(b, uint64(en.stories))
	}
	b = appendCounts(b, e.keywords)
	b = appendCounts(b, e.topics)
	b = state.AppendStrings(b, e.langs)
	b = appendCounts(b, e.evidence)
	return binary.AppendUvarint(b, uint64(e.evidenced))
}

// sameAsCentroid reports whether v is the centroid's terms with the
// centroid's weights scaled to unit length: a one-story event's title
// vector is its centroid.
func sameAsCentroid(v vector, c *centroid) bool {
	if len(v) != c.len() || c.norm == 0 {
		return false
	}
	for _, t := range v {
		if j, ok := c.find(t.id); !ok || c.w[j] != t.w {
			return false
		}
	}
	return true
}

// decodeEvent numbers the event's terms in d and holds them (the
// centroid's and the title vector's), as a live event does.
func decodeEvent(id string, v []byte, dict *dict) (*event, error) {
	d := state.Decoder{B: v}
	version := d.Byte()
	if version != 1 && version != 2 {
		return nil, fmt.Errorf("unknown format version %d", version)
	}
	e := &event{id: id, alive: true}
	e.rev = int(d.Uvarint())
	for _, t := range []*instant{&e.founded, &e.pubFirst, &e.lastNew, &e.last, &e.seenFirst, &e.seenLast} {
		*t = instantOf(d.Time())
	}
	for _, n := range []*int{&e.stories, &e.repubs, &e.pubCount} {
		*n = int(d.Uvarint())
	}
	e.recent = d.Uvarint()
	e.cent.norm = d.Float()
	n := d.Count()
	es := make([]centry, 0, n)
	for range n {
		s, w, seq := d.String(), d.Float(), d.Uvarint()
		if w == 0 {
			// logs written before centroid.add stopped bringing a term
			// back at weight 0: it weighs nothing, so the centroid and
			// its norm are the same without it
			continue
		}
		es = append(es, centry{dict.intern(s), w, seq})
	}
	e.cent.restoreTerms(es, dict)
	e.title = d.String()
	if d.Byte() == 0 {
		// the centroid's terms in strongest-first order, as a restore
		// always read it, built when the centroid next changes
		e.titleIsCent = true
	} else {
		n := d.Count()
		e.titleVec = make(vector, 0, n)
		for range n {
			e.titleVec = append(e.titleVec, term{dict.intern(d.String()), d.Float()})
		}
		e.titleVec.acquire(dict)
	}
	e.members = d.Strings()
	e.pubs = d.Strings()
	if len(e.pubs) > maxTrackedPublishers {
		// never written (addPublisher's bound since round 1); indexed,
		// pubOrder's 2-byte positions would wrap and answer wrongly
		return e, fmt.Errorf("%d publishers, more than the %d an event keeps", len(e.pubs), maxTrackedPublishers)
	}
	for i, p := range e.pubs { // in the slab, as a live event's
		e.pubs[i] = e.strs.str(p)
	}
	e.indexPublishers()
	for range d.Count() {
		key, name, kind := d.String(), d.String(), d.String()
		e.entities = addEntity(e.entities, key, kind, name, d.Uvarint(), &e.strs)
	}
	e.keywords = readCounts(&d, maxTrackedKeywords, &e.strs)
	e.topics = readCounts(&d, maxRestoredTopics, nil)
	e.langs = d.Strings()
	if version == 1 {
		// written before guesses were told apart: every story's topics
		// count as evidence, so a guess joining the event follows what
		// it would have followed before the upgrade
		e.evidence, e.evidenced = slices.Clone(e.topics), e.stories
		return e, d.End()
	}
	e.evidence = readCounts(&d, maxRestoredTopics, nil)
	e.evidenced = int(d.Uvarint())
	return e, d.End()
}

func appendCounts(b []byte, c counts) []byte {
	b = binary.AppendUvarint(b, uint64(len(c)))
	for _, kc := range c {
		b = binary.AppendUvarint(state.AppendString(b, kc.key), uint64(kc.n))
	}
	return b
}

// readCounts reads what appendCounts wrote: keys in order, each once
// (copied into sl, unless sl is nil).
// readCounts reads counts written by appendCounts, taking at most limit
// keys (the first, as counts.add takes them): a live event holds no
// more, and each key taken costs a move of those after it, so a damaged
// or foreign entry's thousands in descending order made a restore
// quadratic in the entry's size (round 40).
func readCounts(d *state.Decoder, limit int, sl *slab) counts {
	var c counts
	for range d.Count() {
		k := d.String()
		c.add(k, int(d.Uvarint()), limit, sl)
	}
	return c
}

// maxRestoredTopics is the most topic (or evidence) counts a restored
// event takes. A live event's come from the topic classifier's names
// (17) and are not capped; the bound is far above them, for readCounts.
const maxRestoredTopics = 256
