// Package topics maps a story to one to three top-level IPTC Media Topics
// (politics, sport, economy, …) from its feed categories, its words and its
// entities, offline.
//
// Evidence comes from an embedded lexicon (lexicon/cues.tsv) of cue words
// per topic and language — whole words, prefixes ("vaccin*" for vaccine,
// vaccination, vaccins) and phrases of adjacent words — plus entity hints
// (the Fed is economy, FIFA is sport, a head of government politics). A
// word with several common senses ("game", "party", "record") is a weak
// cue: it weighs half, and it counts only for a topic something else
// supports (a plain cue, an entity, or a second weak cue of that topic);
// alone it is a guess, given at the token score of a story with no
// evidence. A cue's weight is its mark, and a cue is listed once for
// its topic and language: the loader refuses a second listing, which
// would silently add to the first, and a cue it could not read as meant
// (two marks, a mark with no word, an acronym's exclusion, a mark on an
// entity line, a language no story is in), naming the file, the line and
// the cue. For the same reason a word counts
// once for a topic, at the heaviest of the cues that match it — the
// word, its acronym, its prefixes, a phrase it is part of: "musical" is
// music* or musical*, not both; "HBO Go" is one cue, not also "HBO".
// Each entry says the least its form weighs, and the heaviest says it
// for all; a phrase lighter than one of its own words for its topic
// would say a weight it never has, and the loader refuses it. A cue
// written in capitals ("WHO", "AIDS") is an acronym and matches only a
// word written so, never the common word it spells. A cue written with
// a capital first letter ("Spiel*", a German noun) reads only a word
// written so, not the verb its letters also spell ("spielt eine Rolle")
// — where case tells them apart: a sentence's first word and a headline
// in capitals are capitalised whatever they are. A noun opens a German
// headline far more often ("Wahl in Thüringen"): weakening such a cue
// there lost one of the 96 labelled headlines. What tells the verb
// there is its ending: such a cue never reads its own letters plus a
// verb's ending (-t, -st, -et, -est, -te, -ten, -tet, -end:
// "Steuert die Regierung um?", "Spielte er falsch?"), which no German
// noun of a cue's stem is (checked against the ngerman word list; the
// one, "Regent", is excluded anyway), while "Spiele", "Steuern",
// "Spieltag" still count. Not -ende: a cue plus "Ende" is a noun
// ("Spielende", the end of a game) and so is a participle written as
// one ("Unterrichtende"), and the word list, which has few compounds,
// lists neither. An
// exclusion ("-spielfilm*") names words a topic's shorter prefix must
// not read, compounds and names of another sense (a feature film,
// Brandenburg, Wahlberg). A phrase may end in "#", any word with a
// digit: "flight_#" reads Flight 370 and flight MH370, the way news names
// a flight something happened to — not a year ("flight 2025"), and not
// after a science word, a rocket's numbered launch ("Starship Flight 5"). A line of lang "any" is read in every language, but where
// its cue is that language's stopword. An English headline that quotes a work's title in title case
// ("Everyone is still talking about 'Mean Girls'") counts as a weak arts
// cue: a capitalised quote may as well be a slogan, a law or a project.
// An entertainer's name ("Miley Cyrus", "Rihanna") is an arts cue like
// any word: the headline that names only the star and what they did has
// no other evidence. A story of unknown language is read with every language's cues but
// those that are another language's stopwords. Feed categories are read
// with the same lexicon but weigh three times a headline word: an editor
// filed the story there. Headline words weigh twice body words; each cue
// counts at most three times, so one repeated word cannot decide a long
// article.
//
// Scores are each topic's share of all evidence, 0..1. The best topic is
// always returned when there is any evidence; a second and third only when
// they have at least half the best one's evidence. Topics of equal
// evidence are ordered by evidence too — more distinct cues, then the
// stronger single cue, then the cue read first — not by the order they
// are listed in; those it cannot tell apart ("bitcoin" cues economy and
// technology alike) share one score and come out in list order, which
// means nothing. A story with no evidence
// at all gets human interest at a token score, so every story has a topic
// and consumers can tell a guess by its score (Guess).
//
// A Classifier is immutable and safe for concurrent use.
package topics

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/tsv"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/lang"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

//go:embed lexicon/cues.tsv
var cuesTSV string

// Names of the 17 top-level IPTC Media Topics (cv.iptc.org/newscodes/mediatopic).
var Names = map[string]string{
	"01000000": "arts, culture, entertainment and media",
	"02000000": "crime, law and justice",
	"03000000": "disaster, accident and emergency incident",
	"04000000": "economy, business and finance",
	"05000000": "education",
	"06000000": "environment",
	"07000000": "health",
	"08000000": "human interest",
	"09000000": "labour",
	"10000000": "lifestyle and leisure",
	"11000000": "politics",
	"12000000": "religion",
	"13000000": "science and technology",
	"14000000": "society",
	"15000000": "sport",
	"16000000": "conflict, war and peace",
	"17000000": "weather",
}

// Code returns the full code ("medtop:11000000") of a top-level topic id.
func Code(id string) string { return "medtop:" + id }

// fallbackCode is the fallback topic's code.
var fallbackCode = Code(fallbackTopic)

const (
	categoryWeight = 3.0
	titleWeight    = 2.0
	summaryWeight  = 1.5
	bodyWeight     = 1.0
	entityWeight   = 1.5
	maxPerCue      = 3
	fallbackTopic  = "08000000"
	fallbackScore  = 0.05
	bodyLimit      = 8000 // bytes of body read: the lede says what a story is about
	weakWeight     = 0.5  // a weak cue's weight
	// weakAlone is the weight weak cues of one topic need to count with
	// nothing else behind it: two in a headline.
	weakAlone = 2 * weakWeight * titleWeight
)

type cue struct {
	topic  int
	weight float64
	// capital: the cue was written with a capital first letter ("Spiel*",
	// a German noun) and matches only a word written so, never the verb
	// or adjective its letters also spell ("spielt eine Rolle").
	capital bool
	// exclude: the cue was written "-x" or "-x*", a word or the start of
	// words its topic's shorter prefixes must not read ("-spielfilm*":
	// a feature film is no game); it weighs nothing itself.
	exclude bool
}

type lexicon struct {
	// words holds what a word or phrase ("a b", "a b c") cues, in one
	// entry: every token of a story looks it up, once for all three uses.
	words    map[string]*entry
	prefixes map[string][]cue // prefix → cues, looked up by each word's prefixes
	maxPre   int              // longest prefix, in runes
	// heads maps the first three runes of every prefix to the lengths of
	// the prefixes that start so: a word whose start is not there has no
	// prefix to look up, and one whose start is looks up only its prefixes
	// of those lengths.
	heads map[string]prefixLens
	// letterHeads has the bit letterHead(h) set for every head h of heads
	// in three letters a–z, and lens[rank] is heads[h], rank the number
	// of such heads numbered below h (letterRank counts those of the
	// words before h's, a popcount the rest): most words start with such
	// letters, and the bits answer them without hashing (the map lookup
	// was 2 % of enrichment on news text) in 3 KB a lexicon. After every
	// pointer, so the collector's scan of a lexicon stops before them.
	lens        []prefixLens
	letterHeads [(26*26*26 + 63) / 64]uint64
	letterRank  [(26*26*26 + 63) / 64]uint16
	// wordShapes holds the shape of every key of words: a story's word
	// that is no cue's is told so mostly without the map (setWord).
	wordShapes shapes.Set
	// byNumber is words' entry of each word (no phrase) by its number in
	// the shared word table's topic column (embeddedWords), nil for a
	// number lx has no entry of; numbered says every word of words has a
	// number, so that a noted word's number answers words without the map
	// (wordOf). A lexicon read from another file may have words the
	// column lacks: it is not numbered and asks its map.
	byNumber []*entry
	numbered bool
}

// setWord sets words[w]: every write to words goes through it, so that
// wordShapes holds every key.
func (lx *lexicon) setWord(w string, e *entry) {
	lx.words[w] = e
	lx.wordShapes.Add(w)
}

// word is words[w], without the map for most words that are no key.
func (lx *lexicon) word(w string) *entry {
	if !lx.wordShapes.MayHold(w) {
		return nil
	}
	return lx.words[w]
}

// wordOf is lx.word(bare) for bare read from the word t: from t's number
// in the shared word table's topic column (entries, wordtable.Entries)
// when t was noted there and bare is its Lower whole, as it is for most
// words; one read of an entry the stages before read too, where word
// hashed bare into the map.
func (lx *lexicon) wordOf(t *tokens.Token, bare string, entries []wordtable.Entry) *entry {
	if t.Word != 0 && lx.numbered && len(bare) == len(t.Lower) { // bare only cuts t.Lower: same length, same word
		return lx.byNumber[entries[t.Word].Topic]
	}
	return lx.word(bare)
}

// embeddedWords numbers the words the embedded lexicon's lexicons may
// hold (cueWords): the shared word table's topic column.
var embeddedWords = sync.OnceValue(func() map[string]uint32 { return cueWords(cuesTSV) })

// cueWords numbers, 1 on, every word a lexicon of cues (cues.tsv's
// format) may hold as a word, no phrase: each cue's word, and a phrase's
// first, in lower case. It reads the cues, not a parse of them (a second
// parse cost every start ≈ 25 ms of CPU); a word it numbers that no
// lexicon holds costs nothing, and a lexicon with a word it missed is not
// numbered (numberWords) but still exact.
func cueWords(cues string) map[string]uint32 {
	m := make(map[string]uint32, 4096)
	_ = tsv.Each(strings.NewReader(cues), func(_ int, cols []string) error {
		if len(cols) != 3 || cols[1] == "entity" {
			return nil // not a lexicon's: parse says what is wrong
		}
		for _, w := range strings.Fields(cols[2]) {
			if strings.HasSuffix(w, "*") {
				continue // a prefix: no word
			}
			first, _, _ := strings.Cut(strings.TrimLeft(w, "!~-"), "_")
			first = strings.ToLower(first)
			if _, ok := m[first]; !ok {
				m[first] = uint32(len(m) + 1) // in the file's order
			}
		}
		return nil
	})
	return m
}

func init() { wordtable.ProvideTopic(embeddedWords) }

// lexicons are c's lexicons: each language's and the merged one.
func (c *Classifier) lexicons() []*lexicon {
	lxs := []*lexicon{c.general}
	for _, lx := range c.byLang {
		lxs = append(lxs, lx)
	}
	return lxs
}

// numberWords fills each lexicon's byNumber from the shared word table's
// topic column, and numbered when it covers every word.
func (c *Classifier) numberWords() {
	numbers := embeddedWords()
	for _, lx := range c.lexicons() {
		lx.byNumber = make([]*entry, len(numbers)+1)
		lx.numbered = true
		for w, e := range lx.words {
			if strings.Contains(w, " ") {
				continue
			}
			n, ok := numbers[w]
			if !ok {
				lx.numbered = false
				break
			}
			lx.byNumber[n] = e
		}
		if !lx.numbered {
			lx.byNumber = nil
		}
	}
}

// letterHead numbers the head of w when w starts with three letters a–z.
func letterHead(w string) (int, bool) {
	if len(w) < 3 || w[0]-'a' >= 26 || w[1]-'a' >= 26 || w[2]-'a' >= 26 {
		return 0, false
	}
	return int(w[0]-'a')*26*26 + int(w[1]-'a')*26 + int(w[2]-'a'), true
}

// entry is what a word or phrase (in lower case) cues.
type entry struct {
	key      string // the word or phrase: a phrase found in a reused buffer is named by it without a copy
	exact    []cue  // as itself
	acronyms []cue  // as an acronym, when written in capitals
	// first: it is the start (a word, or words) of a longer phrase with
	// exact cues, which is looked up only after it.
	first bool
}

// entry returns w's entry, adding an empty one.
func (lx *lexicon) entry(w string) *entry {
	e := lx.words[w]
	if e == nil {
		e = &entry{key: w}
		lx.setWord(w, e)
	}
	return e
}

// prefixLens is the lengths, in runes, of the prefixes that share a head:
// the longest, and a bit n for each length n (bit 63 for 63 and more).
type prefixLens struct {
	limit int
	bits  uint64
}

func (pl prefixLens) has(n int) bool { return pl.bits&(1<<min(n, 63)) != 0 }

// Classifier assigns topics.
type Classifier struct {
	ids      []string            // the topics' ids, sorted: a topic is its index here
	names    map[string]string   // id → name
	topics   []record.Topic      // by index: code and name, the score left 0
	fallback int                 // the index of fallbackTopic; -1 if it is not one of names
	byLang   map[string]*lexicon // "" = every language merged
	entity   map[string][]cue
	general  *lexicon
	arts     int // the index of arts, culture, entertainment and media
	science  int // the index of science and technology; -1 if it is not one of names
}

// New parses the embedded lexicon.
func New() (*Classifier, error) { return parse("lexicon/cues.tsv", cuesTSV) }

// cueID is what makes two entries of a lexicon the same cue: one topic,
// one language (or "entity"), and the word, prefix or phrase without its
// weight mark, in lower case unless it is an acronym.
type cueID struct {
	topic      int
	lang, word string
}

// topicSet has one bit for each topic's index: the scorer keeps the
// topics a word has cues for, and those a phrase reads it for, in one.
type topicSet uint32

// maxTopics is how many topics a topicSet holds.
const maxTopics = 32

// parse builds a Classifier from a lexicon in the format of cues.tsv,
// named file in its errors, over the IPTC top-level topics.
func parse(file, cues string) (*Classifier, error) { return parseTopics(file, cues, Names) }

// parseTopics is parse over the topics names (id → name).
func parseTopics(file, cues string, names map[string]string) (*Classifier, error) {
	// A topic past the set's bits would be no bit at all (1<<32 of a
	// uint32 is 0): its words would silently count for no topic, or
	// twice for one.
	if len(names) > maxTopics {
		return nil, fmt.Errorf("topics: %s: %d topics, but the scorer holds a story's topics in sets of %d: widen topicSet", file, len(names), maxTopics)
	}
	c := &Classifier{names: names, byLang: map[string]*lexicon{}, entity: map[string][]cue{}}
	idx := map[string]int{}
	for id := range names {
		c.ids = append(c.ids, id)
	}
	sort.Strings(c.ids)
	c.fallback = -1
	for i, id := range c.ids {
		idx[id] = i
		// A record's code and name are built once, not per story.
		c.topics = append(c.topics, record.Topic{Code: Code(id), Name: names[id]})
		if id == fallbackTopic {
			c.fallback = i
		}
	}
	c.arts = idx["01000000"]
	c.science = -1
	if i, ok := idx["13000000"]; ok {
		c.science = i
	}
	all := newLexicon()
	// A cue listed twice counts twice: its weight silently doubles, or
	// a plain and a weak listing add up. The weight belongs in one entry.
	// → the line it was first listed on; sized for every cue at once, so
	// the check costs the loader one allocation, not a map's growth.
	listed := make(map[cueID]int, strings.Count(cues, " ")+strings.Count(cues, "\n"))
	var everyLang []anyCue // the cues of lines of lang "any"
	err := tsv.Each(strings.NewReader(cues), func(line int, cols []string) error {
		if len(cols) != 3 {
			return fmt.Errorf("topics: %s:%d: %d columns, want 3", file, line, len(cols))
		}
		t, ok := idx[cols[0]]
		if !ok {
			return fmt.Errorf("topics: %s:%d: unknown topic %q", file, line, cols[0])
		}
		if cols[1] != "entity" && cols[1] != anyLang && !slices.Contains(lang.Supported, cols[1]) {
			return fmt.Errorf("topics: %s:%d: language %q: no story is in it (languages: %s, any, entity)", file, line, cols[1], strings.Join(lang.Supported, " "))
		}
		for _, w := range strings.Fields(cols[2]) {
			if err := checkCue(w, cols[1]); err != "" {
				return fmt.Errorf("topics: %s:%d: cue %q: %s", file, line, w, err)
			}
			// A phrase is looked up whole, never by prefix: a starred
			// phrase would match nothing.
			if strings.Contains(w, "_") && strings.HasSuffix(w, "*") {
				return fmt.Errorf("topics: %s:%d: phrase %q ends in *: list its forms", file, line, w)
			}
			bare := strings.TrimLeft(w, "!~-")
			if strings.Contains(w, "_") && (strings.HasPrefix(w, "-") || isCapitalised(bare)) {
				return fmt.Errorf("topics: %s:%d: phrase %q is written as an exclusion or a capitalised noun: only a word or prefix can be", file, line, w)
			}
			id := cueID{t, cols[1], strings.ToLower(bare)} // no copy of a word in lower case
			if id.word != bare && isCapitals(bare) {
				id.word = bare
			}
			if first, ok := listed[id]; ok {
				return fmt.Errorf("topics: %s:%d: %q is listed again for %s (%s), first on line %d: give one entry the weight it should have",
					file, line, w, names[cols[0]], cols[1], first)
			}
			listed[id] = line
			if cols[1] == "entity" {
				c.entity[w] = append(c.entity[w], cue{topic: t, weight: 1})
				continue
			}
			if cols[1] == anyLang {
				// Added to every language's lexicon once all are known:
				// a line of "any" may come before a language's first.
				everyLang = append(everyLang, anyCue{w, t, id})
				continue
			}
			lx := c.byLang[cols[1]]
			if lx == nil {
				lx = newLexicon()
				c.byLang[cols[1]] = lx
			}
			lx.add(w, t)
			if !foreignStopword(w, cols[1]) {
				all.add(w, t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := c.addEveryLang(file, everyLang, listed, all); err != nil {
		return nil, err
	}
	if err := c.checkPhrases(file, listed); err != nil {
		return nil, err
	}
	c.general = all
	c.numberWords()
	return c, nil
}

// checkCue says what is wrong with the cue w of a line of langCol, or "".
// A cue is at most one mark (!, ~ or -) then a word or a prefix: the
// lexicon strips one mark, so a second ("!-spielfilm*") would be read as
// the word's first letter and the cue would match nothing, and a mark
// with no word, or a lone "*", would match every word or none. An
// acronym matches only itself, so an exclusion of one excludes nothing
// (the scorer never asks it); an entity line's keys weigh 1 and take no
// mark.
func checkCue(w, langCol string) string {
	if langCol == "entity" {
		if strings.ContainsAny(w[:1], "!~-") {
			return "an entity line lists entity keys, weight 1, without a mark"
		}
		return ""
	}
	bare := w
	if strings.ContainsAny(w[:1], "!~-") {
		bare = w[1:]
	}
	if word := strings.TrimSuffix(bare, "*"); word == "" || strings.ContainsAny(word[:1], "!~-*") || strings.Contains(word, "*") {
		return "one mark (!, ~ or -) then a word or prefix"
	}
	if i := strings.IndexByte(bare, '#'); i >= 0 && (bare[i:] != "#" || i == 0 || bare[i-1] != '_') {
		return "# stands for a number only as a phrase's last word (\"flight_#\")"
	}
	if w[0] == '-' && isCapitals(strings.TrimSuffix(bare, "*")) {
		return "an acronym matches only itself, there is nothing to exclude"
	}
	return ""
}

// verbEnding reports whether rest, what follows a capitalised cue's
// prefix in a word, is a German verb's ending ("Spiel|t", "Steuer|te",
// "Handel|st"): the word is the verb, capitalised as a sentence's first
// word or in a headline in capitals, not the noun. "-ende" is not one:
// "Spiel|ende" is the end of a game, "Unterricht|ende" those who teach.
func verbEnding(rest string) bool {
	switch rest {
	case "t", "st", "et", "est", "te", "ten", "tet", "end":
		return true
	}
	return false
}

// hasDigit reports whether w holds an ASCII digit: a number, or a
// code with one ("370", "mh370"), which a phrase's "#" reads. A year
// (four digits, 19xx or 20xx) is not a flight's number: "Artemis II
// flight 2025 date set" names when, not which.
func hasDigit(w string) bool {
	if len(w) == 4 && (w[:2] == "19" || w[:2] == "20") && '0' <= w[2] && w[2] <= '9' && '0' <= w[3] && w[3] <= '9' {
		return false
	}
	for i := 0; i < len(w); i++ {
		if '0' <= w[i] && w[i] <= '9' {
			return true
		}
	}
	return false
}

// anyLang is the lang of a line whose cues apply to every language: a
// name ("Beyoncé", "U2") is written the same in all of them.
const anyLang = "any"

// anyCue is a cue of a line of lang "any", as listed.
type anyCue struct {
	w  string // with its weight mark
	t  int
	id cueID
}

// addEveryLang adds the cues of the lines of lang "any" to every
// language's lexicon and to the merged one. A cue that is a stopword of a
// language is left out of that language's lexicon (a name that is a word
// there is the word: "die" is no name in German) and out of the merged
// one, as another language's stopword is (see foreignStopword). A cue
// listed for "any" and for a language too, on one topic, is refused, as
// a cue listed twice on one line is: the language would read both.
func (c *Classifier) addEveryLang(file string, cues []anyCue, listed map[cueID]int, all *lexicon) error {
	langs := make([]string, 0, len(c.byLang))
	for lang := range c.byLang {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	every := newLexicon()
	for _, a := range cues {
		for _, lang := range langs {
			if line, ok := listed[cueID{a.t, lang, a.id.word}]; ok {
				return fmt.Errorf("topics: %s:%d: %q is listed for %s in %s, and in every language on line %d: give it one entry",
					file, line, a.id.word, c.names[c.ids[a.t]], lang, listed[a.id])
			}
		}
		every.add(a.w, a.t)
	}
	for _, lang := range langs {
		c.byLang[lang].mergeShared(every, func(w string) bool { return stopwords.Is(lang, w) })
	}
	all.mergeShared(every, stopwords.IsAny)
	return nil
}

// checkPhrases refuses a phrase lighter than one of its own words for its
// topic ("stock_market" beside "!market"): a phrase counts at the
// heaviest of its words' cues anyway (see Score), so the lighter weight
// is never what a reader of the line takes it to weigh. Every such phrase
// is named, with its line, so a lexicon is mended in one pass.
func (c *Classifier) checkPhrases(file string, listed map[cueID]int) error {
	type bad struct {
		line int
		msg  string
	}
	var found []bad
	for lang, lx := range c.byLang {
		for key, e := range lx.words {
			if !strings.Contains(key, " ") {
				continue
			}
			phrase := strings.ReplaceAll(key, " ", "_")
			for _, p := range e.exact {
				heaviest := cue{weight: p.weight}
				var name string
				check := func(w string, prefix bool, k cue) {
					if k.topic == p.topic && k.weight > heaviest.weight {
						heaviest, name = k, w
						if prefix {
							name += "*"
						}
					}
				}
				for _, w := range strings.Fields(key) {
					we := lx.words[w]
					lx.match(w, we, check)
					if we != nil {
						for _, k := range we.acronyms {
							check(strings.ToUpper(w), false, k)
						}
					}
				}
				if name == "" {
					continue
				}
				line, ok := listed[cueID{p.topic, lang, phrase}]
				if !ok {
					line = listed[cueID{p.topic, anyLang, phrase}]
				}
				found = append(found, bad{line, fmt.Sprintf("topics: %s:%d: phrase %q weighs %v for %s (%s), less than its word's cue %q (%v): it counts at that weight anyway, so write it so",
					file, line, phrase, p.weight, c.names[c.ids[p.topic]], lang, name, heaviest.weight)})
			}
		}
	}
	// In line order, whatever order the maps gave.
	sort.Slice(found, func(i, j int) bool {
		return found[i].line < found[j].line || found[i].line == found[j].line && found[i].msg < found[j].msg
	})
	errs := make([]error, len(found))
	for i, b := range found {
		errs[i] = errors.New(b.msg)
	}
	return errors.Join(errs...)
}

func newLexicon() *lexicon {
	return &lexicon{words: map[string]*entry{}, prefixes: map[string][]cue{}, heads: map[string]prefixLens{}}
}

func (lx *lexicon) add(w string, t int) {
	k := cue{topic: t, weight: 1}
	switch {
	case strings.HasPrefix(w, "!"):
		k.weight, w = 2, w[1:]
	case strings.HasPrefix(w, "~"):
		k.weight, w = weakWeight, w[1:]
	case strings.HasPrefix(w, "-"):
		k.weight, k.exclude, w = 0, true, w[1:]
	}
	if isCapitals(w) {
		lw := strings.ToLower(w)
		e := lx.entry(lw)
		e.acronyms = append(e.acronyms, k)
		return
	}
	k.capital = isCapitalised(w)
	w = strings.ReplaceAll(strings.ToLower(w), "_", " ")
	if strings.HasSuffix(w, "*") {
		lx.addPrefix(strings.TrimSuffix(w, "*"), k)
		return
	}
	e := lx.entry(w)
	e.exact = append(e.exact, k)
	// Each proper start of a phrase ("tour", "tour de") is marked, so
	// reading stops at the first word that leaves every phrase.
	for i := range len(w) {
		if w[i] == ' ' {
			lx.entry(w[:i]).first = true
		}
	}
}

// letterLens is heads[h] for the head h in three letters a–z numbered i
// (letterHead), without the map; ok is false when h is no head.
func (lx *lexicon) letterLens(i int) (prefixLens, bool) {
	k, bit := i/64, uint64(1)<<(i%64)
	if lx.letterHeads[k]&bit == 0 {
		return prefixLens{}, false
	}
	return lx.lens[int(lx.letterRank[k])+bits.OnesCount64(lx.letterHeads[k]&(bit-1))], true
}

// addPrefix adds the cues ks of the prefix p (in lower case, no "*").
func (lx *lexicon) addPrefix(p string, ks ...cue) {
	lx.prefixes[p] = append(lx.prefixes[p], ks...)
	n := len([]rune(p))
	lx.maxPre = max(lx.maxPre, n)
	if n >= 3 { // match looks up prefixes of three runes or more
		h := head3(p)
		pl := lx.heads[h]
		pl = prefixLens{limit: max(pl.limit, n), bits: pl.bits | 1<<min(n, 63)}
		lx.heads[h] = pl
		if i, ok := letterHead(h); ok {
			w, bit := i/64, uint64(1)<<(i%64)
			r := int(lx.letterRank[w]) + bits.OnesCount64(lx.letterHeads[w]&(bit-1))
			if lx.letterHeads[w]&bit == 0 {
				if len(lx.lens) == math.MaxUint16 {
					panic("topics: more than 65,535 prefix heads of three letters")
				}
				lx.lens = slices.Insert(lx.lens, r, prefixLens{})
				lx.letterHeads[w] |= bit
				for k := w + 1; k < len(lx.letterRank); k++ {
					lx.letterRank[k]++
				}
			}
			lx.lens[r] = pl
		}
	}
}

// mergeShared adds every cue of from to lx but those whose word or
// prefix skip names (a stopword there). A word lx has no entry for gets
// from's entry itself, shared, not a copy: a line of "any" is hundreds of
// names, and eleven copies of their entries doubled the loader's work
// and memory. Neither lexicon may change after: a shared entry is read
// by every language that holds it.
func (lx *lexicon) mergeShared(from *lexicon, skip func(string) bool) {
	for key, e := range from.words {
		if skip(key) {
			if e.first { // a phrase of "any" still starts here
				lx.entry(key).first = true
			}
			continue
		}
		own := lx.words[key]
		if own == nil {
			lx.setWord(key, e)
			continue
		}
		own.exact = append(own.exact, e.exact...)
		own.acronyms = append(own.acronyms, e.acronyms...)
		own.first = own.first || e.first
	}
	for p, ks := range from.prefixes {
		if !skip(p) {
			lx.addPrefix(p, ks...)
		}
	}
}

// match calls f for every cue the single word w (with its entry e, nil
// for none) triggers: the word, and each of its prefixes of three runes
// or more, longest first. An exclusion ("-spielfilm*", "-gesetzt") is
// never passed to f: it stops its topic's shorter prefixes (the longest
// prefix that matches decides), and an excluded word stops them all.
// Prefixes are substrings of w: matching allocates nothing.
func (lx *lexicon) match(w string, e *entry, f func(key string, prefix bool, c cue)) {
	var excluded topicSet
	if e != nil {
		for _, c := range e.exact {
			if c.exclude {
				excluded |= 1 << c.topic
				continue
			}
			f(w, false, c)
		}
	}
	var lens prefixLens
	if i, ok := letterHead(w); ok {
		if lens, ok = lx.letterLens(i); !ok {
			return // no prefix starts with w's three letters
		}
	} else {
		lens = lx.heads[head3(w)]
	}
	limit := lens.limit // 0 when no prefix starts as w does
	if limit == 0 {
		return
	}
	// ends[k] is the byte end of w's first k+1 runes, up to limit runes
	var buf [32]int
	ends := buf[:]
	if limit > len(buf) {
		ends = make([]int, limit)
	}
	n, whole := 0, true
	for i := range w {
		if n > 0 {
			ends[n-1] = i
		}
		if n == limit {
			whole = false
			break
		}
		n++
	}
	if whole && n > 0 {
		ends[n-1] = len(w)
	}
	for ; n >= 3; n-- {
		if !lens.has(n) {
			continue // no prefix of n runes starts as w does
		}
		p := w[:ends[n-1]]
		for _, c := range lx.prefixes[p] {
			if excluded&(1<<c.topic) != 0 {
				continue
			}
			if c.exclude {
				excluded |= 1 << c.topic
				continue
			}
			f(p, true, c)
		}
	}
}

// foreignStopword reports whether the cue w of language lang is, as a
// word or as a prefix's stem, a stopword of another language: the merged
// lexicon, read when a story's language is unknown, leaves it out, so a
// German "war" (was) is not a war, nor a Portuguese "eu" (I) the EU, nor
// an English "but" a French goal.
func foreignStopword(w, lang string) bool {
	w = strings.TrimSuffix(strings.ToLower(strings.TrimLeft(w, "!~-")), "*")
	for _, l := range stopwords.Owners(w) {
		if l != lang {
			return true
		}
	}
	return false
}

// elisions are the articles and words French and Italian elide onto the
// next word with an apostrophe, longest first where one ends another.
var elisions = []string{"jusqu'", "lorsqu'", "puisqu'", "quell'", "quest'", "dell'", "dall'", "nell'", "sull'", "coll'", "all'", "un'", "qu'", "l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'"}

// unElide returns w without an elided article ("l'inflation",
// "dell'economia", "qu'il"), or w. Only a word with an apostrophe can
// have one, so most words return at the first check.
func unElide(w string) string {
	i := strings.IndexByte(w, '\'')
	if i < 1 || i > 7 || i == len(w)-1 {
		return w
	}
	for _, p := range elisions {
		if len(p) == i+1 && strings.HasPrefix(w, p) {
			return w[i+1:]
		}
	}
	return w
}

// isCapitalised reports whether w starts with a capital and has a
// letter in lower case after it: a German noun as written ("Spiel*"),
// not an acronym.
func isCapitalised(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && strings.ToUpper(w[n:]) != w[n:]
}

// isCapitals reports whether w has letters and all of them are capitals.
func isCapitals(w string) bool {
	return w == strings.ToUpper(w) && w != strings.ToLower(w)
}

// head3 is the first three runes of w, or "" when it has fewer.
func head3(w string) string {
	n := 0
	for i := range w {
		if n == 3 {
			return w[:i]
		}
		n++
	}
	if n == 3 {
		return w
	}
	return ""
}

// scratch is what Score reuses, one story at a time: the cap's counts,
// and the cues found in the text being read, held until its phrases are
// known (a phrase reads its words for its topic, see Score).
type scratch struct {
	counts  map[cueKey]int
	words   []found    // single words' cues, in text order
	phrases []found    // phrases' cues
	read    []topicSet // by token: the topics a phrase kept reads it for
}

var scratches = sync.Pool{New: func() any { return &scratch{counts: map[cueKey]int{}} }}

// found is a cue a text triggered.
type found struct {
	key        string
	prefix     bool
	k          cue
	pos, words int // the token it starts at, and how many it covers
}

// cueKey is what maxPerCue counts by: the word, phrase or prefix that
// fired a cue, and the cue's topic. A word of more than three letters
// is counted without a final "s" ("school", "schools" are one key; not
// "church", "churches", whose plural adds "es"): a cue listed as its
// forms is capped as one, as the prefix it replaces was, for the
// plurals most cues have.
type cueKey struct {
	key    string
	prefix bool
	topic  int
}

// Classify returns 1–3 topics, best first.
func (c *Classifier) Classify(title, summary, body string, categories []string, lang string, ents []record.Entity) []record.Topic {
	return c.ClassifyFields(tokens.NewField(title), tokens.NewField(summary), tokens.NewField(body), categories, lang, ents)
}

// ClassifyFields is Classify over texts already split: enrichment splits
// a story once for every step.
func (c *Classifier) ClassifyFields(title, summary, body tokens.Field, categories []string, lang string, ents []record.Entity) []record.Topic {
	ev := c.Score(title, summary, body, categories, lang)
	ts := c.Rank(ev, ents)
	c.Release(ev)
	return ts
}

// Evidence is what a story's categories and text say about its topics,
// before its entities add theirs: Score needs no entities, so it may run
// before they are resolved, on many stories at once.
type Evidence struct {
	raw  []float64 // plain cues, by topic
	weak []float64 // weak cues ("~word"), by topic: see Rank
	// What breaks a tie (see Rank), by topic: how many distinct cues
	// (words, phrases, prefixes) gave evidence, the strongest single
	// cue's weight, and where its first cue is (1 + its token's index
	// over categories, title, summary and body read in turn; 0 for none).
	distinct, strongest, first []float64
	// buf holds the five, pooled: Release returns it. It was the largest
	// allocation left per headline (5 × the topics' float64s, ≈ 0.6 KB).
	buf *[]float64
}

// evidenceBufs are Evidence's backing arrays, returned by Release.
var evidenceBufs = sync.Pool{New: func() any { return new([]float64) }}

// Release hands ev's storage back for another Score; ev must not be read
// after. An Evidence never released is only garbage, as before.
func (c *Classifier) Release(ev Evidence) {
	if ev.buf != nil {
		evidenceBufs.Put(ev.buf)
	}
}

// Score weighs the cues of a story's categories, title, summary and body
// (see Classify).
func (c *Classifier) Score(title, summary, body tokens.Field, categories []string, lang string) Evidence {
	lx := c.byLang[lang]
	if lx == nil {
		lx = c.general // unknown language: every cue
	}
	entries := wordtable.Entries()
	n := len(c.ids)
	buf := evidenceBufs.Get().(*[]float64)
	if cap(*buf) < 5*n {
		*buf = make([]float64, 5*n) // one allocation for the five
	}
	all := (*buf)[:5*n]
	clear(all)
	raw, weak := all[:n:n], all[n:2*n:2*n]
	distinct, strongest, first := all[2*n:3*n:3*n], all[3*n:4*n:4*n], all[4*n:]
	before := 0 // tokens of the parts read before the one being scored
	sc := scratches.Get().(*scratch)
	counts := sc.counts
	defer func() {
		clear(counts)
		sc.words, sc.phrases = sc.words[:0], sc.phrases[:0]
		scratches.Put(sc)
	}()
	var w float64 // the weight of the text being scored
	count := func(f found) {
		key, prefix, k := f.key, f.prefix, f.k
		if at := float64(before + f.pos + 1); first[k.topic] == 0 || at < first[k.topic] {
			first[k.topic] = at
		}
		if !prefix && len(key) > 3 {
			key = strings.TrimSuffix(key, "s")
		}
		ck := cueKey{key, prefix, k.topic}
		if counts[ck] >= maxPerCue {
			return
		}
		if counts[ck] == 0 {
			distinct[k.topic]++
		}
		counts[ck]++
		strongest[k.topic] = max(strongest[k.topic], k.weight*w)
		if k.weight == weakWeight {
			weak[k.topic] += k.weight * w
			return
		}
		raw[k.topic] += k.weight * w
	}
	// A word counts once for a topic, at its heaviest cue (hit keeps one
	// cue a word and topic); a phrase reads its words for its topic, at
	// the heaviest of its own weight and theirs, the longer phrase first
	// (settle). Counting every cue gave a word a weight no entry of the
	// lexicon says ("bankruptcy": bankruptcy, bankrupt* and !bank*, 4),
	// as a cue listed twice did.
	pos := 0           // the token being read, counted over the text's parts
	var seen topicSet  // the topics the token at pos has a cue for
	var plain topicSet // those of them it has a cue for that is not weak
	capital := false   // the token at pos is written with a capital first letter
	cur := ""          // the token at pos, as looked up
	hit := func(key string, prefix bool, k cue) {
		if k.capital && (!capital || prefix && verbEnding(cur[len(key):])) {
			return // a noun's cue, and the word is not written as a noun, or is a verb
		}
		if k.weight != weakWeight {
			plain |= 1 << k.topic
		}
		if seen&(1<<k.topic) != 0 {
			for i := len(sc.words) - 1; i >= 0 && sc.words[i].pos == pos; i-- {
				if sc.words[i].k.topic == k.topic && k.weight > sc.words[i].k.weight {
					sc.words[i] = found{key, prefix, k, pos, 1}
				}
			}
			return
		}
		seen |= 1 << k.topic
		sc.words = append(sc.words, found{key, prefix, k, pos, 1})
	}
	// settle counts the cues found since it last ran, once no phrase
	// still open could read their words: most words are counted as they
	// are read, the words of a phrase's span when it closes.
	settle := func() {
		if len(sc.phrases) > 0 {
			// The longest phrase first; one that overlaps a phrase of its
			// topic kept before it is dropped. read is indexed from the
			// first token a phrase starts at: no word found before it can
			// be in a phrase.
			slices.SortStableFunc(sc.phrases, func(a, b found) int { return b.words - a.words })
			from := pos
			for _, p := range sc.phrases {
				from = min(from, p.pos)
			}
			read := append(sc.read[:0], make([]topicSet, pos+1-from)...)
			for _, p := range sc.phrases {
				bit := topicSet(1) << p.k.topic
				span := read[p.pos-from : p.pos-from+p.words]
				if slices.ContainsFunc(span, func(r topicSet) bool { return r&bit != 0 }) {
					continue
				}
				for i := range span {
					span[i] |= bit
				}
				for _, f := range sc.words {
					if f.k.topic == p.k.topic && f.pos >= p.pos && f.pos < p.pos+p.words {
						p.k.weight = max(p.k.weight, f.k.weight)
					}
				}
				count(p)
			}
			sc.read = read
			kept := sc.words[:0]
			for _, f := range sc.words {
				if f.pos < from || read[f.pos-from]&(1<<f.k.topic) == 0 {
					kept = append(kept, f)
				}
			}
			sc.words = kept
		}
		for _, f := range sc.words {
			count(f)
		}
		sc.words, sc.phrases = sc.words[:0], sc.phrases[:0]
	}
	// Phrases are matched as their words arrive: span holds the words
	// read since the oldest phrase still open, and open the offsets in
	// span where each open phrase starts, so a phrase of any length costs
	// one lookup a word ("tour", "tour de", "tour de france").
	// seenAt[(p+1)&7] holds the topics token p had a cue that is not weak
	// for, the last eight tokens': a numbered phrase looks at the word
	// before it.
	var seenAt [8]topicSet
	var spanBuf [64]byte
	var openBuf [8]int
	span, open := spanBuf[:0], openBuf[:0]
	// score reads the parts one after the other, as one text.
	score := func(weight float64, parts ...[]tokens.Token) {
		w = weight
		span, open = span[:0], open[:0]
		pos = -1
		seenAt = [8]topicSet{}
		for _, ts := range parts {
			for _, t := range ts {
				pos++
				seenAt[pos&7] = plain
				seen, plain = 0, 0
				word := strings.TrimSuffix(t.Lower, "'s")
				// A French or Italian article elided onto the word is read
				// without it ("l'inflation" is inflation); a phrase goes on
				// with the word as written ("cour d'assises").
				bare := unElide(word)
				e := lx.wordOf(&t, bare, entries)
				text := t.Text
				if len(bare) < len(word) {
					text = text[strings.IndexByte(text, '\'')+1:]
				}
				r, _ := utf8.DecodeRuneInString(text)
				capital = unicode.IsUpper(r)
				cur = bare
				// "WHO's" is the acronym too: its possessive is not.
				if e != nil && e.acronyms != nil && isCapitals(strings.TrimRight(t.Text, "'’s")) {
					for _, k := range e.acronyms {
						if !k.exclude {
							hit(bare, false, k)
						}
					}
				}
				lx.match(bare, e, hit)
				if t.Break || t.SentStart {
					open = open[:0] // a phrase spans no comma, quote or sentence end
				}
				if len(open) > 0 && hasDigit(word) {
					// A number in a phrase's last place ("flight_#": a
					// flight named by its number) is read as "#" — but
					// after a science word (a cue that is not weak: "new
					// data Flight MH370 ended" is still the accident): a
					// rocket's, a spacecraft's numbered flight ("SpaceX
					// Starship Flight 5 launches") is a launch.
					n0 := len(span)
					span = append(span, " #"...)
					for _, start := range open {
						if pe := lx.words[string(span[start:])]; pe != nil {
							n := strings.Count(pe.key, " ") + 1
							if c.science >= 0 && n < 8 && pos-n >= 0 && seenAt[(pos-n+1)&7]&(1<<c.science) != 0 {
								continue
							}
							for _, k := range pe.exact {
								sc.phrases = append(sc.phrases, found{pe.key, false, k, pos - n + 1, n})
							}
						}
					}
					span = span[:n0]
				}
				if len(open) > 0 {
					span = append(append(span, ' '), word...)
					kept := open[:0]
					for _, start := range open {
						pe := lx.words[string(span[start:])] // a lookup that does not allocate
						if pe == nil {
							continue
						}
						n := strings.Count(pe.key, " ") + 1
						for _, k := range pe.exact {
							sc.phrases = append(sc.phrases, found{pe.key, false, k, pos - n + 1, n})
						}
						if pe.first {
							kept = append(kept, start)
						}
					}
					open = kept
				}
				if bare != "" && e != nil && e.first {
					if len(open) == 0 {
						span = append(span[:0], bare...) // a phrase starts after the article
						open = append(open, 0)
					} else if bare == word {
						open = append(open, len(span)-len(word))
					}
				}
				if len(open) == 0 {
					settle()
				}
			}
		}
		settle()
		before += pos + 1
	}
	for _, cat := range categories {
		// Categories are often English even in other languages' feeds.
		had := sum(raw)
		ts := tokens.Split(cat)
		score(categoryWeight, ts)
		if sum(raw) == had && lx != c.general {
			saved := lx
			lx = c.general
			score(categoryWeight, ts)
			lx = saved
		}
	}
	score(titleWeight, title.Tokens)
	if lang == "en" && quotesAWork(title.Text) {
		// As a weak cue in the headline: a capitalised quote is as often
		// a slogan, a law or a project ("'Smart Motorway' dangers") as a
		// work, so alone it is a guess and it never outweighs a plain cue.
		weak[c.arts] += weakWeight * titleWeight
	}
	score(summaryWeight, summary.Tokens)
	// The body's first bodyLimit bytes, without copying their tokens.
	head, tail := body.PrefixParts(bodyLimit)
	score(bodyWeight, head, tail)
	return Evidence{raw, weak, distinct, strongest, first, buf}
}

// NoEvidence reports whether ts is the token fallback given to a story
// with no evidence at all: a consumer (or an evaluation counting
// coverage) can tell a guess from a classification.
func NoEvidence(ts []record.Topic) bool {
	return len(ts) == 1 && ts[0].Code == fallbackCode && ts[0].Score == fallbackScore
}

// Guess reports whether ts is a guess at the token score: the fallback
// of a story with no evidence, or the topic of a lone weak cue.
func Guess(ts []record.Topic) bool {
	return len(ts) == 1 && ts[0].Score == fallbackScore
}

// Rank adds the entities' cues to the evidence and returns 1–3 topics,
// best first. Topics of equal evidence are ordered by evidence too (see
// ahead), not by the order topics are listed in; topics the evidence
// cannot tell apart at all (one word cueing both: "bitcoin" is economy
// and technology alike) come out at equal scores, in list order, which
// a consumer should not read anything into.
func (c *Classifier) Rank(ev Evidence, ents []record.Entity) []record.Topic {
	// ev's slices are Score's: copied (onto the stack) before an entity
	// adds to them.
	var rawBuf, distinctBuf, strongestBuf [maxTopics]float64
	raw := append(rawBuf[:0], ev.raw...)
	copied := false
	for _, e := range ents {
		for _, k := range c.entity[e.Key] {
			if !copied {
				ev.distinct, ev.strongest, copied = append(distinctBuf[:0], ev.distinct...), append(strongestBuf[:0], ev.strongest...), true
			}
			raw[k.topic] += entityWeight * k.weight
			ev.distinct[k.topic]++
			ev.strongest[k.topic] = max(ev.strongest[k.topic], entityWeight*k.weight)
		}
	}
	// A weak cue counts only for a topic something else supports: a plain
	// cue, an entity, or a second weak cue ("team" and "player" in one
	// headline). Alone, a word of several senses is a guess: "Power outage
	// hits downtown offices" may be a disaster, at the token score.
	for t, w := range ev.weak {
		if raw[t] > 0 || w >= weakAlone {
			raw[t] += w
		}
	}
	// Only the topics with evidence are ranked: most have none.
	var buf [maxTopics]int
	ranked := func(score []float64) []int {
		order := buf[:0]
		for t, v := range score {
			if v > 0 {
				order = append(order, t)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int {
			if ev.ahead(score, a, b) {
				return -1
			}
			if ev.ahead(score, b, a) {
				return 1
			}
			return 0
		})
		return order
	}
	total := sum(raw)
	if total == 0 {
		// A lone weak cue is a guess: its topic, at the token score. A
		// tie the evidence cannot break ("fans" is arts and sport) names
		// no topic: that is the fallback.
		if order := ranked(ev.weak); len(order) == 1 || len(order) > 1 && ev.ahead(ev.weak, order[0], order[1]) {
			return []record.Topic{c.topic(order[0], fallbackScore)}
		}
		if c.fallback < 0 { // a test's own topics
			return []record.Topic{{Code: Code(fallbackTopic), Name: c.names[fallbackTopic], Score: fallbackScore}}
		}
		return []record.Topic{c.topic(c.fallback, fallbackScore)}
	}
	order := ranked(raw)
	// Shares are taken of the evidence plus a constant, so a single weak
	// cue gives a modest score rather than a certain 1.0.
	denom := total + 2
	order = order[:min(3, len(order))]
	out := make([]record.Topic, 0, len(order))
	for i, t := range order {
		if i > 0 && raw[t] < raw[order[0]]/2 {
			break
		}
		out = append(out, c.topic(t, round3(raw[t]/denom)))
	}
	return out
}

// topic is the record of the topic at index t with its score.
func (c *Classifier) topic(t int, score float64) record.Topic {
	r := c.topics[t]
	r.Score = score
	return r
}

// ahead reports whether topic a goes before topic b: more evidence
// (score, by topic), or as much from more distinct cues (two words that
// agree say more than one word that weighs as much), or from a stronger
// single cue, or from a cue that comes first (a headline names its
// subject first: "Judge rejects bankruptcy plan" is crime). Listing
// order is no evidence: it gave every tie to the lower IPTC code, crime
// and education over economy, politics and technology.
func (ev Evidence) ahead(score []float64, a, b int) bool {
	switch {
	case score[a] != score[b]:
		return score[a] > score[b]
	case ev.distinct[a] != ev.distinct[b]:
		return ev.distinct[a] > ev.distinct[b]
	case ev.strongest[a] != ev.strongest[b]:
		return ev.strongest[a] > ev.strongest[b]
	}
	fa, fb := ev.first[a], ev.first[b]
	return fa != 0 && (fb == 0 || fa < fb)
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
