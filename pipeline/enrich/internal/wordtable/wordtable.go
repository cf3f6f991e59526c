// Package wordtable is the word table enrichment's stages share: every
// word that a stage's lists hold, with what those lists say of it, in one
// map. Each word of a story is looked up in it once (Note), before any
// stage reads the story, and carries its entry's number in Token.Word;
// a stage then reads the word's facts from the entry (Of) where it probed
// its own map for the same word, as language detection (the stopword
// lists), entity recognition (its word sets) and keyword collection (its
// word lists) each did for every word.
//
// A stage's column is given by the stage itself (ProvideEntity,
// ProvideKeyword), in its package's initialisation, so that this package
// imports no stage; the table is built on first use, after every package
// has initialised.
package wordtable

import (
	"hash/maphash"
	"sync"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Entry is what the lists say of one lower-case word.
type Entry struct {
	// Stop is the languages whose stopword lists hold the word
	// (stopwords.Langs).
	Stop stopwords.Set
	// Entity is the entity recognizer's bits of the word: which of its
	// word sets hold it (its own encoding; see ProvideEntity).
	Entity uint32
	// Keyword is the keyword collector's bits of the word: which of its
	// word lists hold it (its own encoding; see ProvideKeyword).
	Keyword uint32
}

// none is the entry number of a word noted and in no list: its entry is
// zero. Word 0 means not noted.
const none = 1

var entityColumn, keywordColumn func() map[string]uint32

// ProvideEntity gives the entity recognizer's column: each word of its
// sets with its bits. It is called once, from a package initialisation,
// before the table is first used.
func ProvideEntity(column func() map[string]uint32) { entityColumn = column }

// ProvideKeyword gives the keyword collector's column, as ProvideEntity
// the recognizer's.
func ProvideKeyword(column func() map[string]uint32) { keywordColumn = column }

type table struct {
	ids     map[string]uint16
	entries []Entry
	// shapes holds every key's shape: most of a story's words are in no
	// list, told without hashing them into ids.
	shapes shapes.Set
}

var get = sync.OnceValue(build)

func build() *table {
	t := &table{ids: map[string]uint16{}, entries: make([]Entry, none+1)}
	entry := func(w string) *Entry {
		id, ok := t.ids[w]
		if !ok {
			if len(t.entries) > 1<<16-1 {
				panic("wordtable: more words than Token.Word numbers") // build defect
			}
			id = uint16(len(t.entries))
			t.ids[w] = id
			t.entries = append(t.entries, Entry{})
			t.shapes.Add(w)
		}
		return &t.entries[id]
	}
	for w, s := range stopwords.All() {
		entry(w).Stop = s
	}
	if entityColumn != nil {
		for w, b := range entityColumn() {
			if b != 0 {
				entry(w).Entity = b
			}
		}
	}
	if keywordColumn != nil {
		for w, b := range keywordColumn() {
			if b != 0 {
				entry(w).Keyword = b
			}
		}
	}
	return t
}

// Note numbers each word of ts by its Lower's entry: one lookup a word,
// for every stage that reads the words after it.
func Note(ts []tokens.Token) {
	t := get()
	for i := range ts {
		ts[i].Word = t.entryOf(ts[i].Lower)
	}
}

// entryOf is the entry number of the lower-case word w.
func (t *table) entryOf(w string) uint16 {
	if t.shapes.MayHold(w) {
		if n, ok := t.ids[w]; ok {
			return n
		}
	}
	return none
}

// Story numbers the words of one story (Token.ID) as Note does their
// entries: a word's text is hashed once a story, into a table as small as
// the story's vocabulary, and the word table (tens of thousands of words,
// whose probes miss the cache) is looked up once a distinct word rather
// than once a word. A Story is reused story after story (Reset); it is
// not safe for concurrent use.
type Story struct {
	// slots is an open-addressing table of IDs (0: empty), at most half
	// full: a Go map hashed and probed every word of a story cost three
	// times what Note's probes of the word table did.
	slots []uint32
	texts []string // by ID: the word's Lower; texts[0] unused
	words []uint16 // by ID: the word's entry number
}

var seed = maphash.MakeSeed()

// Note numbers each word of ts with its story ID and its entry: the
// words of every field of the story, one field after the other, with the
// same Story.
func (s *Story) Note(ts []tokens.Token) {
	t := get()
	if len(s.texts) == 0 {
		s.slots, s.texts, s.words = make([]uint32, 256), []string{""}, []uint16{0}
	}
	for i := range ts {
		w := ts[i].Lower
		id := s.idOf(w)
		if id == 0 {
			id = s.insert(w, t.entryOf(w))
		}
		ts[i].ID, ts[i].Word = id, s.words[id]
	}
}

// idOf is w's ID, 0 when w was not noted.
func (s *Story) idOf(w string) uint32 {
	mask := uint64(len(s.slots) - 1)
	for i := maphash.String(seed, w) & mask; ; i = (i + 1) & mask {
		id := s.slots[i]
		if id == 0 || s.texts[id] == w {
			return id
		}
	}
}

// insert numbers w, not noted yet, with its entry.
func (s *Story) insert(w string, entry uint16) uint32 {
	if 2*len(s.texts) > len(s.slots) {
		s.grow()
	}
	id := uint32(len(s.texts))
	s.texts, s.words = append(s.texts, w), append(s.words, entry)
	s.place(w, id)
	return id
}

// place puts id, w's, in its first empty slot.
func (s *Story) place(w string, id uint32) {
	mask := uint64(len(s.slots) - 1)
	i := maphash.String(seed, w) & mask
	for s.slots[i] != 0 {
		i = (i + 1) & mask
	}
	s.slots[i] = id
}

func (s *Story) grow() {
	s.slots = make([]uint32, 2*len(s.slots))
	for id, w := range s.texts[1:] {
		s.place(w, uint32(id+1))
	}
}

// Reset forgets the story's words (their texts too), keeping the
// storage for the next story.
func (s *Story) Reset() {
	if len(s.texts) == 0 {
		return
	}
	clear(s.slots)
	clear(s.texts)
	s.texts, s.words = s.texts[:1], s.words[:1]
}

// Of is the entry of a noted word (tok.Word != 0): the facts of its Lower.
func Of(tok tokens.Token) *Entry { return &get().entries[tok.Word] }
