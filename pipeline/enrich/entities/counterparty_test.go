package entities

import "testing"

// TestCounterpartyIsABody covers counterpartyCue (issue 15, round 12):
// what a deal is signed with, what a statement is made to and what has a
// chief executive or shareholders is a body, though no list has it; a
// person-shaped run, a known place and a known person stay what they are.
func TestCounterpartyIsABody(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "The club earned more from its broadcasting contract with Quorvex.", want: []string{"organization:quorvex"}},
		{body: "Both clubs have deals with Quorvex until 2013.", want: []string{"organization:quorvex"}},
		{body: "The firm said in a statement to Android Vantage that it was confident.", want: []string{"organization:android_vantage"}},
		{body: "Norvane's chief executive said sales fell.", want: []string{"organization:norvane"}},
		{body: "Norvane's shareholders were angry.", want: []string{"organization:norvane"}},
		{body: "He signed a contract with Tamsin Grey.", absent: []string{"organization:tamsin_grey"}},
		{body: "Greece signed an agreement with Germany.", want: []string{"place:de"}, absent: []string{"organization:germany"}},
		// people have spokesmen and analysts too (review, round 12)
		{body: "Halvorsen's spokesman declined to comment.", absent: []string{"organization:halvorsen"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAppositionMakesAnOfRunOneBody: an apposition that calls a name a
// body makes the whole "of" run one body, not its last piece; a person
// of a body stays two.
func TestAppositionMakesAnOfRunOneBody(t *testing.T) {
	got := newX(t).Extract("News", "The Temple of Fire Vortex, a band from Leeds, played on Friday.", "en")
	checkKeys(t, got, []string{"organization:temple_of_fire_vortex"}, []string{"organization:vortex", "organization:fire_vortex"})
	got = newX(t).Extract("News", "Mark Smith of Capital Economics, a consultancy, said so.", "en")
	checkKeys(t, got, []string{"person:mark_smith", "organization:capital_economics"}, nil)
}

// A headline names people by surname alone: one word after a deal noun
// there is no body (review, round 12).
func TestCounterpartyInAHeadlineNeedsMoreThanASurname(t *testing.T) {
	got := newX(t).Extract("Treasury reaches deal with Halvorsen over budget", "The talks ended on Monday.", "en")
	checkKeys(t, got, nil, []string{"organization:halvorsen"})
}

// TestBoardNamesACompany: a possessive name followed by its board or its
// subsidiary is a company's, as one followed by its shareholders is
// ("Tessaro's board approved the plan"); a person has neither.
func TestBoardNamesACompany(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Investors said Tessaro's board approved the plan.", want: []string{"organization:tessaro"}, absent: []string{"person:tessaro"}},
		{body: "He said Kallberg's board of directors met on Friday.", want: []string{"organization:kallberg"}, absent: []string{"person:kallberg"}},
		{body: "Analysts said Norvane's subsidiary in Spain was sold.", want: []string{"organization:norvane"}, absent: []string{"person:norvane"}},
	})
}
