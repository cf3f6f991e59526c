package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Market copy names companies and indexes in fixed shapes that say what
// a name is whatever its words: a ticker in brackets after a name
// ("Allstate (ALL.N)") makes it a listed company; an index word after
// it ("the KBW insurance index", "the Dow Jones industrial average")
// makes it the name of an index, which is no body.

// tickerAfter reports whether the name ending before ts[j] is followed
// by a stock ticker in brackets: "Nucor Corp (NUE.N)", "Owens Illinois
// (OI.N)". An index code opens with a dot ("(.SPX)") and is not one.
func tickerAfter(text string, ts []tokens.Token, j int) bool {
	// the byte before the code first: most names are followed by no bracket
	if j <= 0 || j >= len(ts) || ts[j].Start == 0 || text[ts[j].Start-1] != '(' || ts[j].SentStart || !tickerCode(ts[j]) || !ts[j].AllCaps() {
		return false
	}
	gap := strings.TrimSpace(text[ts[j-1].End:ts[j].Start])
	return gap == "(" && strings.HasPrefix(text[ts[j].End:], ")")
}

// exchanges are the stock exchanges whose name opens a ticker with a
// colon: "(NASDAQ:AAPL)", "(NYSE: GM)", "(LSE:BARC)".
var exchanges = set(`nasdaq nyse amex lse tsx asx hkex sgx otc otcqb otcbb nasdaqgs`)

// exchangeTicker reports whether ts[i] is a stock ticker after its
// exchange and a colon ("Apple (NASDAQ:AAPL)", round 30): the company's
// code, which names no organization of its own. The exchange before it
// is read as ever.
func exchangeTicker(text string, ts []tokens.Token, i int) bool {
	// the colon between the two first: asked at every run's start, and
	// most words are apart by a space, told before the word's runes and
	// the map
	if i == 0 || strings.TrimSpace(text[ts[i-1].End:ts[i].Start]) != ":" {
		return false
	}
	return ts[i].AllCaps() && exchanges[ts[i-1].Lower]
}

// bareTickerAfter reports whether ts[j] is a ticker without its
// exchange's suffix in brackets right after the word before it: two to
// five capital letters alone inside "(" and ")" ("Dick's Sporting Goods
// (DKS)"). An acronym has the same shape ("(IMF)"), so only a caller that
// knows the name before is a company's asks it (possessiveLegalName).
func bareTickerAfter(text string, ts []tokens.Token, j int) bool {
	t := ts[j]
	if t.Start == 0 || text[t.Start-1] != '(' || t.SentStart || len(t.Text) < 2 || len(t.Text) > 5 || !strings.HasPrefix(text[t.End:], ")") {
		return false
	}
	for i := 0; i < len(t.Text); i++ {
		if t.Text[i] < 'A' || t.Text[i] > 'Z' {
			return false
		}
	}
	return strings.TrimSpace(text[ts[j-1].End:t.Start]) == "("
}

// asListedCompany reads the chunk c, which a ticker follows, as one
// company: the whole run after its last connector ("Shares of Owens
// Illinois (OI.N)"), so a place inside it ("Illinois") is no place. A
// known organization or an organization's shape is kept as read.
func (x *Extractor) asListedCompany(out []mention, before int, c []tokens.Token, inTitle, shouting bool) []mention {
	if len(out) == before+1 && out[before].kind == Organization {
		return out
	}
	c = c[afterLastConnector(c):]
	c = withoutSentenceOpeners(c)
	if e := x.gaz.lookup(c, shouting); e != nil && e.kind == Organization {
		return append(out[:before], mention{kind: Organization, e: e, name: e.name, inTitle: inTitle})
	}
	return append(out[:before], mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle})
}

// indexWord: w is one of the words that name a market or statistical
// index after its maker; a switch, not a map, as indexName asks it of
// the words around every name.
func indexWord(w string) bool {
	switch w {
	case "index", "indexes", "indices", "average", "composite":
		return true
	}
	return false
}

// indexName reports whether the run c (ending before ts[j]) names an
// index: it ends with an indexWord ("Nasdaq Composite Index"), or
// one such word follows it, at most one lower-case word between ("KBW
// insurance index", "Standard & Poor's 500 Index"); "average" only
// right after or after "industrial"
// ("Dow Jones industrial average"). Right after the name, "average" and
// a plural ("indexes") are an index only when "the" precedes it (the
// bool the): else they are an adjective or a verb of a company ("Tesla
// average selling prices", "Google indexes the web").
func indexName(c []tokens.Token, ts []tokens.Token, j int, the bool) bool {
	// Lower, not foldTok: the index words are plain ASCII, and this is
	// asked of every name
	if len(c) >= 2 && indexWord(c[len(c)-1].Lower) {
		return true
	}
	for k := j; k < len(ts) && k <= j+1; k++ {
		if ts[k].Break || ts[k].SentStart {
			return false
		}
		f := ts[k].Lower
		if f == "average" {
			// "the Dow Jones average", "the Dow Jones industrial
			// average"; "SK Telecom garnered average" is a verb's object
			return k == j && the || ts[j].Lower == "industrial"
		}
		if k == j && !the && (f == "indexes" || f == "indices") {
			return false
		}
		if indexWord(f) && (!ts[k].Capitalized() || k > j && hasDigit(ts[k-1].Lower)) {
			return true // "Standard & Poor's 500 Index", "FTSE 100 index"
		}
		if ts[k].Capitalized() {
			return false
		}
	}
	return false
}

// dropIndexBodies removes the organizations and bare words the chunk
// read from an index's name (see indexName): "Dow Jones", "KBW" are
// there the index, not the firm. Places stay ("the Shanghai Composite
// index" is still about Shanghai), and so do persons.
func dropIndexBodies(out []mention, before int) []mention {
	kept := out[:before]
	for _, m := range out[before:] {
		if m.kind == Organization || m.kind == "" && !m.place && !m.cued {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}
