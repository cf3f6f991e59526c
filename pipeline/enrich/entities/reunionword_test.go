package entities

import "testing"

// TestACountrysNameThatIsAnEnglishWordOnceUnaccentedEndsNoRun (issue 15,
// round 38): "Reunion", Réunion without its accent, is the English noun
// at the end of a title-case run — "Zac Efron Wants A High School Musical
// Reunion!" (set 39), "Lindsy Lohan Talks Mean Girls Reunion" (set 40),
// "Lindsay Lohan: Mean Girls Reunion Is Coming" and "Zac Efron Up for High
// School Musical Reunion" (set 43) each read the island. As another
// language's name that is an English word (German "Island"), it names the
// island alone, never as a run's end; the island named alone or with its
// noun stays a place.
func TestACountrysNameThatIsAnEnglishWordOnceUnaccentedEndsNoRun(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Zac Efron Wants A High School Musical Reunion!", want: []string{"person:zac_efron"}, absent: []string{"place:re"}},
		{text: "Lindsay Lohan: Mean Girls Reunion Is Coming", absent: []string{"place:re"}},
		{text: "Debris washed ashore on Reunion Island, officials said", want: []string{"place:re"}},
		{text: "The wing part was found on Réunion last week.", want: []string{"place:re"}},
		{text: "Flights to Reunion resumed on Monday.", want: []string{"place:re"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}

// TestReunionAfterAPlacePrepositionInATitleCaseHeadlineIsTheIsland (round
// 38 review): "Reunion" is the island's English name, not only another
// language's word. In a title-case headline a capitalised preposition of
// place before it ("Washes Up On Reunion", "Arrive In Reunion") joins
// the run, and the island was lost as the run's end; a noun after it
// still makes it the English word ("Head To Reunion Tour"). Another language's
// name that is an English word stays no place there ("Trapped On Island").
func TestReunionAfterAPlacePrepositionInATitleCaseHeadlineIsTheIsland(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Plane Debris Washes Up On Reunion", want: []string{"place:re"}},
		{text: "Investigators Arrive In Reunion", want: []string{"place:re"}},
		{text: "Wing Part Found On Reunion Is From MH370", want: []string{"place:re"}},
		{text: "Spice Girls Head To Reunion Tour", absent: []string{"place:re"}},
		{text: "Tourists Trapped On Island After Storm", absent: []string{"place:is"}},
		{text: "Zac Efron Wants A High School Musical Reunion!", absent: []string{"place:re"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
