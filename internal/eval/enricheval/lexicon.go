package enricheval

import (
	"bufio"
	"embed"
	"fmt"
	"strings"
	"sync"
)

// The fault measure's verb lexicons (lexicon/verbs-*.txt): closed lists of
// common verbs by inflection, written apart from the keyword picker's word
// lists, so that the measure sees verbs the picker's lists miss instead of
// sharing its blind spots.
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// verbReading says how a word form reads as a verb.
type verbReading uint8

const (
	// verbSure: the form is a verb in at least one reading that is no
	// common noun or adjective ("reveals", "said", "unveiled").
	verbSure verbReading = 1 << iota
	// verbMaybe: the form is a verb, but also a common noun or adjective
	// ("attacks", "meeting", "left"): a verb only by position.
	verbMaybe
	// verbIng: an -ing form, which first in a phrase is its adjective or
	// a noun ("rising prices").
	verbIng
	// verbPast: a past or a participle, which first in a phrase is its
	// adjective ("extended cut").
	verbPast
)

type verbLexicon map[string]verbReading

func (l verbLexicon) add(form string, r verbReading) { l[form] |= r }

var (
	lexOnce sync.Once
	lexicon map[string]verbLexicon
	lexErr  error
)

// verbLexicons reads the lexicons once, by language.
func verbLexicons() (map[string]verbLexicon, error) {
	lexOnce.Do(func() {
		lexicon = map[string]verbLexicon{}
		for lang, build := range map[string]func(base string, forms []string, flags string, l verbLexicon){
			"en": englishForms, "fr": frenchForms, "de": germanForms,
		} {
			l, err := readLexicon("lexicon/verbs-"+lang+".txt", build)
			if err != nil {
				lexErr = err
				return
			}
			lexicon[lang] = l
		}
	})
	return lexicon, lexErr
}

func readLexicon(name string, build func(string, []string, string, verbLexicon)) (verbLexicon, error) {
	f, err := lexiconFS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l := verbLexicon{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line, flags, _ := strings.Cut(line, ":")
		ws := strings.Fields(line)
		if len(ws) == 0 {
			return nil, fmt.Errorf("%s line %d: no verb", name, n)
		}
		build(ws[0], ws[1:], strings.TrimSpace(flags), l)
	}
	return l, sc.Err()
}

// englishForms adds an English verb's forms: base, -s, past, participle,
// -ing (base [past [participle]] :flags, see verbs-en.txt).
func englishForms(base string, irregular []string, flags string, l verbLexicon) {
	reading := func(ambiguous bool) verbReading {
		if ambiguous {
			return verbMaybe
		}
		return verbSure
	}
	noun := strings.Contains(flags, "n")
	l.add(base, reading(noun))
	l.add(sForm(base), reading(noun))
	stem := base
	if strings.Contains(flags, "2") {
		stem += base[len(base)-1:]
	}
	var past []string
	switch {
	case len(irregular) > 0:
		past = irregular
	case strings.HasSuffix(base, "e"):
		past = []string{base + "d"}
	case strings.HasSuffix(base, "y") && !strings.ContainsRune("aeiou", rune(base[len(base)-2])):
		past = []string{base[:len(base)-1] + "ied"}
	default:
		past = []string{stem + "ed"}
	}
	for _, p := range past {
		l.add(p, reading(strings.Contains(flags, "p") || p == base && noun)|verbPast)
	}
	ing := stem + "ing"
	if strings.HasSuffix(base, "e") && !strings.HasSuffix(base, "ee") && len(base) > 2 {
		ing = base[:len(base)-1] + "ing"
	}
	l.add(ing, reading(strings.Contains(flags, "g"))|verbIng)
}

// sForm is the third person singular: -es after a sibilant, -ies after a
// consonant and y.
func sForm(base string) string {
	n := len(base)
	switch {
	case strings.HasSuffix(base, "s") || strings.HasSuffix(base, "x") || strings.HasSuffix(base, "z") ||
		strings.HasSuffix(base, "ch") || strings.HasSuffix(base, "sh") || base == "go" || base == "do":
		return base + "es"
	case base[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(base[n-2])):
		return base[:n-1] + "ies"
	case base == "be":
		return "is"
	case base == "have":
		return "has"
	}
	return base + "s"
}

// frenchForms adds a French verb's finite forms and participles (see
// verbs-fr.txt); the infinitive is no finite verb and is not added.
func frenchForms(inf string, listed []string, flags string, l verbLexicon) {
	noun := strings.Contains(flags, "n")
	sure := func(f string) {
		l.add(f, verbSure)
	}
	var third string
	switch {
	case len(listed) > 0:
		third = listed[0]
		for _, f := range listed[1:] {
			sure(f)
		}
	case strings.HasSuffix(inf, "er"):
		s := inf[:len(inf)-2]
		third = s + "e"
		for _, e := range []string{"ent", "ait", "aient", "era", "eront", "é", "ée", "és", "ées"} {
			sure(s + e)
		}
	case strings.HasSuffix(inf, "ir"):
		s := inf[:len(inf)-2]
		third = s + "it"
		for _, e := range []string{"issent", "issait", "ira", "iront", "i", "ie", "is", "ies"} {
			sure(s + e)
		}
	default:
		return
	}
	if noun {
		l.add(third, verbMaybe)
	} else {
		sure(third)
	}
}

// germanForms adds a German verb's finite forms and participle (see
// verbs-de.txt). The infinitive is the plural's form too ("streiken").
func germanForms(inf string, listed []string, _ string, l verbLexicon) {
	l.add(inf, verbSure)
	if len(listed) > 0 {
		for _, f := range listed {
			l.add(f, verbSure)
		}
		return
	}
	stem := strings.TrimSuffix(inf, "en")
	if stem == inf {
		stem = strings.TrimSuffix(inf, "n")
	}
	t := "t"
	if strings.HasSuffix(stem, "t") || strings.HasSuffix(stem, "d") {
		t = "et"
	}
	for _, f := range []string{stem + t, stem + t + "e", stem + t + "en"} {
		l.add(f, verbSure)
	}
	ge := "ge"
	for _, p := range []string{"be", "ver", "er", "ent", "zer", "emp", "ge"} {
		if strings.HasPrefix(inf, p) {
			ge = ""
		}
	}
	if strings.HasSuffix(inf, "ieren") {
		ge = ""
	}
	l.add(ge+stem+t, verbSure)
}

// verbIn reports whether w, a word of an English phrase, is a verb by the
// lexicon in any place of it but the first: a form that is no common noun
// ("reveals", "said", "unveiled", "falling"). The first word's -ed or
// -ing is its adjective; the caller exempts it.
func (l verbLexicon) verbIn(w string) bool { return l[w]&verbSure != 0 }

// verbAlone reports whether w, a keyword of one English word, is a verb
// form that is no noun: "reveals", "announced"; an -ing form alone may be
// a noun ("bombing") and is not counted.
func (l verbLexicon) verbAlone(w string) bool {
	r := l[w]
	return r&verbSure != 0 && r&verbIng == 0
}

// finite reports whether w, a word of a French or German keyword, is a
// verb by the language's lexicon: French with its elided article or
// pronoun dropped ("s'impose"); German only where the headline writes the
// word lowercase after its first word, since German capitalises nouns
// ("Mieten … steigen", not "das Fallen").
func (l verbLexicon) finite(lang, w string, head []string) bool {
	if lang == "fr" {
		if i := strings.IndexAny(w, "'’"); i >= 0 && i <= 3 {
			w = w[i+len(string([]rune(w[i:])[0])):]
		}
		return l[w]&verbSure != 0
	}
	if l[w]&verbSure == 0 {
		return false
	}
	for i, h := range head {
		h = trimWord(h)
		if i > 0 && h == w {
			return true
		}
	}
	return false
}

// verbFirst is verbIn for a phrase's first word, where a past or
// participle is the phrase's adjective ("stolen passport", "frozen
// assets") and an -ing form its adjective or noun.
func (l verbLexicon) verbFirst(w string) bool {
	r := l[w]
	return r&verbSure != 0 && r&(verbPast|verbIng) == 0
}
