package entities

import "testing"

// TestAPersonInsideATitleCaseHeadline covers round 26's title-case
// headlines (blind set 31, uci-news): every word is capitalised, so one
// run spans the headline, and a person only opening it was read, up to
// its verb. A known given name and a word no dictionary holds after it
// ("Jared Pobre", "Jon Favreau") name a person wherever they stand in the
// run, and the words after an opening person's verb are read too. Not
// ordinary words after a given name ("Bill Passes House"), nor a given name
// that is an ordinary word ("Rose").
func TestAPersonInsideATitleCaseHeadline(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Stacy Keibler Marries Jared Pobre", want: []string{"person:stacy_keibler", "person:jared_pobre"}},
		{title: "'Chef' Is A Return To Form For Jon Favreau", want: []string{"person:jon_favreau"}},
		{title: "Dear Sheryl Sandberg: There Are Far Worse Things Than Being Called Bossy", want: []string{"person:sheryl_sandberg"}},
		{title: "Teen Arrested After Sneaking Into Miley Cyrus Dressing Room, Leaves Note", want: []string{"person:miley_cyrus"}},
		{title: "Stacy Keibler And Jared Pobre's Wedding Was Kept Secret From Close Friends", want: []string{"person:stacy_keibler", "person:jared_pobre"}},
		{title: "Senate Bill Passes House After Long Debate", absent: []string{"person:bill_passes"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// Three name-like words in a row do not say where one name ends: no
// person is made of them (review of d4dbdac's uci-news output).
func TestThreeNameWordsInATitleCaseHeadlineAreNoPair(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Beyonce Jennifer Garner Support The Campaign", absent: []string{"person:beyonce_jennifer"}},
		{title: "A Royal Wedding In 2014? Prince Harry Cressida Bonas Engagement Rumours", absent: []string{"person:harry_cressida_bonas", "person:harry_cressida"}},
		{title: "Watch The Video: Miley Cyrus Bangerz Tour Goes On", absent: []string{"person:miley_cyrus_bangerz", "person:cyrus_bangerz"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// A "&" or a comma between two names ends the first: "Seth Rogen &
// Dave" is no run of three name words.
func TestAnAmpersandEndsATitleCaseName(t *testing.T) {
	got := newX(t).Extract("Zac Efron Brings The Heat To SXSW Alongside His Boys, Seth Rogen & Dave  ...", "", "en")
	checkKeys(t, got, []string{"person:seth_rogen"}, []string{"person:seth_rogen_dave"})
	got = newX(t).Extract("Beyonce & Jennifer Garner Empower Young Women in 'Ban Bossy' PSA - Watch  ...", "", "en")
	checkKeys(t, got, nil, []string{"person:beyonce_jennifer"})
}
