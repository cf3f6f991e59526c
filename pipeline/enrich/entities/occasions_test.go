package entities

import "testing"

// TestAnOccasionAfterANameIsNoSurname (issue 15, round 29): in a
// title-case headline a person's name of two words is followed by the
// occasion the story is about ("Stacy Keibler Wedding", set 34's
// uci-news:3751). The census lists "wedding", "party", "gala" and "bash"
// as surnames, so nameEndsBeforeNoun read them as a third name word; an
// occasion noun ends the name as any other ordinary noun does.
func TestAnOccasionAfterANameIsNoSurname(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Stacy Keibler Wedding Photos Revealed", want: []string{"person:stacy_keibler"}, absent: []string{"person:stacy_keibler_wedding"}},
		{title: "Miley Cyrus Birthday Party In Malibu", want: []string{"person:miley_cyrus"}, absent: []string{"person:miley_cyrus_birthday_party"}},
		{title: "Dana Pellucci Gala Raises Millions", want: []string{"person:dana_pellucci"}, absent: []string{"person:dana_pellucci_gala"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
