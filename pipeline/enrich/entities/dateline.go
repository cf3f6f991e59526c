package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// datelinePlace reads a news dateline the gazetteer does not know:
// a paragraph opened by one to three words in capitals, then a comma and
// a month or a capitalised place ("SEPANG, March 15 —", "ANTALYA, Turkey
// —"), or an agency's bracket ("SEPANG (Reuters) —"). That is where the
// story was filed, a place; the capitals made it an acronym, an
// organization by its shape. Not a run with a body's noun ("PEARCE AIR
// FORCE BASE, Australia": a base, a facility) nor one a sentence's
// opening word could be ("FILE -", "UPDATE:"), nor a code with digits
// ("MH370, March 8 -": a flight, a summit, a virus; no town's name).
func (x *Extractor) datelinePlace(text string, ts []tokens.Token, i, j int, inTitle bool) (mention, bool) {
	if inTitle || j-i > 3 || i >= len(ts) || !ts[i].SentStart || !lineStart(text, ts[i].Start) {
		return mention{}, false
	}
	for _, t := range ts[i:j] {
		f := foldTok(t)
		if !t.AllCaps() || len(t.Text) < 3 || hasDigit(t.Text) || orgSuffixes[f] || orgHeads[f] || capStop[f] || commonWord(f) && j-i == 1 {
			return mention{}, false
		}
	}
	if x.gaz.lookup(ts[i:j], true) != nil {
		return mention{}, false // "PARIS (AP)": the gazetteer reads it
	}
	rest := strings.TrimLeft(text[ts[j-1].End:], " ")
	switch {
	case strings.HasPrefix(rest, "(") && j < len(ts) && agencyWords[ts[j].Lower]:
	case strings.HasPrefix(rest, ",") && j < len(ts) && ts[j].Capitalized() && !ts[j].AllCaps() && (monthWords[ts[j].Lower] || x.placeOpens(ts[j:])):
	default:
		return mention{}, false
	}
	words := make([]string, 0, j-i)
	for _, t := range ts[i:j] {
		words = append(words, titleWord(t.Lower))
	}
	return mention{kind: Place, name: strings.Join(words, " "), toks: folds(ts[i:j]), inTitle: inTitle}, true
}

var agencyWords = set(`ap reuters afp upi xinhua bloomberg dpa ansa efe`)

var monthWords = set(`january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec`)

// placeOpens: ts opens with a place the gazetteer knows, not a weak one,
// of one word or more ("Turkey", "South Africa", "Côte d'Ivoire").
func (x *Extractor) placeOpens(ts []tokens.Token) bool {
	e, n := x.longest(ts, false)
	return n > 0 && e.kind == Place && !e.weak
}
