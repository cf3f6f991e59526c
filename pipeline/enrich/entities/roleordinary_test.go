package entities

import "testing"

// TestAnIngFormAfterARoleInATitleCaseHeadlineIsNoPerson (issue 15,
// round 31, set 36's uci-news:5432): in a title-case headline, a verb's
// -ing form after a role title ("SoftBank CEO Itching for …") is no
// person's name. A name after the title still is.
func TestAnIngFormAfterARoleInATitleCaseHeadlineIsNoPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Mt. Gox CEO Holding 'Stolen' Bitcoins", want: []string{"organization:mt_gox"}, absent: []string{"person:holding"}},
		{title: "SoftBank CEO Itching for 'Heavyweight Fight'", want: []string{"organization:softbank"}, absent: []string{"person:itching"}},
		{title: "GM CEO Mary Barra Apologizes To Families Of Crash Victims", want: []string{"person:mary_barra"}},
		{title: "Apple CEO Tim Cook Says iPhone Sales Grew", want: []string{"person:tim_cook"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestOrdinaryWordsAfterARoleInATitleCaseHeadlineAreNoPerson (issue 15,
// round 32, set 37's uci-news:3121, 3082, 3037; round 31's 2993): in a
// title-case headline, ordinary words after a role title that no one
// bears as a surname ("True Detective Finale: …", "Finale Closes …",
// "Season Finale Brings …": "Detective" is the show's) are no person's
// name. A surname that is a word, alone ("Apple CEO Cook"), and a name
// after the title still are.
func TestOrdinaryWordsAfterARoleInATitleCaseHeadlineAreNoPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "True Detective Finale: A Happy Ending?", absent: []string{"person:finale"}},
		{title: "'True Detective' Finale Closes with Series High", absent: []string{"person:finale_closes"}},
		{title: "True Detective Finale Crashes HBO GO", want: []string{"organization:hbo"}, absent: []string{"person:finale_crashes"}},
		{title: "True Detective Season Finale Brings HBO Go to its Knees", want: []string{"organization:hbo"}, absent: []string{"person:season_finale_brings"}},
		{title: "Apple CEO Cook Tells Shareholders No", want: []string{"organization:apple"}},
		{title: "GM CEO Mary Barra Apologizes To Families Of Crash Victims", want: []string{"person:mary_barra"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
