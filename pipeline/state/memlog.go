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
type memoryLog struct {
	tables  map[Table]bool
	at      map[string]int // table and key → its entry in entries
	entries []Entry        // nil Value: an entry a later one replaced or deleted
	dead    int
}

func newMemoryLog(trackers []Owner) *memoryLog {
	m := &memoryLog{tables: map[Table]bool{}, at: map[string]int{}}
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
	for _, e := range entries {
		if !m.tables[e.Table] {
			continue
		}
		k := string(append([]byte{byte(e.Table)}, e.Key...))
		if i, ok := m.at[k]; ok {
			m.entries[i] = Entry{}
			m.dead++
			delete(m.at, k)
		}
		if e.Value == nil {
			continue
		}
		m.at[k] = len(m.entries)
		m.entries = append(m.entries, Entry{Table: e.Table, Key: []byte(k[1:]), Value: append([]byte{}, e.Value...)})
	}
	if m.dead > 1024 && m.dead > len(m.at) {
		m.compact()
	}
}

// compact drops the replaced entries, keeping the order of the others.
func (m *memoryLog) compact() {
	live := make([]Entry, 0, len(m.at))
	for _, e := range m.entries {
		if e.Value == nil {
			continue
		}
		m.at[string(append([]byte{byte(e.Table)}, e.Key...))] = len(live)
		live = append(live, e)
	}
	m.entries, m.dead = live, 0
}

// Reread hands fn every entry kept, in commit order (Rereader).
func (m *memoryLog) Reread(ctx context.Context, fn func(Entry) error) error {
	for i, e := range m.entries {
		if e.Value == nil {
			continue
		}
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
