package entities

import "testing"

// TestPapersAfterTheirPlaceRound17: a newspaper's noun after its town's
// or country's word is the paper, one body, as a university's is after
// its place (round 16); a place and a generic noun still name the place.
func TestPapersAfterTheirPlaceRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "A columnist for the Moscow Times agreed with the plan.", want: []string{"organization:moscow_times"}, absent: []string{"place:moscow"}},
		{body: "He told the Taipei Times that the vote was close.", want: []string{"organization:taipei_times"}, absent: []string{"place:taipei"}},
		{body: "According to the Irish Examiner and the Jamaica Gleaner, turnout fell.", want: []string{"organization:irish_examiner", "organization:jamaica_gleaner"}, absent: []string{"place:ie", "place:jm"}},
		{body: "The Manila Bulletin quoted the mayor on Sunday.", want: []string{"organization:manila_bulletin"}},
		{body: "Greek police said French TV had filmed the arrest.", want: []string{"place:gr", "place:fr"}},
	})
}

// TestPluralPossessiveOpensBodyRound17: a plural possessive opening a
// run whose last word is a body's noun is inside the body's name
// ("Ladies' Home Journal"), as it was inside a headed one ("Airline
// Pilots' Association"); a possessive before a plain noun names nothing.
func TestPluralPossessiveOpensBodyRound17(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She told Ladies' Home Journal about her garden.", want: []string{"organization:ladies_home_journal"}, absent: []string{"organization:home_journal"}},
		{body: "The Workers' Compensation Board ruled on Friday.", want: []string{"organization:workers_compensation_board"}, absent: []string{"organization:compensation_board"}},
		{body: "The Smiths' House was sold last year.", absent: []string{"organization:smiths_house"}},
	})
}
