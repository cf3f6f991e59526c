package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Teams and schools named after their town or state: in English a club
// or a franchise is its town and a plural nickname ("Chicago Bulls",
// "Leeds Rhinos"), and an American state university is its state and
// "State" ("Ohio State"); a town or a US state before a player role and
// a name ("Leeds striker Tom Reed", "Kansas forward Dan Marsh") is the
// team (playerRoles, asTeamOfPlace in cues.go). Each shape needs a
// town or a US state the gazetteer knows; only the four North American
// major leagues' franchises are listed (majors.tsv), for what no shape
// reads: a nickname alone ("the Celtics") and a singular one ("Utah
// Jazz").

// teamTown reports whether e is a place a team or a school may be
// named after: a city (GeoNames') or a US state, not a country or a
// region.
func (x *Extractor) teamTown(e *entry) bool {
	if e == nil || e.kind != Place || e.iso != "" {
		return false
	}
	f := Fold(e.name)
	return x.gaz.cities[f] || x.gaz.states[f]
}

// pluralNickname: a capitalised plural a team is called by ("Bulls",
// "Raptors", "SuperSonics"), not a thing's plural a place's name may end
// in ("Islands", "Games", "Attacks": see notGroupPlurals), nor people
// of a place ("Texans" may be either: left alone).
func pluralNickname(t tokens.Token) bool {
	// the lower case's last letters first: asked of every run, most end
	// in no plural, and a possessive ends in no "s"
	l := t.Lower
	if len(l) < 4 || l[len(l)-1] != 's' || strings.HasSuffix(l, "ss") || strings.HasSuffix(l, "us") || strings.HasSuffix(l, "is") || strings.HasSuffix(l, "'s") {
		return false
	}
	if !t.Capitalized() || t.AllCaps() || hasDigit(l) || strings.IndexByte(t.Text, '-') >= 0 {
		return false
	}
	f := foldTok(t)
	return !notGroupPlurals[f] && !placeSuffixes[f] && !orgSuffixes[f] && !demonymShaped(f)
}

// townTeam reads a run of a town and a plural nickname ("Chicago
// Bulls", "New Orleans Saints") as the team, not the town. A town named
// like a given name ("Charlotte Bobcats", "Phoenix Suns") needs a
// nickname that is an ordinary plural: "Charlotte Jones" is a person.
func (x *Extractor) townTeam(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	n := len(c)
	if n < 2 || !pluralNickname(c[n-1]) || x.gaz.lookup(c[n-1:], shouting) != nil {
		return mention{}, false
	}
	if !x.teamTown(x.gaz.lookup(c[:n-1], shouting)) && !(n == 2 && x.gaz.wordCities[foldTok(c[0])] && commonWord(foldTok(c[1]))) {
		return mention{}, false
	}
	return mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle}, true
}

// stateSchool reads a US state and "State" ("Ohio State", "Michigan
// State's coach") as the state's university: the state itself is
// called by its name alone. Not a state named like a city ("New York
// State", "Washington State"), where "State" tells the state from the
// city.
func (x *Extractor) stateSchool(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	n := len(c)
	if n < 2 || !strings.HasPrefix(c[n-1].Lower, "state") || foldTok(c[n-1]) != "state" {
		return mention{}, false
	}
	e := x.gaz.lookup(c[:n-1], shouting)
	if e == nil || e.kind != Place || e.iso != "" {
		return mention{}, false
	}
	f := Fold(e.name)
	if !x.gaz.states[f] || x.gaz.cities[f] || x.gaz.byForm[f+" city"].e == e {
		return mention{}, false
	}
	return mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle}, true
}

// nameParticles join a place's name inside it ("Rio de Janeiro").
var nameParticles = set(`de da do del dos das`)

// namedState reads a run that ends in a capitalised "State" the other
// rules would misread: its head is a city or a country (the gazetteer's
// reading of "Fresno State", "Lagos State", "Niger State" was the city
// or the country, a wrong key), a US state whose bare name the gazetteer
// gives to a city ("Washington State", "New York State" were Washington
// DC and New York City), or a name no list knows ("Penn State said" was
// a person). "State" after a name is never part of a person's name. What
// it is, news says by the words around it:
//
//   - "Washington State", "New York State": the state. Writers add
//     "State" to these two precisely to tell the state from the city.
//   - a place cue (a preposition of place before, an official's noun
//     after: "in Lagos State", "Kaduna State governor") makes a state of
//     its own, keyed by its full name (place:lagos_state), not the city;
//   - otherwise a university or its team ("Fresno State beat …",
//     "Penn State said", "Georgia State", "Morgan State"): an
//     organization. A given name as the head ("Morgan", "Jackson") is
//     never a place: no state is named so.
//
// Not an ordinary word ("Golden State", "Garden State", "Nanny State":
// nicknames and phrases, left to the other rules), a demonym ("Arab
// State") or a region the gazetteer reads whole ("Queensland State" is
// Queensland), nor after "the" ("the Garden State").
func (x *Extractor) namedState(c []tokens.Token, prev *tokens.Token, placeCue, shouting, inTitle bool) (mention, bool) {
	n := len(c)
	if n < 2 || n > 4 || foldTok(c[n-1]) != "state" || !c[n-1].Capitalized() || prev != nil && prev.Lower == "the" {
		// "the Garden State", "the Lone Star State": a state's nickname
		return mention{}, false
	}
	head := c[:n-1]
	for k, t := range head {
		if !t.Capitalized() && !(k > 0 && nameParticles[t.Lower]) || possessive(t.Text) || hasDigit(t.Text) {
			return mention{}, false // "Secretary of State"; "Rio de Janeiro State" stays
		}
	}
	hf := strings.Join(folds(head), " ")
	name, toks := stripPossessive(joinText(c)), folds(c)
	place := mention{kind: Place, name: name, toks: toks, inTitle: inTitle}
	org := mention{kind: Organization, name: name, toks: toks, inTitle: inTitle}
	e := x.gaz.lookup(head, shouting)
	switch {
	case e == nil:
		if n == 2 && (commonWord(hf) || capStop[hf]) || titles[hf] || roleNouns[hf] {
			return mention{}, false
		}
		if placeCue && !givenNames[folds(head)[0]] {
			return place, true
		}
		return org, true
	case e.kind != Place || Fold(e.name) != hf && !x.gaz.states[hf]:
		// a body, a person, or a place by another of its names ("Arab",
		// a demonym; "Norfolk", an island's short name)
		return mention{}, false
	case x.gaz.states[hf]:
		if e.iso != "" && !placeCue {
			return org, true // "Georgia State": the university; the state is called "Georgia"
		}
		if e.iso != "" {
			return place, true // "officials in Georgia State": the US state, not the country
		}
		if x.cityNamedState(hf, e) {
			return place, true // "Washington State", "New York State"
		}
		return mention{}, false // "Ohio State": stateSchool's
	case x.gaz.cities[hf] || e.iso != "":
		if placeCue {
			return place, true
		}
		return org, true
	}
	return mention{}, false
}

// stateCounty reads a US state's name and a capitalised "County" or
// "Parish" after it ("a Wyoming County woman", "Washington County
// deputies"; round 30): a county of another state, many of which bear a
// state's name, keyed by its full name; the state itself is not named.
// Only a state's name: a town's and "County" may be a football club
// ("Derby County"), which the gazetteer and the club rules read.
func (x *Extractor) stateCounty(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	if len(c) > 2 && inFoldSet(c[0], wCapStop) {
		c = c[1:] // "A Delaware County deputy"
	}
	n := len(c)
	if n < 2 || n > 3 || !c[n-1].Capitalized() || possessive(c[n-2].Text) {
		return mention{}, false
	}
	if f := foldTok(c[n-1]); f != "county" && f != "parish" || possessive(c[n-1].Text) {
		return mention{}, false
	}
	head := c[:n-1]
	hf := strings.Join(folds(head), " ")
	if !x.gaz.states[hf] || x.gaz.lookup(c, shouting) != nil {
		return mention{}, false
	}
	return mention{kind: Place, name: joinText(c), toks: folds(c), inTitle: inTitle}, true
}

// cityNamedState reports whether the folded name f is a US state's that
// the gazetteer gives to a city, e, the entry f reads as: Washington
// (Washington DC), New York (New York City).
func (x *Extractor) cityNamedState(f string, e *entry) bool {
	return x.gaz.states[f] && e != nil && e.kind == Place && e.iso == "" && (x.gaz.cities[f] || x.gaz.byForm[f+" city"].e == e)
}

// lowerStateAfter returns the state a city's name and a lower-case
// "state" after it name ("in Washington state", "New York state
// officials", AP's style), keyed as "Washington State" is (namedState).
func (x *Extractor) lowerStateAfter(c []tokens.Token, next *tokens.Token, e *entry, inTitle bool) (mention, bool) {
	if next == nil || next.Text != "state" || !x.cityNamedState(strings.Join(folds(c), " "), e) {
		return mention{}, false
	}
	name := stripPossessive(joinText(c)) + " State"
	return mention{kind: Place, name: name, toks: append(folds(c), "state"), inTitle: inTitle}, true
}

// namedCity reads a US state's or a country's name and "City" as a city
// of its own: "Iowa City", "Jersey City", "Kuwait City", "Belize City",
// "Texas City" were Iowa, Jersey, Kuwait, Belize and Texas (the
// gazetteer reads the head and the rest of the run is dropped). Not
// after a city's name: "Hull City" is the club (townTeam and the club
// rules), "Seoul City" the city; a longer name keeps its own reading
// ("Jersey City Council").
func (x *Extractor) namedCity(c []tokens.Token, shouting, inTitle bool) (mention, bool) {
	n := len(c)
	if n < 2 || n > 3 || foldTok(c[n-1]) != "city" || !c[n-1].Capitalized() {
		return mention{}, false
	}
	head := c[:n-1]
	for _, t := range head {
		if !t.Capitalized() || possessive(t.Text) {
			return mention{}, false
		}
	}
	hf := strings.Join(folds(head), " ")
	e := x.gaz.lookup(head, shouting)
	if e == nil || e.kind != Place || x.gaz.cities[hf] || !(x.gaz.states[hf] || e.iso != "" && Fold(e.name) == hf) {
		return mention{}, false
	}
	return mention{kind: Place, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle}, true
}

// tableRow reports whether the name ts[i:j] is a side in a results or
// standings line, where a football story names its clubs by their towns
// alone with numbers and no words around them ("Everton 2 Chelsea 1",
// "Aston Villa 594, 729"): the name begins its line, or a score comes
// right before it, and the line holds names and numbers only, two
// numbers at least. A line of ratings or scorers ("De Gea 6 solid",
// "Hazard 23, Costa 67") has words or commas between its names, so a
// player there stays a person.
func tableRow(text string, ts []tokens.Token, i, j int) bool {
	if j >= len(ts) || !allDigits(ts[j].Text) || newlineBetween(text, ts[j-1].End, ts[j].Start) {
		return false
	}
	if !lineStart(text, ts[i].Start) && (i == 0 || ts[i].Break || !allDigits(ts[i-1].Text)) {
		return false
	}
	first := i
	for first > 0 && !lineStart(text, ts[first].Start) {
		first--
	}
	numbers := 0
	for k := first; k < len(ts) && (k == first || !lineStart(text, ts[k].Start)); k++ {
		switch {
		case allDigits(ts[k].Text):
			numbers++
		case !ts[k].Capitalized():
			return false
		}
	}
	return numbers >= 2
}

// lineStart reports whether only spaces stand between the start of a
// line (or of the text) and offset at.
func lineStart(text string, at int) bool {
	for k := at - 1; k >= 0; k-- {
		switch text[k] {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// newlineBetween reports whether text[from:to] holds a line break.
func newlineBetween(text string, from, to int) bool {
	return strings.IndexByte(text[from:to], '\n') >= 0
}

// asTableClub reads the mentions out[before:] of a side in a table row
// (see tableRow) as its club: a town the gazetteer knows becomes a
// club the way a football story's other cues make it (see
// mention.club), a body the gazetteer knows stays, and any other
// reading ("Aston Villa" as a person) gives way to an organization.
func (x *Extractor) asTableClub(out []mention, before int, c []tokens.Token, inTitle, shouting bool) []mention {
	if len(out) == before+1 && out[before].e != nil && out[before].e.kind == Organization {
		return out
	}
	if e := x.gaz.lookup(c, shouting); e != nil && e.kind == Place && e.iso == "" {
		return append(out[:before], mention{listOrg: true, club: true, name: e.name, toks: []string{Fold(e.name)}, inTitle: inTitle})
	}
	return append(out[:before], mention{kind: Organization, name: stripPossessive(joinText(c)), toks: folds(c), inTitle: inTitle})
}

// clubSide reports whether a chunk's mentions may be a club a list
// names: a town, or a name the gazetteer does not know as a place or a
// person; not a country or a nation's part ("national teams like
// England and Spain" are no list of clubs).
func (x *Extractor) clubSide(ms []mention) bool {
	for _, m := range ms {
		if m.e != nil && (m.e.kind == Place && !x.teamTown(m.e) || m.e.kind == Person) {
			return false
		}
	}
	return true
}

// countryAfterComma reports whether a comma and a country the gazetteer
// knows follow at ts[j] ("Newcastle, UK").
func (x *Extractor) countryAfterComma(text string, ts []tokens.Token, j int) bool {
	if j == 0 || j >= len(ts) || !ts[j].Break || strings.TrimSpace(text[ts[j-1].End:ts[j].Start]) != "," || !nameLike(ts[j]) {
		return false
	}
	e, n := x.longest(ts[j:], false)
	return n > 0 && e.kind == Place && e.iso != ""
}

// leagueNickname reads a whole capitalised run that is a franchise's
// cued nickname (majors.tsv "~Rockets": an ordinary plural or another
// club's name too) as the franchise, in a story about the US leagues
// only: "Hamas fired Rockets", "Fed Hawks" and "the Sale Sharks" name no
// franchise. The run must be the nickname alone, "The" opening a
// sentence aside, so a longer name is never split.
func (x *Extractor) leagueNickname(c []tokens.Token, inTitle bool, sports *footballStory) (mention, bool) {
	if x.gaz.cuedForms == nil || !sports.usLeagues() {
		// asked first: readWords noted the story's US-league cues, where
		// the lookup below folds and joins the run's words
		return mention{}, false
	}
	c = withoutSentenceOpeners(c)
	if len(c) > 2 || !c[0].Capitalized() {
		return mention{}, false
	}
	f := foldTok(c[0])
	if len(c) == 2 {
		f += " " + foldTok(c[1])
	}
	e := x.gaz.cuedForms[strings.TrimSuffix(f, "'s")]
	if e == nil {
		return mention{}, false
	}
	return mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle}, true
}
