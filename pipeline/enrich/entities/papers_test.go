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
