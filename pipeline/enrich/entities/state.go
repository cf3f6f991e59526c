package entities

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The learned surname map as the state log keeps it: one entry per
// surname (when it was last observed, how often, the full names seen with
// it) and the observation counter. The enrich package keys them. An entry
// that holds a body (a word a body was named by, round 36) is kept under
// bodyEntryPrefix and the word, where no release before round 37 reads it.

func (a *AliasMap) touched(last string) {
	if a.track {
		a.dirty[last] = struct{}{}
	}
}

// forgot records that the entry s of last was forgotten.
func (a *AliasMap) forgot(last string, s *surname) {
	a.touched(last)
	if a.track && s.logged != formNone {
		a.forgotten[last] = s.logged
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
		a.forgotten = map[string]entryForm{}
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
	clear(a.forgotten)
	clear(a.shadow)
}

// ChangesBound is at most how many entries the next Changes gives: two a
// changed surname at most (its record, and the other form's or the
// body's tombstone).
func (a *AliasMap) ChangesBound() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return 2 * len(a.dirty)
}

// Changes calls fn for every surname changed since the last call, in
// order, with its log key (logKey) and encoded entry, and a nil value for
// a record the entry no longer has (forgotten, or moved to the other
// form), and returns the observation counter.
func (a *AliasMap) Changes(fn func(key string, value []byte)) uint64 {
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
func (a *AliasMap) Each(fn func(surname string, value []byte) error) (uint64, error) {
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
func (a *AliasMap) Load(key string, value []byte) error {
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
	s := &surname{last: d.Uvarint(), logged: form}
	total := d.Uvarint()
	if total > math.MaxInt {
		// a damaged or foreign log's: read as a negative total it made
		// any name seen twice dominant (Resolve)
		return fmt.Errorf("surname %q: total %d past int", last, total)
	}
	s.total = int(total)
	for range d.Count() {
		key, name := d.String(), d.String()
		n := d.Uvarint()
		if n > math.MaxInt {
			return fmt.Errorf("surname %q: count of %q %d past int", last, key, n)
		}
		count := int(n)
		if i := s.find(key); i >= 0 { // a key twice: the later one, as the map's assignment was
			s.names[i] = newFullName(key, name, count)
			continue
		}
		if len(s.names) >= maxNamesPerSurname {
			// as observe: no entry the map writes holds more, and find
			// is a scan, so a damaged log's thousands would make Load
			// quadratic
			continue
		}
		s.names = append(s.names, newFullName(key, name, count))
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
func (a *AliasMap) Restored() {
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
func (a *AliasMap) LoadTick(tick uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tick = tick
}

func (s *surname) encode() []byte {
	b := binary.AppendUvarint(nil, s.last)
	b = binary.AppendUvarint(b, uint64(s.total))
	order := make([]int, len(s.names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return strings.Compare(s.names[i].key, s.names[j].key) })
	b = binary.AppendUvarint(b, uint64(len(order)))
	for _, i := range order {
		f := &s.names[i]
		b = binary.AppendUvarint(state.AppendString(state.AppendString(b, f.key), f.name), uint64(f.count))
	}
	return b
}

// bodyEntryPrefix opens the log's key of an entry that holds a body: a
// folded word is one token, never holding a space, so no release looks
// such a key up by a word. A release before round 36 read every full
// name of an entry as a person (its resolve knew no other kind), so
// rolling back to it over a log that kept "organization:sbarro" under
// "sbarro" made a bare "Sbarro" a person; under this key such a release
// loads the entry and never reads it (its people sharing the word with a
// body are not answered there: a name less, no wrong kind).
const bodyEntryPrefix = "body "

// entryForm is where the log keeps an entry: under its plain word (only
// people) or under bodyEntryPrefix (a body among its full names).
type entryForm uint8

const (
	formNone entryForm = iota
	formPlain
	formBody
	formBoth
)

func (f entryForm) other() entryForm {
	if f == formBody {
		return formPlain
	}
	return formBody
}

// form is the log form the entry's full names call for.
func (s *surname) form() entryForm {
	for i := range s.names {
		if kindOfKey(s.names[i].key) != Person {
			return formBody
		}
	}
	return formPlain
}

// logKey is the log key of word's entry in the form.
func logKey(word string, form entryForm) string {
	if form == formBody {
		return bodyEntryPrefix + word
	}
	return word
}
