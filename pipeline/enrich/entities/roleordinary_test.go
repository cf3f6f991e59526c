package entities

import "testing"

// TestOrdinaryWordsAfterARoleInATitleCaseHeadlineAreNoPerson (issue 15,
// round 31, set 36's uci-news:2993 and 5432): in a title-case headline,
// ordinary words after a role title ("True Detective Season Finale
// Brings …", "SoftBank CEO Itching for …") are no person's name. A
// name after the title still is, and so is a surname that is a word,
// alone.
func TestOrdinaryWordsAfterARoleInATitleCaseHeadlineAreNoPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "True Detective Season Finale Brings HBO Go to its Knees", want: []string{"organization:hbo"}, absent: []string{"person:season_finale_brings"}},
		{title: "SoftBank CEO Itching for 'Heavyweight Fight'", want: []string{"organization:softbank"}, absent: []string{"person:itching"}},
		{title: "GM CEO Mary Barra Apologizes To Families Of Crash Victims", want: []string{"person:mary_barra"}},
		{title: "Apple CEO Tim Cook Says iPhone Sales Grew", want: []string{"person:tim_cook"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
