package entities

import "testing"

// TestATitleCaseNameEndsBeforeItsPreposition (issue 15, round 39): in a
// title-case headline the capitals run on from a person's two-word name
// through a capitalised preposition ("Zac Efron Up For High School Musical
// Reunion", set 43's miss), and the run named nothing: "Zac" is on no
// given-name list and "Efron" in no dictionary, and such an unknown pair
// was a person only before the headline's verb (unknownNamePair). A
// capitalised preposition with more of the run after it says the same.
// An ordinary word in the pair ("Flappy Bird"), a known name ("Mt Gox"),
// a place's shape ("Grant Park In Bloom") or a given name alone ("Hope
// For Haiti") stay as they were.
func TestATitleCaseNameEndsBeforeItsPreposition(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Zac Efron Up For Reunion", want: []string{"person:zac_efron"}},
		{title: "Shailene Woodley In Talks For Sequel", want: []string{"person:shailene_woodley"}},
		{title: "Flappy Bird For Sale Again", absent: []string{"person:flappy_bird"}},
		{title: "Mt Gox In Talks With Investors", absent: []string{"person:mt_gox"}},
		{title: "Zac Efron Up", absent: []string{"person:zac_efron_up"}},
		{title: "Zac Efron For Reunion", want: []string{"person:zac_efron"}},
		{title: "Dana Pellucci In Talks With Sony", want: []string{"person:dana_pellucci", "organization:sony"}},
		{title: "Grant Park In Bloom", absent: []string{"person:grant_park"}},
		{title: "Hope For Haiti Now Raises Millions", absent: []string{"person:hope"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
