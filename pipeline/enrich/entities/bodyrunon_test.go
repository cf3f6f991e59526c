package entities

import "testing"

// TestAKnownBodyOfAPlaceEndsBeforeTheHeadlinesOrdinaryWords (issue 15,
// round 44): "… Sterling Volatile, Bank of England MPC Give Testimony"
// (set 43's uci-news:4929): a body the gazetteer knows by a name with
// "of" opens a title-case headline's run that goes on into its ordinary
// words, and the body's head read the whole run as one body's name. The
// known name ends the body; after it only names the lists know are read.
// A body's own noun after the name ("… Monetary Policy Committee") and
// a run with a name word of its own are read as before.
func TestAKnownBodyOfAPlaceEndsBeforeTheHeadlinesOrdinaryWords(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "British Pound (GBP) LIVE: Sterling Volatile, Bank of England MPC Give Testimony", want: []string{"organization:bank_of_england"}, absent: []string{"organization:bank_of_england_mpc_give_testimony"}},
		{title: "Bank of England Governor Gives Testimony", want: []string{"organization:bank_of_england"}, absent: []string{"organization:bank_of_england_governor_gives_testimony"}},
		{title: "Bank of Japan Board Member Sees Risks", want: []string{"organization:bank_of_japan"}, absent: []string{"organization:bank_of_japan_board_member_sees_risks"}},
		{title: "Bank of England Monetary Policy Committee Meets", absent: []string{"organization:bank_of_england_monetary_policy"}},
		{title: "Bank of England Raises Rates", want: []string{"organization:bank_of_england"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
