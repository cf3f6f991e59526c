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
