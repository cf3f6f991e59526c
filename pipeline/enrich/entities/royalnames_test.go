package entities

import "testing"

// TestARoyalTitleAndGivenNameEndTheNameInATitleCaseHeadline (issue 15,
// round 44): "Prince Harry Gave Cressida Bonas Her Own Key Card …" (set
// 43's uci-news:3890): in a title-case headline one run spans the royal,
// the verb and the words after it, and the run was read as nothing, or as
// a person named "Harry Gives Speech", or a body "Elizabeth Opens
// Parliament". A royal title and one given name are the person (the
// labels take "Prince Harry" or "Harry", as a sentence's run reads him);
// the words after are read apart. A place or a body that opens with the
// two ("Prince Edward Island", "Queen Mary University") and a second
// given name ("King Juan Carlos") are read as before.
func TestARoyalTitleAndGivenNameEndTheNameInATitleCaseHeadline(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Prince Harry Gave Cressida Bonas Her Own Key Card to Kensington Palace", want: []string{"person:harry"}},
		{title: "Cressida Bonas And Prince Harry Engagement", want: []string{"person:harry"}},
		{title: "Prince Harry Gives Speech On Climate", want: []string{"person:harry"}, absent: []string{"person:harry_gives_speech"}},
		{title: "Queen Elizabeth Opens Parliament", want: []string{"person:elizabeth"}, absent: []string{"organization:elizabeth_opens_parliament", "organization:opens_parliament"}},
		{title: "King Juan Carlos Abdicates", want: []string{"person:juan_carlos"}},
		{title: "Prince Edward Island Votes Today", absent: []string{"person:edward"}},
		{title: "Queen Mary University Opens New Campus", absent: []string{"person:mary"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
