package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

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
