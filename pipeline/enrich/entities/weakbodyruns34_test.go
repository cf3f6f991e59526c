package entities

import "testing"

// TestAWeakBodyInItsOwnFormAnywhereInARunThatNamesNothingElse (issue 15,
// round 34): round 33 read a weak one-word body written in a form no
// dictionary holds ("T-Mobile", "Kickstarter", "SoftBank") around a
// title-case headline's verb; the same body elsewhere in a run of the
// headline's ordinary capitals ("Sprint Wants to Buy T-Mobile", "Music
// Player Through Kickstarter", "Launching Kickstarter Campaign", sets 33
// and 38)
// was lost with the run. Its capitals are its own, so a run that yields
// nothing else reads it. A weak body of ordinary words ("Sprint",
// "Target") stays unread there.
func TestAWeakBodyInItsOwnFormAnywhereInARunThatNamesNothingElse(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Sprint Wants to Buy T-Mobile", want: []string{"organization:t_mobile"}},
		{title: "Neil Young's PonoMusic Launching Kickstarter Campaign At SXSW", want: []string{"organization:kickstarter"}},
		{title: "Neil Young to Launch Pono Music Player Through Kickstarter", want: []string{"person:neil_young", "organization:kickstarter"}},
		{title: "Shoppers Hit Target Again", absent: []string{"organization:target"}},
	})
}
