package entities

import (
	"math"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// divisionWords end the name of a body's channel, desk or unit after the
// body's own name: "BBC News", "BBC Radio 5 Live", "NBC Sports Group",
// "Telegraph TV", "Deloitte Sports Unit". News counts such a name as the
// body (the labelled sets' convention since set 6: a broadcaster's
// channel or division is the broadcaster, a consultancy's unit the
// consultancy), and a story that writes both "the BBC" and "BBC News"
// names one body, not two.
var divisionWords = set(`news sport sports radio tv television channel network networks group unit online digital
live world service one two three four`)

// divisionWord reports whether w is one of divisionWords in any case,
// without allocating.
func divisionWord(w string) bool {
	var buf [10]byte
	if len(w) > len(buf) {
		return false // "television", the longest, has ten letters
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return divisionWords[string(buf[:len(w)])]
}

// mergeDivisions folds each organization named as another organization
// and division words ("BBC News", "NBC Sports Network") into that
// organization: the one the story names, else the gazetteer's. A name
// with any other word after the body's ("ESPN Star Sports", a venture
// of its own) is kept. It returns the number of folds, for tests.
func (x *Extractor) mergeDivisions(byKey map[string]*agg) int {
	var orgs []*agg
	for _, a := range byKey {
		k := strings.LastIndexByte(a.ent.Name, ' ')
		if a.ent.Kind != Organization || k <= 0 {
			continue
		}
		// the last word asked first, lowered in a buffer: most names end
		// in no division word, and every story has such names
		if last := a.ent.Name[k+1:]; divisionWord(last) || allDigits(last) {
			orgs = append(orgs, a)
		}
	}
	if len(orgs) == 0 {
		return 0
	}
	// first mention first: the same folds in every run
	slices.SortFunc(orgs, func(a, b *agg) int { return a.order - b.order })
	n := 0
	for _, a := range orgs {
		toks := a.words()
		end := len(toks)
		for end > 1 && (divisionWords[toks[end-1]] || allDigits(toks[end-1])) {
			end--
		}
		if end == len(toks) {
			continue
		}
		body := x.bodyNamed(byKey, toks[:end])
		if body == nil || body == a {
			continue
		}
		foldInto(byKey, body, a)
		n++
	}
	return n
}

// mergeShortForms folds an organization whose name is another
// organization's without its leading country or demonym into that one:
// "Transport Safety Bureau" after "Australian Transport Safety Bureau",
// "Foreign Ministry" after "Chinese Foreign Ministry". A story names a
// national body in full once and short after; the labels count one. Not
// when two countries' bodies share the short form ("Russian Foreign
// Ministry" and "Ukrainian Foreign Ministry"), nor when the short form
// came first in the text ("Russia's Foreign Ministry … the Ukrainian
// Foreign Ministry"): then it may be another country's. A headline's
// short form ("Foreign Ministry summons envoy") is the body its story
// names in full.
func (x *Extractor) mergeShortForms(byKey map[string]*agg) {
	var long []*agg
	for _, a := range byKey {
		if a.ent.Kind != Organization || a.toks == nil || len(a.toks) < 3 {
			continue
		}
		// the first word asked before any other: most bodies' names do
		// not open with a place
		if e := x.gaz.byForm[a.toks[0]].e; e != nil && e.kind == Place {
			long = append(long, a)
		}
	}
	if len(long) == 0 {
		return
	}
	slices.SortFunc(long, func(a, b *agg) int { return a.order - b.order })
	forms := make([]string, len(long)) // each long name without its country
	shared := map[string]int{}
	for i, l := range long {
		forms[i] = strings.Join(l.toks[1:], " ")
		shared[forms[i]]++
	}
	for i, l := range long {
		form := forms[i]
		short := byKey[Key(Organization, form)]
		if short == nil || short == l || short.toks == nil || !slices.Equal(short.toks, l.toks[1:]) ||
			shared[form] > 1 || short.order < l.order && !short.ent.InTitle {
			continue
		}
		foldInto(byKey, l, short)
	}
}

// foldInto counts drop's mentions as keep's and removes drop: one entity
// the story named two ways.
func foldInto(byKey map[string]*agg, keep, drop *agg) {
	keep.ent.Mentions += drop.ent.Mentions
	keep.ent.InTitle = keep.ent.InTitle || drop.ent.InTitle
	keep.order = min(keep.order, drop.order)
	delete(byKey, drop.ent.Key)
}

// bodyNamed returns the story's organization whose folded words are
// toks, or a new entity for the gazetteer's organization of that name,
// added to byKey; nil if neither.
func (x *Extractor) bodyNamed(byKey map[string]*agg, toks []string) *agg {
	form := strings.Join(toks, " ")
	for _, a := range byKey {
		if a.ent.Kind == Organization && slices.Equal(a.words(), toks) {
			return a
		}
	}
	e := x.gaz.byForm[form].e
	if e == nil || e.kind != Organization {
		return nil
	}
	if a, ok := byKey[e.key]; ok {
		return a
	}
	// order: the division's, which the caller's min keeps
	a := &agg{ent: record.Entity{Key: e.key, Name: e.name, Kind: Organization, ISO: e.iso}, order: math.MaxInt}
	byKey[e.key] = a
	return a
}

// mergeTownClubShortForms folds a club named by its town alone into the
// club's full name in the same story: "Newcastle" (an organization: "the
// Newcastle fans", "Newcastle boss Kevin Keegan") and "Newcastle United"
// are one body, which the story named two ways. Only when one club of the
// story has that town ("Bristol" beside Bristol City and Bristol Rovers
// stays as it is), and only a town read as an organization: "born in
// Newcastle" is the city.
func mergeTownClubShortForms(byKey map[string]*agg) {
	var clubs []*agg
	towns := map[string]int{}
	for _, a := range byKey {
		if a.ent.Kind != Organization {
			continue
		}
		name := a.ent.Name
		sp := strings.LastIndexByte(name, ' ')
		if sp < 0 || !townClubWord(name[sp+1:]) {
			continue
		}
		w := a.words()
		if len(w) < 2 {
			continue
		}
		clubs = append(clubs, a)
		towns[strings.Join(w[:len(w)-1], " ")]++
	}
	for _, club := range clubs {
		w := club.words()
		town := strings.Join(w[:len(w)-1], " ")
		if towns[town] != 1 {
			continue
		}
		for _, a := range byKey {
			if a != club && a.ent.Kind == Organization && slices.Equal(a.words(), w[:len(w)-1]) {
				foldInto(byKey, club, a)
				break
			}
		}
	}
}
