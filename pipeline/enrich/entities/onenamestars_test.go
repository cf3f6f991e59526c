package entities

import "testing"

// TestAOneNameStarTheStreamReadsIsReadWhereNoCueVouches: a star known by
// one name ("Beyonce", "Shakira") is never written with a surname, so no
// full name teaches the alias map the word. Where a cue vouches for her
// ("singer Beyonce says …") the recognizer reads the person; once the
// stream read her so at least twice, the word alone is that person where
// no cue stands ("Beyonce and other celebs campaign …"). A word a full name the stream
// knows already holds ("Carney" of Mark Carney) is not taken from it, an
// ordinary word is learned by none, and a fresh recognizer reads as before
// (issue 15, round 37).
func TestAOneNameStarTheStreamReadsIsReadWhereNoCueVouches(t *testing.T) {
	earlier := []string{
		"Pop star Beyonce says she backs the campaign", "Singer Beyonce said she was proud",
		"Mark Carney says rates will stay low", "Mark Carney warns on housing",
		"Governor Carney said the bank would wait", "Governor Carney said rates may rise",
	}
	checkTitlesAfterEarlier(t, earlier, []string{"person:beyonce", "person:mark_carney"}, []headlineCase{
		{title: "Beyonce and other celebs campaign to stop girls from being called 'bossy'", want: []string{"person:beyonce"}},
		{title: "Carney: Estimate for rates to hit 2-3% 'not unreasonable'", want: []string{"person:mark_carney"}, absent: []string{"person:carney"}},
	})
}

// checkTitlesAfterEarlier checks each case's headline twice with a fresh
// recognizer: before the earlier headlines, none of coldAbsent; after
// them, the case's keys (checkTitles once the stream read earlier).
func checkTitlesAfterEarlier(t *testing.T, earlier, coldAbsent []string, cases []headlineCase) {
	t.Helper()
	for _, tt := range cases {
		x := newX(t)
		checkKeys(t, x.Extract(tt.title, "", "en"), nil, coldAbsent)
		readEarlierHeadlines(x, earlier...)
		checkKeys(t, x.Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
