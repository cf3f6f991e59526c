package entities

import "testing"

// TestOrgNounWholeRun: after a lower-case noun of organizations a run
// that opens with a word no list knows is the body's name, whole, though
// a later word names a place ("the law firm Sidley Austin" is no Austin);
// a run a known name opens is read as before.
func TestOrgNounWholeRun(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She worked at the law firm Sidley Austin in Chicago.", want: []string{"organization:sidley_austin", "place:chicago"}, absent: []string{"place:austin", "organization:sidley"}},
		{body: "The airline Garuda Indonesia cancelled flights.", want: []string{"organization:garuda_indonesia"}, absent: []string{"place:id"}},
		{body: "The firm Goldman Sachs in London said it would hire.", want: []string{"organization:goldman_sachs", "place:london"}},
		{body: "The company Harbin Electric said orders fell.", absent: []string{"organization:company_harbin_electric"}},
	})
}
