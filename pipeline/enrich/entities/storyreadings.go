// Readings of a whole story that Recognize makes after its runs: a
// technical text's terms, a football story's towns that name clubs.

package entities

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// specTermsMin is how many distinct unknown acronyms, organizations by
// their capitals alone, make a story a technical text: news names one
// or two bodies so ("SXSW", "RAF and IISS"); a spec sheet or review
// names its terms so by the dozen ("HDR", "MIMO", "CMOS", "WQHD").
const specTermsMin = 3

// dropSpecTerms removes, from a story naming specTermsMin or more unknown
// acronyms by their shape alone (mention.shape) and at least one camel-
// case name so ("TouchWiz", "IoT"), every mention made an organization by
// its shape: there such shapes name terms and products, and a body must
// be known or vouched for otherwise (a possessive, a long name that
// spells it). Acronyms alone are not enough: politics names its parties
// so ("the UMNO leader said the PKR and the DAP …").
func dropSpecTerms(ms []mention) []mention {
	var seen []string
	camel := false
	for _, m := range ms {
		switch {
		case !m.shape:
		case camelCase(m.name):
			camel = true
		case !slices.Contains(seen, m.name):
			seen = append(seen, m.name)
		}
	}
	if len(seen) < specTermsMin || !camel {
		return ms
	}
	return slices.DeleteFunc(ms, func(m mention) bool { return m.shape })
}

// productNouns say a camel-case name beside them is a product's: after
// it ("TouchWiz interface", "ChatOn mobile messaging platform") or before
// it ("the video chat feature FaceTime").
var productNouns = set(`interface ui ux launcher skin software app apps platform feature features technology browser`)

// thingNouns say so too: a feature's "support", and a "system", "device"
// or "player" a thing is sold as ("adds CarPlay support", "music system
// PonoMusic", "PonoPlayer music device"; round 34). They are verbs ("to
// support") or a sportsman ("signs player") too, so after the name they
// count right after it or after one lower-case word that describes it
// ("PonoPlayer music device"), no verb, pronoun or particle (thingWord).
var thingNouns = set(`support system device player`)

// launchVerbs put a product on sale or bring it in ("introduces
// PonoMusic"; round 34): their object is a thing made. A release's
// "featuring" is productCue's own case, which asks more of the words
// after the name.
var launchVerbs = set(`launch launches launched launching unveil unveils unveiled unveiling
	introduce introduces introduced introducing intro intros introed`)

// addVerbs: what a release adds (see productCue).
var addVerbs = set(`adds added adding`)

// productCue reports whether the story calls the one-word name at ts[i] a
// product where it stands: a product's noun after it, perhaps after two
// lower-case words, or right before it; a thing's noun (thingNouns) right
// before it or after it, right after or after one word that describes
// the thing; a known body's possessive before it ("Apple's TouchID"); a
// version number before it ("Android 4.4 KitKat"); "version of" ("the
// latest version of TouchWiz"); "featuring" before it where it ends its
// clause; a verb of launching in lower case right before it ("to launch
// PonoPlayer", round 30); "adds" after a version ("iOS 7.1 adds
// CarPlay") or "new" before it, not before an officer ("with new
// PonoPlayer", round 41); or a known maker's name right before it
// ("Apple CarPlay", round 34).
func (x *Extractor) productCue(ts []tokens.Token, i int) bool {
	for k := i + 1; k < len(ts) && k <= i+3 && !ts[k].Break && !ts[k].SentStart; k++ {
		f := foldTok(ts[k])
		if productNouns[f] {
			return true
		}
		if thingNouns[f] && (k == i+1 || k == i+2 && thingWord(ts[i+1])) {
			return true
		}
		if ts[k].Capitalized() {
			break
		}
	}
	if i == 0 || ts[i].SentStart || ts[i].Break {
		return false
	}
	p := ts[i-1]
	switch {
	case (productNouns[p.Lower] || thingNouns[p.Lower]) && lowerWord(p):
		return true
	case possessive(p.Text):
		if e := x.gaz.lookup(ts[i-1:i], false); e != nil {
			return e.kind == Organization
		}
		// "Neil Young's PonoPlayer" (round 38), but not where the name
		// acts as a company: "Adam Neumann's WeWork files" (round 39).
		return personsPossessive(ts, i-1) && !companysAct(ts, i+1)
	case versionNumber(p.Text):
		return true // a version: "4.4", "4.4.2"
	case p.Lower == "and" && lowerWord(p) && i >= 2 && !ts[i-1].Break && lowerWord(ts[i-2]) && thingNounWord(ts[i-2].Lower):
		// "with improved fingerprint reader and CarPlay": a name joined
		// to a thing, ending the list's clause, is a thing too (round
		// 47); "sold its camera unit and VoltaWerk shares rose" goes on
		// into another clause
		return i+1 >= len(ts) || ts[i+1].Break || ts[i+1].SentStart
	case p.Lower == "with" && lowerWord(p) && i >= 3 && versionNumber(ts[i-2].Text) && !ts[i-1].Break && namedVersion(ts, i-2):
		return true // "iOS 7.1 with CarPlay": what a version comes with is made (round 38)
	case p.Lower == "of" && i >= 2 && ts[i-2].Lower == "version":
		return true
	case p.Lower == "featuring" && lowerWord(p):
		// "iOS 7.1 featuring CarPlay": what a release brings ends its
		// clause; "a gala featuring VoltaWerk founders" names people
		return i+1 >= len(ts) || ts[i+1].Break || ts[i+1].SentStart
	case launchVerbs[p.Lower] && lowerWord(p):
		return true // "to launch PonoPlayer on Kickstarter": what is launched is made
	case addVerbs[p.Lower] && lowerWord(p):
		// "iOS 7.1 adds CarPlay", "Windows 8.1 update adds PowerPoint
		// …": what a version adds is made, as what it comes with (round
		// 41); "Google adds VoltaWerk to its partners" names no version
		for k := i - 2; k >= 1 && k >= i-3 && !ts[k+1].SentStart; k-- {
			if versionNumber(ts[k].Text) && namedVersion(ts, k) {
				return true
			}
		}
		return false
	case p.Lower == "new" && lowerWord(p):
		// "with new PonoPlayer": a new camel-case name no list knows is a
		// thing made (round 41); not a new officer's company ("the new
		// VoltaWerk boss")
		if i+1 < len(ts) && !ts[i+1].Break && !ts[i+1].SentStart {
			f := foldTok(ts[i+1])
			return !titles[f] && !roleNouns[f]
		}
		return true
	case p.Capitalized() && !p.Break && !camelCase(p.Text):
		// "Apple CarPlay": a known maker's name right before it, its
		// product line's, as "a Renault Clio" (round 34)
		e := x.gaz.lookup(ts[i-1:i], false)
		return e != nil && e.kind == Organization
	}
	return false
}

// versionNumber: a token that opens with a digit and holds a dot ("4.4",
// "7.1"), a release's version.
func versionNumber(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9' && strings.Contains(s, ".")
}

// namedVersion: the decimal at ts[k] follows the name of what it numbers
// ("iOS 7.1", "Windows 8.1"), capitalised or camel case, with no
// punctuation between; after a lower-case word it is a figure ("rose
// 1.2%", "closed at 4.5").
func namedVersion(ts []tokens.Token, k int) bool {
	p := ts[k-1]
	return !ts[k].Break && (p.Capitalized() || camelCase(p.Text))
}

// personsPossessive: ts[k] is a capitalised possessive right after a
// given name of either list ("Neil Young's"), a person's: what a person
// owns and the story names in camel case is a thing, not a company.
func personsPossessive(ts []tokens.Token, k int) bool {
	if k < 1 || !ts[k].Capitalized() || ts[k].SentStart || ts[k].Break {
		return false
	}
	f := foldTok(ts[k-1])
	return ts[k-1].Capitalized() && knownGivenName(f)
}

// thingWord: t, between a camel-case name and a thing's noun, describes
// the thing ("music" in "PonoPlayer music device"): a lower-case word,
// no verb in -s or a speaker's, no determiner, pronoun or particle.
func thingWord(t tokens.Token) bool {
	f := foldTok(t)
	return lowerWord(t) && !verbInS(f) && !speechVerbs[f] && !determiners[f] && !thingStops[f]
}

// thingStops are the short words no thing is described by.
var thingStops = set(`to its his her their our my your will would can could may might must should shall and or but of for on in at by with`)

// dropProducts removes, from a story that calls a camel-case name a
// product once (mention.product), every mention of that name made an
// organization by its shape alone: "TouchWiz", "KitKat", "FaceTime" are
// a maker's products wherever the story names them.
func dropProducts(ms []mention) []mention {
	var products []string
	for _, m := range ms {
		if m.product && !slices.Contains(products, m.name) {
			products = append(products, m.name)
		}
	}
	if products == nil {
		return ms
	}
	return slices.DeleteFunc(ms, func(m mention) bool { return m.shape && slices.Contains(products, m.name) })
}

// clubsOfTowns are the folded names of the cities a football story's
// words made clubs (see mention.club), and of the towns of the clubs it
// names in full with a town's club word ("Swansea City", "Newport
// County": then "Swansea" alone is the club too), nil if none. A town
// two named clubs share ("Manchester City", "Manchester United") stays
// the town.
func (x *Extractor) clubsOfTowns(ms []mention, sports *footballStory) map[string]bool {
	var clubs map[string]bool
	var named map[string]int // a town's named clubs
	for _, m := range ms {
		if m.club {
			if clubs == nil {
				clubs = map[string]bool{}
			}
			clubs[m.toks[0]] = true
			continue
		}
		if town, ok := x.clubTown(m); ok {
			if named == nil {
				named = map[string]int{}
			}
			named[town]++
		}
	}
	if named == nil || !sports.football() {
		return clubs
	}
	for town, n := range named {
		if n == 1 {
			if clubs == nil {
				clubs = map[string]bool{}
			}
			clubs[town] = true
		}
	}
	return clubs
}

// townClubWords end a club's name after its town ("Hull City", "Leeds
// United", "Newport County"); a list compared without case, as every
// organization of every story is asked and lower-casing its name would
// allocate.
var townClubWords = []string{"city", "united", "county", "town", "rovers", "athletic", "wanderers", "albion"}

// townClubWord reports whether w is one of townClubWords, in any case.
func townClubWord(w string) bool {
	for _, c := range townClubWords {
		if strings.EqualFold(w, c) {
			return true
		}
	}
	return false
}

// clubTown returns the folded town of an organization named as a town
// and one of townClubWords, the town a place the gazetteer knows, not a
// country ("Swansea", "Hull"; "Ivory Coast" is no town's).
func (x *Extractor) clubTown(m mention) (string, bool) {
	if m.kind != Organization && (m.e == nil || m.e.kind != Organization) {
		return "", false
	}
	k := strings.LastIndexByte(m.name, ' ')
	if k <= 0 || !townClubWord(m.name[k+1:]) {
		return "", false
	}
	town := Fold(m.name[:k])
	e := x.gaz.byForm[town].e
	return town, e != nil && e.kind == Place && e.iso == ""
}

// companyActs right after a name say a company, not a product: its own
// acts (it files, raises, hires, sues, buys, merges, lays off) and its
// people and shares (round 39: "Adam Neumann's WeWork files for
// bankruptcy" after a founder's possessive, which otherwise reads a
// product, productCue).
var companyActs = set(`files filed raises raised hires hired sues sued buys bought acquires acquired merges merged lays laid
	employees workers staff investors shares stock valuation`)

// companysAct reports whether ts[k] is a lower-case word of companyActs
// in the name's clause.
func companysAct(ts []tokens.Token, k int) bool {
	return k < len(ts) && !ts[k].Break && !ts[k].SentStart && lowerWord(ts[k]) && companyActs[ts[k].Lower]
}

// thingNounWord reports whether w, a word in lower case, names a thing
// made: a product's, a thing's or a device's noun ("fingerprint reader",
// "new interface", "music player").
func thingNounWord(w string) bool {
	return productNouns[w] || thingNouns[w] || deviceNouns[w]
}
