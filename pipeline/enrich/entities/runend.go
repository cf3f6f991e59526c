package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// runEnd returns where the run of capitalised words opened at ts[i]
// ends — lower-case connectors between them, an institution's "and",
// "of", "for the" or "on" inside them — and the quoted nicknames it
// holds, which the name leaves out. ts's words hold their facts
// (storyWords).
func (x *Extractor) runEnd(text string, ts []tokens.Token, i int, guarded bool) (int, []int) {
	j := i + 1
	var nicks []int // quoted nicknames inside the name, left out of it
	for j < len(ts) {
		u := ts[j]
		if j-i <= 2 && nickname(text, ts, j) {
			// Susan "Nunu" Bell, Joaquin "El Chapo" Guzman
			nicks = append(nicks, j)
			j += 2
			continue
		}
		if glottalStop(text, ts[j-1], u) {
			j++ // "Kapi-'olani": one word the tokenizer split
			continue
		}
		if pluralPossessiveInName(text, ts, i, j) || pluralPossessiveOpensBody(text, ts, i, j) {
			j++ // "Airline Pilots' Association", "Ladies' Home Journal": the apostrophe is inside the name
			continue
		}
		if j == i+1 && x.possessiveWordName(ts, i) {
			j++ // "Men's Wearhouse": a group's possessive opening a name, two words
			break
		}
		if j == i+1 && !u.Break && !u.SentStart {
			if k := x.possessiveLegalName(text, ts, i); k > 0 {
				j = k // "Dick's Sporting Goods Inc.": a founder's possessive opens the registered name
				break
			}
		}
		if j-1 > i && possessive(ts[j-1].Text) && !u.Break && !u.SentStart && x.possessiveLegalName(text, ts, j-1) > 0 {
			// "Shares of Dick's Sporting Goods Inc.": the name opens a
			// run of its own, the connector before it left out
			j--
			if j-1 > i && ts[j-1].Facts&wConnector != 0 {
				j--
			}
			break
		}
		if !u.Break && x.possessiveWordName(ts, j) {
			break // "Sold To Men's Wearhouse": the store's name opens a run of its own (issue 15, round 46)
		}
		if u.Break || u.SentStart || possessive(ts[j-1].Text) {
			break
		}
		uf := ts[j].Facts
		if isSite(u) || uf&wConnector != 0 && j+1 < len(ts) && isSite(ts[j+1]) {
			break // "Rebecca Traister of Salon.com": the site is a name of its own (siteOrCamelOrg)
		}
		if uf&wNameLike != 0 || elidedNameWord(ts[j-1], u) && (givenNames[foldTok(ts[i])] || x.gaz.lookup(ts[i:j+1], false) != nil) {
			j++
			continue
		}
		if u.Lower == "of" && x.possessiveWordName(ts, j+1) {
			break // "Shares of Men's Wearhouse": the store's name opens a run of its own
		}
		if uf&wConnector != 0 && j == i+1 && ts[i].SentStart && inFoldSet(ts[i], wCapStop) && stopwords.IsAny(foldTok(ts[i])) {
			// "Why do Beyonce, …": a sentence's opening function word is no
			// name a connector goes on from ("Maria do Rosario"); a title
			// noun of capStop is ("Minister of Finance Nirmala Sitharaman said …")
			break
		}
		if uf&wConnector != 0 && j+1 < len(ts) && ts[j+1].Facts&wNameLike != 0 && !ts[j+1].Break && !ts[j+1].SentStart {
			j += 2
			continue
		}
		if j+2 < len(ts) && particlePair(u, ts[j+1]) && ts[j+2].Facts&wNameLike != 0 && !ts[j+2].Break && !ts[j+2].SentStart {
			j += 3 // "Ursula von der Leyen", "Karel van den Berg": two particles, one name
			continue
		}
		if k := institutionAnd(ts, j); k > 0 {
			j = k
			continue
		}
		if k := headedAnd(ts, i, j); k > 0 {
			j = k
			continue
		}
		if k := x.theBodyAnd(ts, i, j, guarded); k > 0 {
			j = k
			continue
		}
		if k := headOfThe(ts, j); k > 0 {
			j = k
			continue
		}
		if k := headOn(ts, j); k > 0 && !guarded {
			j = k
			continue
		}
		break
	}
	return j, nicks
}

// particlePairs are the two lower-case particles that sit together inside
// a surname ("von der Leyen", "van den Berg", "de la Cruz", "bin al
// Hussein"): each a connector, but a run joins only one connector at a
// time, so the pair is named whole.
var particlePairs = map[string]map[string]bool{
	"von": set(`der dem den`),
	"van": set(`der den de het`),
	"de":  set(`la las los le`),
	"bin": set(`al el`),
	"ibn": set(`al el`),
}

// particlePair: a and b are two such particles in lower case, joined by
// spaces only.
func particlePair(a, b tokens.Token) bool {
	second, ok := particlePairs[a.Text]
	return ok && second[b.Text] && !b.Break && !b.SentStart
}

// elidedNameWord: u is "d'" and a capitalised word, one space after a
// capitalised word — the French "of" elided inside a name ("Côte
// d'Ivoire", "Saint-Pierre d'Uccle", "Val d'Oise"), which goes on
// through it: the run had stopped at the lower-case "d'", and the
// gazetteer's "Côte d'Ivoire" was never asked. Only into a name the
// gazetteer knows whole or a given name opens ("Jean d'Ormesson"): a
// run of unknown words would read as a person by its shape.
func elidedNameWord(prev, u tokens.Token) bool {
	if !strings.HasPrefix(u.Lower, "d'") || len(u.Lower) <= 2 || u.Break || u.SentStart || !prev.Capitalized() || prev.End+1 != u.Start {
		return false
	}
	t := unElide(u)
	return t.Lower != u.Lower && t.Capitalized()
}

// possessiveLegalName is the end of a company's registered name that a
// possessive opens at ts[i] ("Dick's Sporting Goods Inc.", "Kessler's
// Fine Foods Ltd"): one to four capitalised words after it and a legal
// form (legalForms) ending them, which says the run is one company's
// name, its founder's possessive included; or two or more such words and
// a stock ticker in brackets after them ("Dick's Sporting Goods (DKS)",
// bareTickerAfter) that opens with the possessive's first letter, as a
// company's ticker does (DKS, JOSB, MW); capitals that do not are a
// thing's acronym ("Obama's Health Care Law (ACA)", round 30: no company);
// 0 if there is none. A body or
// a place the gazetteer knows keeps its possessive, owning what follows
// ("Google's Nest Labs Inc.").
func (x *Extractor) possessiveLegalName(text string, ts []tokens.Token, i int) int {
	if k := x.possessiveTradeName(ts, i); k > 0 {
		return k
	}
	if !possessive(ts[i].Text) || ts[i].AllCaps() || x.gaz.lookup(ts[i:i+1], false) != nil {
		return 0
	}
	for k := i + 1; k < len(ts) && k <= i+5; k++ {
		t := ts[k]
		if k > i+2 && bareTickerAfter(text, ts, k) && ts[k].Text[0] == ts[i].Lower[0]-'a'+'A' {
			return k // "Dick's Sporting Goods (DKS)": the ticker ends the name as "Inc." does
		}
		if t.Break || t.SentStart || !nameLike(t) || possessive(t.Text) {
			return 0
		}
		if k > i+1 && legalForms[plainWord(t)] {
			return k + 1
		}
	}
	return 0
}

// tradeNouns end a retailer's name after its founder's possessive and
// one word that qualifies the trade: "Dick's Sporting Goods", "Modell's
// Sporting Goods", "Kohl's Department Stores".
var tradeNouns = set(`goods stores`)

// possessiveTradeName is the end of a retailer's name that a founder's
// possessive opens at ts[i] without a legal form (round 39: "Dick's
// Sporting Goods" was read as nothing in nine headlines of sets 37–43):
// exactly one capitalised word no list knows and a trade's plural noun
// (tradeNouns) after the possessive. A known body's or place's
// possessive owns what follows ("Walmart's Neighborhood Stores"), a
// known qualifier says whose stores they are ("Target's Canadian
// Stores"), and a lone noun is the owner's ("Macy's Stores"). A word
// in capitals opens it only before title-case words, where it is the
// company's own styling ("DICK'S Sporting Goods"), not a shouted
// headline; 0 if there is none.
func (x *Extractor) possessiveTradeName(ts []tokens.Token, i int) int {
	if i+2 >= len(ts) || !possessive(ts[i].Lower) || x.gaz.lookup(ts[i:i+1], false) != nil {
		return 0
	}
	q, n := ts[i+1], ts[i+2]
	if !tradeNouns[plainWord(n)] {
		return 0
	}
	for _, t := range []tokens.Token{q, n} {
		if t.Break || t.SentStart || !nameLike(t) || possessive(t.Text) || t.AllCaps() {
			return 0
		}
	}
	if x.gaz.lookup(ts[i+1:i+2], false) != nil {
		return 0
	}
	return i + 3
}
