package keywords

import "testing"

// A headline's subject of one word — a name or an initialism — and its -s
// verb were kept as one phrase ("eu delays", "colorado reaps", "carney
// pledges"), and an -s verb after "again" or "still" stood alone ("files",
// "controls") (round 29).
func TestAOneWordSubjectsVerbIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a plural object", title: "EU delays talks on Russian pipeline", want: []string{"russian pipeline"},
			never: []string{"eu delays", "delays", "eu delays talks"}},
		{name: "a plural object, a name", title: "Colorado reaps millions from pot sales", want: []string{"colorado", "pot sales"},
			never: []string{"colorado reaps", "reaps"}},
		{name: "an infinitive", title: "Carney pledges to push BoE FX investigations", want: []string{"carney"},
			never: []string{"carney pledges", "pledges"}},
		{name: "after again", title: "Sbarro again files for bankruptcy", want: []string{"sbarro", "bankruptcy"}, never: []string{"files"}},
		{name: "after still, title case", title: "JOLTS Again Predicts Little Change", never: []string{"predicts", "jolts again predicts"}},
	})
}

// A plural that a plain verb follows is the subject, and a common noun
// opening the headline before an -s word and "to" is as often a
// compound's first word: both stay.
func TestAOneWordSubjectsPluralIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a compound before to", title: "Search ships to verify signals", want: []string{"search ships"}},
		{name: "a plural subject", title: "Apple shares fall on weak iPhone sales", want: []string{"apple shares"}},
	})
}
