package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// languageVerbs take a language as their object: "to study English",
// "she speaks French", "translated into Arabic".
var languageVerbs = set(`speak speaks spoke spoken speaking study studies studied studying learn learns learned learnt
learning teach teaches taught teaching translated translate translates translating into fluent`)

// languageNouns after a people's adjective make it a language's: "an
// English translation", "French lessons", "Arabic speakers".
var languageNouns = set(`language languages translation translations translator translators speaker speakers speaking
lessons lesson subtitles subtitled dialect dialects grammar vocabulary dictionary
proficiency fluency`)

// languageAfterIn: what may follow "in <adjective>" when the adjective is
// a language ("published in French on Monday", "said in English and
// Arabic", "in Spanish."), not a thing of the country ("in English
// football").
var languageAfterIn = set(`on and or as by with from to for at that which when but than`)

// languageUse reports whether the capitalised word ts[i], a people's
// adjective, is used of a language: after a verb that takes a language,
// before a language's noun, or after "in" with nothing of its own after
// it. A country's adjective elsewhere names the country (the labels'
// convention: "French police" → France).
func languageUse(ts []tokens.Token, i int) bool {
	if i > 0 && !ts[i].SentStart && !ts[i].Break && languageVerbs[ts[i-1].Lower] {
		return true
	}
	var next *tokens.Token
	if i+1 < len(ts) && !ts[i+1].Break && !ts[i+1].SentStart {
		next = &ts[i+1]
	}
	if next != nil && languageNouns[next.Lower] {
		return true
	}
	if i > 0 && !ts[i].SentStart && !ts[i].Break && ts[i-1].Lower == "in" {
		return next == nil || languageAfterIn[next.Lower]
	}
	return false
}

// ethnicCompound reports whether the people's adjective ts[i] opens a
// compound naming a people of the Americas or another settler country
// ("Asian-American", "Asian American", "Italian-Canadian"): such a
// compound names no place of the first word's. A border's or a pact's
// compound ("the Turkish-Syrian border") names both places.
func ethnicCompound(text string, ts []tokens.Token, i int) bool {
	t := ts[i]
	if k := strings.IndexByte(t.Lower, '-'); k > 0 {
		return settlerPeoples[t.Lower[k+1:]]
	}
	if t.End+1 < len(text) && text[t.End] == '-' {
		return i+1 < len(ts) && settlerPeoples[ts[i+1].Lower]
	}
	return i+1 < len(ts) && !ts[i+1].Break && settlerPeoples[ts[i+1].Lower]
}

// settlerPeoples end a compound that names a people by its origin.
var settlerPeoples = set(`american americans canadian canadians australian australians`)

// peopleAdjective: a folded word shaped as a people's adjective
// (demonymShaped) or one of the common ones of another shape.
func peopleAdjective(f string) bool {
	return demonymShaped(f) || otherDemonyms[f]
}

var otherDemonyms = set(`french dutch greek thai swiss czech slovak welsh scots afghan kazakh uzbek saudi basque
filipino`)
