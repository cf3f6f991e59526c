package entities

import "testing"

// TestAppositiveMemberKeepsPerson pins memberNouns in orgAppositive (issue
// 15, round 22): an apposition that names a person's place in a body —
// before the body's noun ("a partner at the law firm") or right after it
// ("a law firm partner", "a party spokesman") — describes the person, who
// stays a person; an apposition whose head is the body's noun still makes
// the name a body.
func TestAppositiveMemberKeepsPerson(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Anna Berg, a law firm partner, said the deal was done.", want: []string{"person:anna_berg"}, absent: []string{"organization:anna_berg"}},
		{body: "Anna Berg, a partner at the law firm, said the deal was done.", want: []string{"person:anna_berg"}, absent: []string{"organization:anna_berg"}},
		{body: "Tom Brandvik, a party spokesman, denied it.", want: []string{"person:tom_brandvik"}, absent: []string{"organization:tom_brandvik"}},
		{body: "Quorvex, a law firm, said the deal was done.", want: []string{"organization:quorvex"}},
		{body: "Sidley Austin, a corporate law firm, hired her.", want: []string{"organization:sidley_austin"}},
	})
}
