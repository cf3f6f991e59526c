package state

import "context"

// memoryLog is what a store without a log (memory only) rewinds its
// Trackers to: the last committed entry of each key of their tables, in
// the order those entries were committed, as a compacted log holds them.
// Without it a failed batch's decisions stay in the Trackers' memory: its
// stories, read again, are counted twice (a copy's republication, what
// the enricher learnt). It keeps the Trackers' tables only — the other
// owners change only in Commit, so they never run ahead — and copies
// what it keeps, so it costs about what those tables' entries encode to.
//
// `process` commits every story's entries here, so each kept entry is one
// allocation: its table, key and value copied into one string, whose
// first 1+len(key) bytes are the key of at (a substring, not a copy).
// Reread, which only a rewind calls, gives the entries back as slices.
type memoryLog struct {
	tables  [256]bool      // indexed by Table
	at      map[string]int // table and key → its entry in entries
	entries []memEntry     // a zero memEntry: one a later one replaced or deleted
	dead    int
}

// memEntry is one kept entry: its table byte, key and value in one string.
type memEntry struct {
	tkv  string // Table, then Key, then Value; "" once replaced
	klen int    // len(Key)
}

func newMemoryLog(trackers []Owner) *memoryLog {
	m := &memoryLog{at: map[string]int{}}
	for _, ow := range trackers {
		for _, t := range ow.Tables() {
			m.tables[t] = true
		}
	}
	return m
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
		if i, ok := m.at[string(buf)]; ok { // a lookup that does not copy buf
			m.entries[i] = memEntry{}
			m.dead++
			if e.Value == nil {
				delete(m.at, string(buf))
				continue
			}
		} else if e.Value == nil {
			continue
		}
		tkv := string(append(buf, e.Value...))
		buf = buf[:1+len(e.Key)]
		// a replaced key's map slot takes the new string's prefix, so the
		// old entry's string is not held
		m.at[tkv[:len(buf)]] = len(m.entries)
		m.entries = append(m.entries, memEntry{tkv: tkv, klen: len(e.Key)})
	}
	if m.dead > 1024 && m.dead > len(m.at) {
		m.compact()
	}
}

// compact drops the replaced entries, keeping the order of the others.
func (m *memoryLog) compact() {
	live := make([]memEntry, 0, len(m.at))
	for _, e := range m.entries {
		if e.tkv == "" {
			continue
		}
		m.at[e.tkv[:1+e.klen]] = len(live)
		live = append(live, e)
	}
	m.entries, m.dead = live, 0
}

// Reread hands fn every entry kept, in commit order (Rereader), each in
// slices of its own (an empty value is not nil: nil is a delete).
func (m *memoryLog) Reread(ctx context.Context, fn func(Entry) error) error {
	for i, e := range m.entries {
		if e.tkv == "" {
			continue
		}
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k, v := e.tkv[1:1+e.klen], e.tkv[1+e.klen:]
		en := Entry{
			Table: Table(e.tkv[0]),
			Key:   append(make([]byte, 0, len(k)), k...),
			Value: append(make([]byte, 0, len(v)), v...),
		}
		if err := fn(en); err != nil {
			return err
		}
	}
	return nil
}
