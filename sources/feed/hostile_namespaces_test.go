package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
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
// scope; the feed beside it is read. The bound is 4 M copies and one
// for every 4 bytes of the document.
func TestNamespacesCopiedAtEveryElementAreRefusedUnparsed(t *testing.T) {
	const ip = "127.0.0.18"
	hostile := nsDoc(3000, 3000) // 9 M copies: 3.5 s of CPU unrefused
	var err error
	n := allocated(func() { _, err = Parse([]byte(hostile), "", "https://ns.example/feed", fetchedAt) })
	// Every element from the channel on has the 3,000 in scope; rss,
	// channel, its title and link, the item, its title, link and guid
	// come before the first <a/>.
	limit := namespaceCopiesFor(len(hostile))
	elements := int(limit/3000) + 2 // the first past the limit, with rss
	at := strings.Index(hostile, "<a/>") + 4*(elements-8-1)
	want := fmt.Sprintf("XML namespaces the parser would copy more than %d times, at byte %d of %d: "+
		"it copies every namespace in scope at each element, and %d elements to there had up to 3000 in scope: not read", limit, at, len(hostile), elements)
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
// copies, and it is read whole; a WordPress archive of 50,000 posts (10
// prefixes, 32 MB, 5 M copies: over 4 M, under one for every 4 bytes)
// is not refused either.
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

func TestAnArchiveWithAWordPressFeedsNamespacesIsNotRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"`)
	for _, p := range []string{"content", "wfw", "dc", "atom", "sy", "slash", "georss", "geo", "media", "itunes"} {
		fmt.Fprintf(&b, ` xmlns:%s="urn:%s"`, p, p)
	}
	b.WriteString(`><channel><title>Archive</title><link>https://wp.example/</link>`)
	text := strings.Repeat("Words of the post's excerpt. ", 10)
	for i := range 50000 {
		fmt.Fprintf(&b, `<item><title>Post %d</title><link>https://wp.example/%d</link><dc:creator><![CDATA[Desk]]></dc:creator>`+
			`<pubDate>Tue, 14 May 2024 09:15:00 +0000</pubDate><category>News</category><category>World</category>`+
			`<guid isPermaLink="false">https://wp.example/?p=%d</guid><description><![CDATA[%s]]></description><slash:comments>0</slash:comments></item>`, i, i, i, text)
	}
	b.WriteString(`</channel></rss>`)
	body := []byte(b.String())
	if err := xmlTooCostly(body); err != nil {
		s := scanXML(body, maxXMLDepth, 1<<62)
		t.Errorf("%d bytes, %d elements, %d namespace copies: %v", len(body), s.elements, s.nsCopies, err)
	}
}

// The scan never counts fewer namespace copies than there are: for a
// document encoding/xml reads to its end with every end tag matching its
// start, the declarations in scope at each element (its own xmlns and
// xmlns:p attributes and its ancestors'), summed over the elements, are
// at most what scanXML counts — so no spelling of a declaration slips a
// document under the bound.
func FuzzNamespaceCopies(f *testing.F) {
	f.Add([]byte(`<rss xmlns:dc="urn:dc"><channel xmlns="urn:d"><item><dc:x/></item></channel></rss>`))
	f.Add([]byte(`<a xmlns:p="1"xmlns:q='2'><b  xmlns = "3" x="xmlns:no"/><!-- <c xmlns:r="4"> --><![CDATA[<d xmlns="5">]]></a>`))
	f.Add([]byte("<a\txmlns:p\n=\r'1'><b/></a>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		want, ok := xmlNamespaceCopies(body)
		if !ok {
			return
		}
		if got := scanXML(body, 1<<30, math.MaxInt64); got.nsCopies < want {
			t.Fatalf("the scan counted %d namespace copies, encoding/xml reads %d", got.nsCopies, want)
		}
	})
}

// xmlNamespaceCopies is Σ over body's elements of the namespace
// declarations in scope at each, as encoding/xml reads them; ok is false
// when it cannot read body to its end, or an end tag does not match.
func xmlNamespaceCopies(body []byte) (copies int64, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	type open struct {
		name  xml.Name
		scope int
	}
	var stack []open
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return copies, len(stack) == 0
		}
		if err != nil {
			return 0, false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			here := 0
			if len(stack) > 0 {
				here = stack[len(stack)-1].scope
			}
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					here++
				}
			}
			copies += int64(here)
			stack = append(stack, open{tok.Name, here})
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].name != tok.Name {
				return 0, false
			}
			stack = stack[:len(stack)-1]
		}
	}
}
