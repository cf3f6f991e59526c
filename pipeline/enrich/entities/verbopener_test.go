package entities

import "testing"

// TestAVerbInSOpensNoUnknownPair (issue 15, round 42): two capitalised
// words no list holds are guessed a person, but an ordinary word in -s
// right after a body is the sentence's verb ("Apple Releases Xcode 5.1
// With Support for iOS 7.1", set 39's uci-news:1762); a census surname so
// spelt may still open a name.
func TestAVerbInSOpensNoUnknownPair(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Apple Releases Xcode 5.1 With Support for iOS 7.1", want: []string{"organization:apple"}, absent: []string{"person:releases_xcode"}},
		{title: "Facebook Acquires Oculus for $2 billion", absent: []string{"person:acquires_oculus"}},
		{title: "The band Rolls Royce played on", absent: []string{"person:rolls_royce"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestANameEndsBeforeTwoOrdinaryWords (issue 15, round 42): after a
// surname no dictionary holds, an ordinary word that is a census surname
// too and an ordinary word no name holds are the headline's ("Christopher
// Mintz-Plasse Share Crazy Stories", set 42's uci-news:2936; "Vanessa
// Hudgens Ball Gown Stuns").
func TestANameEndsBeforeTwoOrdinaryWords(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Zac Efron, Dave Franco, and Christopher Mintz-Plasse Share Crazy Stories  ...", want: []string{"person:christopher_mintz_plasse"}, absent: []string{"person:christopher_mintz_plasse_share_crazy"}},
		{title: "Vanessa Hudgens Ball Gown Stuns", want: []string{"person:vanessa_hudgens"}},
		{title: "Jada Pinkett Smith Talk Show Cancelled", absent: []string{"person:jada_pinkett_smith_talk"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
