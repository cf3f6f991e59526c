package entities

import "testing"

// TestASlashBetweenTwoNamesJoinsTwoNames (issue 15, round 35's brief): a
// slash written without spaces between two capitalised names
// ("Sprint/T-Mobile merger") lists two names, as "&" between two people
// or two places does; read as one run, the pair was a person.
func TestASlashBetweenTwoNamesJoinsTwoNames(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Regulators weigh a Sprint/T-Mobile merger again", want: []string{"organization:sprint", "organization:t_mobile"}, absent: []string{"person:sprint_t_mobile"}},
		{title: "Analysts weigh a Quellmark/Brightvale tie-up", absent: []string{"person:quellmark_brightvale"}},
		{title: "The phone keeps the double-barrel USB/MHL combo port", absent: []string{"organization:mhl", "organization:usb"}},
	})
}
