package entities

import "testing"

// TestASentenceOpenerJoinsNoNameThroughAConnector (issue 15, round 40):
// "do" is a connector inside Portuguese names ("Maria do Rosario"), so in
// "Why do Beyonce, Jennifer Garner and Jane Lynch want us to ban this
// word?" (set 43's uci-news:4053) the run went on from the sentence's
// opener through "do" into the name, "Why do Beyonce", which named no one,
// and the list never vouched for her. A sentence's first word that is no
// name (capStop: "Why", "So", "How") joins nothing through a connector;
// the name after it opens its own run. A name's own connector ("Maria do
// Rosario says no") is unchanged.
func TestASentenceOpenerJoinsNoNameThroughAConnector(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Why do Beyonce, Jennifer Garner and Jane Lynch want us to ban this word?", want: []string{"person:beyonce", "person:jennifer_garner", "person:jane_lynch"}},
		{title: "Why do Beyonce and Jennifer Garner want us to ban this word?", want: []string{"person:beyonce", "person:jennifer_garner"}},
		{title: "Maria do Rosario says no", want: []string{"person:maria_do_rosario"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
