package keywords

import (
	"strings"
	"sync"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A keyword is what a person would pick to say what a story is about:
// a thing, a name, a phrase — not a verb ("come", "saying", "knew"), not a
// filler ("way", "things", "want"), not a first name alone ("mike"
// beside "mike waltz"). Without a tagger, verbs are told by their form:
// the common news verbs in every inflection, and any -ing or -ed word that
// is not one of the nouns news writes that way ("meeting", "funding").

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// fillerVerbs say nothing about a story, in any form: "come", "comes",
// "coming", "came". Verbs that are also news nouns ("attack", "ban",
// "launch") are not here: only their -ing and -ed forms are dropped.
var fillerVerbs = strings.Fields(`come go say make take get give want need know think see look seem help try tell ask
keep let put mean become begin show feel leave bring hold happen move turn start continue include remain add allow
appear use find call work run set consider expect believe stay wait follow talk speak hear read write learn change
open spend decide agree hope reveal admit insist respond reply explain describe discuss suggest urge vow slam prove
remind reach understand`)

// irregular are past forms of verbs: no keywords. The second part are
// pasts only a verb spells so ("flew", "bought", "struck"), none a noun or
// an adjective's common spelling (not "slew", "sang", "lent", "drew",
// "frozen").
var irregular = words(`upheld came went gone said made took taken got gotten gave given knew known thought saw seen kept meant
became began begun showed shown felt left brought held met paid led spoke spoken heard wrote written learnt sent spent
lost won ran sat stood fought caught broke broken fell fallen rose risen grew grown threw thrown built sought told found
did done
flew drove chose froze wore tore swore sank shrank sprang swam rang drank ate shook withdrew overtook undertook underwent
mistook forgave forbade forgot rode strode arose hid stole bought struck taught dealt fled sold dug stuck swung clung
flung slid spun sped wept swept slept knelt snuck`)

// fillers are content words too vague to be a keyword; quantities
// ("million", "hundreds", "tens") say how many, not of what, "ago" when,
// and "midst" ("in the midst of") where in nothing.
var fillers = words(`way ways thing things lot lots bit kind sort part parts place places case cases point points fact
side sides end start set number numbers group groups area areas level levels term terms issue issues matter matters
question questions reason reasons idea ideas look time times week weeks year years day days month months today tonight
higher lower now yes no ok okay really finally immediately actually still even ever never always already soon later early earlier
just only also again back away much many more most less least very too quite rather almost nearly probably maybe perhaps
possible likely new old big small good bad best better worse worst great high low full top next last first second third
real true sure certain clear different same whole own other another every each several various major key main final
note notes tips list lists things help want wants something anything everything nothing someone anyone everyone
people person man woman men women
hundred hundreds thousand thousands million millions billion billions trillion dozen dozens tens ago midst`)

// ingNouns are -ing words news uses as nouns: kept as keywords.
var ingNouns = words(`meeting meetings building buildings wedding weddings funding shooting shootings bombing bombings
hearing hearings ruling rulings spending housing training trading banking offering opening warning warnings briefing
ceiling evening morning boxing clothing crossing dealing drawing finding findings gathering heading landing listing
marketing painting parking planning rating ratings reading recording setting standing timing understanding viewing
writing pricing lending mining farming fishing shipping hacking doping lobbying polling voting screening swimming
cycling skiing sailing racing fundraising clearing printing streaming gaming dating killing killings kidnapping
smuggling trafficking bailout bullying beheading looting flooding fracking lockdown outing king thing spring string
wing ring sibling darling ping beijing viking pudding`)

// edWords end in -ed but are no verb forms.
var edWords = words(`hundred bed red shed sled fled med speed seed feed need greed breed creed steed reed weed deed
united ted ed fred ned`)

// isVerbForm reports whether w (lower case, with its wordFacts) is a
// verb by its form.
func isVerbForm(w string, f wordFacts) bool {
	if f.verb {
		return true
	}
	n := len(w)
	switch {
	case n >= 5 && strings.HasSuffix(w, "ing"):
		return !f.ingNoun
	case n >= 5 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		return !f.edWord
	case n >= 5 && strings.HasSuffix(w, "eed"):
		// a verb in -ee: "agreed", "guaranteed", "freed" (not "speed",
		// "greed": no "speeing")
		return !f.edWord && entities.IsDictionaryWord(w[:n-1]+"ing")
	case n == 4 && strings.HasSuffix(w, "ed") && w[2] == 'e':
		// a past of four letters, of a verb in -e: "used", "died",
		// "sued" ("uses", "dies"; not "shed", "bred")
		return !f.edWord && entities.IsDictionaryWord(w[:3]+"s")
	}
	return false
}

// verbForms holds fillerVerbs with their regular inflections.
var verbForms = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range fillerVerbs {
		m[v] = true
		switch {
		case strings.HasSuffix(v, "y") && !strings.ContainsAny(v[len(v)-2:len(v)-1], "aeiou"):
			m[v[:len(v)-1]+"ies"] = true
		case strings.HasSuffix(v, "s"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"), strings.HasSuffix(v, "x"),
			strings.HasSuffix(v, "o"): // "goes"
			m[v+"es"] = true
		default:
			m[v+"s"] = true
		}
	}
	return m
}()

// verbs is irregular and verbForms in one set: one lookup per word.
var verbs = func() map[string]bool {
	m := make(map[string]bool, len(irregular)+len(verbForms))
	for w := range irregular {
		m[w] = true
	}
	for w := range verbForms {
		m[w] = true
	}
	return m
}()

// wordFacts is what collect asks of every token: one lookup in wordTable
// answers what took up to five map lookups (newsStop, the stopword lists,
// verbs, ingNouns, edWords), and a word in none of them, most of a
// story's, misses once.
type wordFacts struct {
	stop    stopwords.Set // the languages whose stopword lists hold it
	news    bool          // in newsStop
	verb    bool          // in verbs
	ingNoun bool          // in ingNouns
	edWord  bool          // in edWords
	// what headlineVerbs asks of a headline's words
	hlForm bool // in headlineVerbForms
	hlBare bool // in headlineVerbBare
	aux    bool // in auxiliaries
	clause bool // in clauseStarts
	det    bool // in determiners
	// quantity: in quantityWords, which skip drops as an amount's digits
	quantity bool
	// what the modal rule and the particle rule ask of every word: in
	// modals, modalNegations, nameParticles — read from the word's entry,
	// not three more lookups by string a word
	modal, modalNeg, particle bool
	// dictBare: set per token, not in the table — a verb's plain form by
	// the dictionary (bareVerb) where no content word follows it
	dictBare bool
}

// wordTable merges the lists into one table, built on first use.
var wordTable = sync.OnceValue(func() map[string]wordFacts {
	stops := stopwords.All()
	m := make(map[string]wordFacts, len(stops)+len(newsStop)+len(verbs))
	for w, s := range stops {
		m[w] = wordFacts{stop: s}
	}
	for _, set := range []struct {
		words map[string]bool
		mark  func(*wordFacts)
	}{
		{newsStop, func(f *wordFacts) { f.news = true }},
		{verbs, func(f *wordFacts) { f.verb = true }},
		{ingNouns, func(f *wordFacts) { f.ingNoun = true }},
		{edWords, func(f *wordFacts) { f.edWord = true }},
		{headlineVerbForms, func(f *wordFacts) { f.hlForm = true }},
		{headlineVerbBare, func(f *wordFacts) { f.hlBare = true }},
		{auxiliaries, func(f *wordFacts) { f.aux = true }},
		{clauseStarts, func(f *wordFacts) { f.clause = true }},
		{determiners, func(f *wordFacts) { f.det = true }},
		{quantityWords, func(f *wordFacts) { f.quantity = true }},
		{modals, func(f *wordFacts) { f.modal = true }},
		{modalNegations, func(f *wordFacts) { f.modalNeg = true }},
		{nameParticles, func(f *wordFacts) { f.particle = true }},
	} {
		for w := range set.words {
			f := m[w]
			set.mark(&f)
			m[w] = f
		}
	}
	return m
})

// wordShapes holds the shape of every word of wordTable: most of a
// story's content words are in no list, told without the map (factsOf).
var wordShapes = sync.OnceValue(func() *shapes.Set {
	s := new(shapes.Set)
	for w := range wordTable() {
		s.Add(w)
	}
	return s
})

// factsOf is facts[w] for facts = wordTable(), whose shapes are in
// known = wordShapes().
func factsOf(facts map[string]wordFacts, known *shapes.Set, w string) wordFacts {
	if !known.MayHold(w) {
		return wordFacts{}
	}
	return facts[w]
}

// factsTok is factsOf(facts, known, w) for w = normalize(t.Lower): from
// the shared word table when t was noted there (every word of a story
// is, once, before collect reads it) and normalize left its word whole,
// as it does most words; the table's entry is its Lower's. A word that
// loses a possessive or an edge mark, or one not noted, asks the map.
func factsTok(t tokens.Token, w string, facts map[string]wordFacts, known *shapes.Set) wordFacts {
	if t.Word != 0 && len(w) == len(t.Lower) { // normalize only cuts: same length, same word
		e := wordtable.Of(t)
		return factsOfBits(e.Stop, uint32(e.Keyword))
	}
	return factsOf(facts, known, w)
}

// The keyword column of the shared word table: a word's lists in
// wordTable as bits (factBits); its stopword languages are the table's
// own Stop, from the same lists.
const (
	bitNews uint32 = 1 << iota
	bitVerb
	bitIngNoun
	bitEdWord
	bitHlForm
	bitHlBare
	bitAux
	bitClause
	bitDet
	bitQuantity
	bitModal
	bitModalNeg
	bitParticle
)

// factBits is f's lists as the keyword column's bits (dictBare, set per
// token, is no list's).
func factBits(f wordFacts) uint32 {
	var b uint32
	for _, set := range []struct {
		on  bool
		bit uint32
	}{
		{f.news, bitNews}, {f.verb, bitVerb}, {f.ingNoun, bitIngNoun}, {f.edWord, bitEdWord},
		{f.hlForm, bitHlForm}, {f.hlBare, bitHlBare}, {f.aux, bitAux}, {f.clause, bitClause},
		{f.det, bitDet}, {f.quantity, bitQuantity},
		{f.modal, bitModal}, {f.modalNeg, bitModalNeg}, {f.particle, bitParticle},
	} {
		if set.on {
			b |= set.bit
		}
	}
	return b
}

// factsOfBits is the wordFacts of a word with stopword languages stop
// and the keyword column's bits b: factsOfBits(f.stop, factBits(f)) == f
// for every f of wordTable.
func factsOfBits(stop stopwords.Set, b uint32) wordFacts {
	return wordFacts{
		stop:     stop,
		news:     b&bitNews != 0,
		verb:     b&bitVerb != 0,
		ingNoun:  b&bitIngNoun != 0,
		edWord:   b&bitEdWord != 0,
		hlForm:   b&bitHlForm != 0,
		hlBare:   b&bitHlBare != 0,
		aux:      b&bitAux != 0,
		clause:   b&bitClause != 0,
		det:      b&bitDet != 0,
		quantity: b&bitQuantity != 0,
		modal:    b&bitModal != 0,
		modalNeg: b&bitModalNeg != 0,
		particle: b&bitParticle != 0,
	}
}

// tokenIs reports whether token t's Lower, as it stands (not normalized),
// has the keyword column's bit: set[t.Lower] for the list the bit marks,
// from the word's entry when t was noted in the shared word table (every
// token of a story is, before collect reads it).
func tokenIs(t *tokens.Token, bit uint32, set map[string]bool) bool {
	if t.Word != 0 {
		return uint32(wordtable.Of(*t).Keyword)&bit != 0
	}
	return set[t.Lower]
}

func init() {
	wordtable.ProvideKeyword(func() map[string]uint32 {
		m := map[string]uint32{}
		for w, f := range wordTable() {
			if b := factBits(f); b != 0 {
				m[w] = b
			}
		}
		return m
	})
}

// IsVerbForm reports whether w, a lower-case word, is a verb by its form
// as the English rules read it: a common news verb in any inflection, or
// an -ing or -ed word news does not use as a noun. For measuring.
func IsVerbForm(w string) bool { return isVerbForm(w, wordTable()[w]) }

// IsFiller reports whether w, a lower-case word, is too vague or too
// common in news to be a keyword alone ("way", "said"). For measuring.
func IsFiller(w string) bool { return fillers[w] || newsStop[w] }

// headlineVerbStems are verbs a headline uses in the present tense, its
// "-s" form the headline's verb ("Halcyon teases", "race heats up", "EU
// delays talks"). Many are nouns in the plural too ("cuts", "plans"), so a
// form is read as a verb only where a headline's verb stands (see
// headlineVerbs), never in the body.
var headlineVerbStems = strings.Fields(`accuse acquire announce appeal approve arrest back ban beat blame block boost buy charge
claim clear climb close collect confirm cut deny identify delay destroy dip dismiss drop ease edge escape expand extend eye face
fall file fire gain grab hail halt heat hike hint hire hit hurt jump kill land launch lift link lose mark marry match
miss name near net open order outline pass pay perform pick plan plunge post probe push quit raise rally rank reach
rebound record release reject rise rule sack scrap seal seek sell send shut sign sink slam slash slide slip snap soar
slump sag spark spill split spur stall steal strike sue surge sweep target tease threaten tip top tout tumble unveil urge
vow warn weaken wed weigh win worry improve struggle trim cite drive kick resign retire return
loom inch wane grip draw anger slow resume`)

// headlineVerbForms are the -s forms of headlineVerbStems.
var headlineVerbForms = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range headlineVerbStems {
		switch { // -ss before -s: "passes", "misses", "dismisses"
		case strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"), strings.HasSuffix(v, "x"), strings.HasSuffix(v, "ss"):
			m[v+"es"] = true
		case strings.HasSuffix(v, "s"):
			// already a form ("unveils")
		case strings.HasSuffix(v, "y") && !strings.ContainsAny(v[len(v)-2:len(v)-1], "aeiou"):
			m[v[:len(v)-1]+"ies"] = true
		default:
			m[v+"s"] = true
		}
	}
	return m
}()

// headlineVerbBare are headlineVerbStems as they are: a headline's verb
// after a plural subject ("shares surge", "nations appeal").
var headlineVerbBare = words(strings.Join(headlineVerbStems, " "))

// determiners come before a noun, never before a verb.
var determiners = words(`a an the its his her their our my your this these those`)

// auxiliaries are a clause's verb when a headline has one ("Transit
// ridership is back"): no other word of the clause is read as its verb.
var auxiliaries = words(`is are was were be been has have had will would may might can could should must does do did
isn't aren't won't can't`)

// clauseStarts begin a headline's second clause ("… as AI chip race heats
// up", "… after minutes published"), which has a verb of its own.
// "And" is no clause start: it joins nouns more often ("weak data and
// structural worries").
var clauseStarts = words(`as after while when but amid because`)

// An adverb in -ly says how, not what: "narrowly won", "deliberately
// turned", "easily lasts", "stocks fall slightly". It is no keyword alone
// ("globally", "dramatically") and no word of a noun phrase ("nearly
// halfway", "relentlessly"): it ends the phrase as a verb does. English
// marks most adverbs by the adjective they are made from: an adjective's
// ending before the -ly ("officially", "seriously", "tentatively",
// "purposefully", "lifelessly", "recently", "ultimately", "reportedly",
// "seemingly", "publicly", "similarly", "possibly", "notably") or a
// dictionary adjective in -y ("easily", "heavily"). Adjectives made from
// nouns end the same way but from no such ending: "deadly", "elderly",
// "quarterly", "friendly", "costly", "family", "supply", "rally" are not
// read so. plainAdverbs are the commonest adverbs of a short plain
// adjective ("sharply", "slightly"), which the ending cannot tell from
// "deadly" or "weekly".
func adverb(w string) bool {
	n := len(w)
	if n < 6 || !strings.HasSuffix(w, "ly") {
		return false
	}
	if plainAdverbs[w] {
		return true
	}
	stem := w[:n-2]
	for _, end := range adjectiveEnds {
		if len(stem) >= len(end)+3 && strings.HasSuffix(stem, end) {
			return true
		}
	}
	// -ably, -ibly: "probably", "possibly", "notably"
	if n >= 7 && (strings.HasSuffix(w, "ably") || strings.HasSuffix(w, "ibly")) {
		return true
	}
	// -ily from an adjective in -y: "easily" (easy), "heavily" (heavy);
	// not "family", "daily"
	return strings.HasSuffix(w, "ily") && entities.IsDictionaryWord(w[:n-3]+"y")
}

// adjectiveEnds are the endings of adjectives that adverbs are made from.
var adjectiveEnds = []string{"al", "ic", "ous", "ive", "ful", "less", "ent", "ant", "ate", "ite", "ed", "ing", "ar", "ish"}

// plainAdverbs are adverbs of a plain adjective common in news.
var plainAdverbs = words(`sharply slightly nearly largely mostly quickly roughly secretly quietly openly badly poorly
widely highly strongly briefly narrowly truly surely firmly fairly directly rarely merely solely newly partly shortly
lately hardly mainly slowly steadily sadly deeply closely fully wholly barely`)
