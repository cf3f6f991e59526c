package keywords

import "testing"

// A title-case headline's run of four capitalised words is two names of
// two, split at its middle whatever the recognizer read in it (issue 15,
// round 32): the picker had split "True Detective Season Finale" only
// where a wrong person ("Season Finale") stood, and lost "true detective"
// to "detective season" without it. A run with a word in -s is left to
// the other rules ("Companies Celebrate International Women's Day").
func TestATitleCaseRunOfFourIsTwoPairs(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a show and its episode", title: "Review: True Detective Season Finale",
			want: []string{"true detective", "season finale"}, never: []string{"detective season"}},
		{name: "a singer and her tour", title: "Miley Cyrus Bangerz Tour Review",
			want: []string{"miley cyrus", "bangerz tour"}, never: []string{"cyrus bangerz"}},
	})
}
