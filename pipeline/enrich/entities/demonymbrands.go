package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// demonymBrandOwner: the run ts[i:j] is a country's demonym and one
// capitalised word with a possessive, in a headline that does not
// capitalise its words ("American Eagle's forecast disappoints",
// "American Apparel's chief ousted"; issue 15, round 31's uci-news:4639,
// named by round 32's brief): the capital on the ordinary word says it is
// a name's, and the possessive that the name owns what follows — a
// brand's name that opens with the demonym, not the country. A title
// after the demonym is the country's office holder ("Chinese Premier's
// visit"), a word in capitals is another name, and a pair the gazetteer
// knows whole is that name ("European Union's", "British Columbia's").
func (x *Extractor) demonymBrandOwner(ts []tokens.Token, i, j int, shouting bool) bool {
	if j != i+2 || shouting {
		return false
	}
	d, w := ts[i], ts[i+1]
	if !d.Capitalized() || !w.Capitalized() || w.AllCaps() || !possessive(w.Text) || w.SentStart || w.Break {
		return false
	}
	if coreTitleTok(w) || !demonymShaped(foldTok(d)) {
		return false
	}
	e := x.gaz.lookup(ts[i:i+1], shouting)
	return e != nil && e.kind == Place && x.gaz.lookup(ts[i:j], shouting) == nil
}
