package websub

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/websubtest"
)

// A feed that names no self URL is subscribed to under its own URL: with
// a password in that URL (https://user:secret@host/feed), the password
// went to the hub as hub.topic — a third party, often a public hub. The
// topic is the URL without its userinfo; the subscription still verifies
// and delivers to the feed.
func TestAFeedURLsPasswordIsNotSentToTheHub(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	r := start(t, testConfig(), true)
	withCreds := "https://user:s3cret@news.example.com/feed.xml"
	r.s.FeedLinks(withCreds, []string{hub.URL()}, "")
	receive(t, hub.Verified(), "the hub to verify the subscription")
	for _, req := range hub.Requests() {
		if strings.Contains(req.Topic, "s3cret") || req.Topic != feedURL {
			t.Errorf("hub.topic %q, want %q", req.Topic, feedURL)
		}
	}
	for _, d := range hub.Publish(t.Context(), feedURL, "application/rss+xml", []byte("<rss>pushed</rss>")) {
		if d.Err != nil {
			t.Fatalf("delivery: %+v", d)
		}
	}
	if got := receive(t, r.t.pushes, "the pushed body"); got != "<rss>pushed</rss>" {
		t.Fatalf("pushed %q", got)
	}
}

// A hub's URL with a password in it (a feed announces what it likes) is
// said with it as xxxxx in the errors the subscription's loop logs.
func TestAHubURLsPasswordIsNotSaidInItsErrors(t *testing.T) {
	err := &hubError{hub: "https://user:s3cret@hub.example/", status: 503, reason: "later"}
	if got := err.Error(); strings.Contains(got, "s3cret") || !strings.Contains(got, "user:xxxxx@hub.example") {
		t.Errorf("hubError says %q; want the hub's password as xxxxx", got)
	}
}
