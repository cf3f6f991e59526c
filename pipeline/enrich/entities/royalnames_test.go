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

// TestAWaterBodyAfterARoyalsNameIsAPlace (issue 15, round 45): "Prince
// William Sound" was the person William (round 44's royal-title rule, in
// a title-case headline) or a person "William Sound" (in a sentence): a
// sound is water, as a bay or a strait is, and a royal's name before it
// names the place ("Puget Sound", "Long Island Sound").
func TestAWaterBodyAfterARoyalsNameIsAPlace(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Prince William Sound Oil Spill Anniversary", want: []string{"place:prince_william_sound"}, absent: []string{"person:william"}},
		{title: "Story", body: "The Exxon Valdez ran aground in Prince William Sound, Alaska.", want: []string{"place:prince_william_sound", "place:alaska"}, absent: []string{"person:william_sound", "person:william"}},
		{title: "Prince William Visits Wales", want: []string{"person:william"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
