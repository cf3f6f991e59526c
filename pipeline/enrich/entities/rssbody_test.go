package entities

import "testing"

// TestRSSIsABodyOutsideAFeedContext (issue 15, round 42 review): round
// 42 made RSS a term in capitals everywhere ("via RSS", set 42's
// uci-news:4556), but in Indian news RSS is the Rashtriya Swayamsevak
// Sangh, a body as BJP is ("The RSS leader spoke in Nagpur"). RSS is the
// feed format only where the words around it say so: "via RSS", "an RSS
// feed", "RSS readers".
func TestRSSIsABodyOutsideAFeedContext(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "The RSS leader spoke in Nagpur on Sunday", want: []string{"organization:rss"}},
		{title: "BJP and RSS workers clash with police in Kerala", want: []string{"organization:rss"}},
		{title: "Follow Reason 24/7 on Twitter and via RSS", want: []string{"organization:twitter"}, absent: []string{"organization:rss"}},
		{title: "Podcasts still live on RSS feeds", absent: []string{"organization:rss"}},
		{title: "Readers quit", body: "Many people still read the news through an RSS reader.", absent: []string{"organization:rss"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
