package entities

import "testing"

// TestCapitalRoleOfEmployer: a company's role written with a capital
// ("CEO", "Chairman", "Founder") and "of" make the name after them the
// body the role serves, as "chief executive of" in lower case does, not
// a person the title names; a person after a role with no "of" stays one,
// and a state's role ("President of France") still names the place.
func TestCapitalRoleOfEmployer(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: `"It was Barack," says Paul Schmitz, CEO of Public Allies.`, want: []string{"person:paul_schmitz", "organization:public_allies"}, absent: []string{"person:public_allies"}},
		{body: "He is CEO of Public Allies.", want: []string{"organization:public_allies"}, absent: []string{"person:public_allies"}},
		{body: "Tim Cook, CEO of Apple, said sales rose.", want: []string{"person:tim_cook", "organization:apple"}},
		{body: "CEO Tim Cook said sales rose.", want: []string{"person:tim_cook"}},
		{body: "President of France Francois Hollande said.", want: []string{"place:fr", "person:francois_hollande"}},
	})
}
