package entities

import (
	"encoding/binary"
	"maps"
	"slices"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The learned surname map as the state log keeps it: one entry per
// surname (when it was last observed, how often, the full names seen with
// it) and the observation counter. The enrich package keys them.

func (a *AliasMap) touched(last string) {
	if a.track {
		a.dirty[last] = struct{}{}
	}
}

// Aliases is the extractor's learned surname map.
func (x *Extractor) Aliases() *AliasMap { return x.aliases }

// TrackChanges turns on (or off) the record of changed surnames.
func (a *AliasMap) TrackChanges(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.track = on
	if a.dirty == nil {
		a.dirty = map[string]struct{}{}
	}
}

// Reset forgets every surname and the observation counter, as
// NewAliasMap left the map; change tracking stays as it was.
func (a *AliasMap) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tick = 0
	a.m = make(map[string]*surname)
	clear(a.dirty) // nil until TrackChanges: clear does nothing then
}

// Changes calls fn for every surname changed since the last call, in
// order, with its encoded entry (nil: forgotten), and returns the
// observation counter.
func (a *AliasMap) Changes(fn func(surname string, value []byte)) uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, k := range slices.Sorted(maps.Keys(a.dirty)) {
		var v []byte
		if s, ok := a.m[k]; ok {
			v = s.encode()
		}
		fn(k, v)
	}
	clear(a.dirty)
	return a.tick
}

// Each calls fn for every surname with its encoded entry, for a snapshot,
// and returns the observation counter.
func (a *AliasMap) Each(fn func(surname string, value []byte) error) (uint64, error) {
	a.mu.Lock()
	vals := make(map[string][]byte, len(a.m))
	for k, s := range a.m {
		vals[k] = s.encode()
	}
	tick := a.tick
	a.mu.Unlock()
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		if err := fn(k, vals[k]); err != nil {
			return tick, err
		}
	}
	return tick, nil
}

// Load restores a surname's entry (nil value: forgets it).
func (a *AliasMap) Load(last string, value []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if value == nil {
		delete(a.m, last)
		return nil
	}
	d := state.Decoder{B: value}
	s := &surname{last: d.Uvarint(), total: int(d.Uvarint()), names: map[string]*fullName{}}
	for range d.Count() {
		key, name := d.String(), d.String()
		s.names[key] = &fullName{name: name, count: int(d.Uvarint())}
	}
	if err := d.End(); err != nil {
		return err
	}
	a.m[last] = s
	return nil
}

// LoadTick restores the observation counter.
func (a *AliasMap) LoadTick(tick uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tick = tick
}

func (s *surname) encode() []byte {
	b := binary.AppendUvarint(nil, s.last)
	b = binary.AppendUvarint(b, uint64(s.total))
	keys := slices.Sorted(maps.Keys(s.names))
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		f := s.names[k]
		b = binary.AppendUvarint(state.AppendString(state.AppendString(b, k), f.name), uint64(f.count))
	}
	return b
}

// bodyEntryPrefix opens the log's key of an entry that holds a body: a
// folded word is one token, never holding a space, so no release looks
// such a key up by a word.
const bodyEntryPrefix = "body "
