package dedupe

import (
	"cmp"
	"slices"

	"github.com/wirestream/wirestream/pipeline/state"
)

// PruneStats says what a Prune removed.
type PruneStats struct {
	Stories      int // stories and copies past state.seen_ttl
	Evicted      int // over state.max_entries, least recently seen first
	Fingerprints int // signatures first seen before the window
	Aliases      int // aliases whose story was forgotten
}

// Prune forgets the stories and copies not seen within SeenTTL, then the
// least recently seen beyond MaxEntries (with their signatures), then the
// signatures whose story time is before the window (and those a restore
// demoted: Restored), then the aliases whose story is gone, and returns
// the tombstones that record it. SeenTTL and
// the window both run on the window's clock — story time, the latest
// story time checked, never the wall clock — so a replay of an archive
// remembers what the live run did; decisions already ignore what expired
// before a Prune sweeps it (expired). Pending decisions are left alone.
// While a snapshot is being written it does nothing and returns ok=false:
// call it again later.
func (d *Deduper) Prune() (tombstones []state.Entry, ps PruneStats, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	m, x := d.mem, d.idx
	if m.frozen > 0 || x.frozen > 0 {
		return nil, ps, false
	}
	d.notePeak() // the signatures checked since the last commit count too
	tomb := func(t state.Table, k uint64) {
		tombstones = append(tombstones, state.Entry{Table: t, Key: keyBytes(k)})
	}
	dropStory := func(k uint64) {
		m.del(k)
		tomb(state.Stories, k)
		d.dropSignature(k, tomb)
	}

	cutoff := d.seenCutoff()
	// A story's key is spelt from its id (storyRec.key), so the walk
	// keeps its slot and spells the keys only of the stories it drops
	// (oldest): spelling a million was a third of a prune's CPU.
	// Sized for every live entry at once: grown by append it was ~84 MB
	// of garbage a prune at a million stories, five times its size.
	keep := make([]aged, 0, m.live[0]+m.live[1])
	var expired []uint64
	for i := range m.stories.len() {
		switch r := m.rec(uint32(i)); {
		case !r.live():
		case int64(r.last) < cutoff:
			expired = append(expired, r.key())
		default:
			keep = append(keep, aged{int64(r.last), 0, int32(i)})
		}
	}
	for _, r := range m.copies {
		switch {
		case r.key == 0:
		case int64(r.last) < cutoff:
			expired = append(expired, r.key)
		default:
			keep = append(keep, aged{int64(r.last), r.key, -1})
		}
	}
	// Chosen before any is dropped: dropping compacts the story records,
	// which moves the slots that keep holds.
	var evict []aged
	if over := len(keep) - d.bounds.MaxEntries; over > 0 {
		evict = oldest(keep, over, m)
	}
	for _, k := range expired {
		dropStory(k)
	}
	ps.Stories = len(expired)
	for _, e := range evict {
		dropStory(e.key)
	}
	ps.Evicted = len(evict)
	keep, evict = nil, nil

	for _, k := range d.demoted {
		if !x.has(k) { // not signed again since the restore demoted it
			tomb(state.Fingerprints, k)
			ps.Fingerprints++
		}
	}
	d.demoted = nil
	for _, k := range x.expire(d.clock - int64(d.cfg.Window)) {
		tomb(state.Fingerprints, k)
		ps.Fingerprints++
	}

	if drop := m.sweepAliases(); drop != nil {
		ps.Aliases = d.dropAliases(drop, tomb)
	}
	d.m.IndexEntries.Set(float64(x.Len()))
	return tombstones, ps, true
}

// dropSignature removes story key k's signature from the near index,
// unless a pending Txn owns it. Called with d.mu held.
func (d *Deduper) dropSignature(k uint64, tomb func(state.Table, uint64)) {
	if d.idx.has(k) && d.owners[k] == nil {
		d.idx.remove(k)
		tomb(state.Fingerprints, k)
	}
}

// dropAliases removes the aliases drop selects (by key and slot), and
// returns how many; an alias kept whose story has no live slot of its own
// (put again after it was forgotten, or put after it) is pointed at its
// story's slot. Called with d.mu held.
func (d *Deduper) dropAliases(drop func(key uint64, slot uint32) bool, tomb func(state.Table, uint64)) int {
	m := d.mem
	var gone, moved []uint64
	m.eachAlias(func(k uint64, s uint32) bool {
		switch {
		case drop(k, s):
			gone = append(gone, k)
		case !m.liveSlot(s):
			moved = append(moved, k)
		}
		return true
	})
	for _, k := range gone {
		m.delAlias(k)
		tomb(state.Aliases, k)
	}
	for _, k := range moved {
		if s, ok := m.aliases.get(k); ok {
			m.putAlias(k, m.aliasStory(k, s))
		}
	}
	return len(gone)
}

// Carried is a story a write carried: its id and the version the write
// published.
type Carried struct {
	ID      string
	Version int
}

// Holds returns the version of story id the deduper holds, 0 if none.
func (d *Deduper) Holds(id string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if e, ok := d.mem.story(hkey(id)); ok && !e.copy {
		return e.version
	}
	return 0
}

// Forget makes the deduper decide again the stories of a write whose
// commit may have reached the state log in part (a crash or a fenced
// append part-way: the log may hold a story's entries without the events
// it joined), and returns the entries that record it, to commit before
// any decision made after it. A new story (version 1) is forgotten with
// its signature and aliases, so its item is new again; a revision keeps
// its id, first-seen time and version but not its text, so its item is a
// revision again, numbered after the version the log holds. Call it
// before any Txn begins.
func (d *Deduper) Forget(stories []Carried) []state.Entry {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []state.Entry
	tomb := func(t state.Table, k uint64) {
		out = append(out, state.Entry{Table: t, Key: keyBytes(k)})
	}
	gone := map[uint64]bool{}
	for _, c := range stories {
		k := hkey(c.ID)
		e, ok := d.mem.story(k)
		if ok && e.version > c.Version {
			continue // the log holds a later decision: the note is stale
		}
		if c.Version > 1 {
			if ok {
				e.content = 0 // no text hashes to it (hkey of a content hash)
				d.mem.put(k, e)
				out = append(out, state.Entry{Table: state.Stories, Key: keyBytes(k), Value: encodeSeen(nil, e)})
			}
			continue
		}
		gone[k] = true
		if ok {
			d.mem.del(k)
			tomb(state.Stories, k)
		}
		d.dropSignature(k, tomb)
	}
	if len(gone) > 0 {
		d.dropAliases(func(k uint64, s uint32) bool { return gone[d.mem.aliasStory(k, s)] }, tomb)
	}
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	return out
}

// aged is a live story or copy a prune may evict.
type aged struct {
	last int64
	key  uint64 // a copy's; a story's once spelt (0 before)
	slot int32  // a story's slot in memory.stories; -1 for a copy
}

// oldest returns the n entries of es (n ≤ len(es)) least recently seen,
// ordered by last-seen time and then key: the prune's eviction order. It
// sorts es by time alone, then spells the keys (m's story records) only
// of the entries up to the end of the n-th one's second and sorts those
// by time and key. It reorders es.
func oldest(es []aged, n int, m *memory) []aged {
	slices.SortFunc(es, func(a, b aged) int { return cmp.Compare(a.last, b.last) })
	end := n
	for end < len(es) && es[end].last == es[n-1].last {
		end++
	}
	head := es[:end]
	for i := range head {
		if head[i].key == 0 {
			head[i].key = m.rec(uint32(head[i].slot)).key()
		}
	}
	slices.SortFunc(head, func(a, b aged) int { return cmp.Or(cmp.Compare(a.last, b.last), cmp.Compare(a.key, b.key)) })
	return head[:n]
}
