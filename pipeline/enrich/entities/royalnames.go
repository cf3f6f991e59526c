package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// royalTitles name a royal by the given name alone: "Prince Harry",
// "Queen Elizabeth", where no surname follows to end the name.
var royalTitles = set(`prince princess king queen duke duchess`)

// royalNameAt returns where a royal title and one given name stand inside
// a title-case headline's run with words after them, or -1: "Prince Harry
// Gave Cressida Bonas …", "Cressida Bonas And Prince Harry Engagement". A
// royal's name is the title and the given name; nothing after it is a
// surname. Not before a second given name or an initial ("King Juan
// Carlos"), a possessive ("Prince George's County") or a place's or a
// body's noun ("Prince Edward Island", "Queen Mary University"), and not
// where the gazetteer knows a longer name there.
func (x *Extractor) royalNameAt(c []tokens.Token, shouting bool) int {
	for i := 0; i+2 < len(c); i++ {
		if !royalTitles[foldTok(c[i])] || possessive(c[i+1].Text) || !givenNames[foldTok(c[i+1])] {
			continue
		}
		f := foldTok(c[i+2])
		if givenNames[f] || isInitial(c[i+2]) || placeSuffixes[f] || orgSuffixes[f] || orgHeads[f] || ownNameSuffixes[f] {
			return -1
		}
		var known runLongest
		if _, n := known.of(x, c[i:], shouting); n > 2 {
			return -1
		}
		return i
	}
	return -1
}

// royalNamedPlace: the run opens with a royal title and a given name and
// ends in a place's noun ("Prince William Sound", "Prince Edward
// Island"): a place named after the royal, whose title is its name's, no
// role before a person's name.
func royalNamedPlace(c []tokens.Token) bool {
	return len(c) >= 3 && royalTitles[foldTok(c[0])] && knownGivenName(foldTok(c[1])) && placeSuffixes[foldTok(c[len(c)-1])]
}

// royalPlaceAt returns where a royal title, a given name and a place's
// noun stand inside a title-case headline's run with words after them,
// or -1: "Prince William Sound Oil Spill Anniversary" names the place
// (royalNamedPlace), where royalNameAt would have read the royal; not
// where the gazetteer knows a longer name there.
func (x *Extractor) royalPlaceAt(c []tokens.Token, shouting bool) int {
	for i := 0; i+3 < len(c); i++ {
		if !royalNamedPlace(c[i:i+3]) || possessive(c[i+1].Text) {
			continue
		}
		var known runLongest
		if _, n := known.of(x, c[i:], shouting); n > 3 {
			return -1
		}
		return i
	}
	return -1
}
