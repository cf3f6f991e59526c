// Package wordtable is the word table enrichment's stages share: every
// word that a stage's lists hold, with what those lists say of it, in one
// map. Each word of a story is looked up in it once (Note), before any
// stage reads the story, and carries its entry's number in Token.Word;
// a stage then reads the word's facts from the entry (Of) where it probed
// its own map for the same word, as language detection (the stopword
// lists), entity recognition (its word sets), keyword collection (its
// word lists) and topic scoring (its lexicons' words) each did for every
// word.
//
// A stage's column is given by the stage itself (ProvideEntity,
// ProvideKeyword, ProvideTopic), in its package's initialisation, so
// that this package imports no stage; the table is built on first use,
// after every package has initialised.
package wordtable

import (
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
	Keyword uint16
	// Topic is the topic scorer's number of the word, 0 for none: which
	// word of its lexicons it is (see ProvideTopic). 16 bits each, so that
	// an entry stays 16 bytes.
	Topic uint16
}

// none is the entry number of a word noted and in no list: its entry is
// zero. Word 0 means not noted.
const none = 1

var entityColumn, keywordColumn, topicColumn func() map[string]uint32

// ProvideEntity gives the entity recognizer's column: each word of its
// sets with its bits. It is called once, from a package initialisation,
// before the table is first used.
func ProvideEntity(column func() map[string]uint32) { entityColumn = column }

// ProvideKeyword gives the keyword collector's column, as ProvideEntity
// the recognizer's.
func ProvideKeyword(column func() map[string]uint32) { keywordColumn = column }

// ProvideTopic gives the topic scorer's column: each word of its lexicons
// with its number, as ProvideEntity the recognizer's.
func ProvideTopic(column func() map[string]uint32) { topicColumn = column }

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
				entry(w).Keyword = narrow(b, "keyword")
			}
		}
	}
	if topicColumn != nil {
		for w, n := range topicColumn() {
			if n != 0 {
				entry(w).Topic = narrow(n, "topic")
			}
		}
	}
	return t
}

// narrow is v as a 16-bit column's value (Entry.Keyword, Entry.Topic). A
// column that outgrew 16 bits is a defect of the build, not of a story,
// so the table's first use panics rather than keep a wrong value.
func narrow(v uint32, column string) uint16 {
	if v > 1<<16-1 {
		panic("wordtable: the " + column + " column's value is past 16 bits") // build defect
	}
	return uint16(v)
}

// Note numbers each word of ts by its Lower's entry: one lookup a word,
// for every stage that reads the words after it.
func Note(ts []tokens.Token) {
	t := get()
	for i := range ts {
		w := ts[i].Lower
		id := uint16(none)
		if t.shapes.MayHold(w) {
			if n, ok := t.ids[w]; ok {
				id = n
			}
		}
		ts[i].Word = id
	}
}

// Of is the entry of a noted word (tok.Word != 0): the facts of its Lower.
func Of(tok tokens.Token) *Entry { return &get().entries[tok.Word] }

// Entries are every entry by number: Entries()[tok.Word] is Of(tok), for
// a stage that reads many words' entries and fetches the table once.
func Entries() []Entry { return get().entries }
