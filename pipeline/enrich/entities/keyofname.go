package entities

import (
	"slices"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// KeyOfName is the key the extractor gives the entity a text names by
// name, written alone as an operator writes it in a list ("Britain",
// "U.S.", "America" → place:gb, place:us, place:us): the gazetteer's, the
// user's file (Options.ExtraGazetteer) included, read as a story's own
// mention of it is, its case rule too — an acronym counts only in
// capitals, so "US" is place:us and "us" is no name. false for a name
// the gazetteer does not know, and for one whose capital alone does not
// make it that entity in a story: a weak name (a city that may be a
// surname, "Hamilton"; a one-word brand), a name of ordinary words
// ("Sprint"), a country's name in another language that is an English
// word (German "Island"). The alias map learned from stories is not
// asked: what it says changes with the stream.
func (x *Extractor) KeyOfName(name string) (string, bool) {
	ts := tokens.Split(name)
	e := x.gaz.lookup(ts, false)
	if e == nil || e.weak || x.gaz.wordAlias(ts) {
		return "", false
	}
	return e.key, true
}

// OtherKeysOfName are the keys of the entities besides KeyOfName's that the gazetteer knows
// by name too, written alone ("IRA": KeyOfName says Iran, place:ir; the Irish Republican Army
// is another), sorted: an operator who meant one of them writes its key. Weak entries are
// left out (a city that may be a surname: alone, it names nothing), and so are entries that
// keep no form of their own, whose key no story carries: the US state Georgia's every form is
// another entry's (Atlanta, Georgia is place:ge), and place:georgia would watch nothing. None
// when KeyOfName knows no entity of the name.
func (x *Extractor) OtherKeysOfName(name string) []string {
	chosen, ok := x.KeyOfName(name)
	if !ok {
		return nil
	}
	var keys []string
	for _, e := range x.gaz.others[Fold(name)] {
		if !e.weak && e.key != chosen && !slices.Contains(keys, e.key) && x.gaz.keepsAForm(e) {
			keys = append(keys, e.key)
		}
	}
	slices.Sort(keys)
	return keys
}
