package events

import (
	"strings"
	"testing"
	"time"
)

func TestSlugWords(t *testing.T) {
	for _, tc := range []struct{ link, want string }{
		{"http://www.latimes.com/business/money/la-fi-mo-federal-reserve-plosser-stimulus-economy-20140310,0,1312750.story?track=rss", "federal reserve plosser stimulus economy"},
		{"http://in.reuters.com/article/2014/03/10/bitcoin-mtgox-bankruptcy-idINL2N0M70ZW20140310", "bitcoin mtgox bankruptcy"},
		{"http://www.northjersey.com/news/249583911_Men_s_Wearhouse_agrees_to_buy_Jos__A__Bank.html", "Men Wearhouse agrees buy Jos Bank"},
		{"http://www.stltoday.com/business/local/justice-department-reportedly-probing-gm-recall/article_fe82b271-67c6-5729-b35a-208dba8442df.html", "justice department reportedly probing recall"},
		{"http://news.cnet.com/8301-13579_3-57620109-37/apples-ios-7.1-lands-with-carplay/", "apples ios lands with carplay"},
		{"http://www.cnet.com/news/android-wear/", ""},                         // a section, not a slug
		{"http://www.example.com/world-news/2014/03/10/334513", ""},            // no words
		{"https://wikiref220.invalid/articles/ParisAttacks2015%20%283%29", ""}, // a name, not a slug
		{"http://www.example.com/world-news/?next=/three-more-words-here", ""}, // a query is no path
		{"http://www.example.com?next=/three-more-words-here", ""},
		{"not a url", ""},
		{"http://www.example.com/science-and-technology/new-phone-launched", "new phone launched"}, // the later of equals
		{"/relative/path?u=https://evil.example/one-two-three-four", ""},                           // a URL in a query
		{"http://example.com/a?u=https://evil.example/one-two-three-four", ""},
	} {
		if got := strings.Join(slugWords(nil, tc.link), " "); got != tc.want {
			t.Errorf("slugWords(%q) = %q, want %q", tc.link, got, tc.want)
		}
	}
}

// A headline that shares no word with its event's first story meets it
// through the words of its link's slug; a story with a text of its own
// is not read by its link.
func TestAHeadlineMeetsItsEventThroughItsLinksSlug(t *testing.T) {
	const link = "https://news.example.com/2014/03/10/plosser-tapering-pace-weather-20140310.html"
	for _, tc := range []struct {
		name, summary string
		join          bool
	}{
		{"headline only", "", true},
		{"with a summary", "The official spoke on Monday.", false},
	} {
		c := New(DefaultConfig(), nil)
		first := c.AddStory(story("s1", "Wire", 0, "Plosser sees tapering pace", ""))
		s := story("s2", "Daily", time.Minute, "Fed official blames weather", tc.summary)
		s.URL = link
		if joined := c.AddStory(s).ID == first.ID; joined != tc.join {
			t.Errorf("%s: joined the first story's event %v, want %v", tc.name, joined, tc.join)
		}
	}
}
