package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A modal-looking word inside a person the entity stage found is the
// person's name, not a modal: "MPs Reject Theresa May Plan" is about
// Theresa May's plan, and "Driver Will Power Wins At Long Beach" about
// Will Power, whose verb is "wins" (rev45 and kw45's known misreads of
// the modal rule; the picker read "plan" as May's verb and "power" as
// Will's). Where no entity holds the word, the modal is read as before:
// "Stars Will Shine At Cannes" loses "shine".
func TestAModalInsideAPersonsNameIsTheName(t *testing.T) {
	person := func(names ...string) []record.Entity { return titleEntities("person", names...) }
	runKeywordCases(t, []keywordCase{
		{name: "a surname", title: "MPs Reject Theresa May Plan",
			ents: person("Theresa May"), want: []string{"theresa may", "plan"}},
		{name: "a title before the name", title: "Prime Minister Theresa May Visit To China",
			ents: person("Theresa May"), want: []string{"theresa may", "visit"}},
		{name: "a given name", title: "Driver Will Power Wins At Long Beach",
			ents: person("Will Power"), want: []string{"will power"}, never: []string{"wins", "power wins"}},
		{name: "a sentence-case text's surname", title: "Brexit talks: Theresa May can deliver, says aide",
			ents: person("Theresa May"), never: []string{"deliver"}},
		{name: "no person holds the modal", title: "Stars Will Shine At Cannes",
			ents: person("Theresa May"), never: []string{"shine"}},
	})
}
