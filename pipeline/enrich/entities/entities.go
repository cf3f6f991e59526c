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
//     Renault Clio": the maker; a make of an ordinary word after a colour
//     or before a car's noun: "a black Seat", "a Seat car"; a make and its
//     model where the words say cars: "Jeep Grand Cherokees", "Ohio Jeep
//     Plant", carmakes.go), a transfer or a club's people around a
//     city in a football story ("signed X from Newcastle", "Newcastle
//     boss", "Everton, Liverpool and Norwich City": the club, then at
//     every mention), a person before "of" and a body ("Mark Smith of
//     Capital Economics": both), a country and a body in
//     lower case ("the US state department", "the US navy", "the Malaysian
//     air force", "the Malaysian embassy"), a family noun before first
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
	"fmt"
	"sync"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Extractor recognizes entities. Build one with New.
type Extractor struct {
	gaz     *gazetteer
	aliases *AliasMap
	max     int // entities kept per story (Options.MaxEntities)
}

// Options configure New.
type Options struct {
	// ExtraGazetteer is an optional TSV file of extra entities (see
	// loadUser for the format).
	ExtraGazetteer string
	// AliasCapacity bounds the learned surname map (default 50000).
	AliasCapacity int
	// MaxEntities caps the entities of one story (0: DefaultMaxEntities;
	// above MaxEntitiesLimit: MaxEntitiesLimit).
	MaxEntities int
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
	max := o.MaxEntities
	if max <= 0 {
		max = DefaultMaxEntities
	}
	return &Extractor{gaz: g, aliases: NewAliasMap(capacity), max: min(max, MaxEntitiesLimit)}, nil
}

// Fresh returns an Extractor that shares x's gazetteer, which nothing
// changes after New, with an empty alias map of x's capacity: what New
// with x's options gives, without loading the gazetteer again (about a
// tenth of a second each). For readers that read every story as the first
// one, as the eval's entity-key guard does over thousands of stories.
func (x *Extractor) Fresh() *Extractor {
	return &Extractor{gaz: x.gaz, aliases: NewAliasMap(x.aliases.capacity), max: x.max}
}

// wordBufs holds recognition's copies of stories' words (readWords).
var wordBufs = sync.Pool{New: func() any { return new([]tokens.Token) }}

// DefaultMaxEntities caps the entities of one story unless configured
// otherwise (enrich.max_entities). A hundred, not sixty: on WikiRef220
// four stories of 219 name more than sixty, and three of them are news
// (63, 66 and 77 entities); with sixty, their single mentions after the
// sixtieth were cut by where they stood in the text, not by salience
// (those ranked last all have one mention), and 24 of the 26 cut there
// are right by the labels. A hundred keeps every news story whole; the
// one story past it is a 7,900-word list of players and birthplaces (752
// names). An entity is about 75 bytes of the record: the median story
// record (11 KB on WikiRef220, 1 KB per headline) and the p99 (89 KB,
// 1.4 KB) do not move (BENCHMARKS.md, round 23, entities27).
const DefaultMaxEntities = 100

// MaxEntitiesLimit is the most enrich.max_entities may keep: with every
// other field of a story at its cap, that many entities at the size the
// normalizer's limit test gives them still fit Kafka's default
// message.max.bytes with framing, about 6 kB to spare (normalize's
// TestAStoryAtEveryCapFitsInAKafkaMessage: 993 kB, names and keywords at
// MaxNameBytes and keywords.MaxKeywordBytes).
const MaxEntitiesLimit = 120

// MaxNameBytes bounds a recognized name, in the bytes it takes in the
// story record (record.JSONBytes: an '&' inside a word takes six): a run
// of capitalised words longer than this is a hostile or broken text
// ("Alphason Bravoson …" for 27 kB, "Qa&Q&Q…"), not a name — the longest
// names news prints ("International Bank for Reconstruction and
// Development") are about half of it. The record's size guarantee
// (normalize's TestAStoryAtEveryCapFitsInAKafkaMessage) counts entities at
// this size.
const MaxNameBytes = 100

// dropOverlongNames drops the recognized names over MaxNameBytes; the
// gazetteer's own names are known and kept.
func dropOverlongNames(ms []mention) []mention {
	out := ms[:0]
	for _, m := range ms {
		if m.e == nil && len(m.name) > MaxNameBytes/6 && record.JSONBytes(m.name) > MaxNameBytes {
			continue
		}
		out = append(out, m)
	}
	return out
}

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
type Mentions struct {
	ms []mention
	// streamWords: a title-case headline's words no mention took, which
	// resolve asks the stream's memory about (titleCaseStreamWords)
	streamWords []string
	// asked: what the recognizer asked the stream's memory and what it
	// answered (streamPersonInRun); see Current
	asked []aliasAnswer
}

// aliasAnswer is one question the recognizer asked the alias map: the
// word, and the key it answered ("" for none).
type aliasAnswer struct{ word, key string }

// Current reports whether the stream's memory still answers every
// question the recognizer asked it while reading m. Recognize may run
// before the stories ahead of it in the stream are resolved (EnrichAll
// reads a batch at once), so a memory they taught it since makes its
// reading stale: the caller, in stream order, recognizes the story again,
// so that a story's entities are those of the stream's order however it
// was cut into batches (round 37). The recognizer rarely asks (a
// title-case headline's run that read as no one), so a batch seldom
// reads a story twice.
func (x *Extractor) Current(m Mentions) bool {
	for _, q := range m.asked {
		if key, _, _ := x.aliases.Resolve(q.word); key != q.key {
			return false
		}
	}
	return true
}

// Recognize finds the names in a story's title and body (see Extract).
func (x *Extractor) Recognize(title, body tokens.Field, lang string) Mentions {
	if lang == "" {
		lang = "en"
	}
	title = withoutWireTag(title)
	defs := map[string]mention{}
	// One slice for both fields, sized for news text's one name in eight
	// words or more (wikiref220's articles: a mention every 11 tokens at
	// the median, 8 at the tenth percentile, 19 at the ninetieth): growing
	// it from nil cost more than any rule, and a slice grown by copying
	// (half the articles, when sized for one in sixteen) more than the
	// room a sparse story leaves unused.
	ms := make([]mention, 0, (len(title.Tokens)+len(body.Tokens))/8+4)
	// both fields' words read first: a rule reading the title asks
	// whether the story, body and all, is about football
	sports := &footballStory{}
	// the story's words, copied to hold their facts, in a buffer kept
	// from story to story: no mention keeps a word (names and folds are
	// strings of the text)
	buf := wordBufs.Get().(*[]tokens.Token)
	defer func() {
		clear(*buf) // no text kept alive by a pooled buffer
		*buf = (*buf)[:0]
		wordBufs.Put(buf)
	}()
	words := (*buf)[:0]
	tw, words := x.readWords(title, sports, words)
	bw, words := x.readWords(body, sports, words)
	*buf = words
	var asked []aliasAnswer
	ms = x.recognize(ms, title.Text, tw, true, sports, lang, defs, &asked)
	if body.Text != "" {
		ms = x.recognize(ms, body.Text, bw, false, sports, lang, defs, &asked)
	}
	ms = dropSpecTerms(ms)
	ms = dropProducts(ms)
	ms = dropTermAcronyms(ms, title, body)
	ms = dropOverlongNames(ms)
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
	return Mentions{ms: ms, streamWords: titleCaseStreamWords(tw.ts, ms), asked: asked}
}
