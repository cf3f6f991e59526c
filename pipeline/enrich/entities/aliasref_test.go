package entities

// refAliasMap is the surname map as it was before round 39 (each
// surname's full names a map of pointers), kept as the reference the
// map of slices is driven against (aliasref_test.go's test): the same
// stream must give the same answers, change records and snapshots.

import (
	"encoding/binary"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/wirestream/wirestream/pipeline/state"
)

// refAliasMap learns, across stories, which full name a bare surname usually
// means ("Starmer" → Keir Starmer), so a headline that says only
// "Starmer" still gets the right key; a two-word name's given name is
// learned the same way ("Miley" → Miley Cyrus; round 36), in the same
// table, so a word that is one person's given name and another's surname
// answers only when one of them dominates. It answers only when one full name
// has been seen at least minSeen times and holds at least dominance of the
// surname's sightings: "Johnson" stays unresolved while Boris and Dan
// Johnson are both in the news.
//
// Memory is bounded: past capacity surnames, the map forgets the least
// recently observed. Safe for concurrent use.
type refAliasMap struct {
	mu       sync.Mutex
	capacity int
	tick     uint64
	m        map[string]*refSurname

	// Surnames changed since the state log was last told (state.go), kept
	// only while tracking.
	track bool
	dirty map[string]struct{}
	// The log form of the record of each surname forgotten since then
	// (state.go): Changes drops that record, and an entry made again
	// under the word in the other form drops it when it moves.
	forgotten map[string]entryForm
	// shadow: while a restore reads a log that holds both forms of a
	// word, the earlier form's record (Load), which the entry is again if
	// a tombstone drops the later one; empty after Restored.
	shadow map[string]*refSurname
}

type refSurname struct {
	last  uint64
	total int
	names map[string]*refFullName
	// logged is the form of the state log's record of the entry
	// (state.go): none yet, under the plain word, under the body's form,
	// or under both (a restore met both), so that Changes drops the record
	// the entry no longer has.
	logged entryForm
}

type refFullName struct {
	name  string
	count int
}

// newRefAliasMap returns an empty map holding at most capacity surnames.
func newRefAliasMap(capacity int) *refAliasMap {
	return &refAliasMap{capacity: capacity, m: make(map[string]*refSurname), shadow: map[string]*refSurname{}}
}

// Observe records that the folded surname was seen as part of key's name.
func (a *refAliasMap) Observe(last, key, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.observe(last, key, name)
}

// observe is Observe with a.mu held.
func (a *refAliasMap) observe(last, key, name string) {
	a.tick++
	s, ok := a.m[last]
	if !ok {
		if len(a.m) >= a.capacity {
			a.evict()
		}
		s = &refSurname{names: map[string]*refFullName{}, logged: a.forgotten[last]}
		a.m[strings.Clone(last)] = s // a slice of the story's text would keep the whole text
	}
	s.last = a.tick
	s.total++
	a.touched(last)
	f, ok := s.names[key]
	if !ok {
		if len(s.names) >= maxNamesPerSurname {
			return
		}
		f = &refFullName{name: strings.Clone(name)}
		s.names[strings.Clone(key)] = f
	}
	f.count++
}

// ObserveAlone records that the folded word was seen as a person's whole
// name of one word ("Beyonce"), unless the word's entry holds another name:
// a one-word reading of a word the stream knows in a full name ("Carney"
// where no earlier story named Mark Carney twice yet) would take the
// surname from the full name (Resolve's dominance) without being another
// person.
func (a *refAliasMap) ObserveAlone(word, key, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.m[word]; ok {
		for k := range s.names {
			if k != key {
				return
			}
		}
	}
	a.observe(word, key, name)
}

// evict drops the least recently observed tenth, so eviction cost is
// amortised over many inserts.
func (a *refAliasMap) evict() {
	n := max(1, len(a.m)/10)
	// Find the n-th smallest tick by a simple threshold sweep: ticks are
	// dense, so the oldest n are those below tick - (len - n) roughly;
	// an exact sort is not worth it here.
	cut := a.tick - uint64(len(a.m)-n)
	for k, s := range a.m {
		if s.last <= cut {
			delete(a.m, k)
			a.forgot(k, s)
		}
	}
	if len(a.m) >= a.capacity { // ticks were not dense: drop arbitrary ones
		for k, s := range a.m {
			delete(a.m, k)
			a.forgot(k, s)
			n--
			if n <= 0 {
				break
			}
		}
	}
}

// Resolve returns the dominant full name for a folded surname.
func (a *refAliasMap) Resolve(last string) (key, name string, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, found := a.m[last]
	if !found {
		return "", "", false
	}
	for k, f := range s.names {
		if f.count >= minSeen && float64(f.count) >= dominance*float64(s.total) {
			return k, f.name, true
		}
	}
	return "", "", false
}

// Len is the number of surnames held.
func (a *refAliasMap) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.m)
}
func (a *refAliasMap) touched(last string) {
	if a.track {
		a.dirty[last] = struct{}{}
	}
}

// forgot records that the entry s of last was forgotten.
func (a *refAliasMap) forgot(last string, s *refSurname) {
	a.touched(last)
	if a.track && s.logged != formNone {
		a.forgotten[last] = s.logged
	}
}

// TrackChanges turns on (or off) the record of changed surnames.
func (a *refAliasMap) TrackChanges(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.track = on
	if a.dirty == nil {
		a.dirty = map[string]struct{}{}
		a.forgotten = map[string]entryForm{}
	}
}

// Reset forgets every surname and the observation counter, as
// newRefAliasMap left the map; change tracking stays as it was.
func (a *refAliasMap) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tick = 0
	a.m = make(map[string]*refSurname)
	clear(a.dirty) // nil until TrackChanges: clear does nothing then
	clear(a.forgotten)
	clear(a.shadow)
}

// Changes calls fn for every surname changed since the last call, in
// order, with its log key (logKey) and encoded entry, and a nil value for
// a record the entry no longer has (forgotten, or moved to the other
// form), and returns the observation counter.
func (a *refAliasMap) Changes(fn func(key string, value []byte)) uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, k := range slices.Sorted(maps.Keys(a.dirty)) {
		s, ok := a.m[k]
		if !ok {
			fn(k, nil)
			if f := a.forgotten[k]; f == formBody || f == formBoth {
				fn(logKey(k, formBody), nil)
			}
			continue
		}
		form := s.form()
		fn(logKey(k, form), s.encode())
		if s.logged != formNone && s.logged != form {
			fn(logKey(k, form.other()), nil)
		}
		s.logged = form
	}
	clear(a.dirty)
	clear(a.forgotten)
	return a.tick
}

// Each calls fn for every surname with its encoded entry, for a snapshot,
// and returns the observation counter.
func (a *refAliasMap) Each(fn func(surname string, value []byte) error) (uint64, error) {
	a.mu.Lock()
	vals := make(map[string][]byte, len(a.m))
	for k, s := range a.m {
		vals[logKey(k, s.form())] = s.encode()
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

// Load restores a surname's entry from its log key (nil value: forgets
// it). When the log holds both forms of one word (a release before round
// 37 wrote the plain word between two that know the body's form), the
// later record wins until a tombstone drops one of them (the other form's
// record, kept aside in a.shadow until Restored, is the entry again when
// the tombstone drops the later one: the log then holds it alone); Restored then
// marks an entry whose records are not its form's, so that the next
// Changes writes it so — as it moves a record round 36 wrote under the
// plain word for a body.
func (a *refAliasMap) Load(key string, value []byte) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	last, form := key, formPlain
	if w, ok := strings.CutPrefix(key, bodyEntryPrefix); ok {
		last, form = w, formBody
	}
	prev, had := a.m[last]
	// kept: the other form's record Load kept aside for an entry the log holds in both; nil
	// after Restored, which drops them while the entry stays marked so until Changes.
	kept := a.shadow[last]
	if value == nil {
		switch {
		case had && prev.logged == form:
			delete(a.m, last)
		case had && prev.logged == formBoth && (kept == nil || kept.logged == form):
			delete(a.shadow, last) // the earlier form's record is gone (or, nothing kept aside, the tombstoned one)
			prev.logged = form.other()
		case had && prev.logged == formBoth:
			a.m[last] = kept // the later record is gone: the earlier one is the entry
			delete(a.shadow, last)
		}
		return nil
	}
	d := state.Decoder{B: value}
	s := &refSurname{last: d.Uvarint(), total: int(d.Uvarint()), names: map[string]*refFullName{}, logged: form}
	for range d.Count() {
		key, name := d.String(), d.String()
		s.names[key] = &refFullName{name: name, count: int(d.Uvarint())}
	}
	if err := d.End(); err != nil {
		return err
	}
	switch {
	case had && prev.logged == formBoth && kept != nil && kept.logged == form:
		prev.logged = form.other() // the entry's record so far becomes the other form's
		a.shadow[last] = prev
		s.logged = formBoth
	case had && prev.logged == formBoth:
		s.logged = formBoth // a later record of the same form as the entry's
	case had && prev.logged != form:
		a.shadow[last] = prev
		s.logged = formBoth
	}
	a.m[last] = s
	return nil
}

// Restored marks changed every entry the log does not hold in its form
// alone (Load), once the whole log is read.
func (a *refAliasMap) Restored() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, s := range a.m {
		if s.logged != s.form() {
			a.touched(k)
		}
	}
	clear(a.shadow)
}

// LoadTick restores the observation counter.
func (a *refAliasMap) LoadTick(tick uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tick = tick
}

func (s *refSurname) encode() []byte {
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

func (s *refSurname) form() entryForm {
	for k := range s.names {
		if kindOfKey(k) != Person {
			return formBody
		}
	}
	return formPlain
}
