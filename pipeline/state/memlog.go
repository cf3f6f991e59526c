package state

import (
	"bytes"
	"context"
	"hash/maphash"
)

// memoryLog is what a store without a log (memory only) rewinds its
// Trackers to: the last committed entry of each key of their tables, in
// the order those entries were committed, as a compacted log holds them.
// Without it a failed batch's decisions stay in the Trackers' memory: its
// stories, read again, are counted twice (a copy's republication, what
// the enricher learnt). It keeps the Trackers' tables only — the other
// owners change only in Commit, so they never run ahead — and copies
// what it keeps, so it costs about what those tables' entries encode to.
//
// A store that keeps one commits every story's entries here (about
// fourteen a headline, two hundred and fifty an article; `process`
// keeps none since round 29: Options.NoMemoryRewind), so keeping one
// costs no allocation of its own: its table, key and value are copied
// into chunks of bytes, which hold no pointers for the collector to
// scan and are never copied to grow, and it is found by a hash of its
// table and key, whose entries with one hash are chained and compared
// in full. Reread, which only a rewind calls, copies the entries out.
type memoryLog struct {
	tables  [256]bool // indexed by Table
	seed    maphash.Seed
	at      hashIndex  // hash of table and key → its newest live entry
	entries []memEntry // in commit order
	chunks  [][]byte   // each entry's table byte, key and value
	dead    int
	// collide, for tests: a hash of three values, so that most keys
	// share a chain
	collide bool
}

// memEntry is one kept entry: chunks[chunk][off] its table, then klen
// bytes of key and vlen of value. chunk < 0: one a later entry replaced
// or deleted. (The entries never outnumber twice the live ones and 1,024
// — compact —, so an int32 counts them.)
type memEntry struct {
	chunk, off int32
	klen, vlen int32
	next       int32 // an older live entry of the same hash; -1: none
}

// memChunk is the size of a chunk: an entry larger gets one of its own.
const memChunk = 64 << 10

func newMemoryLog(trackers []Owner) *memoryLog {
	m := &memoryLog{seed: maphash.MakeSeed()}
	for _, ow := range trackers {
		for _, t := range ow.Tables() {
			m.tables[t] = true
		}
	}
	return m
}

// hash is what at is keyed by: the hash of an entry's table and key.
func (m *memoryLog) hash(tk []byte) uint64 {
	if m.collide {
		return uint64(len(tk) % 3)
	}
	return maphash.Bytes(m.seed, tk)
}

// keep copies table-and-key tk and value v into the last chunk, or a new
// one when they do not fit, and returns where.
func (m *memoryLog) keep(tk, v []byte) (chunk, off int32) {
	c, n := len(m.chunks)-1, len(tk)+len(v)
	if c < 0 || len(m.chunks[c])+n > cap(m.chunks[c]) {
		m.chunks = append(m.chunks, make([]byte, 0, max(memChunk, n)))
		c++
	}
	o := len(m.chunks[c])
	m.chunks[c] = append(append(m.chunks[c], tk...), v...)
	return int32(c), int32(o)
}

// bytes is entry e's table byte, key and value.
func (m *memoryLog) bytes(e memEntry) []byte {
	return m.chunks[e.chunk][e.off : e.off+1+e.klen+e.vlen]
}

// push appends an entry of table-and-key tk (of hash h, at slot i of at)
// and value v before next, the live entries of hash h (-1: none).
func (m *memoryLog) push(i int, h uint64, next int, tk, v []byte) {
	m.at.set(i, h, len(m.entries))
	c, o := m.keep(tk, v)
	m.entries = append(m.entries, memEntry{chunk: c, off: o, klen: int32(len(tk) - 1), vlen: int32(len(v)), next: int32(next)})
}

// append keeps entries of the Trackers' tables, in order: each replaces
// its key's older entry, and a delete (nil Value) drops it.
func (m *memoryLog) append(entries []Entry) {
	var buf []byte
	for _, e := range entries {
		if !m.tables[e.Table] {
			continue
		}
		buf = append(append(buf[:0], byte(e.Table)), e.Key...)
		h := m.hash(buf)
		m.at.reserve()
		i := m.at.find(h)
		head := m.at.get(i)
		// one probe of at and at most one change of its slot: the chain's
		// new head is known here
		switch newHead := m.drop(head, buf); {
		case e.Value != nil:
			m.push(i, h, newHead, buf, e.Value)
		case newHead != head && newHead >= 0:
			m.at.set(i, h, newHead)
		case newHead != head:
			m.at.remove(i)
		}
	}
	if m.dead > 1024 && m.dead > len(m.entries)-m.dead {
		m.compact()
	}
}

// drop marks dead the live entry of table-and-key tk, if there is one in
// the chain of live entries that starts at head (-1: none), takes it out
// of the chain, and returns the chain's head after (at is not changed).
func (m *memoryLog) drop(head int, tk []byte) int {
	prev := -1
	for i := head; i >= 0; prev, i = i, int(m.entries[i].next) {
		e := m.entries[i]
		if !bytes.Equal(m.bytes(e)[:1+e.klen], tk) {
			continue
		}
		m.entries[i] = memEntry{chunk: -1, next: -1}
		m.dead++
		if prev < 0 {
			return int(e.next)
		}
		m.entries[prev].next = e.next
		return head
	}
	return head
}

// compact drops the replaced entries and their bytes, keeping the order
// of the others.
func (m *memoryLog) compact() {
	entries, chunks := m.entries, m.chunks
	m.entries, m.chunks, m.dead = make([]memEntry, 0, len(entries)-m.dead), nil, 0
	m.at.reset()
	for _, e := range entries {
		if e.chunk < 0 {
			continue
		}
		b := chunks[e.chunk][e.off : e.off+1+e.klen+e.vlen]
		tk := b[:1+e.klen]
		h := m.hash(tk)
		m.at.reserve()
		i := m.at.find(h)
		m.push(i, h, m.at.get(i), tk, b[1+e.klen:])
	}
}

// Reread hands fn every entry kept, in commit order (Rereader), each in
// slices of its own (an empty value is not nil: nil is a delete).
func (m *memoryLog) Reread(ctx context.Context, fn func(Entry) error) error {
	for i, e := range m.entries {
		if e.chunk < 0 {
			continue
		}
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		b := m.bytes(e)
		k, v := b[1:1+e.klen], b[1+e.klen:]
		en := Entry{
			Table: Table(b[0]),
			Key:   append(make([]byte, 0, len(k)), k...),
			Value: append(make([]byte, 0, len(v)), v...),
		}
		if err := fn(en); err != nil {
			return err
		}
	}
	return nil
}
