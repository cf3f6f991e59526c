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
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
