package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The word right after a person's name in a headline is the person's
// verb when English says it can be one: an -s form the dictionary
// inflects ("Kat Perkins Embarks on"), or a plain form after names joined
// by "and" ("… and Christopher Mintz-Plasse Share Crazy Stories"). The
// recognizer reads the name whole, so what was the pair "perkins embarks"
// left "embarks" alone, and "share" ran into its object ("share crazy";
// issue 15, round 42's verb leftovers). Not a noun the next word's verb
// follows ("Kat Perkins Fans Rally").
func TestAPersonsVerbIsNoKeyword(t *testing.T) {
	person := func(names ...string) []record.Entity { return titleEntities("person", names...) }
	runKeywordCases(t, []keywordCase{
		{name: "an -s verb after a name", title: "The Voice Recap: Nanny Kat Perkins Embarks on Solo Career (3/10/14)",
			ents: person("Kat Perkins"), want: []string{"kat perkins", "solo career"}, never: []string{"embarks", "perkins embarks"}},
		{name: "a plain verb after names joined by and", title: "Zac Efron, Dave Franco, and Christopher Mintz-Plasse Share Crazy Stories ...",
			ents: person("Zac Efron", "Dave Franco", "Christopher Mintz-Plasse"), want: []string{"christopher mintz-plasse"}, never: []string{"share crazy", "share"}},
		{name: "written: an -s verb", title: "Singer Bo Lang Embarks On World Tour",
			ents: person("Bo Lang"), want: []string{"bo lang", "world tour"}, never: []string{"embarks"}},
		{name: "written: two people share", title: "Anna Kendrick and Brittany Snow Share Funny Photos",
			ents: person("Anna Kendrick", "Brittany Snow"), never: []string{"share funny", "share"}},
		{name: "a noun before the verb stays", title: "Kat Perkins Fans Rally Behind Singer",
			ents: person("Kat Perkins"), want: []string{"fans"}},
	})
}

// A possessive on the name or on the word after it makes that word a
// noun: "Seth Rogen's Neighbors' Cracks Up", "Adam Wins Blind Auditions'
// Best Contestant" (a recognizer's run-on name before a possessive).
func TestAPossessiveAfterANameIsNoVerb(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "the name's possessive", title: "SXSW: Zac Efron, Seth Rogen's Neighbors' Cracks Up Premiere Crowd",
			ents: []record.Entity{{Name: "Seth Rogen", Kind: "person", InTitle: true}, {Name: "Zac Efron", Kind: "person", InTitle: true}},
			want: []string{"neighbors"}},
		{name: "the noun's possessive", title: "'The Voice' Recap: Adam Wins Blind Auditions' Best Contestant",
			ents: []record.Entity{{Name: "Adam Wins Blind", Kind: "person", InTitle: true}},
			want: []string{"auditions"}},
	})
}

// An entity whose name is empty or only spaces (a wire item's subject
// with no name, or any caller's slip) is no keyword and no crash: the
// picker read the name's last word, and an empty name has none.
func TestAnEmptyEntityNameIsSkipped(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "empty and blank names", title: "Kat Perkins Embarks on Solo Career",
			ents: []record.Entity{{Name: "", Kind: "person", InTitle: true}, {Name: "  ", Kind: "organization"}, {Name: "Kat Perkins", Kind: "person", InTitle: true}},
			want: []string{"kat perkins", "solo career"}},
	})
}

// titleEntities are the story's entities of one kind, each named in the
// headline: the cases' stand-in for the recognizer.
func titleEntities(kind string, names ...string) []record.Entity {
	var out []record.Entity
	for _, n := range names {
		out = append(out, record.Entity{Name: n, Kind: kind, InTitle: true})
	}
	return out
}
