package entities

import "testing"

// TestAWordOfATitleCaseHeadlineNoRuleReadsIsThePersonTheStreamKnowsByIt: a
// title-case headline capitalises every word, so the recognizer trusts
// only lists and strong cues there, and a person named by one word reads
// as no one ("Sheryl Sandberg And Beyonce Want To Ban The Word 'Bossy'",
// "Sterling Remains Pressured after BoE Carney"). A word no mention took
// that the stream's memory answers with a person — a one-name star read
// with a cue, a surname or given name of a full name named whole — is that
// person; an ordinary word or a word a mention took (a place, a body) is
// not asked, and a fresh recognizer reads as before (issue 15, round 37).
func TestAWordOfATitleCaseHeadlineNoRuleReadsIsThePersonTheStreamKnowsByIt(t *testing.T) {
	earlier := []string{
		"Pop star Beyonce says she backs the campaign", "Singer Beyonce said she was proud",
		"Mark Carney says rates will stay low", "Mark Carney warns on housing",
		"Michael Jordan buys a team", "Michael Jordan sells his shoes",
		"Rocker Neil Young launches a music player", "Neil Young unveils his Pono player in Austin",
	}
	checkTitlesAfterEarlier(t, earlier, []string{"person:beyonce", "person:mark_carney"}, []headlineCase{
		{title: "Sheryl Sandberg And Beyonce Want To Ban The Word 'Bossy'", want: []string{"person:sheryl_sandberg", "person:beyonce"}},
		{title: "Sterling Remains Pressured After BoE Carney", want: []string{"person:mark_carney"}},
		{title: "Jordan Says Refugees Strain Its Economy", absent: []string{"person:michael_jordan"}},
		{title: "Young Adults Flock To Theatres In Record Numbers", absent: []string{"person:neil_young"}},
	})
}
