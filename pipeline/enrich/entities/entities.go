// Package entities finds the people, organizations and places a news
// story names, offline, and gives each one stable key however it is
// written: "Starmer", "Keir Starmer" and "Prime Minister Keir Starmer" are
// person:keir_starmer; "UK", "U.K.", "Britain" and "United Kingdom" are
// place:gb. Every kind follows one key scheme (see Key): the kind, a
// colon, a lower-case id with "_" between words, ISO codes for countries.
//
// Two sources of names work together:
//
//   - an embedded gazetteer (gazetteer/*.tsv): every ISO 3166 country with
//     its CLDR names in the detected languages plus hand-kept aliases and
//     demonyms, major cities and regions, international bodies, central
//     banks, parties, companies, media and clubs, and people often in the
//     news with their transliterations; a curated list of some 1,200
//     major bodies (majors.tsv: companies, publications, clubs,
//     universities, agencies, parties), one-word names weak, a name of
//     ordinary words ("Sprint", "Best Buy") read only where its capitals
//     are a choice (not a sentence's first word alone, not a title-case
//     headline); GeoNames' cities of 300,000
//     people or more and the US states (generated, see gen_geonames.go),
//     the cities weak: alone, a city that may be a surname is a place only
//     after "in" or "from" or in a list of places; Simple Icons' brand
//     names (generated, see gen_brands.go), a one-word brand weak: it
//     yields to a person of the story with that surname or a title, and
//     never splits a longer name; a user file can add more;
//   - a rule-based recognizer for names the gazetteer does not know:
//     capitalised runs, stripped of titles ("President", "Mr", "CEO"),
//     classified by organization suffixes and heads ("… Bank", "Ministry
//     of …", "Food and Drug Administration"), known given names, titles
//     and speech verbs ("…, Johnson said"), and by the words around them
//     (cues.go): an apposition (", an Islamic militant group"), a noun
//     after ("People magazine"), "&" between names, a mid-sentence "The"
//     ("The Vaccines"), a plural after a sentence's "The" ("The Rolling
//     Stones are"), a member's role before a person ("U2 frontman Bono"),
//     a list of people, a quoted nickname inside a name, a company role
//     before the name ("a spokesman for X", "shares in X"), a ticker
//     after it ("Allstate (ALL.N)") or an index word ("the KBW insurance
//     index": no body), a town and a plural nickname or "State"
//     ("Chicago Bulls", "Ohio State": teams.go; another name and
//     "State" is a state with a place cue, else a university: "in Lagos
//     State", "Fresno State said"; "Washington State" is the state; a
//     state's or a country's name and "City" is a city of its own:
//     "Iowa City") or a player's position
//     ("Kansas forward"), a determiner (or a colour) before a brand and a model ("a
//     Renault Clio": the maker), a transfer or a club's people around a
//     city in a football story ("signed X from Newcastle", "Newcastle
//     boss", "Everton, Liverpool and Norwich City": the club, then at
//     every mention), a person before "of" and a body ("Mark Smith of
//     Capital Economics": both), a country and a body in
//     lower case ("the US state department"), a family noun before first
//     names ("daughters Malia and Sasha"), a house number before a street
//     ("at 1617 S. Beretania") and a place noun or "in" and a known place
//     after a bare name ("Kyushu island", "Kandahar in southern
//     Afghanistan"); shapes the capitalised runs miss are read apart: a
//     match report's printed line-up (lineups.go: its names are
//     players), a site's address ("Salon.com"), a company opening in
//     lower case ("eBay") and a ministry in lower case ("China's foreign
//     ministry").
//
// Coreference then merges a bare surname with the full name the same story
// used ("Hollande" → "François Hollande"), and otherwise with the full name
// most often seen with that surname in earlier stories (an AliasMap, only
// when one full name clearly dominates); an acronym with the story's
// organization whose initials it spells ("USGS", "U.S. Geological
// Survey"); a bare word with the story's organization it ends ("the
// Stones", "The Rolling Stones") or opens ("Verizon", "Verizon
// Wireless"), and a longer run that ends its name ("The Sea Eagles said",
// after "Manly Sea Eagles": trailingforms.go); a city's name with the story's person whose surname it is
// ("Houston said", after "Angus Houston"), unless a preposition says
// place; a name with the acronym in brackets after it ("Democratic Rally
// (DISY)"), which makes it a body.
//
// An Extractor is safe for concurrent use.
package entities

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Extractor recognizes entities. Build one with New.
type Extractor struct {
	gaz     *gazetteer
	aliases *AliasMap
}

// Options configure New.
type Options struct {
	// ExtraGazetteer is an optional TSV file of extra entities (see
	// loadUser for the format).
	ExtraGazetteer string
	// AliasCapacity bounds the learned surname map (default 50000).
	AliasCapacity int
}

// New loads the gazetteer.
func New(o Options) (*Extractor, error) {
	g := newGazetteer()
	if err := g.loadEmbedded(); err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	if o.ExtraGazetteer != "" {
		if err := g.loadUser(o.ExtraGazetteer); err != nil {
			return nil, fmt.Errorf("entities: %w", err)
		}
	}
	capacity := o.AliasCapacity
	if capacity <= 0 {
		capacity = 50000
	}
	return &Extractor{gaz: g, aliases: NewAliasMap(capacity)}, nil
}

// MaxEntities caps the entities of one story: a 5 KB article names dozens
// of things, and downstream only the top ones matter. Sixty, not forty:
// one story in sixteen of wikiref220 names more than forty, and there a
// cap cut the last-named persons whenever a rule found more bodies
// (NBA.draft.2 names 53); an entity costs about 75 bytes of the record,
// so the twenty more cost at most 1.6 KB, in those stories only.
const MaxEntities = 60

// Extract returns the entities of a story, most mentioned first, and
// teaches the alias map the full names it saw. lang (BCP 47 primary
// subtag, "" if unknown) picks the stopwords that mark a sentence's
// capitalised first word as no name.
func (x *Extractor) Extract(title, body, lang string) []record.Entity {
	return x.ExtractFields(tokens.NewField(title), tokens.NewField(body), lang)
}

// ExtractFields is Extract over texts already split, which it does not
// modify: enrichment splits a story once for every step.
func (x *Extractor) ExtractFields(title, body tokens.Field, lang string) []record.Entity {
	return x.Resolve(x.Recognize(title, body, lang))
}

// Mentions are the names a story's text holds, before coreference keys
// them. Recognize reads the story alone, so many stories may be
// recognized at once; Resolve, which consults and teaches the alias map,
// runs in stream order.
type Mentions struct{ ms []mention }

// Recognize finds the names in a story's title and body (see Extract).
func (x *Extractor) Recognize(title, body tokens.Field, lang string) Mentions {
	if lang == "" {
		lang = "en"
	}
	defs := map[string]mention{}
	// One slice for both fields, sized for news text's one name in about
	// fifteen words: growing it from nil cost more than any rule.
	ms := make([]mention, 0, (len(title.Tokens)+len(body.Tokens))/16+4)
	sports := &footballStory{title: title, body: body}
	ms = x.recognize(ms, title, true, sports, lang, defs)
	if body.Text != "" {
		ms = x.recognize(ms, body, false, sports, lang, defs)
	}
	ms = dropSpecTerms(ms)
	ms = dropTermAcronyms(ms, title, body)
	clubs := x.clubsOfTowns(ms, sports) // nil in most stories: then no name is folded
	for i, m := range ms {
		if clubs != nil && m.e != nil && m.e.kind == Place && !m.place && clubs[Fold(m.e.name)] {
			// "Newcastle confirmed", after "Newcastle boss": a city a cue
			// made its club is the club wherever a preposition does not
			// say place ("fans in Newcastle").
			ms[i] = mention{kind: "", listOrg: true, club: true, name: m.e.name, toks: []string{Fold(m.e.name)}, inTitle: m.inTitle}
			continue
		}
		if m.e == nil && len(m.toks) == 1 {
			if d, ok := defs[m.toks[0]]; ok {
				d.inTitle = m.inTitle
				ms[i] = d
			}
		}
		// A name an apposition called an organization is one wherever
		// the story repeats it ("Boko Haram's uprising").
		if m.e == nil && m.kind == Person {
			if d, ok := defs[appositiveKey(m.toks)]; ok {
				d.inTitle = m.inTitle
				ms[i] = d
			}
		}
	}
	return Mentions{ms}
}

// specTermsMin is how many distinct unknown acronyms, organizations by
// their capitals alone, make a story a technical text: news names one
// or two bodies so ("SXSW", "RAF and IISS"); a spec sheet or review
// names its terms so by the dozen ("HDR", "MIMO", "CMOS", "WQHD").
const specTermsMin = 3

// dropSpecTerms removes, from a story naming specTermsMin or more unknown
// acronyms by their shape alone (mention.shape) and at least one camel-
// case name so ("TouchWiz", "IoT"), every mention made an organization by
// its shape: there such shapes name terms and products, and a body must
// be known or vouched for otherwise (a possessive, a long name that
// spells it). Acronyms alone are not enough: politics names its parties
// so ("the UMNO leader said the PKR and the DAP …").
func dropSpecTerms(ms []mention) []mention {
	var seen []string
	camel := false
	for _, m := range ms {
		switch {
		case !m.shape:
		case camelCase(m.name):
			camel = true
		case !slices.Contains(seen, m.name):
			seen = append(seen, m.name)
		}
	}
	if len(seen) < specTermsMin || !camel {
		return ms
	}
	return slices.DeleteFunc(ms, func(m mention) bool { return m.shape })
}

// clubsOfTowns are the folded names of the cities a football story's
// words made clubs (see mention.club), and of the towns of the clubs it
// names in full with a town's club word ("Swansea City", "Newport
// County": then "Swansea" alone is the club too), nil if none. A town
// two named clubs share ("Manchester City", "Manchester United") stays
// the town.
func (x *Extractor) clubsOfTowns(ms []mention, sports *footballStory) map[string]bool {
	var clubs map[string]bool
	var named map[string]int // a town's named clubs
	for _, m := range ms {
		if m.club {
			if clubs == nil {
				clubs = map[string]bool{}
			}
			clubs[m.toks[0]] = true
			continue
		}
		if town, ok := x.clubTown(m); ok {
			if named == nil {
				named = map[string]int{}
			}
			named[town]++
		}
	}
	if named == nil || !sports.football() {
		return clubs
	}
	for town, n := range named {
		if n == 1 {
			if clubs == nil {
				clubs = map[string]bool{}
			}
			clubs[town] = true
		}
	}
	return clubs
}

// townClubWords end a club's name after its town ("Hull City", "Leeds
// United", "Newport County"); a list compared without case, as every
// organization of every story is asked and lower-casing its name would
// allocate.
var townClubWords = []string{"city", "united", "county", "town", "rovers", "athletic", "wanderers", "albion"}

// townClubWord reports whether w is one of townClubWords, in any case.
func townClubWord(w string) bool {
	for _, c := range townClubWords {
		if strings.EqualFold(w, c) {
			return true
		}
	}
	return false
}

// clubTown returns the folded town of an organization named as a town
// and one of townClubWords, the town a place the gazetteer knows, not a
// country ("Swansea", "Hull"; "Ivory Coast" is no town's).
func (x *Extractor) clubTown(m mention) (string, bool) {
	if m.kind != Organization && (m.e == nil || m.e.kind != Organization) {
		return "", false
	}
	k := strings.LastIndexByte(m.name, ' ')
	if k <= 0 || !townClubWord(m.name[k+1:]) {
		return "", false
	}
	town := Fold(m.name[:k])
	e := x.gaz.byForm[town].e
	return town, e != nil && e.kind == Place && e.iso == ""
}

// Resolve keys the mentions, merges a bare surname into the full name the
// story or earlier stories used, and returns the entities, most mentioned
// first; it teaches the alias map the full names it saw.
func (x *Extractor) Resolve(m Mentions) []record.Entity {
	return x.resolve(m.ms)
}

type agg struct {
	ent   record.Entity
	order int
	toks  []string
}

// words are the entity's folded words: the recognizer's, or its name's
// for a gazetteer entry.
func (a *agg) words() []string {
	if a.toks != nil {
		return a.toks
	}
	f, _ := foldForm(a.ent.Name)
	return strings.Fields(f)
}

func (x *Extractor) resolve(ms []mention) []record.Entity {
	byKey := map[string]*agg{}
	// order counts first mentions: ties in mentions keep the text's order.
	// Not len(byKey), which merging shrinks: two entities would then share
	// an order, and their order in the output would follow map iteration.
	order := 0
	add := func(kind, key, name, iso string, inTitle bool, toks []string) {
		a, ok := byKey[key]
		if !ok {
			a = &agg{ent: record.Entity{Key: key, Name: name, Kind: kind, ISO: iso}, order: order, toks: toks}
			order++
			byKey[key] = a
		}
		a.ent.Mentions++
		a.ent.InTitle = a.ent.InTitle || inTitle
	}
	// Pass 1: everything already classified. Full person names index the
	// surnames (and first names) that later bare words may refer to.
	bySurname := map[string][]*agg{}
	byFirst := map[string][]*agg{}
	var pending []mention
	var maidens []string // keys of names one was born with (mention.maiden)
	owners := surnameOwners(ms)
	for _, m := range ms {
		switch {
		case m.e != nil && m.e.kind == Place && !m.place && owners[Fold(m.name)] != nil:
			// "Houston said" after "Angus Houston": the person, unless a
			// preposition made it the city ("in Houston").
			o := owners[Fold(m.name)]
			add(Person, Key(Person, o.name), o.name, "", m.inTitle, o.toks)
		case m.e != nil:
			add(m.e.kind, m.e.key, m.e.name, m.e.iso, m.inTitle, nil)
		case m.kind == Person:
			key := Key(Person, m.name)
			add(Person, key, m.name, "", m.inTitle, m.toks)
			if m.maiden {
				maidens = append(maidens, key)
			}
		case m.kind == Organization:
			add(Organization, Key(Organization, m.name), m.name, "", m.inTitle, m.toks)
		case m.kind == Place:
			add(Place, Key(Place, m.name), m.name, "", m.inTitle, m.toks)
		default:
			pending = append(pending, m)
		}
	}
	personsReadAsOrgs(byKey)
	mergeContainedPersons(byKey)
	mergeMaidenNames(byKey, maidens)
	mergeAcronyms(byKey)
	mergeChannelAcronyms(byKey)
	x.mergeDivisions(byKey)
	x.mergeShortForms(byKey)
	x.mergeTrailingForms(byKey)
	for _, a := range byKey {
		if a.ent.Kind != Person {
			continue
		}
		toks := a.words()
		if len(toks) < 2 {
			continue
		}
		last := toks[len(toks)-1]
		bySurname[last] = append(bySurname[last], a)
		byFirst[toks[0]] = append(byFirst[toks[0]], a)
		x.aliases.Observe(last, a.ent.Key, a.ent.Name)
	}
	var byOrgEnd, byOrgStart, oneWordOrgs map[string]*agg
	if len(pending) > 0 {
		// folds names: only when a bare word may need it
		byOrgEnd, byOrgStart, oneWordOrgs = orgsByEdgeWords(byKey)
	}
	pick := func(cands []*agg) *agg {
		var best *agg
		for _, c := range cands {
			if best == nil || c.ent.Mentions > best.ent.Mentions || (c.ent.Mentions == best.ent.Mentions && c.order < best.order) {
				best = c
			}
		}
		return best
	}
	// Pass 2: bare words. In-story full names first, then the learned
	// alias map, then, if a title or speech verb vouches for it, a person
	// known by one name only.
	for _, m := range pending {
		f := m.toks[0]
		if a := pick(bySurname[f]); a != nil {
			add(a.ent.Kind, a.ent.Key, a.ent.Name, "", m.inTitle, nil)
			continue
		}
		if a := pick(byFirst[f]); a != nil {
			add(a.ent.Kind, a.ent.Key, a.ent.Name, "", m.inTitle, nil)
			continue
		}
		if a := byOrgEnd[f]; a != nil {
			// "the Stones" after "The Rolling Stones"
			add(a.ent.Kind, a.ent.Key, a.ent.Name, "", m.inTitle, nil)
			continue
		}
		if a := oneWordOrgs[f]; a != nil {
			// "Fugro said" after "awarded Fugro the contract", "told
			// Vogue" after "fashion magazine Vogue": a body the story
			// named so, which a speech verb does not make a person.
			add(a.ent.Kind, a.ent.Key, a.ent.Name, "", m.inTitle, nil)
			continue
		}
		if key, name, ok := x.aliases.Resolve(f); ok {
			add(Person, key, name, "", m.inTitle, nil)
			continue
		}
		if m.place {
			add(Place, Key(Place, m.name), m.name, "", m.inTitle, m.toks)
			continue
		}
		if a := byOrgStart[f]; a != nil {
			// "Verizon" after "Verizon Wireless", "Sheffield" after
			// "Sheffield United": the body's short name, unless a
			// preposition made it a place ("born in Sheffield").
			add(a.ent.Kind, a.ent.Key, a.ent.Name, "", m.inTitle, nil)
			continue
		}
		if m.listOrg {
			add(Organization, Key(Organization, m.name), m.name, "", m.inTitle, m.toks)
			continue
		}
		if m.cued {
			add(Person, Key(Person, m.name), m.name, "", m.inTitle, m.toks)
		}
	}
	out := make([]*agg, 0, len(byKey))
	for _, a := range byKey {
		out = append(out, a)
	}
	// order is unique (first mentions; a merge keeps the survivor's), so
	// this is a total order and any sort gives the same list.
	slices.SortFunc(out, func(a, b *agg) int {
		if a.ent.Mentions != b.ent.Mentions {
			return cmp.Compare(b.ent.Mentions, a.ent.Mentions)
		}
		if a.ent.InTitle != b.ent.InTitle {
			if a.ent.InTitle {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.order, b.order)
	})
	if len(out) > MaxEntities {
		out = out[:MaxEntities]
	}
	ents := make([]record.Entity, len(out))
	for i, a := range out {
		ents[i] = a.ent
	}
	return ents
}

// personsReadAsOrgs folds a name the recognizer read as a person by
// its shape alone (no gazetteer entry) into the organization of the same
// name the story has: a cue read the body somewhere ("former Aston Villa
// manager" next to "Aston Villa's new signing"; "the Charlie Hebdo
// attacks" after "the satirical magazine Charlie Hebdo"), and a name
// is one entity in one story.
func personsReadAsOrgs(byKey map[string]*agg) {
	// pairs of a story's few names compared in place: no key is built
	// for the many stories that have no such pair
	for key, a := range byKey {
		if a.ent.Kind != Person || a.toks == nil {
			continue
		}
		id := key[len(Person)+1:]
		for okey, org := range byKey {
			if org.ent.Kind != Organization || org.toks == nil || okey[len(Organization)+1:] != id {
				continue
			}
			org.ent.Mentions += a.ent.Mentions
			org.ent.InTitle = org.ent.InTitle || a.ent.InTitle
			org.order = min(org.order, a.order)
			delete(byKey, key)
			break
		}
	}
}

// surnameOwners maps the last word of each full name the recognizer
// read as a person to that mention, nil when two names share it.
func surnameOwners(ms []mention) map[string]*mention {
	var out map[string]*mention
	for i := range ms {
		m := &ms[i]
		if m.e != nil || m.kind != Person || len(m.toks) < 2 {
			continue
		}
		last := m.toks[len(m.toks)-1]
		if out == nil {
			out = map[string]*mention{}
		}
		if o, ok := out[last]; ok && (o == nil || Fold(o.name) != Fold(m.name)) {
			out[last] = nil
			continue
		}
		out[last] = m
	}
	return out
}

// mergeContainedPersons folds a person whose name is a run inside a longer
// person's name, as its beginning, into it: "Sarah Jessica" into "Sarah
// Jessica Parker"; and a first and last name into the same name with a
// middle name: "John Kennedy" into "John Fitzgerald Kennedy"; and a
// surname of two words after the full name (see laterTail).
func mergeContainedPersons(byKey map[string]*agg) {
	var persons []*agg
	for _, a := range byKey {
		if a.ent.Kind == Person {
			a.toks = a.words()
			persons = append(persons, a)
		}
	}
	slices.SortFunc(persons, func(a, b *agg) int { return cmp.Compare(a.order, b.order) })
	for _, short := range persons {
		if len(short.toks) < 2 {
			continue
		}
		for _, long := range persons {
			if long == short || len(long.toks) <= len(short.toks) || !hasPrefix(long.toks, short.toks) && !middleNamed(long.toks, short.toks) && !laterTail(long, short) {
				continue
			}
			long.ent.Mentions += short.ent.Mentions
			long.ent.InTitle = long.ent.InTitle || short.ent.InTitle
			delete(byKey, short.ent.Key)
			break
		}
	}
}

// mergeMaidenNames joins a name one was born with ("the former Michelle
// Robinson", "(born Michelle Robinson)") to the story's one other person
// of that given name ("Michelle Obama"); with none, or several, it stays.
func mergeMaidenNames(byKey map[string]*agg, maidens []string) {
	for _, k := range maidens {
		a, ok := byKey[k]
		if !ok {
			continue
		}
		words := a.words()
		var to *agg
		n := 0
		for _, b := range byKey {
			if b == a || b.ent.Kind != Person {
				continue
			}
			if w := b.words(); len(w) >= 2 && w[0] == words[0] {
				to, n = b, n+1
			}
		}
		if n != 1 {
			continue
		}
		to.ent.Mentions += a.ent.Mentions
		to.ent.InTitle = to.ent.InTitle || a.ent.InTitle
		delete(byKey, k)
	}
}

// middleNamed reports whether long is short with one middle name:
// "john fitzgerald kennedy" and "john kennedy".
func middleNamed(long, short []string) bool {
	return len(short) == 2 && len(long) == 3 && long[0] == short[0] && long[2] == short[1]
}

// laterTail reports whether short is the end of long's name, written
// after it: a surname of two words the story gave in full first ("Ali Al
// Habsi" … "Al Habsi", "Pouria Nour Mohammad" … "Nour Mohammad"). Only
// after: a longer run read before the name may be something else that
// holds it ("Free Nelson Mandela", a song), and a name is given in full
// before its short form. Not a name opened by a known first name, which
// is a full name itself, the longer run an over-read of two ("Heisbourg
// Philip Stephens", names in a by-line).
func laterTail(long, short *agg) bool {
	return long.order < short.order && !givenNames[short.toks[0]] && slices.Equal(long.toks[len(long.toks)-len(short.toks):], short.toks)
}

// hasPrefix: a prefix merges ("Sarah Jessica" → "Sarah Jessica
// Parker"); a suffix only when written after the long name (laterTail).
func hasPrefix(long, short []string) bool {
	for j := range short {
		if long[j] != short[j] {
			return false
		}
	}
	return true
}

// orgsByEdgeWords indexes the story's organizations of two or more words
// by their last word and by their first, for a later short form ("the
// Stones" after "The Rolling Stones", "Palace" after "Crystal Palace",
// "Verizon" after "Verizon Wireless"); not by a generic word ("Bank",
// "Party", "United", "National"), which many bodies share, nor a word
// two of them share, nor a name with "&": its words are surnames
// ("Johnson & Johnson"), and a later "Johnson said" is a person. Only a
// bare word asks: a place the gazetteer knows ("America" after "Bank of
// America") never does. oneWord indexes the bodies of one word no
// gazetteer knows by that word ("Fugro said" after "awarded Fugro").
func orgsByEdgeWords(byKey map[string]*agg) (byLast, byFirst, oneWord map[string]*agg) {
	index := func(m map[string]*agg, w string, a *agg) map[string]*agg {
		if m == nil {
			m = map[string]*agg{}
		}
		if _, ok := m[w]; ok {
			m[w] = nil // two bodies share it: neither is meant
		} else {
			m[w] = a
		}
		return m
	}
	for _, a := range byKey {
		if a.ent.Kind != Organization {
			continue
		}
		if len(a.toks) == 1 {
			// "Fugro", "Vogue": a one-word body the story named, which
			// no gazetteer knows (see resolve)
			oneWord = index(oneWord, a.toks[0], a)
			continue
		}
		toks := a.words()
		if len(toks) < 2 || strings.Contains(a.ent.Name, "&") {
			continue
		}
		if last := toks[len(toks)-1]; !orgSuffixes[last] {
			byLast = index(byLast, last, a)
		}
		if first := toks[0]; !orgSuffixes[first] && !orgHeads[first] {
			byFirst = index(byFirst, first, a)
		}
	}
	return byLast, byFirst, oneWord
}
