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
// signatures whose story time is before the window, then the aliases whose
// story is gone, and returns the tombstones that record it. SeenTTL and
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
		if x.has(k) && d.owners[k] == nil {
			x.remove(k)
			tomb(state.Fingerprints, k)
		}
	}

	cutoff := d.seenCutoff()
	type aged struct {
		last int64
		key  uint64
	}
	var keep []aged
	var expired []uint64
	sort := func(key uint64, last uint32) {
		switch {
		case key == 0:
		case int64(last) < cutoff:
			expired = append(expired, key)
		default:
			keep = append(keep, aged{int64(last), key})
		}
	}
	for _, r := range m.stories {
		sort(r.key, r.last)
	}
	for _, r := range m.copies {
		sort(r.key, r.last)
	}
	for _, k := range expired {
		dropStory(k)
	}
	ps.Stories = len(expired)
	if over := len(keep) - d.bounds.MaxEntries; over > 0 {
		slices.SortFunc(keep, func(a, b aged) int { return cmp.Or(cmp.Compare(a.last, b.last), cmp.Compare(a.key, b.key)) })
		for _, e := range keep[:over] {
			dropStory(e.key)
		}
		ps.Evicted = over
	}
	keep = nil

	for _, k := range x.expire(d.clock - int64(d.cfg.Window)) {
		tomb(state.Fingerprints, k)
		ps.Fingerprints++
	}

	var gone []uint64
	m.aliases.each(func(k, story uint64) bool {
		if _, live := m.story(story); !live {
			gone = append(gone, k)
		}
		return true
	})
	for _, k := range gone {
		m.aliases.del(k)
		tomb(state.Aliases, k)
	}
	ps.Aliases = len(gone)
	d.m.IndexEntries.Set(float64(x.Len()))
	return tombstones, ps, true
}
