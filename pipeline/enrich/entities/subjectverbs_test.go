package entities

import "testing"

// TestATitleCaseRunEndsAtItsSubjectsVerb (issue 15, round 32, set 37's
// uci-news:484 and 634): a title-case headline's run that goes on past
// a known name or a person into the headline's verb is cut there; after
// the verb only the names that need no capitals are read. A known name
// that goes on in such a word is not cut ("Japan Airlines").
func TestATitleCaseRunEndsAtItsSubjectsVerb(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Weak Data from Japan and China Pressures Crude Oil", want: []string{"place:jp", "place:cn"}, absent: []string{"organization:japan_and_china_pressures_crude_oil", "organization:crude_oil"}},
		{title: "Rand Paul Would Solve Ukraine Crisis By Drilling Everywhere For Oil, Because  ...", want: []string{"person:rand_paul", "place:ua"}},
		{title: "Stacy Keibler Marries Jared Pobre In Mexico", want: []string{"person:stacy_keibler", "person:jared_pobre", "place:mx"}},
		{title: "Japan Airlines Posts Record Profit", want: []string{"organization:japan_airlines"}, absent: []string{"place:jp"}},
		{title: "Flappy Bird Creator: Game Ruined My Simple Life, But It Might Still Come Back", absent: []string{"person:but_it"}},
		{title: "George Clooney's Ex, Stacy Keibler Gets Married 8 Months After Breakup", want: []string{"person:stacy_keibler"}, absent: []string{"person:ex"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
