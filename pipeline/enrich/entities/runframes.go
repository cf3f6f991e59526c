package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// An organization's frame — a role and "at" before the name ("director
// of terrorism research at the Norwegian Defence Research
// Establishment"), an apposition after it ("Sidley Austin, a corporate
// law firm") — says what the whole capitalised run is. The recognizer
// may have read only a piece of that run: a country from a demonym
// ("Norwegian"), a town at its end ("Austin"), or unknown words one by
// one. These frames hold in any text; what the run's words are does not
// matter, so no name is listed here.

// fieldRoles head a department and its field before "of": "director of
// terrorism research at", "head of equities at"; with employerRoles and
// atRoles, they serve the body named after "at".
var fieldRoles = set(`director directors head chief`)

// roleOfFieldAt reports whether the "at" at ts[at] closes a role, "of"
// and one to three lower-case words of its field: "director of
// international studies at", "professor of economics at", "head of
// research at". A comma or a sentence's end between them breaks it.
func roleOfFieldAt(ts []tokens.Token, at int) bool {
	for k := at - 1; k >= 1 && k >= at-4; k-- {
		if !lowerWord(ts[k]) {
			return false
		}
		if ts[k].Lower != "of" {
			continue
		}
		r := ts[k-1]
		if k == at-1 || r.Capitalized() {
			return false
		}
		return fieldRoles[r.Lower] || employerRoles[r.Lower] || atRoles[r.Lower]
	}
	return false
}

// wholeRunOrg makes the run c one organization when a frame has said
// the run is a body and the recognizer read it in pieces: the run, less
// a sentence's opener and "the", has two words or more; the gazetteer
// does not know it whole; no word of it is a role title, a given name
// first, "and" or "or" (two names listed); it does not end in a street's,
// a venue's or a place's noun; and every mention read from it is a place
// or an unknown word — not a body the gazetteer knows or a cue read
// (that reading stands), nor a person a title or a speech verb vouched
// for. out is returned unchanged otherwise.
func (x *Extractor) wholeRunOrg(out []mention, before int, c []tokens.Token, inTitle, shouting bool) []mention {
	if len(out) <= before {
		return out
	}
	cc := withoutSentenceOpeners(c)
	if len(cc) > 1 && cc[0].Lower == "the" {
		cc = cc[1:]
	}
	if len(cc) < 2 || givenNames[foldTok(cc[0])] || stripRole(cc) > 0 {
		return out
	}
	for _, t := range cc {
		if t.Lower == "and" || t.Lower == "or" {
			return out
		}
	}
	last := foldTok(cc[len(cc)-1])
	if placeSuffixes[last] || venueSuffixes[last] || placeOfNouns[last] {
		return out
	}
	pieces := 0
	for _, m := range out[before:] {
		switch {
		case m.kind == Organization, m.e != nil && m.e.kind != Place:
			return out
		case m.kind == Person && (m.cued || m.e != nil || givenNames[m.toks[0]]):
			return out
		}
		pieces += len(m.toks)
		if m.e != nil {
			pieces++ // a known place stands for at least one word of the run
		}
	}
	if len(out) == before+1 && pieces >= len(cc) {
		return out // the one mention already covers the run
	}
	if x.gaz.lookup(cc, shouting) != nil {
		return out
	}
	return append(out[:before], mention{kind: Organization, name: stripPossessive(joinText(cc)), toks: folds(cc), inTitle: inTitle})
}
