// Resolve: mentions keyed into entities, with the coreference that merges
// a story's forms of one name.

package entities

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Resolve keys the mentions, merges a bare surname into the full name the
// story or earlier stories used, and returns the entities, most mentioned
// first; it teaches the alias map the full names it saw.
func (x *Extractor) Resolve(m Mentions) []record.Entity {
	return x.resolve(m.ms, m.streamWords)
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

// aggSlab is how many aggregates Resolve allocates at once: an article's
// dozens in a few allocations, without zeroing a slab per mention for the
// many that repeat a name.
const aggSlab = 16

func (x *Extractor) resolve(ms []mention, streamWords []string) []record.Entity {
	byKey := map[string]*agg{}
	// order counts first mentions: ties in mentions keep the text's order.
	// Not len(byKey), which merging shrinks: two entities would then share
	// an order, and their order in the output would follow map iteration.
	order := 0
	// The story's aggregates in slabs of up to aggSlab, where each was an
	// allocation of its own (an article's dozens). Each mention adds at
	// most one, so a slab is never larger than the mentions left could
	// fill. An aggregate is only ever held by its pointer: a new slab
	// leaves the earlier ones where they are.
	var aggs []agg
	left := len(ms) // mentions that may still add an aggregate
	add := func(kind, key, name, iso string, inTitle bool, toks []string) {
		left--
		a, ok := byKey[key]
		if !ok {
			if len(aggs) == cap(aggs) {
				aggs = make([]agg, 0, max(1, min(aggSlab, left+1)))
			}
			aggs = append(aggs, agg{ent: record.Entity{Key: key, Name: name, Kind: kind, ISO: iso}, order: order, toks: toks})
			a = &aggs[len(aggs)-1]
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
	// the bare words, on the stack for a headline's few (an allocation a
	// story, the most frequent of Resolve's)
	var pendingBuf [8]mention
	pending := pendingBuf[:0]
	var maidens []string // keys of names one was born with (mention.maiden)
	owners := surnameOwners(ms)
	var firsts map[string]*givenOwner
	var whole map[string]bool
	if oneWordPersonAliases(ms) {
		firsts = givenNameOwners(ms) // built only when a bare word may need it
		whole = knownNamedWhole(ms)
	}
	for _, m := range ms {
		// the person a place's name may be (owners), folded once, on the
		// stack (the map's lookup by string(bytes) copies nothing)
		var owner *mention
		if m.e != nil && m.e.kind == Place && !m.place && len(owners) > 0 {
			var arr [64]byte
			owner = owners[string(appendFold(arr[:0], m.name))]
		}
		switch {
		case m.e != nil && m.e.kind == Person && len(m.toks) == 1 && firsts[m.toks[0]] != nil && firsts[m.toks[0]].key != m.e.key && !whole[m.e.key]:
			// "his brother, Salah" after "Salah Abdeslam": the story's
			// person of that given name, not the one the gazetteer knows
			// by it alone (Mohamed Salah) — unless the story names that
			// one in full too: then "Salah" is his surname, as news
			// refers to a person a second time.
			o := firsts[m.toks[0]]
			add(Person, o.key, o.name, "", m.inTitle, o.toks)
		case owner != nil:
			// "Houston said" after "Angus Houston": the person, unless a
			// preposition made it the city ("in Houston").
			add(Person, Key(Person, owner.name), owner.name, "", m.inTitle, owner.toks)
		case m.e != nil:
			add(m.e.kind, m.e.key, m.e.name, m.e.iso, m.inTitle, nil)
		case m.kind == Person:
			key := Key(Person, m.name)
			add(Person, key, m.name, "", m.inTitle, m.toks)
			if m.maiden {
				maidens = append(maidens, key)
			}
		case m.kind == Organization:
			if key, name, toks, ok := x.streamPersonOpening(m); ok {
				// "Cyrus Tour News" once the stream knows Miley Cyrus
				add(Person, key, name, "", m.inTitle, toks)
				continue
			}
			add(Organization, Key(Organization, m.name), m.name, "", m.inTitle, m.toks)
		case m.kind == Place:
			add(Place, Key(Place, m.name), m.name, "", m.inTitle, m.toks)
		default:
			pending = append(pending, m)
		}
	}
	personsReadAsOrgs(byKey)
	mergeContainedPersons(byKey)
	mergeSpellings(byKey)
	mergeMaidenNames(byKey, maidens)
	mergeAcronyms(byKey)
	mergeChannelAcronyms(byKey)
	x.mergeDivisions(byKey)
	x.mergeShortForms(byKey)
	x.mergeTrailingForms(byKey)
	mergeTownClubShortForms(byKey)
	var peopleBuf [16]*agg // on the stack: a story names a few people
	for _, a := range appendPersonsInTextOrder(peopleBuf[:0], byKey) {
		toks := a.words()
		if len(toks) < 2 {
			if len(toks) == 1 && oneNameLearned(toks[0], a.ent.Name) {
				x.aliases.ObserveAlone(toks[0], a.ent.Key, a.ent.Name)
			}
			continue
		}
		last := toks[len(toks)-1]
		bySurname[last] = append(bySurname[last], a)
		byFirst[toks[0]] = append(byFirst[toks[0]], a)
		x.aliases.Observe(last, a.ent.Key, a.ent.Name)
		if first := toks[0]; len(toks) == 2 && first != last && !titles[first] {
			// "Miley" after "Miley Cyrus": a given name alone stands for
			// the stream's one full name with it, as a surname does
			// (issue 15, round 36); a title opens no name ("Prince Harry")
			x.aliases.Observe(first, a.ent.Key, a.ent.Name)
		}
	}
	x.observeBodies(byKey)
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
		if key, name, ok := x.aliases.Resolve(f); ok && !(m.inTitle && ordinaryGivenNameOf(f, name)) {
			add(kindOfKey(key), key, name, "", m.inTitle, nil)
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
			key := Key(Person, m.name)
			add(Person, key, m.name, "", m.inTitle, m.toks)
			if !m.givenSubject && oneNameLearned(f, m.name) {
				// "singer Beyonce said": a star of one name, whom no
				// full name teaches the alias map (issue 15, round 37)
				x.aliases.ObserveAlone(f, key, m.name)
			}
		}
	}
	for _, w := range streamWords {
		// "Sheryl Sandberg And Beyonce Want To Ban …" once the stream
		// read Beyonce: a title-case word no mention took
		if key, name, ok := x.aliases.Resolve(w); ok && kindOfKey(key) == Person && byKey[key] == nil && bySurname[w] == nil && byFirst[w] == nil && !ordinaryGivenNameOf(w, name) {
			add(Person, key, name, "", true, nil)
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
	if len(out) > x.max {
		out = out[:x.max]
	}
	ents := make([]record.Entity, len(out))
	for i, a := range out {
		ents[i] = a.ent
	}
	return ents
}

// appendPersonsInTextOrder appends byKey's people to people by first
// mention: the alias map observes them in this order, not a map's, so
// that its counters (each surname's last observation, which eviction
// reads) and which full names a full surname keeps are a function of the
// stories (the state log's entries were not: BENCHMARKS.md, round 33,
// e2e33 and surn33).
func appendPersonsInTextOrder(people []*agg, byKey map[string]*agg) []*agg {
	for _, a := range byKey {
		if a.ent.Kind == Person {
			people = append(people, a)
		}
	}
	slices.SortFunc(people, func(a, b *agg) int { return cmp.Compare(a.order, b.order) })
	return people
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

// ordinaryGivenNameOf: the bare word f is the given name of the full name
// the alias map answered and an ordinary word too ("Bill" of Bill
// Clinton, "Mark" of Mark Carney). In an article's text a capitalised
// "Bill" is the person ("Bill was eagerly checking"); in a headline, where
// nouns are capitalised and sentences open on them ("House Passes Farm
// Bill", "Dow Closes Above 17,000 Mark", "Grace period extended"), it is
// the word far more often (review rev36b of round 36's a7537bf5).
func ordinaryGivenNameOf(f, name string) bool {
	if !commonWord(f) {
		return false
	}
	folded, _ := foldForm(name)
	first, _, _ := strings.Cut(folded, " ")
	return first == f
}
