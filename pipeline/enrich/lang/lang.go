// Package lang detects the language of a news story offline, in pure Go,
// from three kinds of evidence that work on text as short as a headline:
//
//   - the writing system: Arabic, Greek, Hebrew, Hangul, kana and Han
//     script settle the language outright; Cyrillic narrows it to Russian
//     or Ukrainian, which letters like і/ї/є and ы/э/ъ then separate;
//   - function words (from package stopwords) and language-specific
//     letters (ß, ñ, ã, å, ł, ğ), each weighted by how many candidate
//     languages share it;
//   - a character-trigram ranking (github.com/abadojack/whatlanggo's, the
//     franc profiles), restricted to the configured languages and computed
//     over tables inverted once at start (trigram.go).
//
// The feed's declared language is a prior worth a little more than one
// distinctive function word: it decides when the text is too short to
// (e.g. a six-word headline of proper nouns), and is overruled when the
// text clearly says otherwise (an English feed quoting a French article,
// or a short headline with two or more function words only another
// language holds together: see overridesPrior).
package lang

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Supported lists the languages Detector can return, as BCP 47 primary
// subtags.
var Supported = []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "ar", "pl", "sv", "tr", "el", "he", "ja", "ko", "zh"}

// Default is the language set used when none is configured.
var Default = []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "ar", "pl", "sv", "tr", "el", "he", "ja", "ko", "zh"}

var whatlang = map[string]whatlanggo.Lang{
	"en": whatlanggo.Eng, "de": whatlanggo.Deu, "fr": whatlanggo.Fra, "es": whatlanggo.Spa,
	"it": whatlanggo.Ita, "pt": whatlanggo.Por, "nl": whatlanggo.Nld, "ru": whatlanggo.Rus,
	"uk": whatlanggo.Ukr, "pl": whatlanggo.Pol, "sv": whatlanggo.Swe, "tr": whatlanggo.Tur,
}

var fromWhatlang = func() map[whatlanggo.Lang]string {
	m := make(map[whatlanggo.Lang]string, len(whatlang))
	for k, v := range whatlang {
		m[v] = k
	}
	return m
}()

// Weights of the evidence, in units of "one function word found only in
// this language". Tuned on testdata/corpus (see lang_test.go).
const (
	priorWeight   = 1.5
	letterWeight  = 0.6 // a letter several candidates use
	uniqueLetter  = 1.2 // a letter only one Latin-script candidate uses (ß, ñ, ã, ł)
	cyrillicOwn   = 2.5 // і/ї/є are never Russian, ы/э/ъ never Ukrainian
	trigramWeight = 2.0
	// trigramFull is the letter count from which the trigram ranking gets
	// its full weight: on a five-word headline it is mostly noise (measured:
	// English headlines of proper nouns ranked French or Dutch).
	trigramFull = 80.0
	// englishBase is the base rate of English in international news feeds:
	// it decides between Latin-script languages only when nothing else does.
	englishBase = 0.4
)

// letterOwners: letters that only some Latin or Cyrillic languages use.
var letterOwners = map[rune][]string{
	'ß': {"de"}, 'ä': {"de", "sv"}, 'ö': {"de", "sv", "tr"}, 'ü': {"de", "tr"},
	'é': {"fr", "es", "pt"}, 'è': {"fr", "it"}, 'ê': {"fr", "pt"}, 'à': {"fr", "it", "pt"},
	'ç': {"fr", "pt", "tr"}, 'ù': {"fr", "it"}, 'â': {"fr", "pt"}, 'î': {"fr"}, 'ô': {"fr", "pt"},
	'œ': {"fr"}, 'ë': {"fr", "nl"}, 'ï': {"fr", "nl"},
	'ñ': {"es"}, 'á': {"es", "pt"}, 'í': {"es", "pt"}, 'ó': {"es", "pt", "pl"}, 'ú': {"es", "pt"},
	'ã': {"pt"}, 'õ': {"pt"}, 'ì': {"it"}, 'ò': {"it"},
	'å': {"sv"},
	'ą': {"pl"}, 'ę': {"pl"}, 'ł': {"pl"}, 'ń': {"pl"}, 'ś': {"pl"}, 'ź': {"pl"}, 'ż': {"pl"}, 'ć': {"pl"},
	'ğ': {"tr"}, 'ı': {"tr"}, 'ş': {"tr"},
	'і': {"uk"}, 'ї': {"uk"}, 'є': {"uk"}, 'ґ': {"uk"},
	'ы': {"ru"}, 'э': {"ru"}, 'ъ': {"ru"}, 'ё': {"ru"},
}

// splitBufs are reused token slices for score: splitting the sample was a
// tenth of the bytes enrichment allocates per article.
var splitBufs = sync.Pool{New: func() any { return new([]tokens.Token) }}

// maxCandidates bounds the languages of one script family (the ten
// Latin-script ones): the size of the per-call arrays that score and
// rankTrigrams keep instead of maps. init and newTrigramTable hold every
// family to it.
const maxCandidates = 16

func init() {
	for _, fam := range []map[string]bool{latinLangs, cyrillicLangs} {
		if len(fam) > maxCandidates {
			panic(fmt.Sprintf("lang: %d languages in one script family; raise maxCandidates (%d)", len(fam), maxCandidates))
		}
	}
}

var latinLangs = map[string]bool{"en": true, "de": true, "fr": true, "es": true, "it": true, "pt": true, "nl": true, "pl": true, "sv": true, "tr": true}
var cyrillicLangs = map[string]bool{"ru": true, "uk": true}

// Detector picks one of a fixed set of languages. It is immutable and safe
// for concurrent use.
type Detector struct {
	set     map[string]bool
	latin   []string
	cyr     []string
	useTri  bool
	triOpts map[string]whatlanggo.Options // keyed by script family
	// latinFam and cyrFam are what score asks of each family's
	// candidates on every text, worked out once here.
	latinFam, cyrFam family
}

// family is a script family's candidates as score reads them.
type family struct {
	name    string                       // "latin" or "cyrillic"
	cands   []string                     // the configured languages of the family, in configured order
	candBit [maxCandidates]stopwords.Set // candBit[i] is cands[i]'s stopword list's bit
	tri     *trigramWhitelist            // triOpts[name]'s whitelist, read once
}

func newFamily(name string, cands []string, opts whatlanggo.Options) family {
	f := family{name: name, cands: cands, tri: newTrigramWhitelist(opts.Whitelist)}
	for i, l := range cands {
		f.candBit[i] = stopwords.Bit(l)
	}
	return f
}

// Result is a detection.
type Result struct {
	Lang       string  // BCP 47 primary subtag, or "" when the text has no letters and there is no prior
	Confidence float64 // 0..1: the winner's share of the evidence
}

// New returns a Detector choosing among langs (BCP 47 primary subtags,
// any case).
func New(langs []string) (*Detector, error) {
	if len(langs) == 0 {
		return nil, fmt.Errorf("lang: no languages given")
	}
	d := &Detector{set: map[string]bool{}, useTri: true, triOpts: map[string]whatlanggo.Options{}}
	ok := map[string]bool{}
	for _, l := range Supported {
		ok[l] = true
	}
	for _, l := range langs {
		l = Normalize(l)
		if !ok[l] {
			return nil, fmt.Errorf("lang: unsupported language %q (supported: %s)", l, strings.Join(Supported, " "))
		}
		if d.set[l] {
			continue
		}
		d.set[l] = true
		if latinLangs[l] {
			d.latin = append(d.latin, l)
		}
		if cyrillicLangs[l] {
			d.cyr = append(d.cyr, l)
		}
	}
	d.triOpts["latin"] = whitelist(d.latin)
	d.triOpts["cyrillic"] = whitelist(d.cyr)
	d.latinFam = newFamily("latin", d.latin, d.triOpts["latin"])
	d.cyrFam = newFamily("cyrillic", d.cyr, d.triOpts["cyrillic"])
	return d, nil
}

func whitelist(ls []string) whatlanggo.Options {
	w := map[whatlanggo.Lang]bool{}
	for _, l := range ls {
		w[whatlang[l]] = true
	}
	return whatlanggo.Options{Whitelist: w}
}

// Normalize reduces a declared language ("en-US", "EN_gb", "pt-BR ") to
// its primary subtag, lowercased ("en", "pt"). Feeds declare all sorts.
func Normalize(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// scriptCounts counts letters per writing system.
type scriptCounts struct{ latin, cyrillic, arabic, greek, hebrew, han, kana, hangul int }

func countScripts(s string) scriptCounts {
	var c scriptCounts
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		switch {
		case r < 0x250:
			c.latin++
		case unicode.Is(unicode.Cyrillic, r):
			c.cyrillic++
		case unicode.Is(unicode.Arabic, r):
			c.arabic++
		case unicode.Is(unicode.Greek, r):
			c.greek++
		case unicode.Is(unicode.Hebrew, r):
			c.hebrew++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			c.kana++
		case unicode.Is(unicode.Hangul, r):
			c.hangul++
		case unicode.Is(unicode.Han, r):
			c.han++
		}
	}
	return c
}

// Detect returns the language of text. prior is the feed's declared
// language ("" when none); it is used only if it is one of the
// configured languages.
func (d *Detector) Detect(text, prior string) Result {
	return d.detect(text, prior, nil, true)
}

// Language is Detect(text, prior).Lang, without the confidence: it skips
// the trigram ranking, the costliest evidence, when the ranking could not
// change which language wins (most headlines with a function word or two).
func (d *Detector) Language(text, prior string) string {
	return d.detect(text, prior, nil, false).Lang
}

// LanguageOfWords is Language(text, prior) for a text its caller has split
// already: words, read one piece after the other, are tokens.Split(text)'s
// tokens (only their Text, Lower and Word are read, so fields split apart
// and joined by line breaks qualify; a word's Word is 0 or its Lower's
// entry in the word table, as wordtable.Note gives it). Enrichment splits
// each field once for every step; the language sample is made of them.
// Nil words: the text is split here.
func (d *Detector) LanguageOfWords(text string, words [][]tokens.Token, prior string) string {
	return d.detect(text, prior, words, false).Lang
}

// detect is Detect; without confidence, the Result's Confidence may be
// computed from less evidence, its Lang never.
// words are text's tokens when the caller has them (LanguageOfWords), nil
// when not.
func (d *Detector) detect(text, prior string, words [][]tokens.Token, confidence bool) Result {
	prior = Normalize(prior)
	if !d.set[prior] {
		prior = ""
	}
	c := countScripts(text)
	// Pick the dominant script; a few Latin letters in Arabic text (brand
	// names, "NATO") must not decide it. A Han, kana or Hangul character is
	// a syllable or a word where an alphabet's letter is a sound: counted
	// one for one, a Chinese press release naming three companies in Latin
	// letters read as English (an IPTC Business Wire example did).
	const syllabic = 3
	type sc struct {
		n    int
		name string
	}
	best := sc{0, ""}
	for _, x := range []sc{{c.latin, "latin"}, {c.cyrillic, "cyrillic"}, {c.arabic, "ar"}, {c.greek, "el"}, {c.hebrew, "he"},
		{syllabic * (c.han + c.kana), "cjk"}, {syllabic * c.hangul, "ko"}} {
		if x.n > best.n {
			best = x
		}
	}
	switch best.name {
	case "":
		return Result{Lang: prior}
	case "ar", "el", "he", "ko":
		if d.set[best.name] {
			return Result{Lang: best.name, Confidence: 1}
		}
		return Result{Lang: prior}
	case "cjk":
		// Japanese mixes kana into Han; Chinese has none. A Japanese feed's
		// all-kanji headline keeps its prior.
		if c.kana > 0 && d.set["ja"] {
			return Result{Lang: "ja", Confidence: 1}
		}
		if prior == "ja" || prior == "zh" {
			return Result{Lang: prior, Confidence: 0.6}
		}
		if d.set["zh"] {
			return Result{Lang: "zh", Confidence: 0.8}
		}
		return Result{Lang: prior}
	case "cyrillic":
		return d.score(text, words, &d.cyrFam, prior, confidence)
	default:
		return d.score(text, words, &d.latinFam, prior, confidence)
	}
}

// stopSet is the languages whose stopword lists hold t.Lower: from the
// shared word table when the word was noted there, which every word of a
// story is once, before detection reads it.
func stopSet(t tokens.Token) stopwords.Set {
	if t.Word != 0 {
		return wordtable.Of(t).Stop
	}
	return stopwords.Langs(t.Lower)
}

// shareSet is share of a stopword's languages, set: w parted equally
// among the candidates whose lists hold the word (candBit[i] is
// cands[i]'s bit), none if none does.
func shareSet(scores []float64, candBit []stopwords.Set, set stopwords.Set, w float64) {
	n := 0
	for _, b := range candBit {
		if set&b != 0 {
			n++
		}
	}
	if n == 0 {
		return
	}
	for i, b := range candBit {
		if set&b != 0 {
			scores[i] += w / float64(n)
		}
	}
}

func (d *Detector) score(text string, words [][]tokens.Token, fam *family, prior string, confidence bool) Result {
	cands, family := fam.cands, fam.name
	switch len(cands) {
	case 0:
		return Result{Lang: prior}
	case 1:
		return Result{Lang: cands[0], Confidence: 1}
	}
	// scores[i] is cands[i]'s: an array, not a map per call (at most the
	// ten Latin-script languages)
	var arr [maxCandidates]float64
	scores := arr[:len(cands)]
	share := func(owners []string, w float64) {
		n := 0
		for _, o := range owners {
			if slices.Contains(cands, o) {
				n++
			}
		}
		if n == 0 {
			return
		}
		for _, o := range owners {
			if i := slices.Index(cands, o); i >= 0 {
				scores[i] += w / float64(n)
			}
		}
	}
	// hits[i] counts the runs of function words in the text that
	// cands[i]'s list holds a new word of: a shared word is weak evidence
	// alone ("de" is six languages'), but several that one language holds
	// together are strong (see overridesPrior). A run ("von der", "de la")
	// counts once, as a name's particle does.
	var hitArr [maxCandidates]int
	hits := hitArr[:len(cands)]
	var runArr [maxCandidates]bool
	run := runArr[:len(cands)]
	// lower[i]: a lower-case word of the text has a letter cands[i] uses
	// and English does not ("empfängt", "für"); see overridesPrior.
	var lowerArr [maxCandidates]bool
	lower := lowerArr[:len(cands)]
	var seenArr [8]string
	seen := seenArr[:0]
	endRun := func() {
		for i, in := range run {
			if in {
				hits[i]++
				run[i] = false
			}
		}
	}
	// candBit[i] is cands[i]'s stopword list's bit: a word's languages
	// (stopSet) read as owners among the candidates, as Owners' were.
	candBit := fam.candBit[:len(cands)]
	letters := 0
	if words == nil {
		buf := splitBufs.Get().(*[]tokens.Token)
		defer func() {
			clear(*buf) // drop the strings
			splitBufs.Put(buf)
		}()
		*buf = tokens.AppendSplit((*buf)[:0], text)
		words = [][]tokens.Token{*buf}
	}
	for _, piece := range words {
		for _, t := range piece {
			if set := stopSet(t); set != 0 {
				shareSet(scores, candBit, set, 1)
				if !slices.Contains(seen, t.Lower) && len(seen) < cap(seen) {
					seen = append(seen, t.Lower)
					for i, b := range candBit {
						if set&b != 0 {
							run[i] = true
						}
					}
				}
			} else {
				endRun()
			}
			// Accents in a capitalised word are often a foreign name's
			// ("Beyoncé" in an English headline): half weight.
			capital := 1.0
			if t.Capitalized() && family == "latin" {
				capital = 0.5
			}
			for _, r := range t.Lower {
				letters++
				if r < utf8.RuneSelf {
					continue // no ASCII letter is in letterOwners: spare the lookup
				}
				owners, ok := letterOwners[r]
				if !ok {
					continue
				}
				w := letterWeight
				if len(owners) == 1 {
					w = uniqueLetter
					if family == "cyrillic" {
						w = cyrillicOwn
					}
				}
				share(owners, w*capital)
				if !t.Capitalized() {
					for _, o := range owners {
						if i := slices.Index(cands, o); i >= 0 {
							lower[i] = true
						}
					}
				}
			}
		}
		endRun()
	}
	if overridesPrior(hits, lower, cands, prior) {
		prior = ""
	}
	// The trigram ranking is the costliest evidence (measured: 45% of
	// Enrich on a headline): consult it only while function words and
	// letters leave the race open, and on the first 300 bytes only.
	if d.useTri && !decided(scores) && (confidence || !settled(scores, cands, family, prior, letters)) {
		wl, conf := fam.tri.rank(record.Prefix(text, 300))
		if i := slices.Index(cands, fromWhatlang[wl]); i >= 0 {
			scores[i] += trigramWeight * conf * min(1, float64(letters)/trigramFull)
		}
	}
	if i := slices.Index(cands, "en"); family == "latin" && i >= 0 {
		scores[i] += englishBase
	}
	if i := slices.Index(cands, prior); prior != "" && i >= 0 {
		scores[i] += priorWeight
	}
	bestL, best, total := "", -1.0, 0.0
	for i, l := range cands { // fixed order: ties go to the earlier configured language
		s := scores[i]
		total += s
		if s > best {
			bestL, best = l, s
		}
	}
	if best <= 0 {
		return Result{Lang: prior}
	}
	return Result{Lang: bestL, Confidence: best / total}
}

// overridesPrior reports whether the text's function words outweigh the
// feed's declared language however short the text: the prior's list holds
// none of them, and another candidate's holds two or more distinct ones
// (a run of them counting once).
// Aggregators and wire feeds mix languages under one declaration, and a
// short French headline ("Finale de la Ligue des nations": de, la, des)
// has no distinctive word, only shared ones that French alone holds all
// of. An English headline with a foreign name or loanword ("Le Pen wins",
// "Die Hard reboot", "Mexico City de facto") has one such word: the prior
// keeps it.
//
// One function word overrules it too where a lower-case word of the text
// has a letter the prior's language does not write and the word's
// language does, and no other candidate holds both: "Papst empfängt
// Bundespräsidenten im Vatikan" (im: German and Polish; ä: German and
// Swedish), "Regierung plant strengere Regeln für Waffenbesitz". A
// foreign name or loanword in an English headline is capitalised
// ("Misérables", "Müller"), so its letters say nothing here.
func overridesPrior(hits []int, lower []bool, cands []string, prior string) bool {
	p := slices.Index(cands, prior)
	if p < 0 || hits[p] > 0 || lower[p] {
		return false
	}
	both := 0
	for i, n := range hits {
		if i == p {
			continue
		}
		if n >= 2 {
			return true
		}
		if n == 1 && lower[i] {
			both++
		}
	}
	return both == 1
}

// settled reports whether the leader, with the English base rate and the
// prior added as score adds them, is ahead of every other candidate by
// more than the trigram vote could give one of them (its full weight at
// this many letters): the ranking would then change the confidence only,
// never the winner. The margin is strict, with room for rounding, so the
// vote cannot even tie.
func settled(scores []float64, cands []string, family, prior string, letters int) bool {
	first, second := -1.0, -1.0
	for i, l := range cands {
		s := scores[i]
		if family == "latin" && l == "en" {
			s += englishBase
		}
		if l == prior {
			s += priorWeight
		}
		switch {
		case s > first:
			first, second = s, first
		case s > second:
			second = s
		}
	}
	vote := trigramWeight * min(1, float64(letters)/trigramFull)
	return first > 0 && first-second > vote+1e-9
}

// decided: the leader is ahead by more than the trigram vote and the prior
// together could overturn.
func decided(scores []float64) bool {
	first, second := 0.0, 0.0
	for _, s := range scores {
		switch {
		case s > first:
			first, second = s, first
		case s > second:
			second = s
		}
	}
	return first-second > trigramWeight+priorWeight+englishBase
}
