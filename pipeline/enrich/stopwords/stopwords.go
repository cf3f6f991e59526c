// Package stopwords owns wirestream's embedded per-language stopword
// lists: the function words (articles, pronouns, prepositions, auxiliaries,
// weekday names, "said") that carry no topic. Keyword extraction drops
// them, the entity recognizer uses them to reject sentence-initial capitals,
// and language detection reads them as evidence, because function words are
// the most frequent and most language-specific words in any news text.
//
// Lists are lowercase, one word per whitespace-separated token, in
// lists/<bcp47>.txt; they are parsed once on first use and never change.
package stopwords

import (
	"embed"
	"sort"
	"strings"
	"sync"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
)

//go:embed lists/*.txt
var files embed.FS

var (
	once   sync.Once
	byLang map[string]map[string]struct{}
	// owners maps a word to the languages listing it, for detection.
	owners map[string][]string
	// masks maps a word to the languages listing it as a Set.
	masks map[string]Set
	bits  map[string]Set
	// listedShapes holds the shape of every listed word: most content words
	// are in no list, told without hashing them into a map (detection,
	// keywords and entities ask of every word).
	listedShapes shapes.Set
)

// Set is a set of languages, one bit each: the languages whose lists hold
// a word, tested against a language's Bit with one map lookup for all.
type Set uint64

func load() {
	byLang = make(map[string]map[string]struct{})
	owners = make(map[string][]string)
	masks = make(map[string]Set)
	bits = make(map[string]Set)
	entries, err := files.ReadDir("lists")
	if err != nil {
		panic("stopwords: embedded lists missing: " + err.Error()) // build defect, not input
	}
	for _, e := range entries {
		lang := strings.TrimSuffix(e.Name(), ".txt")
		if len(bits) == 64 {
			panic("stopwords: more than 64 embedded lists") // build defect
		}
		bit := Set(1) << len(bits)
		bits[lang] = bit
		b, err := files.ReadFile("lists/" + e.Name())
		if err != nil {
			panic("stopwords: read embedded " + e.Name() + ": " + err.Error())
		}
		set := make(map[string]struct{})
		for _, w := range strings.Fields(string(b)) {
			w = strings.ToLower(w)
			if _, dup := set[w]; dup {
				continue
			}
			set[w] = struct{}{}
			listedShapes.Add(w)
			owners[w] = append(owners[w], lang)
			masks[w] |= bit
		}
		byLang[lang] = set
	}
}

// Languages returns the languages that have a list, sorted.
func Languages() []string {
	once.Do(load)
	out := make([]string, 0, len(byLang))
	for l := range byLang {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Is reports whether the lowercase word is a stopword in lang. For a
// language without a list it is always false.
func Is(lang, word string) bool {
	once.Do(load)
	if !listedShapes.MayHold(word) {
		return false
	}
	_, ok := byLang[lang][word]
	return ok
}

// IsBytes is Is of a word in a buffer: the lookup does not copy it.
func IsBytes(lang string, word []byte) bool {
	once.Do(load)
	if !listedShapes.MayHold(string(word)) { // the conversion does not escape: no allocation
		return false
	}
	_, ok := byLang[lang][string(word)]
	return ok
}

// IsAny reports whether the lowercase word is a stopword in any language.
// Used where the language is unknown or mixed (e.g. a headline quoting a
// foreign phrase).
func IsAny(word string) bool {
	once.Do(load)
	if !listedShapes.MayHold(word) {
		return false
	}
	return len(owners[word]) > 0
}

// Owners returns the languages whose list holds the lowercase word. The
// slice is shared: do not modify it.
func Owners(word string) []string {
	once.Do(load)
	if !listedShapes.MayHold(word) {
		return nil
	}
	return owners[word]
}

// Bit returns lang's member of a Set; 0 for a language without a list.
func Bit(lang string) Set {
	once.Do(load)
	return bits[lang]
}

// Langs returns the set of languages whose lists hold the lowercase word:
// Is(lang, word) is Langs(word)&Bit(lang) != 0.
func Langs(word string) Set {
	once.Do(load)
	if !listedShapes.MayHold(word) {
		return 0
	}
	return masks[word]
}

// All returns every listed word with the languages listing it, for a
// caller that merges the lists into a table of its own. The map is
// shared: do not modify it.
func All() map[string]Set {
	once.Do(load)
	return masks
}
