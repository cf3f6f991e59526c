package entities

import "testing"

// TestTheSpeakerBeforeAHeadlinesColon (issue 15, round 29): a headline
// that opens with a name, a colon and the words it said in the first
// person or as a plea ("Beyonce: Don't call girls bossy", set 34's
// uci-news:4056) names a person who speaks, as "X said" does. Not a known body or place
// ("Apple: We sold 10 million phones"), an ordinary word ("Update: I
// …", "Opinion: We …"), a word in capitals ("LIVE: …") nor a name before
// words no one says of themselves ("Titanfall: 'good news' coming …",
// uci-news:1103).
func TestTheSpeakerBeforeAHeadlinesColon(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Beyonce: Don't call girls bossy", want: []string{"person:beyonce"}},
		{title: "Zac Efron: I was a mess", want: []string{"person:zac_efron"}},
		{title: "Pellucci: I will not resign", want: []string{"person:pellucci"}},
		{title: "Apple: We sold 10 million phones", want: []string{"organization:apple"}, absent: []string{"person:apple"}},
		{title: "Opinion: We need a better plan", absent: []string{"person:opinion"}},
		{title: "LIVE: I was there", absent: []string{"person:live", "organization:live"}},
		{title: "Titanfall: 'good news' coming regarding Australian servers", absent: []string{"person:titanfall"}},
		{title: "Titanfall: Xbox One resolution confirmed to be 792p", absent: []string{"person:titanfall"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestTheClaimantBeforeAHeadlinesColon (issue 15, round 31, set 36's
// uci-news:647): a headline that opens with a name, a colon and a claim
// with a modal verb ("could", "must", "may") gives the claim to that
// person, as "Zac Efron: I …" does. Not a known body or place
// ("Japan: Bitcoin … may be taxed"), an ordinary word ("Rice: …",
// "Insider: …"), a word in capitals, nor a modal past the clause's
// first six words or after its mark.
func TestTheClaimantBeforeAHeadlinesColon(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Prodan: Price for Russian gas could stand at $368.5", want: []string{"person:prodan", "place:ru"}},
		{title: "Bromund: Europe must wake up to new danger", want: []string{"person:bromund"}},
		{title: "Japan: Bitcoin is not money but may be taxed", want: []string{"place:jp"}, absent: []string{"person:japan"}},
		{title: "Insider: Microsoft can't sell Xbox One without Kinect", absent: []string{"person:insider"}},
		{title: "COMMENT: Landmark default may dent confidence in China", absent: []string{"person:comment", "organization:comment"}},
		{title: "Titanfall: the server stability of a game that gamers say could be better", absent: []string{"person:titanfall"}},
		{title: "Titanfall: prepare for launch; servers could wobble", absent: []string{"person:titanfall"}},
		{title: "Ebola: Vaccine could be ready by 2015", absent: []string{"person:ebola"}},
		{title: "Zika: Mosquito season may bring new cases", absent: []string{"person:zika"}},
		// A disease named for a person is written with the possessive
		// ("Parkinson's: …"); the surname alone is a speaker.
		{title: "Parkinson: I Never Wanted To Leave", want: []string{"person:parkinson"}},
		{title: "Titanfall: Exact Timing When Players Can Start Playing Digital Copies Tonight", absent: []string{"person:titanfall"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
