package entities

import "testing"

// TestCongregationNames: "First" opening a congregation's name is part of
// it ("First Ebenezer Baptist Church"), and "Church" before "of" inside a
// run makes the whole run the congregation, as an institution's head does
// ("Trinity United Church of Christ", which a given name opens); a known
// church and a lower-case "first" read as before.
func TestCongregationNames(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He preached at First Ebenezer Baptist Church in Birmingham.", want: []string{"organization:first_ebenezer_baptist_church", "place:birmingham"}, absent: []string{"organization:ebenezer_baptist_church"}},
		{body: "The couple married at Trinity United Church of Christ on October 18, 1992.", want: []string{"organization:trinity_united_church_of_christ"}},
		{body: "Members of the Church of England voted.", want: []string{"organization:church_of_england"}},
		{body: "It was the first Baptist Church in the town.", want: []string{"organization:baptist_church"}},
	})
}
