package entities

import (
	"strings"
	"sync"
)

// AliasMap learns, across stories, which full name a bare surname usually
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
type AliasMap struct {
	mu       sync.Mutex
	capacity int
	tick     uint64
	m        map[string]*surname

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
	shadow map[string]*surname
}

type surname struct {
	last  uint64
	total int
	// names are the full names seen with the word, at most
	// maxNamesPerSurname, in the order first seen (no reader depends on
	// the order: encode sorts them, and at most one can hold dominance of
	// the sightings). A slice of values, not a map of pointers: a small Go
	// map is a group of eight slots, ≈ 430 B a surname with its objects
	// (round 39, BenchmarkAliasBytesPerSurname).
	names []fullName
	// logged is the form of the state log's record of the entry
	// (state.go): none yet, under the plain word, under the body's form,
	// or under both (a restore met both), so that Changes drops the record
	// the entry no longer has.
	logged entryForm
}

// fullName is one full name of a surname: its entity key and its name,
// both slices of one string of the map's own (key then name), and how
// often it was seen.
type fullName struct {
	key, name string
	count     int
}

// newFullName is a fullName of key and name with its own copy of both,
// in one allocation: a slice of a story's text would keep the whole text.
func newFullName(key, name string, count int) fullName {
	both := strings.Clone(key + name) // one allocation: the concatenation's own is temporary
	return fullName{key: both[:len(key)], name: both[len(key):], count: count}
}

// find is the index of key's full name in s.names, or -1.
func (s *surname) find(key string) int {
	for i := range s.names {
		if s.names[i].key == key {
			return i
		}
	}
	return -1
}

const (
	minSeen   = 2
	dominance = 0.75
	// maxNamesPerSurname bounds one surname's candidates ("Smith").
	maxNamesPerSurname = 8
)

// NewAliasMap returns an empty map holding at most capacity surnames.
func NewAliasMap(capacity int) *AliasMap {
	return &AliasMap{capacity: capacity, m: make(map[string]*surname), shadow: map[string]*surname{}}
}

// Observe records that the folded surname was seen as part of key's name.
func (a *AliasMap) Observe(last, key, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.observe(last, key, name)
}

// observe is Observe with a.mu held.
func (a *AliasMap) observe(last, key, name string) {
	a.tick++
	s, ok := a.m[last]
	if !ok {
		if len(a.m) >= a.capacity {
			a.evict()
		}
		s = &surname{logged: a.forgotten[last]}
		a.m[strings.Clone(last)] = s // a slice of the story's text would keep the whole text
	}
	s.last = a.tick
	s.total++
	a.touched(last)
	i := s.find(key)
	if i < 0 {
		if len(s.names) >= maxNamesPerSurname {
			return
		}
		if s.names == nil {
			s.names = make([]fullName, 0, 1) // most words have one name
		}
		s.names = append(s.names, newFullName(key, name, 0))
		i = len(s.names) - 1
	}
	s.names[i].count++
}

// ObserveAlone records that the folded word was seen as a person's whole
// name of one word ("Beyonce"), unless the word's entry holds another name:
// a one-word reading of a word the stream knows in a full name ("Carney"
// where no earlier story named Mark Carney twice yet) would take the
// surname from the full name (Resolve's dominance) without being another
// person.
func (a *AliasMap) ObserveAlone(word, key, name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.m[word]; ok {
		for i := range s.names {
			if s.names[i].key != key {
				return
			}
		}
	}
	a.observe(word, key, name)
}

// evict drops the least recently observed tenth, so eviction cost is
// amortised over many inserts.
func (a *AliasMap) evict() {
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
func (a *AliasMap) Resolve(last string) (key, name string, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, found := a.m[last]
	if !found {
		return "", "", false
	}
	for _, f := range s.names {
		if f.count >= minSeen && float64(f.count) >= dominance*float64(s.total) {
			return f.key, f.name, true
		}
	}
	return "", "", false
}

// Len is the number of surnames held.
func (a *AliasMap) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.m)
}
