package entities

import "testing"

// TestATitleCaseGivenNameBeforeAnOrdinarySurnameIsAPerson (issue 15, round
// 40; round 39's left-over (f)): in a title-case headline a known given name
// followed by a census surname that is an ordinary word too ("Young",
// "Swift") named no one, for titleCasePerson took only a surname no
// dictionary holds — "Taylor Swift Up For Award", "Will Neil Young Usher In
// The Next Breakthrough …", "Visionary Old Man Neil Young's New Trick"
// named nothing. twoWordSubject already reads the pair before a verb
// ("Neil Young Launches …"); the same pair is a person wherever it stands
// in the run where the name visibly ends after the surname (possessive, the
// run's end, a stop word next) — before another capital the ordinary word
// is as likely the headline's own ("Miley Fan Snuck Into …"). The words of
// the run around such a person keep a weak body written in its own form
// ("… Through Kickstarter", "Former WWE Diva Stacy Keibler …"), as a run
// that names no one does. A word the gazetteer claims stays its own ("Tom Ford"'s
// Ford), an ordinary given name ("Grant Park", "Will Smith" is no such
// pair) names no one, and three capitalised name words in a row still
// say nothing of where the name ends.
func TestATitleCaseGivenNameBeforeAnOrdinarySurnameIsAPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Taylor Swift Up For Award", want: []string{"person:taylor_swift"}},
		{title: "Neil Young To Launch New Music Player", want: []string{"person:neil_young"}},
		{title: "Neil Young Will Sell PonoPlayer Device Through Kickstarter", want: []string{"person:neil_young", "organization:kickstarter"}},
		{title: "Former WWE Diva Stacy Keibler Marries In Secret Ceremony", want: []string{"organization:wwe", "person:stacy_keibler"}},
		{title: "Police: Miley Fan Snuck Into Dressing Room", absent: []string{"person:miley_fan"}},
		{title: "Shakira Turns Out To Be Biggest Loser", absent: []string{"person:shakira_turns"}},
		{title: "Visionary Old Man Neil Young's New Trick: Pono", want: []string{"person:neil_young"}},
		{title: "Grant Park In Bloom", absent: []string{"person:grant_park"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
