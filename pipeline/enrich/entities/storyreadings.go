// Readings of a whole story that Recognize makes after its runs: a
// technical text's terms, a football story's towns that name clubs.

package entities

import (
	"slices"
	"strings"
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
