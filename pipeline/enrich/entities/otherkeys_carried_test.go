package entities

import "testing"

// validate tells an operator who watches a name the gazetteer knows as several entities to
// write the key of the one meant instead (OtherKeysOfName). A key no story is given watches
// nothing: the US states Georgia and Washington are entries whose every form another entry
// keeps, so a story about Atlanta, Georgia carries place:ge and one about Washington state
// place:washington_state, never place:georgia or place:washington; and "The Washington Post"
// is keyed organization:washington_post, never by the second entry brands.tsv gives the name.
// Only a key a story can carry is another entity to watch: the Irish Republican Army's, which
// its full name gives, beside Iran's, which "IRA" alone is given.
func TestOtherKeysOfNameAreKeysAStoryCanCarry(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Atlanta, Georgia, was hit by storms on Monday.", want: []string{"place:ge"}, absent: []string{"place:georgia"}},
		{body: "The senator from Washington state said the bill failed.", want: []string{"place:washington_state"}, absent: []string{"place:washington"}},
		{body: "The Washington Post reported the deal on Sunday.", want: []string{"organization:washington_post"}, absent: []string{"organization:the_washington_post"}},
		{body: "The Irish Republican Army said the truce would hold.", want: []string{"organization:ira"}},
	})
	checkOtherKeysOfName(t, newX(t), map[string][]string{
		"Georgia":             nil,
		"Washington":          nil,
		"The Washington Post": nil,
		"The Irish Times":     nil,
		"IRA":                 {"organization:ira"},
	})
}
