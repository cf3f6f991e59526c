// Package keywords picks the few terms that characterise a story: TF-IDF
// against a rolling corpus of recent stories, so "bitcoin" stands out on
// the day it is new and fades as it becomes everyday vocabulary.
//
// Terms are lowercase words, pairs of adjacent content words ("central
// bank", "fingerprint scanner") and runs of three ("ai chip race"), a
// headline's verb ending a phrase; no keyword is a piece of another
// chosen before it; stopwords of the story's
// language (and English, which news in every language quotes) never
// count; words of the title weigh more than the body's; the story's named
// entities are boosted by salience (in the headline or named again and
// again), since who and where is what readers and the spike detector look
// for; in an article a term weighs by how far it runs through the text.
// Document frequencies decay so they describe the last window documents
// (see corpus).
//
// An Extractor is safe for concurrent use.
package keywords

import (
	"container/heap"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Extractor scores terms against its rolling corpus.
type Extractor struct {
	c   *corpus
	max int
}

// MaxKeywordBytes bounds a keyword, in the bytes it takes in the story
// record (record.JSONBytes: an '&' inside a word takes six): a term longer
// than this is a broken or hostile text's run of letters, not a word or
// phrase a person picks (German's longest compounds in print are about 65
// bytes). The record's size guarantee (normalize's
// TestAStoryAtEveryCapFitsInAKafkaMessage) counts keywords at this size.
const MaxKeywordBytes = 100

// New returns an Extractor returning at most maxKeywords terms, with
// document frequencies over about window documents.
func New(window, maxKeywords int) *Extractor {
	// 20 distinct terms per document on average over the window (400k
	// terms at the default window: about 33 MB, with the corpus's own
	// copy of each term and its slot) is ample: rarer ones are pruned
	// first.
	return &Extractor{c: newCorpus(window, max(50000, window*20)), max: maxKeywords}
}

// Field weights: a word in the headline is worth three in the body.
const (
	titleWeight   = 3.0
	summaryWeight = 1.5
	bodyWeight    = 1.0
	entityBoost   = 1.6
	// bodyLimit bounds the text read from the body: a long article's
	// characteristic terms appear early, and cost must stay flat.
	bodyLimit = 20000
)

// newsStop are words too common in news to characterise a story, beyond
// the function words of the stopword lists.
var newsStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`said says told according reported reports report reuters ap afp
	year years week weeks month months day days today yesterday tomorrow monday tuesday wednesday thursday friday saturday
	sunday january february march april may june july august september october november december time times
	new first last one two three four five six seven eight nine ten percent per cent also would could should people
	like just well including told mr mrs ms dr according update updated news video photo photos watch read more
	breaking live latest via copyright rights reserved click image getty images week's year's it's
	amid amidst behind despite twice beyond across ahead besides beside throughout sir jr`) {
		m[w] = true
	}
	return m
}()

// skip reports whether w (with its wordFacts) can be no keyword in a
// story in language stop (stopwords.Bit of the story's language and of
// English): too short, a news word, a stopword, or no letters.
func skip(w string, f wordFacts, stop stopwords.Set) bool {
	if utf8.RuneCountInString(w) < 2 || f.news || f.stop&stop != 0 {
		return true
	}
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters == 0 || ordinal(w) || amount(w) || f.quantity // numbers, "2014", "3-1"; "16th"; "£35m"; "10 million"
}

// quantityWords say how many as an amount's digits do: no phrase's word
// either ("million deal", "million units" of "$3.5 million deal", "10
// million units"), as "2m deal" gives "deal".
var quantityWords = words(`hundred hundreds thousand thousands million millions billion billions trillion trillions dozen dozens tens`)

// amount: digits and a magnitude ("35m", "1.8b", "5.136bn", "22billion",
// "150k", "5pc"), how much as "$2 million" is (a number and a filler)
// and "2014" is: no topic, as a phrase's word no more than alone ("pay
// 5.1bn", "colorado 2m"). Not "4g", "3d", "mh370", "s5": no magnitude, or
// a letter first.
func amount(w string) bool {
	i := 0
	for i < len(w) && (w[i] >= '0' && w[i] <= '9' || i > 0 && (w[i] == '.' || w[i] == ',')) {
		i++
	}
	if i == 0 || w[i-1] < '0' || w[i-1] > '9' {
		return false
	}
	switch w[i:] {
	case "m", "mn", "b", "bn", "k", "tn", "pc", "million", "billion", "trillion":
		return true
	case "am", "pm":
		return true // a time of day: "9:15AM" gives "15am"
	}
	return false
}

// designation reports whether token i, the word w, is a number that
// names what the capitalised word before it names — a chapter, a
// flight, a season, a version ("Chapter 11", "Flight 370", "Boeing 777",
// "Season 6", "iOS 7.1") — not a quantity or a date: a number of one to
// three digits (a decimal's point allowed), after a content word with a
// capital ("Chapter", "iOS") of its clause that is no month, weekday or verb, and before the
// clause's end or a function word (a noun after it makes it a quantity:
// "Recalls 25000 Jeeps", "Top 5 Apps"), written alone between spaces or
// before a clause's mark: not a price, a share, a time or an entity's
// code ("Save $30", "50% Off", "9:15AM", "&#233;"). The caller keeps it to
// a name of one or two words: a longer one is whole without it ("High
// School Musical 5").
func designation(toks []tokens.Token, text string, i int, w string, facts map[string]wordFacts) bool {
	if i < 1 || toks[i].Break || toks[i].SentStart || !numberName(w) {
		return false
	}
	t := toks[i]
	if t.Start < 1 || t.End > len(text) || text[t.Start-1] != ' ' {
		return false
	}
	if e := t.End; e < len(text) && !strings.ContainsRune(" ,;)'\"”’", rune(text[e])) && !(text[e] == ':' && (e+1 == len(text) || text[e+1] == ' ')) {
		return false // "9:15AM"; not "FTSE 100: …"
	}
	p := toks[i-1]
	if strings.HasSuffix(p.Lower, "'s") || strings.HasSuffix(p.Lower, "’s") {
		return false // "The Dow's 5 Most Hated Stocks"
	}
	pw := normalize(p.Lower)
	pf := facts[pw]
	if !strings.ContainsFunc(p.Text, unicode.IsUpper) || weekdaysMonths[pw] || pw == "may" || timeSpans[pw] && pw != "season" || pf.stop != 0 || pf.news || pf.verb || pf.hlForm || pf.aux || thirdPerson(pw) || isVerbForm(pw, pf) {
		return false
	}
	if i+1 >= len(toks) || toks[i+1].Break || toks[i+1].SentStart {
		return true
	}
	nf := facts[normalize(toks[i+1].Lower)]
	return nf.stop != 0 && !nf.det
}

// numberName: one to three digits, or such digits, a point and one or
// two more ("7.1").
func numberName(w string) bool {
	a, b, dot := strings.Cut(w, ".")
	digits := func(s string, most int) bool {
		if len(s) == 0 || len(s) > most {
			return false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	return digits(a, 3) && (!dot || digits(b, 2))
}

// ordinal: digits and an English ordinal ending ("16th", "1st", "22nd"),
// a rank or a date, no topic.
func ordinal(w string) bool {
	n := len(w)
	if n < 3 || w[0] < '0' || w[0] > '9' {
		return false
	}
	switch w[n-2:] {
	case "st", "nd", "rd", "th":
	default:
		return false
	}
	for i := 0; i < n-2; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

type term struct {
	// text is the term; a phrase's is a slice of its set's slab, valid
	// only until the set is released (scratch)
	text    string
	scratch bool
	tf      float64
	boost   float64
	isBi    bool // a phrase of two words or more
	name    bool // an entity's full name: a phrase kept whole
	// spelled: an entity's name the story writes out, not only the
	// resolver's canonical form of its short form
	spelled bool
	// inText: seen in the summary or body, not only in the headline
	inText bool
	// inTitle: seen in the headline
	inTitle bool
	// roleOnly: a role noun the story uses only before its complement
	// ("owner" of "Owner Of Sprint"; roleLeft): no keyword alone
	roleOnly bool
	// seg: the eighths of the story's text (summary and body) the term
	// is seen in, a bit each: how far it runs through the story
	seg   uint8
	score float64
}

// Extract returns up to the configured number of keywords, best first,
// and adds the story to the corpus. A headline of nothing but verbs and
// fillers ("What happened next") still gets its least bad words.
func (x *Extractor) Extract(title, summary, body, lang string, ents []record.Entity) []string {
	return x.ExtractFields(tokens.NewField(title), tokens.NewField(summary), tokens.NewField(body), lang, ents)
}

// ExtractFields is Extract over texts already split: enrichment splits a
// story once for every step.
func (x *Extractor) ExtractFields(title, summary, body tokens.Field, lang string, ents []record.Entity) []string {
	return x.Pick(x.Collect(title, summary, body, lang), ents)
}

// Terms are a story's candidate keywords as its text gives them, before
// its entities and the corpus weigh them. Collect reads the story alone,
// so many stories may be collected at once; Pick, which scores against the
// corpus and teaches it, runs in stream order.
type Terms struct {
	title, summary, body tokens.Field
	lang                 string
	strict               bool // English rules against verbs and fillers
	set                  *termSet
}

// Collect gathers the terms of a story's title, summary and body (the
// first bodyLimit bytes) in language lang.
func (x *Extractor) Collect(title, summary, body tokens.Field, lang string) *Terms {
	if len(body.Text) > bodyLimit {
		cut := bodyLimit
		for cut > 0 && !utf8.RuneStart(body.Text[cut]) {
			cut--
		}
		body = body.Prefix(cut)
	}
	strict := lang == "en" || lang == ""
	ts := collect(title, summary, body, lang, strict)
	// The Terms live in their pooled set (own): one allocation a story less.
	ts.own = Terms{title: title, summary: summary, body: body, lang: lang, strict: strict, set: ts}
	return &ts.own
}

// Pick returns up to the configured number of keywords, best first, from
// terms and the story's entities, and adds the story to the corpus.
// Pick consumes t: the terms are reused for other stories.
func (x *Extractor) Pick(t *Terms, ents []record.Entity) []string {
	scored := t.set
	if t.set.capModal && t.strict {
		// A capitalised modal the rule read may be a person's name's
		// word, which only the story's entities tell: read again, the
		// names known (rare: a few headlines in a thousand).
		if people := modalPeople(ents); people != nil {
			named := collectAround(t.title, t.summary, t.body, t.lang, true, people)
			named.own = Terms{title: t.title, summary: t.summary, body: t.body, lang: t.lang, strict: true, set: named}
			scored = named
			defer named.release()
		}
	}
	out, seen := x.pick(scored, ents, t.strict)
	if len(out) == 0 && t.strict {
		loose := collect(t.title, t.summary, t.body, t.lang, false)
		scored = loose
		out, seen = x.pick(loose, ents, false)
		defer loose.release()
	}
	if seen != nil {
		x.c.learn(seen, scored.slots, scored.gen)
	}
	t.set.release() // clears t too: t is the set's own
	return out
}

// termSet is a story's terms by text, in the order first seen.
type termSet struct {
	index map[string]int
	terms []term
	buf   []byte
	// slab holds the texts of the story's phrases (addBuf): most are seen
	// once and dropped before any is scored, so none is a string of its
	// own — they were the most frequent allocation of keywords, one per
	// distinct pair of adjacent words. A phrase's text leaves the set only
	// copied: as a keyword (pick) and as a term the corpus takes (its own
	// copy, corpus.insert).
	slab []byte
	run  []string // collect's scratch: the words of a phrase
	// hasText: the story has a summary or body, not only a headline
	hasText bool
	// article: the story has text enough to judge its headline's words
	// and names by (articleWords), not only a headline and a sentence
	article bool
	// where the word being read stands: its eighth of the text (a bit;
	// 0 in the headline) and whether it is in the headline
	seg     uint8
	inTitle bool
	// the run being read is all capitalised words, in a text that does
	// not capitalise every word: a name of four words may be one term
	runCaps, titleCase bool
	// the run being read starts, and (so far) ends, in a name's particle
	runFromParticle, runToParticle bool
	// capsLead: how many words the run opens with that are capitalised
	// (or a name's particle), and whether the last of them is a particle
	capsLead           int
	capsLeadToParticle bool
	// pick's scratch, kept with the set: the terms scored, their texts
	// (what the corpus learns, read before the set is released) and idf
	list  []*term
	texts []string
	idf   []float64
	// the corpus's slots of texts[:len(slots)] and their generation, as
	// pick's lookup found them: the corpus learns the story's terms
	// without looking them up again
	slots  []int32
	gen    uint64
	chosen []*term
	// heap is list as pick's heap: a field, so that heap.Init's interface
	// does not move a slice header of pick's to the heap (an allocation a
	// story)
	heap termHeap
	// pick's entity words: in a name of several words, one-word names;
	// and a name's words (cleared per story: two maps a story were a
	// headline's most frequent allocations in keywords)
	inName, named map[string]bool
	parts         []string
	// learn: words read only as an infinitive's verb ("to buy"), no
	// terms, which the corpus learns all the same (see pick)
	learn []string
	// nameWords: the words of the story's names, no keywords alone
	// ("shailene" of "shailene woodley"), which the corpus learns all
	// the same (see pick)
	nameWords []string
	// own is the Terms Collect returns for this set: released with it
	own Terms
	// joins: two words the text joins by "of" or "and" ("house of
	// cards", "war and peace"), with the weight of their uses (see
	// joinedPhrase)
	joins []join
	// owned: the text's pairs of words written with a possessive
	// between them ("china", "csi" of "China's CSI 300"), which pick
	// keeps from being a phrase when the owner is named (ownedPair)
	owned []possession
	// capModal: the modal rule read a word as the verb of a capitalised
	// modal, which may be a person's name's word ("Theresa May Plan");
	// people: the names collect was told of, their words (collectAround)
	capModal bool
	people   [][]string
}

// join is a phrase of two words and the "of" or "and" between them, and
// its weight in the story, counted as a term's tf is. role: a is a role
// or fate noun (argumentHeads), so the join is no phrase, and only tells
// addJoined that a is no keyword alone where the story uses it only here.
type join struct {
	a, conj, b string
	tf         float64
	role       bool
}

// maxJoins bounds a story's joins: an article's first ones are kept.
const maxJoins = 64

// termSets are reused: a story's terms were a sixth of enrichment's
// allocations.
var termSets = sync.Pool{New: func() any {
	return &termSet{index: map[string]int{}, inName: map[string]bool{}, named: map[string]bool{}}
}}

func newTermSet() *termSet { return termSets.Get().(*termSet) }

// release empties ts for another story and pools it.
func (ts *termSet) release() {
	clear(ts.index)
	clear(ts.terms) // drop the strings
	clear(ts.run)
	ts.run = ts.run[:0]
	ts.terms = ts.terms[:0]
	clear(ts.list)
	clear(ts.texts)
	clear(ts.chosen)
	ts.chosen = ts.chosen[:0]
	ts.heap = nil // list's array, cleared above
	ts.list, ts.texts, ts.idf, ts.slots = ts.list[:0], ts.texts[:0], ts.idf[:0], ts.slots[:0]
	clear(ts.inName)
	clear(ts.named)
	clear(ts.parts)
	ts.parts = ts.parts[:0]
	clear(ts.learn)
	ts.learn = ts.learn[:0]
	clear(ts.nameWords)
	ts.nameWords = ts.nameWords[:0]
	clear(ts.joins)
	ts.joins = ts.joins[:0]
	clear(ts.owned)
	ts.owned = ts.owned[:0]
	ts.capModal, ts.people = false, nil
	ts.slab = ts.slab[:0] // no string of it is reachable now
	if cap(ts.slab) > maxKeptSlab {
		ts.slab = nil
	}
	ts.hasText, ts.article, ts.seg, ts.inTitle = false, false, 0, false
	ts.capsLead, ts.capsLeadToParticle = 0, false
	ts.own = Terms{} // drop the texts; a Terms read after Pick finds no set
	termSets.Put(ts)
}

// add counts weight w for the term in key (a word or a phrase).
func (ts *termSet) add(key string, w float64, bi bool) *term {
	i, ok := ts.index[key]
	if !ok {
		i = len(ts.terms)
		ts.terms = append(ts.terms, term{text: key, boost: 1, isBi: bi})
		ts.index[key] = i
	}
	t := &ts.terms[i]
	t.tf += w
	t.seg |= ts.seg
	t.inText = t.inText || ts.seg != 0
	t.inTitle = t.inTitle || ts.inTitle
	return t
}

// addPair is add for the phrase "a b", which is built only the first time.
func (ts *termSet) addPair(a, b string, w float64, text bool) {
	ts.buf = append(append(append(ts.buf[:0], a...), ' '), b...)
	ts.addBuf(w, text)
}

// addBuf is add for the phrase in ts.buf.
func (ts *termSet) addBuf(w float64, text bool) *term {
	if i, ok := ts.index[string(ts.buf)]; ok { // a lookup that does not copy
		t := &ts.terms[i]
		t.tf += w
		t.inText = t.inText || text
		t.seg |= ts.seg
		t.inTitle = t.inTitle || ts.inTitle
		return t
	}
	// New: insert without add's second lookup of a key just missed.
	key := ts.scratch(ts.buf)
	ts.index[key] = len(ts.terms)
	ts.terms = append(ts.terms, term{text: key, scratch: true, boost: 1, isBi: true, tf: w, inText: text, seg: ts.seg, inTitle: ts.inTitle})
	return &ts.terms[len(ts.terms)-1]
}

// lower is strings.ToLower(s), in the slab when s is ASCII (a name's
// words are read in pick only: scratch).
func (ts *termSet) lower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if !upper {
		return s
	}
	off := len(ts.slab)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		ts.slab = append(ts.slab, c)
	}
	return unsafe.String(&ts.slab[off], len(s))
}

// maxKeptSlab bounds the slab a pooled set keeps: an article's phrases
// take a few kilobytes.
const maxKeptSlab = 64 << 10

// scratch returns a string of b's bytes, held in ts.slab until the set is
// released. The slab only grows until then: a string of it is never
// written over (when append moves the slab, the strings before keep the
// old array alive, unchanged).
func (ts *termSet) scratch(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	off := len(ts.slab)
	ts.slab = append(ts.slab, b...)
	return unsafe.String(&ts.slab[off], len(b))
}

// collect counts the story's terms; english applies the English rules
// against verbs and fillers.
func collect(title, summary, body tokens.Field, lang string, english bool) *termSet {
	return collectAround(title, summary, body, lang, english, nil)
}

// collectAround is collect told the story's people whose names hold a
// modal's spelling (modalPeople): such a word where the text spells the
// name is the name's, no modal ("Theresa May Plan", "Will Power Wins").
func collectAround(title, summary, body tokens.Field, lang string, english bool, people [][]string) *termSet {
	ts := newTermSet()
	ts.people = people
	// A description alone is the summary and the body both (normalize):
	// the longer of the two is the story's text.
	ts.article = max(len(summary.Tokens), len(body.Tokens)) >= articleWords
	stop := stopwords.Bit(lang) | stopwords.Bit("en")
	facts, known := wordTable(), wordShapes()
	for _, f := range []struct {
		text tokens.Field
		w    float64
	}{{title, titleWeight}, {summary, summaryWeight}, {body, bodyWeight}} {
		if f.text.Text == "" {
			continue
		}
		inText := f.w != titleWeight
		ts.hasText = ts.hasText || inText
		hv := headlineVerbs{titleCase: !inText && titleCased(f.text.Tokens)}
		ts.titleCase = hv.titleCase
		prev, lowerPrev, det := "", false, false
		// prevParticle: prev stands inside a name (nameParticle)
		prevParticle := false
		run := ts.run[:0] // the phrase being read: content words in a row
		toks := f.text.Tokens
		shouted := shout{toks: toks}
		ts.inTitle = !inText
		// The word after this one, looked up already for this one's
		// clause (see after): its normalized form and facts carried to its
		// own turn, so each word of a text is normalized and looked up
		// once, not twice.
		nextWord, nextFacts, carried := "", wordFacts{}, false
		afterAdverb := false // the word before was an adverb
		for i, t := range toks {
			switch {
			case !inText:
				ts.seg = 0
			case f.w == summaryWeight:
				ts.seg = 1 // the summary leads the story
			default:
				ts.seg = 1 << (8 * i / len(toks))
			}
			w, wf := nextWord, nextFacts
			if !carried {
				w = normalize(t.Lower)
				wf = factsTok(t, w, facts, known)
			}
			carried = false
			// An -ed or -ing word after an article is an adjective or a
			// noun: "an extended cut", "the distracted driver".
			verbForm := english && isVerbForm(w, wf)
			verb := verbForm && !(det && !wf.verb && !t.Break)
			// ... but it joins a pair and is no keyword alone: no
			// "expanded" from "an expanded program".
			adjOnly := verbForm && !verb
			if lang == "de" && !t.SentStart && !nounCase(t) {
				// German capitalises its nouns: a lowercase word is a
				// verb, an adverb or an adjective. Before a noun it is
				// the noun's adjective ("strengere Regeln"), joins a pair
				// and is no keyword alone; a finite verb's -t ("plant",
				// "erreicht") or no noun after it ("streiken erneut",
				// "steigen weiter") make it no phrase's word at all.
				nounNext := i+1 < len(toks) && !toks[i+1].Break && !toks[i+1].SentStart && nounCase(toks[i+1])
				verb = verb || strings.HasSuffix(w, "t") || !nounNext
				adjOnly = true
			}
			if lang == "fr" && !inText && frenchVerb(toks, i, w, prev != "") {
				verb = true // "le président reçoit les dirigeants" (french.go)
			}
			det = wf.det
			// The word after, when it is of the same clause: a verb there
			// makes this word its subject ("rate cuts loom").
			var after wordFacts
			if i+1 < len(toks) && !toks[i+1].Break && !toks[i+1].SentStart {
				nextWord = normalize(toks[i+1].Lower)
				nextFacts, carried = factsTok(toks[i+1], nextWord, facts, known), true
				after = nextFacts
			}
			if english && !inText && t.SentStart {
				hv.verbAhead = verbAhead(toks[i+1:], facts, known)
			}
			hf := wf
			if english && !inText && !wf.hlForm && thirdPerson(w) && (hv.titleCase || !t.Capitalized()) &&
				(objectAhead(toks, f.text.Text, i, hv.titleCase, facts) || afterPerson(toks, i) || quantityAhead(toks, f.text.Text, i, facts) ||
					purposeAhead(toks, i, hv.titleCase, facts) || !hv.titleCase && subjectBefore(toks, i) && nounObjectAhead(toks, i, facts) ||
					hv.titleCase && titleObjectAhead(toks, i, facts)) && pastInDictionary(w) {
				hf.hlForm = true // a verb the list lacks, before its object: "visits Kyiv"
			}
			// a plural subject of one or two words: a longer run before
			// the verb is as often a compound ("arms race fears grow as")
			if english && !inText && !wf.hlBare && hv.pure && hv.afterPlural && !hv.hasVerb && hv.pos <= 2 && (hv.titleCase || !t.Capitalized()) &&
				!plural(w) && endsPredicate(toks, i, facts) && bareVerb(w, wf) {
				hf.dictBare = true // "Ukraine tensions escalate", "stars arrive at"
			}
			// Each rule's cheapest test first, here: most words pay none
			// of the calls.
			if english && !verb && (i > 0 && toks[i-1].Lower == "to" && infinitive(toks, i, inText || !hv.titleCase) && bareVerb(w, wf) ||
				i > 1 && ts.modalVerb(toks, f.text.Text, i, w, wf, !inText && hv.titleCase) ||
				(after.det || prev != "" && infinitiveAhead(toks, i, inText || !hv.titleCase, facts) || prev != "" && !inText && !hv.titleCase && nameAhead(toks, i, facts)) && verbAfterPlural(toks, i, w, wf, facts) ||
				inText && len(w) >= 4 && w[len(w)-1] == 's' && textVerb(toks, f.text.Text, i, w, facts)) {
				// "to buy Jos. A. Bank", "To Launch": a headline's "X to
				// buy Y" has its verb ("Cyprus to ease citizenship rules");
				// so has "X may pressure Y" (afterModal)
				verb = true
				if _, ok := ts.index[w]; !ok && !slices.Contains(ts.learn, w) {
					ts.learn = append(ts.learn, w)
				}
			}
			if english && !verb && (!t.Capitalized() || !inText && hv.titleCase) && coordinatedSubject(toks, i, w, wf, facts) {
				verb = true // "copper and oil fall after", "he and his wife share the position"
			}
			if english && !inText && !verb && (hv.titleCase || !t.Capitalized()) && pastInDictionary(w) &&
				(afterPreverb(toks, i) || openingName(toks, i) && (pluralObjectAhead(toks, i, hv.titleCase, facts) ||
					properName(toks[i-1]) && infinitiveAhead(toks, i, !hv.titleCase, facts)) ||
					!hv.titleCase && afterSentenceCaseName(f.text, i, facts, known)) {
				verb = true // "JOLTS again predicts", "EU delays talks on", "Carney pledges to push", "Carney defends forward guidance"
			}
			if english && !inText && hv.next(t, w, hf, after, stop, verb) {
				verb = true // the headline's verb: "Halcyon teases", "race heats up"
			}
			// An adverb ends a phrase as a verb does (adverb); a capital
			// inside a sentence-case text is a name's ("Kelly", "Bentley").
			// The word after it, of its clause, is what it qualifies: a
			// verb ("eventually consolidate", "allegedly hit Mt. Gox") or
			// an adjective ("relatively flat", "totally ready for"), no
			// keyword either — unless a name ("especially China") or the
			// first word of a noun phrase ("particularly military
			// families": a lower-case content word follows it) — but an -s
			// word the dictionary inflects is the verb before its object
			// ("finally unleashes iOS", "Finally Snags Rival").
			lower := !t.Capitalized() || t.SentStart || hv.titleCase
			adv := english && !verb && lower && adverb(w)
			if english && !verb && afterAdverb && !t.Break && !t.SentStart && !wf.det && (!t.Capitalized() || hv.titleCase) &&
				(!(i+1 < len(toks) && !toks[i+1].Break && !toks[i+1].SentStart && (!toks[i+1].Capitalized() || hv.titleCase) && !skip(nextWord, after, stop)) ||
					pastInDictionary(w)) {
				verb = true
			}
			afterAdverb = adv
			if adv {
				verb = true
			}
			if !verb && english && prev != "" && len(run) <= 2 && designation(toks, f.text.Text, i, w, facts) {
				// "Chapter 11", "Flight 370", "iOS 7.1": the name's number
				// is a pair's word, never a keyword alone
				ts.addPair(prev, w, f.w, inText)
				prev = ""
				run = ts.endRun(run, f.w, inText)
				continue
			}
			if verb || skip(w, wf, stop) {
				prev = "" // a verb ends a phrase: no "employees knew"
				run = ts.endRun(run, f.w, inText)
				continue
			}
			// A particle inside a name ("Stade de France") is no keyword,
			// and no pair ends or starts with it ("stade de", "de
			// france"): the name is kept by its run, which goes on
			// through it, or not at all.
			particle := wf.particle && nameParticle(toks, i, hv.titleCase) // wf.particle: nameParticles[w]
			if !adjOnly && !particle {
				ts.add(w, f.w, false)
			}
			if prev != "" && !t.Break && !t.SentStart && !particle && !prevParticle {
				ts.addPair(prev, w, f.w, inText)
				if english && len(ts.owned) < maxOwned && possessive(f.text, toks[i-1]) {
					ts.owned = append(ts.owned, possession{owner: prev, owned: w, byForm: nameByForm(toks[i-1], prev, &shouted)})
				}
			}
			// A phrase of three words or more is one idea: it does not
			// run from common words into a name ("bitcoin exchange | Mt.
			// Gox").
			if t.Break || t.SentStart || lowerPrev && t.Capitalized() {
				run = ts.endRun(run, f.w, inText)
			}
			// A name's particle is no lower-case word between names: the
			// run goes on through it to the name's end.
			prev, lowerPrev, prevParticle = w, !t.Capitalized() && !particle, particle
			if len(run) == 0 {
				ts.runCaps = true
				ts.runFromParticle = particle
			}
			if ts.runCaps && (t.Capitalized() || particle) {
				ts.capsLead, ts.capsLeadToParticle = len(run)+1, particle
			}
			ts.runCaps = ts.runCaps && (t.Capitalized() || particle)
			ts.runToParticle = particle
			run = append(run, w)
		}
		ts.run = ts.endRun(run, f.w, inText)
		if english {
			ts.addJoins(toks, f.w, hv.titleCase, facts, known, stop)
		}
	}
	ts.seg, ts.inTitle = 0, false
	return ts
}

// modalVerb is afterModal where no person's name holds the modal: a
// capitalised modal may be a name's word ("Theresa May Plan"), which the
// set notes (capModal) so that Pick, which knows the story's people, may
// read the text again with their names (people).
func (ts *termSet) modalVerb(toks []tokens.Token, text string, i int, w string, f wordFacts, titleCase bool) bool {
	if !afterModal(toks, text, i, w, f, titleCase) {
		return false
	}
	k := modalAt(toks, i)
	if !toks[k].Capitalized() {
		return true
	}
	ts.capModal = true
	return !inPersonName(toks, k, ts.people)
}

// addJoins counts the text's pairs of words joined by "of" in one
// clause, or by "and" between two capitalised words of a text that does
// not capitalise every word ("House of Cards", "war of words", "War and
// Peace"): "of" and "and" end a run, so such a phrase is no term, and a
// story that uses its words only there is about the phrase, not the two
// words (addJoined). Only a phrase that stands alone: the pair's first
// word opens it (no content word before it, or a capital after a
// lower-case word) and its last one ends it (no content word after it) —
// not a piece of a longer noun phrase ("creator of | flappy bird", "long
// | history of violence"). A lower-case "and" joins two things a person
// names apart ("copper and oil", "shops and businesses"). Nor a pair that
// a coordination carries on (coordinated), an amount or kind of a thing
// (partitive), a word and a name written as one ("Launch of PonoMusic":
// innerCapital), a role toward a thing or its fate (argumentHeads:
// "Owner Of Sprint"), or a name the dictionary does not hold ("Shades Of
// Nixon": unknownName).
func (ts *termSet) addJoins(toks []tokens.Token, w float64, titleCase bool, facts map[string]wordFacts, known *shapes.Set, stop stopwords.Set) {
	content := func(i int) bool {
		return i >= 0 && i < len(toks) && !skip(normalize(toks[i].Lower), factsTok(toks[i], normalize(toks[i].Lower), facts, known), stop)
	}
	for i := 1; i+1 < len(toks); i++ {
		c := toks[i].Lower
		if c != "of" && c != "and" || toks[i].Break || toks[i].SentStart || toks[i+1].Break || toks[i+1].SentStart {
			continue
		}
		if c == "and" && (titleCase || !toks[i-1].Capitalized() || !toks[i+1].Capitalized() || toks[i-1].SentStart) {
			continue
		}
		if !content(i-1) || !content(i+1) {
			continue
		}
		opens := toks[i-1].SentStart || toks[i-1].Break || !content(i-2) ||
			!titleCase && toks[i-1].Capitalized() && !toks[i-2].Capitalized()
		ends := i+2 >= len(toks) || toks[i+2].Break || toks[i+2].SentStart || !content(i+2) && !coordinated(toks[i+2], c)
		a, b := normalize(toks[i-1].Lower), normalize(toks[i+1].Lower)
		if !opens || !ends || partitive[a] || innerCapital(toks[i+1].Text) {
			continue
		}
		// After "of": an event's noun or a name the dictionary lacks makes
		// no phrase; a role's join is kept only to drop the role (roleLeft).
		role, head := argumentHeads[a]
		if c == "of" && (head && !role || !head && unknownName(toks[i+1], b)) {
			continue
		}
		role = c == "of" && role
		j := slices.IndexFunc(ts.joins, func(x join) bool { return x.a == a && x.conj == c && x.b == b })
		switch {
		case j >= 0:
			ts.joins[j].tf += w
		case len(ts.joins) < maxJoins:
			ts.joins = append(ts.joins, join{a: a, conj: c, b: b, tf: w, role: role})
		}
	}
}

// coordinated reports whether next, the word after a join's last word,
// carries the phrase on: an "and" or "or" ("Game Of Cat And ...", "a
// period of wet and warm weather"), or, after "and", a capitalised word
// of a longer run ("Titanfall and Xbox One", "Trains and Grow Up").
func coordinated(next tokens.Token, conj string) bool {
	return next.Lower == "and" || next.Lower == "or" || conj == "and" && next.Capitalized()
}

// partitive holds the words that say how much or what kind of a thing
// ("a lot of money", "all kinds of tools", "full of baggage"): the thing
// is the keyword, not the amount of it.
var partitive = map[string]bool{
	"lot": true, "lots": true, "kind": true, "kinds": true, "sort": true, "sorts": true,
	"type": true, "types": true, "full": true, "plenty": true, "couple": true, "bunch": true,
	"number": true, "rest": true, "part": true, "chance": true, "chances": true,
}

// argumentHeads holds the nouns that name a role toward a thing or what
// becomes of it ("owner of Sprint", "the future of Bitcoin", "purchase of
// Titanfall"): their complement is what the story is about, often a name
// a title-case headline gives no sign of, and no set phrase is made with
// them — a person picks the thing, not the owner of it. True marks a
// role or a fate, which says nothing of the story alone ("owner",
// "future": see roleLeft); false an event's noun, a topic of its own
// ("sale", "takeover").
var argumentHeads = map[string]bool{
	"owner": true, "owners": true, "maker": true, "makers": true, "creator": true, "creators": true,
	"founder": true, "founders": true, "buyer": true, "buyers": true, "seller": true, "sellers": true,
	"future": true, "fate": true, "charge": true,
	"purchase": false, "acquisition": false, "takeover": false, "sale": false,
}

// unknownName reports whether a capitalised word is one the dictionary
// does not hold: a name ("Shades Of Nixon", "Purchase Of Titanfall"),
// which the join would hide in a phrase.
func unknownName(t tokens.Token, w string) bool {
	return t.Capitalized() && !entities.IsDictionaryWord(w)
}

// innerCapital reports whether a word has a capital after its first
// letter and a lower-case letter too: a name written as one ("iOS",
// "PonoMusic"), which the join would hide in a phrase.
func innerCapital(w string) bool {
	upper, lower := false, false
	for i, r := range w {
		switch {
		case unicode.IsUpper(r) && i > 0:
			upper = true
		case unicode.IsLower(r):
			lower = true
		}
	}
	return upper && lower
}

// addJoined adds the phrases of two words joined by "of" or "and"
// (addJoins) that the story uses its words only in, as phrases of their
// own: "house of cards", "war and peace", "war of words". A story that
// says "war" alone as well is about war, and "and" between two names
// joins two ("Russia and Ukraine"); a name's word is its name's.
func (ts *termSet) addJoined(named, inName map[string]bool) {
	for _, jn := range ts.joins {
		if jn.role {
			ts.roleLeft(jn)
			continue
		}
		if named[jn.a] || named[jn.b] || inName[jn.a] || inName[jn.b] {
			continue
		}
		ia, oka := ts.index[jn.a]
		ib, okb := ts.index[jn.b]
		if !oka || !okb {
			continue // a function word, a verb or a number: no phrase's word
		}
		ta, tb := ts.terms[ia], ts.terms[ib] // copies: addBuf may move the terms
		if ta.tf > jn.tf+1e-9 || tb.tf > jn.tf+1e-9 {
			continue
		}
		ts.buf = append(append(append(append(append(ts.buf[:0], jn.a...), ' '), jn.conj...), ' '), jn.b...)
		t := ts.addBuf(jn.tf, ta.inText || tb.inText)
		t.seg |= ta.seg | tb.seg
		t.inTitle = t.inTitle || ta.inTitle || tb.inTitle
	}
}

// roleLeft marks the role noun of a join that is no phrase ("owner" of
// "Owner Of Sprint", "future" of "the Future of Bitcoin": argumentHeads)
// when the story uses it nowhere else: what the story says of its name,
// no keyword alone. Each use of the join counts in the word's tf, so
// tf(word) > tf(join) is a use outside it (as leftOf).
func (ts *termSet) roleLeft(jn join) {
	if _, ok := ts.index[jn.b]; !ok {
		return // the complement is no term ("the future of e-reading"): the role is all there is
	}
	if i, ok := ts.index[jn.a]; ok && ts.terms[i].tf <= jn.tf+1e-9 {
		ts.terms[i].roleOnly = true
	}
}

// Phrases of three content words in a row ("ai chip race", "foreign
// exchange scandal") are terms too, so the phrase is kept whole rather
// than cut into the pairs it holds ("ai chip", "chip race"); a longer run
// is seldom one phrase ("paris attacks death toll", "google inc maps
// spat"), unless every word of it is capitalised in a text that does not
// capitalise every word: a name of four words ("Dow Jones Transportation
// Average", "Australian Maritime Safety Authority"). The phrase counts
// like a pair: from the headline, or repeated.
const (
	minRun     = 3
	maxRun     = 3
	maxNameRun = 4
)

// endRun adds the run of words just read, when it is a phrase, and
// returns the run emptied.
func (ts *termSet) endRun(run []string, w float64, text bool) []string {
	// A run that starts or ends in a name's particle is a piece of the
	// name ("de la fontaine", "stade de"), cut by a word left out.
	whole := !ts.runFromParticle && !ts.runToParticle
	lead, leadWhole := ts.capsLead, !ts.runFromParticle && !ts.capsLeadToParticle
	ts.runFromParticle, ts.runToParticle, ts.capsLead, ts.capsLeadToParticle = false, false, 0, false
	switch {
	case whole && len(run) >= minRun && (len(run) <= maxRun || len(run) == maxNameRun && ts.runCaps && !ts.titleCase):
		ts.addRun(run, w, text)
	case whole && ts.titleCase && ts.runCaps && len(run) == 2*2 && !anyEndsInS(run):
		// A title-case headline's run of four capitalised words is two
		// names of two ("True Detective Season Finale", "Miley Cyrus
		// Bangerz Tour"): its pairs from its start count once more than
		// the one across its middle ("detective season"). The picker had
		// split such a run only where the recognizer read a person in it,
		// often wrongly ("Season Finale"; issue 15, round 32). Not a run
		// with a word in -s, a plural or a verb that may split it
		// elsewhere ("Companies Celebrate International Women's Day",
		// "Google Inc Maps Spat").
		ts.addPair(run[0], run[1], w, text)
		ts.addPair(run[2], run[3], w, text)
	case text && leadWhole && lead >= minRun && lead <= maxNameRun && lead < len(run):
		// A name of three or four words that a common noun follows in the
		// text ("Le Petit Cambodge restaurant", "Australian Maritime
		// Safety Authority officials"): the run is two ideas, the name is
		// one, and was kept only by its pairs ("le petit"). Not in a
		// headline, whose capitals name less ("Early PC Titanfall
		// players", "Flappy Bird Alternatives Swarm iPhone").
		ts.addRun(run[:lead], w, text)
	}
	return run[:0]
}

// anyEndsInS: a word of run ends in "s".
func anyEndsInS(run []string) bool {
	for _, w := range run {
		if strings.HasSuffix(w, "s") {
			return true
		}
	}
	return false
}

// addRun adds the phrase of the words in run.
func (ts *termSet) addRun(run []string, w float64, text bool) {
	ts.buf = ts.buf[:0]
	for i, r := range run {
		if i > 0 {
			ts.buf = append(ts.buf, ' ')
		}
		ts.buf = append(ts.buf, r...)
	}
	ts.addBuf(w, text)
}

// headlineVerbs finds a headline's verbs, one a clause: a word in the
// present tense ("teases", "heats", "delays") that follows a content word
// of its clause, before any other verb of the clause. The same word
// after a function word, first in its clause or in a clause that has its
// verb already is a noun: "the talks", "Cuts to …", "OPEC extends output
// cuts".
type headlineVerbs struct {
	pos      int  // the word's place in its clause
	hasVerb  bool // the clause has its verb
	afterMid bool // the word before was a content word
	// afterPlural: that word was a plural noun ("shares", "others")
	afterPlural bool
	// titleCase: the headline capitalises its words ("Oil Futures Inch
	// Down"), so a capital says nothing of a name.
	titleCase bool
	// pure: every word of the clause so far is a content word, so a
	// plural among them is its subject, not a preposition's object ("on
	// sales decline")
	pure bool
	// verbAhead: a verb follows soon after the next word ("Athens strike
	// halts", "Mercedes launch event draws"), so the capitalised word
	// opening the headline is a name, not a plural subject ("Stocks fall").
	verbAhead bool
}

// next reads the headline's next token; verb says whether it is a verb by
// its form, after is the facts of the word after it in its clause (none
// at the clause's end). It reports whether the token is the clause's verb.
// A plural form followed by a verb is that verb's subject: "rate cuts
// loom", "job cuts hit", "price hikes anger", "gains may".
func (h *headlineVerbs) next(t tokens.Token, w string, f wordFacts, after wordFacts, stop stopwords.Set, verb bool) bool {
	if t.Break || t.SentStart || f.clause {
		h.pos, h.hasVerb, h.afterMid, h.afterPlural, h.pure = 0, false, false, false, true
		if f.clause {
			return false
		}
	}
	found := false
	switch {
	case verb || f.verb || f.aux:
		h.hasVerb = true
	case !h.hasVerb && f.hlForm && !(plural(w) && (after.hlBare || after.aux || after.verb)) &&
		(h.pos > 0 && h.afterMid || h.pos == 0 && t.Break && !t.SentStart),
		// after its subject, or first after a comma or a semicolon, the
		// second verb of one subject: "Update adds CarPlay, improves Siri"
		!h.hasVerb && h.pos > 0 && h.afterPlural && (f.hlBare || f.dictBare):
		// the plain form after a plural subject: "shares surge"; one the
		// list lacks where the plural opens its clause and no content
		// word follows (dictBare): "tensions escalate"
		h.hasVerb, found = true, true
	}
	h.pos++
	h.pure = h.pure && f.stop&stop == 0 && !f.news
	h.afterMid = !found && f.stop&stop == 0 // a number too: "CSI 300 sinks"
	// A capitalised word in -s is a name ("Texas", "Athens", "Mercedes"),
	// not a plural subject, unless the headline capitalises every word.
	h.afterPlural = h.afterMid && plural(w) && (h.titleCase || !t.Capitalized() || t.SentStart && !h.verbAhead)
	return found
}

// pick scores the story's terms against the corpus, with its entities;
// english applies the English rules against fillers. It returns the
// keywords and the terms the corpus should learn.
func (x *Extractor) pick(ts *termSet, ents []record.Entity, english bool) ([]string, []string) {
	// Entities: a name of several words is one phrase, kept whole and
	// boosted ("mike waltz", "sarah jessica parker"); its words are no
	// keywords alone, nor are other pairs cut from it ("jessica parker").
	// A one-word name is boosted as it is.
	inName := ts.inName
	named := ts.named // one-word entity names: "greece", "bbc"
	var makersBuf [4]string
	makers := makersBuf[:0] // one-word organizations' names: "jeep", "samsung"
	var verbsBuf [4]string
	verbs := verbsBuf[:0] // people's verbs in the headline: "embarks", "share" (personVerb)
	for _, e := range ents {
		parts := ts.parts[:0]
		for f := range strings.FieldsSeq(ts.lower(e.Name)) {
			parts = append(parts, f)
		}
		ts.parts = parts
		for i := range parts {
			parts[i] = normalize(parts[i])
			parts[i] = asSpelled(parts[i], ts.index)
		}
		if len(parts) == 0 {
			continue // an empty or blank name: no words to pick
		}
		boost := salience(e, ts.article)
		if len(parts) == 1 {
			named[parts[0]] = true
			if e.Kind == "organization" {
				makers = append(makers, parts[0])
			}
			if i, ok := ts.index[parts[0]]; ok {
				ts.terms[i].boost = boost
			}
			continue
		}
		if len(parts) > 4 {
			continue
		}
		if english && e.Kind == "person" && len(verbs) < cap(verbsBuf) {
			if v := personVerb(ts.own.title, parts); v != "" {
				verbs = append(verbs, v)
			}
		}
		ts.buf = ts.buf[:0]
		for i, p := range parts {
			if i > 0 {
				ts.buf = append(ts.buf, ' ')
			}
			ts.buf = append(ts.buf, p...)
		}
		w := bodyWeight * float64(max(e.Mentions, 1))
		if e.InTitle {
			w += titleWeight
		}
		var seg uint8 // where the name is: where its last word is ("mostefai")
		if j, ok := ts.index[parts[len(parts)-1]]; ok {
			seg = ts.terms[j].seg
		}
		_, spelled := ts.index[string(ts.buf)]
		t := ts.addBuf(w, ts.seg != 0) // add's: a name of two words or more is a phrase
		t.name, t.boost = true, boost
		t.spelled = t.spelled || spelled
		t.seg |= seg
		t.inTitle = t.inTitle || e.InTitle
		for _, p := range parts {
			inName[p] = true
		}
	}
	if english {
		ts.addJoined(named, inName)
	}
	if len(ts.terms) == 0 {
		return nil, nil
	}
	list, texts := ts.list[:0], ts.texts[:0]
	for i := range ts.terms {
		t := &ts.terms[i]
		if len(t.text) > MaxKeywordBytes/6 && record.JSONBytes(t.text) > MaxKeywordBytes {
			continue // a hostile or broken text's 20 kB "word": no keyword, nor a term the corpus keeps
		}
		// A bigram seen once in the body is usually chance adjacency;
		// keep bigrams from the headline or repeated ones.
		if t.isBi && t.tf < 2 && !t.name {
			continue
		}
		// A headline's pair that the story's own text never uses may be
		// headline syntax, a verb and its subject or object, not a phrase:
		// "BBC names", "Greece passes", "identifies attacker". With no
		// text, the headline is all there is.
		if t.isBi && !t.name && !t.inText && ts.hasText && english && headlineClause(t.text, named) {
			continue
		}
		if !t.name && (len(inName) > 0 && (partOfName(t.text, inName) || t.isBi && crossesName(t.text, inName))) {
			if !t.isBi {
				ts.nameWords = append(ts.nameWords, t.text)
			}
			continue // "kessler", "jessica parker"; "clooney ex"
		}
		// An article's headline word in -s that its text never uses is
		// the headline's verb ("… identifies attacker", "… renews
		// deal"): the story's nouns recur in its text — in an article,
		// not in a sentence of summary ("Protesters clash with police" |
		// "Thousands took to the streets…").
		if !t.isBi && !t.name && !named[t.text] && !t.inText && ts.article && english && thirdPerson(t.text) {
			continue
		}
		if !t.isBi && (english && fillers[t.text] || entities.IsGivenName(t.text)) {
			continue // "way", "want"; "mike" alone
		}
		if t.isBi && !t.name && english && fillers[t.text[strings.LastIndexByte(t.text, ' ')+1:]] {
			continue // "way things", "young people": a phrase ends in what it is about
		}
		list = append(list, t)
		texts = append(texts, t.text)
	}
	ts.list, ts.texts = list, texts // kept for another story's pick
	idf := slices.Grow(ts.idf[:0], len(list))[:len(list)]
	ts.idf = idf
	ts.slots = slices.Grow(ts.slots[:0], len(list))[:len(list)]
	ts.gen = x.c.lookup(texts, idf, ts.slots)
	for i, t := range list {
		t.score = (1 + math.Log(t.tf)) * idf[i] * t.boost
		if t.isBi {
			// a phrase says more than either word, a longer one more
			t.score *= 1.15 + 0.05*float64(strings.Count(t.text, " "))
		}
		if ts.hasText {
			t.score *= ts.aboutness(t)
		}
	}
	// Best first, ties by text: popped from a heap, since the choice
	// below stops after a handful of the hundreds of terms of an article.
	// list is not read again: the heap reorders it in place. The terms
	// chosen are out's, at most x.max: read as a slice, not a map.
	ts.heap = termHeap(list)
	h := &ts.heap
	heap.Init(h)
	out := make([]string, 0, x.max)
	chosen := ts.chosen[:0]
	defer func() { ts.chosen = chosen }()
	// taken: the phrases skipped because a one-word organization chosen
	// before them opens them ("jeep plant" after "jeep").
	var takenBuf [4]*term
	taken := takenBuf[:0]
	for h.Len() > 0 && len(out) < x.max {
		t := heap.Pop(h).(*term)
		if len(verbs) > 0 && !t.name && !t.inText && verbOf(t, verbs) {
			// "embarks" of "Kat Perkins Embarks on", "share crazy" of "…
			// Mintz-Plasse Share Crazy Stories": scored, so the corpus
			// learns them as before, but a person's verb is no keyword.
			continue
		}
		if t.isBi && !t.name && len(ts.owned) > 0 && ownedPair(t.text, ts.owned, named, inName) {
			// "china csi" of "China's CSI 300": the owner is a keyword of
			// its own, and so is what it owns. Scored all the same, so
			// the corpus learns the pair as before; not taken, so the
			// owned word is no maker's leftover ("carplay" of "Apple's
			// CarPlay" after "apple").
			continue
		}
		if t.isBi {
			if j := replaces(t, chosen, ts.hasText, named); j >= 0 {
				out[j], chosen[j] = t.text, t // "galaxy s5" for "s5"; "debt crisis" for "crisis deepens"
				continue
			}
			if overlapsChosen(t.text, out) || holdsChosen(t.text, out) {
				if ownedBy(t.text, makers, out) {
					taken = append(taken, t)
				}
				continue // "chip race" after "ai chip race" or "ai chip"; "colorado marijuana" after "colorado"; "greek debt fears" after "greek debt"
			}
			if t.spelled && abbreviated(t.text, out) {
				continue // "european union" after "eu": the story's short form, once
			}
		} else if coveredBy(t.text, out) || english && numberVariant(t.text, out) || abbreviates(t.text, chosen) {
			continue // "starmer" after "keir starmer"; "pick" after "picks"; "eu" after "european union"
		} else if !named[t.text] && leftOf(t, taken) {
			continue // "plant" of "Ohio Jeep plant" after "jeep": the rest of the maker's plant, no topic alone
		} else if english && !named[t.text] && superlative(t.text) {
			// "highest" of "reaches highest levels": how much of a thing,
			// not what. Scored all the same, so the corpus learns it.
			continue
		} else if t.roleOnly && !named[t.text] {
			// "owner" of "Owner Of Sprint": the story is Sprint's. Scored
			// all the same, so the corpus learns the word as before.
			continue
		}
		out = append(out, t.text)
		chosen = append(chosen, t)
	}
	// The corpus learns the terms that could be scored: unigrams and the
	// bigrams that passed the filter. One-off adjacent pairs would only
	// fill the table. texts is ts's: valid until ts is released; never
	// nil here, since a story with terms counts as a document even when
	// none passed.
	if texts == nil {
		texts = []string{}
	}
	// An infinitive's verb is no keyword, but the corpus learns it as it
	// learns every word: a word's document frequency is how common it is
	// in the news, not in the places a keyword may come from ("fail" of
	// "England fail to advance" is as common as before "to fail" was read
	// as a verb).
	for _, w := range ts.learn {
		if _, ok := ts.index[w]; !ok {
			texts = append(texts, w)
		}
	}
	// A name's words, too: learned only inside the name, each would read
	// as never seen in a story that names the person where the recognizer
	// found no one, and outscore the name ("shailene" and "woodley" apart
	// after seven headlines named Shailene Woodley; round 35).
	texts = append(texts, ts.nameWords...)
	ts.texts = texts
	owned := ownScratch(out, chosen)
	for i, k := range out {
		if fromScratch(chosen[i], k) {
			k, owned = owned[:len(k)], owned[len(k):]
		}
		out[i] = fullStops(k)
	}
	return out, texts
}

// fromScratch says whether keyword k, of term t, must be copied out of
// the slab, which is the next story's (fullStops copies a "." term).
func fromScratch(t *term, k string) bool {
	return t.scratch && strings.IndexByte(k, '.') < 0
}

// ownScratch is the keywords of out that fromScratch copies, in their
// order, in one string: one allocation a story, not one a keyword.
func ownScratch(out []string, chosen []*term) string {
	size := 0
	for i, k := range out {
		if fromScratch(chosen[i], k) {
			size += len(k)
		}
	}
	var b strings.Builder
	b.Grow(size)
	for i, k := range out {
		if fromScratch(chosen[i], k) {
			b.WriteString(k)
		}
	}
	return b.String()
}

// asSpelled is a name's word w as the story spells it: the resolver's
// name keeps its diacritics ("françois hollande") where the story wrote
// the word without them ("Francois Hollande"), and a keyword is written as
// the story writes it — the name once, and no pair cut from it
// ("president francois" beside "françois hollande").
func asSpelled(w string, index map[string]int) string {
	if _, ok := index[w]; ok || isASCII(w) {
		return w
	}
	f := entities.Fold(w)
	if _, ok := index[f]; ok && !strings.Contains(f, " ") {
		return f
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fullStops gives an initialism of the keyword k the full stop its
// terms lose ("u.s data" → "u.s. data", "u.k." as the story wrote it):
// a term is a word trimmed of its edge marks, and "u.s." is spelled so,
// not as "u.s". The corpus keeps its trimmed terms.
func fullStops(k string) string {
	if strings.IndexByte(k, '.') < 0 {
		return k
	}
	var b strings.Builder
	for i, w := range strings.Split(k, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if initialism(w) {
			b.WriteByte('.')
		}
	}
	return b.String()
}

// initialism reports whether w is letters one at a time between full
// stops, its last stop trimmed: "u.s", "u.k", "u.s.a", "d.c".
func initialism(w string) bool {
	n := 0
	for i, r := range w {
		if i%2 == 1 {
			if r != '.' {
				return false
			}
			continue
		}
		if r >= utf8.RuneSelf || !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= 2 && len(w)%2 == 1
}

// termHeap orders terms best first: higher score, then lower text.
type termHeap []*term

func (h termHeap) Len() int { return len(h) }
func (h termHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].text < h[j].text
}
func (h termHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *termHeap) Push(x any)   { *h = append(*h, x.(*term)) }
func (h *termHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// salience is an entity's boost: in a headline alone or with a short
// summary, or named in the headline or again and again in the text, the
// full entityBoost; named once in an article's text, none — a name in
// passing ("a spokesman, Richard Westcott, said") is not what the story
// is about, but a summary's sentence names only what it is about.
func salience(e record.Entity, article bool) float64 {
	if !article || e.InTitle {
		return entityBoost
	}
	return 1 + (entityBoost-1)*min(1, float64(max(e.Mentions, 1)-1)/3)
}

// articleWords is the text (summary or body, in words) a story needs for
// the two rules that judge a headline's word by its absence from the
// text: that the story's nouns recur in it (a headline's -s word it never
// uses is a verb) and that a name given once is a name in passing. A
// headline and a teaser of a few sentences, the commonest RSS item, is
// judged as a headline there ("Protesters clash with police" | "Thousands
// took to the streets…" keeps "protesters"): a description-only item's
// description is its summary and body both, uncut, so a feed's teaser of
// 300 or 500 bytes is 38–97 words (wikiref220's bodies cut so). In
// wikiref220 nine in ten articles run to 250 words or more, the shortest
// 61; 100, 150 and 60 words give the same figures on every label set and
// fault line (review24), 250 moves the article set: 150 judges a
// teaser of up to four sentences as a headline.
const articleWords = 150

// aboutness weighs a term of an article by how far it runs through the
// text: a term in every eighth of it is what the story is about, one in a
// single paragraph a detail of it.
func (ts *termSet) aboutness(t *term) float64 {
	return 1 + aboutSpread*float64(min(termSpread(t), 8))
}

func termSpread(t *term) int {
	spread := bits.OnesCount8(t.seg)
	if t.inTitle {
		spread += titleSpread
	}
	return spread
}

// titleSpread: the headline counts as two eighths of the text more, so
// a headline word the text never uses (often the headline's verb:
// "identifies", "welcomes") does not outrank what the text is about.
const titleSpread = 2

// aboutSpread is what each eighth of the text a term is seen in adds to
// its score in an article.
const aboutSpread = 0.15

// replaces returns the index of the one chosen term the phrase t should
// take the place of, or -1: of two keywords that are pieces of one unit,
// the better piece, not merely the one scored first, stands.
//   - In an article, a chosen word or phrase that t holds, when most of
//     its uses are inside t: t is the unit ("galaxy s5" for "s5", seen as
//     "Galaxy S5" nearly every time; "group chat leak" of the headline for
//     "chat"; not "colorado marijuana" for "colorado").
//   - Two pairs overlapping end to start ("debt crisis", "crisis
//     deepens"): the one ending in the shared word, seen as often, when
//     the other ends in an -s word after a word that is no plural — that
//     -s is a verb and the shared word its subject (not "voluntary output"
//     for "output cuts", which the story says more often).
//
// t must overlap exactly one chosen term, which is no entity's name.
// Each use of t's words inside t counts in the word's tf too, so
// 2·tf(t) ≥ tf(word) is "at least half of the word's uses".
func replaces(t *term, chosen []*term, article bool, named map[string]bool) int {
	j := -1
	for i, c := range chosen {
		if !overlapsChosen(t.text, []string{c.text}) && !(len(t.text) > len(c.text) && strings.Contains(" "+t.text+" ", " "+c.text+" ")) {
			continue
		}
		if j >= 0 {
			return -1 // a piece of two chosen terms: skipped as before
		}
		j = i
	}
	if j < 0 || chosen[j].name || named[chosen[j].text] {
		return -1
	}
	c := chosen[j]
	if len(t.text) > len(c.text) && strings.Contains(" "+t.text+" ", " "+c.text+" ") {
		// A headline's words are all seen once: only an article's text
		// tells a unit from a word that stands alone too.
		if article && (t.inText || t.inTitle) && 2*t.tf >= c.tf {
			return j
		}
		if personPair(t.text, c.text) {
			return j // "miley cyrus" for "cyrus": a person's name whole
		}
		return -1
	}
	if !c.isBi {
		return -1
	}
	tFirst, _, _ := strings.Cut(t.text, " ")
	tLast := t.text[strings.LastIndexByte(t.text, ' ')+1:]
	cFirst, _, _ := strings.Cut(c.text, " ")
	cLast := c.text[strings.LastIndexByte(c.text, ' ')+1:]
	// t = "debt crisis" (ends in the shared word), c = "crisis deepens"
	if tLast == cFirst && t.tf >= c.tf && inflectedS(cLast) && !inflectedS(cFirst) && tFirst != cLast {
		return j
	}
	return -1
}

// ownedBy reports whether the phrase opens with a one-word
// organization's name chosen before it: the organization outranked its
// own thing ("jeep" over "jeep plant", "volkswagen" over "volkswagen
// polo"), which is skipped as a piece of it. Not a place's or a person's
// name: "japan bankruptcy", "russia grip" are the place and the topic.
func ownedBy(phrase string, makers, out []string) bool {
	first, _, _ := strings.Cut(phrase, " ")
	return slices.Contains(makers, first) && slices.Contains(out, first)
}

// leftOf reports whether the word t is what is left of a phrase a chosen
// one-word organization took (taken): the story uses it no more often than inside
// that phrase, so it stands for no topic of its own — "plant" of "Ohio Jeep
// plant" once "jeep" is chosen (round 41). A word the story uses outside
// the phrase too ("the plant employs 900") stands as a term by itself.
// Each use of the phrase counts in the word's tf, so tf(word) > tf(phrase)
// is a use outside it.
func leftOf(t *term, taken []*term) bool {
	for _, p := range taken {
		if t.tf <= p.tf && coveredBy(t.text, []string{p.text}) {
			return true
		}
	}
	return false
}

// holdsChosen reports whether the phrase holds a chosen phrase whole
// ("greek debt fears" after "greek debt"), which replaces did not take
// the place of.
func holdsChosen(phrase string, chosen []string) bool {
	for _, c := range chosen {
		if strings.IndexByte(c, ' ') > 0 && len(phrase) > len(c) && strings.Contains(" "+phrase+" ", " "+c+" ") {
			return true
		}
	}
	return false
}

// numberVariant reports whether w is the singular or the plural of a
// word chosen alone ("pick" beside "picks"): one keyword, twice.
func numberVariant(w string, chosen []string) bool {
	for _, c := range chosen {
		if pluralOf(c, w) || pluralOf(w, c) {
			return true
		}
	}
	return false
}

// pluralOf reports whether p is w+"s" or w+"es", without building either:
// the picker asks it of every word it weighs against every word chosen.
func pluralOf(p, w string) bool {
	rest, ok := strings.CutPrefix(p, w)
	return ok && (rest == "s" || rest == "es")
}

// coveredBy reports whether a chosen phrase holds the word w.
func coveredBy(w string, chosen []string) bool {
	for _, c := range chosen {
		if strings.IndexByte(c, ' ') < 0 || !strings.Contains(c, w) {
			continue
		}
		for p := range strings.SplitSeq(c, " ") {
			if p == w {
				return true
			}
		}
	}
	return false
}

// shortFor reports whether the word w, its full stops aside ("u.s"), is
// the initials of the name of several words, with its function words or
// without ("boe" or "be" for Bank of England). It allocates nothing: the
// picker runs it for every word it weighs.
func shortFor(w, name string) bool {
	if strings.IndexByte(name, ' ') < 0 {
		return false
	}
	w = strings.Trim(w, ".")
	return len(w) > 1 && (initialsAre(w, name, true) || initialsAre(w, name, false))
}

// initialsAre reports whether w, its full stops aside, is the name's
// initials, its function words' too when all is set.
func initialsAre(w, name string, all bool) bool {
	i, n := 0, 0
	for p := range strings.SplitSeq(name, " ") {
		if !all && stopwords.IsAny(p) {
			continue
		}
		for i < len(w) && w[i] == '.' {
			i++
		}
		r, size := utf8.DecodeRuneInString(p)
		if i >= len(w) || !strings.HasPrefix(w[i:], string(r)) {
			return false
		}
		i += size
		n++
	}
	for i < len(w) && w[i] == '.' {
		i++
	}
	return i == len(w) && n > 1
}

// abbreviates reports whether the word w is the short form of an entity's
// name already chosen that the story spells out ("eu" after "european
// union"): a story that spells a name once and writes its initials after
// says one thing twice. A name only the resolver spells ("UK MPs" →
// United Kingdom) is left as it was: the labels take it as the story's
// short form's alternative. A currency ("euros") is no short form.
func abbreviates(w string, chosen []*term) bool {
	for _, c := range chosen {
		if c.spelled && shortFor(w, c.text) {
			return true
		}
	}
	return false
}

// abbreviated reports whether a chosen word is the short form of the
// entity's name, spelled out in the story ("eu" before "european union").
func abbreviated(name string, out []string) bool {
	for _, w := range out {
		if strings.IndexByte(w, ' ') < 0 && shortFor(w, name) {
			return true
		}
	}
	return false
}

// overlapsChosen reports whether a phrase holds a word chosen alone, lies
// inside a chosen phrase, or one of them ends in the word the other
// begins with: the two are pieces of one longer run ("ai chip", "chip
// race"). The word or the phrase chosen first, the better, stands.
func overlapsChosen(phrase string, chosen []string) bool {
	first, _, _ := strings.Cut(phrase, " ")
	last := phrase[strings.LastIndexByte(phrase, ' ')+1:]
	for _, c := range chosen {
		sp := strings.IndexByte(c, ' ')
		if sp < 0 {
			if coveredBy(c, []string{phrase}) {
				return true
			}
			continue
		}
		if c[:sp] == last || c[strings.LastIndexByte(c, ' ')+1:] == first {
			return true
		}
		if len(c) > len(phrase) && strings.Contains(" "+c+" ", " "+phrase+" ") {
			return true
		}
	}
	return false
}

// crossesName reports whether a phrase joins a word of a name with one
// outside it: chance adjacency, "clooney ex" from "Clooney's ex".
func crossesName(text string, inName map[string]bool) bool {
	in, out := false, false
	for p := range strings.SplitSeq(text, " ") {
		if inName[p] {
			in = true
		} else {
			out = true
		}
	}
	return in && out
}

// partOfName reports whether a term is a word of an entity's name, or a
// pair of them: the name itself is the keyword.
func partOfName(text string, inName map[string]bool) bool {
	for p := range strings.SplitSeq(text, " ") {
		if !inName[p] {
			return false
		}
	}
	return true
}

// normalize folds a token into a term: possessives and edge punctuation go.
func normalize(w string) string {
	w = strings.TrimSuffix(w, "'s")
	// strings.Trim(w, "'.-&") by hand: Trim builds its set of bytes on
	// every call, and collect calls this for every word of a story.
	i, j := 0, len(w)
	for i < j && edgePunct(w[i]) {
		i++
	}
	for j > i && edgePunct(w[j-1]) {
		j--
	}
	return w[i:j]
}

func edgePunct(c byte) bool { return c == '\'' || c == '.' || c == '-' || c == '&' }

// Stats reports the corpus size, for metrics and tests.
func (x *Extractor) Stats() (terms int, docs float64) { return x.c.size() }

// headlineClause reports whether a headline's pair reads as a clause, not
// a phrase: its first word a verb in the third person ("names stade",
// "requests investigation"), or a one-word name and such a verb ("bbc
// names", "greece passes"). Plural nouns end phrases ("family members",
// "terror attacks"), rarely start them.
func headlineClause(pair string, named map[string]bool) bool {
	a, b, _ := strings.Cut(pair, " ")
	return thirdPerson(a) || named[a] && thirdPerson(b)
}

// plural: ends in -s as a plural noun does ("shares", "nations"), not
// as "crisis", "bonus", "press" or "us".
func plural(w string) bool { return inflectedS(w) || unmarkedPlurals[w] }

// unmarkedPlurals are plural nouns with no -s: "Police arrest fan",
// "people flock to".
var unmarkedPlurals = words(`police people children men women`)

// thirdPerson: ends in -s as a verb does, not as "crisis", "bonus",
// "press" or "news" (a newsStop word) do.
func thirdPerson(w string) bool { return inflectedS(w) && !newsStop[w] }

// inflectedS reports whether a word of four letters or more ends in an
// -s that English adds (a plural or a verb's third person): not after
// s, u or i ("press", "bonus", "crisis"). The two readings share the
// form; only where the word stands tells them apart.
func inflectedS(w string) bool {
	n := len(w)
	return n >= 4 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i'
}

// nounCase reports whether a German word is written as a noun: with a
// capital anywhere, not only first, so the brands and terms written
// lowercase first ("iPhone", "eBay", "mRNA-Impfstoff", "iOS") are nouns.
func nounCase(t tokens.Token) bool {
	for i := 0; i < len(t.Text); i++ {
		c := t.Text[i]
		if 'A' <= c && c <= 'Z' {
			return true
		}
		if c >= utf8.RuneSelf {
			return strings.ContainsFunc(t.Text[i:], unicode.IsUpper)
		}
	}
	return false
}

// titleCased reports whether a headline capitalises its words of four
// letters or more, three at least ("Oil Futures Inch Down On China
// Worries").
func titleCased(ts []tokens.Token) bool {
	n := 0
	for _, t := range ts {
		if len(t.Lower) < 4 {
			continue
		}
		if !t.Capitalized() {
			return false
		}
		n++
	}
	return n >= 3
}

// verbAhead reports whether a verb stands among the four words after the
// next one, in the same clause: "[Athens] strike halts", "[Texas] ban on
// abortion pills upheld".
func verbAhead(ts []tokens.Token, facts map[string]wordFacts, known *shapes.Set) bool {
	for i := 1; i < len(ts) && i <= 4; i++ {
		if ts[i].Break || ts[i].SentStart {
			return false
		}
		f := factsTok(ts[i], normalize(ts[i].Lower), facts, known)
		if f.clause {
			return false
		}
		if f.hlForm || f.verb {
			return true
		}
	}
	return false
}
