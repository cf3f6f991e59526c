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
