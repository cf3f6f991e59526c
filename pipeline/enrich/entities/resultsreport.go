package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// resultsVerbs report a period's results; resultsNouns are the results
// only a company reports (issue 15, round 47). A person or a country
// "sees" many things, so the verb alone says nothing: the noun must
// follow within resultsReach words.
var (
	resultsVerbs = set(`posts posted reports reported logs logged books booked sees saw`)
	resultsNouns = set(`revenue revenues sales profit profits earnings loss losses`)
)

// resultsReach is how many words after its verb a results noun may stand:
// "sees fall in revenue", "posts record fourth-quarter profit".
const resultsReach = 4

// resultsReportAt reports whether ts[j] opens a report of results: a
// results verb in lower case and, within resultsReach words and no
// punctuation, a results noun ("sees fall in revenue, profit", "posts
// record profit", "reports wider loss"). Lower case only: in a title-case
// headline the verb is a word of the run itself.
func resultsReportAt(ts []tokens.Token, j int) bool {
	if j >= len(ts) || ts[j].Break || ts[j].SentStart || !lowerWord(ts[j]) || !resultsVerbs[ts[j].Lower] {
		return false
	}
	for n := j + 1; n < len(ts) && n <= j+resultsReach; n++ {
		if ts[n].Break || ts[n].SentStart {
			return false
		}
		if resultsNouns[ts[n].Lower] {
			return true
		}
	}
	return false
}

// resultsReporter reports whether the run ts[i:j], which no list holds
// whole, is a company by what it reports: its own results ("Quellmark
// sees fall in revenue"; "American Eagle sees fall in revenue, profit",
// set 43's uci-news:4659, read as the United States). The run is one
// word no list knows (unknownNameWord: a known person's or place's
// results are not theirs to post, and an ordinary word is the headline's
// — "Retailer posts loss"), or a country's demonym and one capitalised
// word that is no title ("Chinese Premier sees …"): the capital on the
// second word in a sentence-case headline says it is a name's, as
// demonymBrandOwner reads "American Eagle's forecast".
func (x *Extractor) resultsReporter(ts []tokens.Token, i, j int, shouting bool) bool {
	if shouting || !resultsReportAt(ts, j) || x.gaz.lookup(ts[i:j], shouting) != nil {
		return false
	}
	switch j - i {
	case 1:
		return x.unknownNameWord(ts[i], shouting)
	case 2:
		d, w := ts[i], ts[i+1]
		if !d.Capitalized() || !w.Capitalized() || w.AllCaps() || possessive(w.Text) || w.Break || coreTitleTok(w) || !demonymShaped(foldTok(d)) {
			return false
		}
		e := x.gaz.lookup(ts[i:i+1], shouting)
		return e != nil && e.kind == Place
	}
	return false
}
