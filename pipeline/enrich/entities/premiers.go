package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// premierPair: c is "PM" in capitals and one capitalised word that is no
// ordinary word ("Libyan PM Zeidan", "UK PM Cameron"): a headline's short
// form of "Prime Minister", which vouches for the name after it as the
// long title does. acronymStop keeps "PM" as the hour's, so without this
// the name was read bare and, alone in a headline, named no one. An
// ordinary word after it ("4 PM Eastern") is the hour's, and so is any
// word after a clock's number ("At 9 PM Doylestown": clockBefore, which
// the caller asks, as premierBefore asks of "pm").
func premierPair(c []tokens.Token) bool {
	if len(c) != 2 || c[0].Text != "PM" {
		return false
	}
	f := foldTok(c[1])
	return c[1].Capitalized() && !c[1].AllCaps() && !commonWord(f) && !capStop[f] && !hasDigit(f)
}

// premierBefore marks the one word ts[i:j] as a person when "pm" in
// lower case stands between it and a capitalised word ("Libyan pm Zeidan
// has lost confidence vote"): see premierPair. out[before:] is what the
// run yielded, one bare candidate; after a number ("4 pm Friday") or a
// day, a month or "today" ("Friday pm Zeidan", capStop's dates) "pm" is
// the hour's and nothing is marked.
func premierBefore(out []mention, before int, ts []tokens.Token, i, j int) {
	if j-i != 1 || i < 2 || ts[i-1].Text != "pm" || ts[i-1].Break || !ts[i-2].Capitalized() || hasDigit(ts[i-2].Lower) || capStop[foldTok(ts[i-2])] || len(out) != before+1 {
		return
	}
	f := foldTok(ts[i])
	if commonWord(f) || capStop[f] {
		return
	}
	if m := &out[before]; m.kind == "" && m.e == nil && !m.place && !m.listOrg && len(m.toks) == 1 {
		m.cued = true
	}
}

// clockBefore reports whether prev, the word before a run, holds a digit:
// a clock's number ("9 PM", "10:30 PM"), after which "PM" is the hour's.
func clockBefore(prev *tokens.Token) bool { return prev != nil && hasDigit(prev.Lower) }
