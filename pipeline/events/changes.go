package events

import (
	"cmp"
	"encoding/binary"
	"slices"
	"unsafe"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/state"
)

// changes is what happened since the state log was last told; nothing is
// recorded unless on (TrackChanges). The records are slices, not sets:
// Changes sorts and deduplicates them, and a slice keeps no capacity a
// map would have to iterate and clear every batch after one large batch
// (a cold start's).
type changes struct {
	on      bool
	events  []*event // each once: event.logged
	members []member // in call order; the last for a key wins
	dfTerms []dfTerm // with repeats
	closed  []goneEvent
	floors  []string // ids whose floor was set or dropped, with repeats
	global  bool

	// reused by every Changes: the encoded keys and values before they
	// are copied out (spill), their spans, and sort scratch
	buf   []byte
	spans []state.Span
	// the batch's entries copied out so far (spill), during Changes, and
	// how many it can have at most
	out  []state.Entry
	most int
	seen []int32 // uniqueTerms' scratch, by term id: 1 + the term's index in uniq, 0 if not there (as featureBuf.slot)
	uniq []textorder.Keyed[termID]
}

// dfTerm is a term whose document frequency changed: its text, and the
// id it had then (noTerm if none), which Changes reads it by while the id
// still names the text.
type dfTerm struct {
	text string
	id   termID
}

// noTerm is the id of a dfTerm whose id is gone.
const noTerm = ^termID(0)

type member struct {
	key uint64
	ev  *event
}

type goneEvent struct {
	id      string
	members []uint64 // nil when the stories moved to another event (a merge)
}

func (l *changes) touch(ev *event) {
	if l.on {
		if !ev.logged {
			ev.logged = true
			l.events = append(l.events, ev)
		}
		l.global = true
	}
}

func (l *changes) member(k uint64, ev *event) {
	if l.on {
		l.members = append(l.members, member{k, ev})
		l.touch(ev)
	}
}

func (l *changes) gone(ev *event, withMembers bool) {
	if !l.on {
		return
	}
	g := goneEvent{id: ev.id}
	if withMembers {
		g.members = ev.memberKeys
	}
	l.closed = append(l.closed, g)
	// a closed event is not written: Changes skips it (alive is false)
	l.global = true
}

// clock records that the clock moved, with nothing else changed (an
// Expire that closed nothing).
func (l *changes) clock() {
	if l.on {
		l.global = true
	}
}

func (l *changes) floor(id string) {
	if l.on {
		l.floors = append(l.floors, id)
	}
}

// terms records the terms whose document frequencies changed, by text:
// an id may be freed and numbered anew before Changes. A halving changed
// every count, and is written as the epoch in the clock entry, not term
// by term (docFreq).
func (l *changes) terms(ts []termID, df *docFreq) {
	if !l.on {
		df.forgot.clear()
		return
	}
	for _, t := range ts {
		l.dfTerms = append(l.dfTerms, dfTerm{df.dict.term(t), t})
	}
	l.global = true
}

// tombstoneForgotten records up to forgetPerBatch of the terms halvings
// forgot, or twice as many as the batch's stories brought into the table
// when more, so their keys leave a compacted log: Changes writes each
// one's tombstone, or its count when a story brought it back meanwhile.
// Every forgotten term came into the table once, so over a run the queue
// takes in at most the terms that came in plus one table's worth, and
// draining twice as many as come in keeps it within about one table;
// a batch's share stays in proportion to its stories (a sixteenth of the
// queue a batch was 28,000 entries at the default bound).
func (l *changes) tombstoneForgotten(df *docFreq) {
	for range max(forgetPerBatch, 2*df.fresh) {
		t, ok := df.forgot.take()
		if !ok {
			break
		}
		l.dfTerms = append(l.dfTerms, dfTerm{t, noTerm})
	}
	df.fresh = 0
}

// forgetPerBatch is how many forgotten terms' tombstones a batch carries
// at least while some wait: a few hundred kilobytes of entries, where the
// halving of a full table at the default bound can forget hundreds of
// thousands (every term counted once).
const forgetPerBatch = 4096

// Changes returns the log entries for what changed since the last call:
// closed events' tombstones first (an id can close and found again in
// one batch), then the events, stories and terms that changed. Keys and
// values are encoded into one reused buffer and copied out every
// spillBytes into arrays of their exact size, which the entries share
// (the caller owns them).
func (c *Clusterer) Changes() []state.Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := &c.log
	l.buf, l.spans = l.buf[:0], l.spans[:0]
	// What is written is gathered first (nothing below changes what an
	// entry encodes), so the entries' slice is made once (spill), at most
	// as long as the records (+1: the global entry).
	slices.SortFunc(l.events, byRecent)
	slices.SortStableFunc(l.members, func(a, b member) int { return cmp.Compare(a.key, b.key) }) // the last call for a key wins
	slices.Sort(l.floors)
	floors := slices.Compact(l.floors)
	if l.on {
		l.tombstoneForgotten(c.df)
	}
	uniq := l.uniqueTerms()
	l.most = len(l.events) + len(l.members) + len(floors) + len(uniq) + 1
	for _, g := range l.closed {
		l.most += 1 + len(g.members)
	}
	for _, g := range l.closed {
		l.add('e', g.id, nil)
		for _, k := range g.members {
			l.addMember(k, nil)
		}
	}
	for _, ev := range l.events {
		ev.logged = false
		if ev.alive {
			l.add('e', ev.id, func(b []byte) []byte { return encodeLoggedEvent(b, ev, c.terms) })
		}
	}
	for i, m := range l.members {
		if i+1 < len(l.members) && l.members[i+1].key == m.key {
			continue
		}
		if ev := resolve(m.ev); ev.alive {
			l.addMember(m.key, ev)
		}
	}
	for _, id := range floors {
		f, ok := c.floors.get(id)
		l.add('r', id, func(b []byte) []byte {
			if !ok {
				return nil
			}
			return encodeFloor(b, f)
		})
	}
	for _, t := range uniq {
		n, ok := c.docFreqOf(t.Key, t.Val)
		l.add('d', t.Key, func(b []byte) []byte {
			if !ok {
				return nil
			}
			return c.df.appendCount(b, n)
		})
	}
	l.uniq = reuse(uniq) // the texts are the dictionary's: not kept alive by the scratch
	if l.global {
		l.add('c', "", func(b []byte) []byte { return c.appendGlobal(b) })
	}
	out := l.entries()
	l.closed = reuse(l.closed)
	l.events = reuse(l.events)
	l.members = reuse(l.members)
	l.dfTerms = reuse(l.dfTerms)
	l.floors = reuse(l.floors)
	l.global = false
	return out
}

// reuse returns s emptied for the next batch: cleared (so it keeps no
// event, story list or text alive), or nil when this batch filled less
// than a quarter of a capacity past keepScratch bytes. Without the
// cut each record and buffer kept the capacity of the largest batch ever
// seen — a cold start's batches of thousands of stories, or a halving
// that lists every term — some 58 MB in the 10k-feed harness (round 31).
// A capacity that batches keep using stays, so a steady load does not
// allocate anew.
func reuse[T any](s []T) []T {
	var e T
	if cap(s)*int(unsafe.Sizeof(e)) > keepScratch && len(s) < cap(s)/4 {
		return nil
	}
	clear(s)
	return s[:0]
}

// keepScratch is the capacity, in bytes, that reuse keeps whatever the
// batch used: a batch of a hundred or so stories' records and entries.
const keepScratch = 256 << 10

// docFreqOf is docFreq of t, read by id while id still names t: the
// dictionary's id for t (a freed id names "" or another text).
func (c *Clusterer) docFreqOf(t string, id termID) (float64, bool) {
	if int(id) < c.terms.span() && c.terms.term(id) == t {
		n := c.df.get(id)
		return n, n > 0
	}
	return c.docFreq(t)
}

// uniqueTerms returns dfTerms' texts sorted, each once, with the id one
// of its records had. A batch repeats a term for every story that holds
// it: the repeats are dropped before sorting, which spares most of the
// string comparisons (two thirds of Changes in the harness); the rest
// compare the texts' first eight bytes first (textorder). A repeat is
// found by its id (seen: a slot per term id, no hash of the text); an id
// freed and numbered anew within the batch, or a forgotten term's
// noTerm, lets a text through twice, and the sorted list drops the second
// copy. Which copy stays does not matter: docFreqOf reads a text's count
// by any id that still names it, or by the text.
func (l *changes) uniqueTerms() []textorder.Keyed[termID] {
	u := l.uniq[:0]
	for _, t := range l.dfTerms {
		if t.id == noTerm {
			u = append(u, textorder.Make(t.text, t.id))
			continue
		}
		if int(t.id) >= len(l.seen) {
			l.seen = append(l.seen, make([]int32, int(t.id)+1-len(l.seen))...)
		}
		if i := l.seen[t.id]; i > 0 && u[i-1].Key == t.text {
			continue
		}
		u = append(u, textorder.Make(t.text, t.id))
		l.seen[t.id] = int32(len(u))
	}
	for _, t := range u {
		if t.Val != noTerm {
			l.seen[t.Val] = 0
		}
	}
	textorder.Sort(u)
	u = slices.CompactFunc(u, func(a, b textorder.Keyed[termID]) bool { return a.Key == b.Key })
	l.uniq = u[:0]
	return u
}

// add appends an entry keyed kind+name whose value value appends (nil
// value, or value returning nil: a tombstone).
func (l *changes) add(kind byte, name string, value func([]byte) []byte) {
	sp := state.Span{Key: len(l.buf), Val: -1}
	l.buf = append(append(l.buf, kind), name...)
	if value != nil {
		v := len(l.buf)
		if b := value(l.buf); b != nil {
			l.buf, sp.Val = b, v
		}
	}
	sp.End = len(l.buf)
	l.spans = append(l.spans, sp)
	l.spillFull()
}

// addMember appends a story's entry: its event's id, or a tombstone when ev is nil.
func (l *changes) addMember(k uint64, ev *event) {
	sp := state.Span{Key: len(l.buf), Val: -1}
	l.buf = binary.LittleEndian.AppendUint64(append(l.buf, 's'), k)
	if ev != nil {
		sp.Val = len(l.buf)
		l.buf = append(l.buf, ev.id...)
	}
	sp.End = len(l.buf)
	l.spans = append(l.spans, sp)
	l.spillFull()
}

// spillBytes is how many bytes of entries buf gathers before they are
// copied out. Copied out once at the end of a batch, they made buf and
// spans as large as the largest batch: scratch that reuse gave back once
// batches were small again, and that grew anew from nothing, by
// doubling, when they were large (round 36: the events' changes
// allocated ≈ 1.9 GB in the 10k + 1M run for ≈ 1 GB of entries). Copied
// out at this size, buf and spans stay under keepScratch (an entry is
// at most some tens of KB, and 10 bytes or more), so they are kept, and
// each byte of an entry is allocated once, in its chunk.
const spillBytes = 64 << 10

func (l *changes) spillFull() {
	if len(l.buf) >= spillBytes {
		l.spill()
	}
}

// spill copies the entries in buf out into an array of their exact
// size, cuts them from it onto out, and empties buf and spans for the
// entries after them.
func (l *changes) spill() {
	if len(l.spans) == 0 {
		return
	}
	if l.out == nil {
		l.out = make([]state.Entry, 0, max(l.most, len(l.spans)))
	}
	l.out = slices.Grow(l.out, len(l.spans)) // when most was short
	k := len(l.out)
	l.out = l.out[:k+len(l.spans)]
	state.CutEntriesInto(l.out[k:], state.Events, slices.Clone(l.buf), l.spans)
	l.buf, l.spans = l.buf[:0], l.spans[:0]
}

// entries copies out what is left in buf and returns the batch's
// entries, each key and value with its capacity capped so an append by
// the caller cannot overwrite the next entry; buf and spans are left
// empty for the next batch (reuse).
func (l *changes) entries() []state.Entry {
	l.spill()
	out := l.out
	l.out, l.most = nil, 0
	l.buf, l.spans = reuse(l.buf), reuse(l.spans)
	return out
}
