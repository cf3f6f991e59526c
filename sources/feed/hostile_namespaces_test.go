package feed

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// nsDoc is an RSS document whose channel declares prefixes namespaces
// and whose one item holds elements empty elements after its title.
func nsDoc(prefixes, elements int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel`)
	for i := range prefixes {
		fmt.Fprintf(&b, ` xmlns:p%d="urn:x:%d"`, i, i)
	}
	b.WriteString(`><title>T</title><link>https://ns.example/</link><item><title>One</title><link>https://ns.example/1</link><guid>1</guid>`)
	b.WriteString(strings.Repeat("<a/>", elements))
	b.WriteString(`</item></channel></rss>`)
	return b.String()
}

// gofeed's pull parser copies every namespace prefix in scope into a new
// map at each start tag: 16,000 prefixes declared on a channel and 16,000
// empty elements in its item (410 KB, a twenty-fifth of the default
// poller.max_body_bytes) took 86 s of CPU in `wirestream process`, and a
// poll as long, past its timeout, the parse being no request to cancel.
// A document whose declarations would cost more than 4 M copies is
// refused before it is parsed, saying so, where, and how many were in
// scope; the feed beside it is read.
func TestNamespacesCopiedAtEveryElementAreRefusedUnparsed(t *testing.T) {
	const ip = "127.0.0.18"
	hostile := nsDoc(3000, 3000) // 9 M copies: 3.5 s of CPU unrefused
	var err error
	n := allocated(func() { _, err = Parse([]byte(hostile), "", "https://ns.example/feed", fetchedAt) })
	// Every element from the channel on has the 3,000 in scope, so the
	// 1,399th of them is the first past 4 M (3,000 × 1,399 > 4,194,304):
	// with rss, the 1,400th element, the 1,392nd <a/> after the item's
	// title, link and guid.
	at := strings.Index(hostile, "<a/>") + 4*(1392-1)
	want := fmt.Sprintf("XML namespaces the parser would copy more than 4194304 times, at byte %d of %d: "+
		"it copies every namespace in scope at each element, and 1400 elements to there had up to 3000 in scope: not read", at, len(hostile))
	if err == nil || err.Error() != want {
		t.Fatalf("error\n got: %v\nwant: %s", err, want)
	}
	if n > 20*uint64(len(hostile)) && !raceOn {
		t.Errorf("refusing %d bytes allocated %d (%.1f times)", len(hostile), n, float64(n)/float64(len(hostile)))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/ns", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(hostile)) })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { w.Write(rssDoc("Healthy", "h1", "h2")) })
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	got, _ := pollEach(t, cfg, []Spec{{URL: srv.URL + "/ns"}, {URL: srv.URL + "/ok"}}, nil)
	for _, s := range got {
		switch s.FeedURL {
		case srv.URL + "/ok":
			if s.Health != record.HealthOK || s.ItemsFound != 2 {
				t.Errorf("the healthy feed: %s, %d items (%s), want ok and 2", s.Health, s.ItemsFound, s.LastError)
			}
		default:
			if s.LastErrorClass != ClassParse || s.LastError != "parse "+s.FeedURL+": "+want {
				t.Errorf("the hostile feed: class %q, last_error\n%s\nwant class parse and\nparse %s: %s", s.LastErrorClass, s.LastError, s.FeedURL, want)
			}
		}
	}
}

// A real feed's declarations are far under the bound: 25 prefixes (more
// than a podcast feed's) over 2,000 items of 20 elements each is 1 M
// copies, and it is read whole.
func TestAFeedsUsualNamespacesAreRead(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`)
	for i := range 24 {
		fmt.Fprintf(&b, ` xmlns:p%d="urn:x:%d"`, i, i)
	}
	b.WriteString(`><channel><title>T</title><link>https://ns.example/</link>`)
	for i := range 2000 {
		fmt.Fprintf(&b, `<item><title>Story %d</title><link>https://ns.example/%d</link><guid>%d</guid><dc:creator>Desk</dc:creator>`, i, i, i)
		b.WriteString(strings.Repeat("<p1:x>v</p1:x>", 16))
		b.WriteString(`</item>`)
	}
	b.WriteString(`</channel></rss>`)
	doc, err := ParseAtMost([]byte(b.String()), "", "https://ns.example/feed", fetchedAt, 0)
	if err != nil || len(doc.Items) != 2000 {
		t.Fatalf("%d items, error %v: want 2000 and none", len(doc.Items), err)
	}
	if s := scanXML([]byte(b.String()), maxXMLDepth, maxNamespaceCopies); s.nsCopies < 1_000_000 || s.nsOverAt >= 0 {
		t.Errorf("the scan counted %d copies (over at %d), want about 1 M and under the bound", s.nsCopies, s.nsOverAt)
	}
}
