package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Elements nested 100,000 deep — in an item, or opened and never closed —
// were read by gofeed's pull parser a level at a time, holding every
// level open: 300 KB of "<x>" allocated 53 MB, and a 10 MiB body (under
// the default poller.max_body_bytes) took 1.4 GB and 18 s of CPU in
// `wirestream process`, a poller's memory with it. A document nested
// deeper than encoding/xml lets Unmarshal go (10,000) is refused before
// it is parsed, saying how deep and where; a JSON Feed or ninjs as deep
// is refused by encoding/json at its own limit, and says where too. The
// feed beside them is read.
func TestADocumentNestedDeeperThanTenThousandIsRefusedUnparsed(t *testing.T) {
	const ip = "127.0.0.18"
	const depth = 100000
	head := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>ok</title><link>https://deep.example/1</link>`
	bodies := map[string]string{
		"/closed":   head + strings.Repeat("<x>", depth) + strings.Repeat("</x>", depth) + `</item></channel></rss>`,
		"/unclosed": head + strings.Repeat("<x>", depth),
		"/atom":     `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><title>ok</title><content type="xhtml">` + strings.Repeat("<div>", depth),
		"/json":     `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","title":"ok","_x":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}]}`,
	}
	// Where the 10,001st level opens: rss, channel and item are 3 levels,
	// feed, entry and content 3.
	atom := strings.Index(bodies["/atom"], "<div>")
	want := map[string]string{
		"/closed":   fmt.Sprintf("XML elements nested deeper than 10000, at byte %d of %d: not read", len(head)+3*(10000-3), len(bodies["/closed"])),
		"/unclosed": fmt.Sprintf("XML elements nested deeper than 10000, at byte %d of %d: not read", len(head)+3*(10000-3), len(bodies["/unclosed"])),
		"/atom":     fmt.Sprintf("XML elements nested deeper than 10000, at byte %d of %d: not read", atom+5*(10000-3), len(bodies["/atom"])),
		"/json":     fmt.Sprintf("not a JSON Feed: JSON syntax error at byte %d of %d: invalid character '[' exceeded max depth", jsonAt(bodies["/json"]), len(bodies["/json"])),
	}
	for path, b := range bodies {
		var err error
		n := allocated(func() { _, err = Parse([]byte(b), "", "https://deep.example/feed", fetchedAt) })
		if err == nil || err.Error() != want[path] {
			t.Errorf("%s: error\n got: %v\nwant: %s", path, err, want[path])
		}
		// Measured 0 for the scan that refuses it (the JSON decoder's
		// own refusal allocates 13 times the body); 20 is room.
		if n > 20*uint64(len(b)) && !raceOn {
			t.Errorf("%s: refusing %d bytes allocated %d (%.1f times)", path, len(b), n, float64(n)/float64(len(b)))
		}
	}
	// Elements a lenient read closes are not counted as open: 20,000
	// unclosed <br> in the unescaped HTML of 1,000 descriptions, each
	// closed by the </p> after it, are 5 levels deep.
	var lenient strings.Builder
	lenient.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`)
	for i := range 1000 {
		fmt.Fprintf(&lenient, `<item><title>%d</title><link>https://deep.example/%d</link><description><p>a%s</p></description></item>`, i, i, strings.Repeat("<br>b", 20))
	}
	lenient.WriteString(`</channel></rss>`)
	if doc, err := Parse([]byte(lenient.String()), "", "https://deep.example/feed", fetchedAt); err != nil || len(doc.Items) != 1000 {
		t.Errorf("unclosed <br>s in 1,000 items: %d items, error %v; want every item", len(doc.Items), err)
	}
	mux := http.NewServeMux()
	for path, b := range bodies {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(b)) })
	}
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) { w.Write(rssDoc("Good", "g1")) })
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	specs := []Spec{{URL: srv.URL + "/good"}}
	for path := range bodies {
		specs = append(specs, Spec{URL: srv.URL + path})
	}
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		path := strings.TrimPrefix(s.FeedURL, srv.URL)
		if path == "/good" {
			if s.LastError != "" || s.ItemsFound != 1 {
				t.Errorf("the feed beside them: error %q, %d items", s.LastError, s.ItemsFound)
			}
			continue
		}
		if w := "parse " + s.FeedURL + ": " + want[path]; s.LastErrorClass != ClassParse || s.LastError != w {
			t.Errorf("%s: class %q, error\n got: %s\nwant: %s", path, s.LastErrorClass, s.LastError, w)
		}
	}
}

// jsonAt is the byte at which encoding/json refuses a body for its depth.
func jsonAt(body string) int64 {
	var v any
	err := json.Unmarshal([]byte(body), &v)
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		return -1
	}
	return syn.Offset
}

// xmlDepth is how deep encoding/xml's lenient decoder, as gofeed reads
// XML, nests body's elements; ok is false when it cannot read body to its
// end.
func xmlDepth(body []byte) (depth int, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	n := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return depth, true
		}
		if err != nil {
			return depth, false
		}
		switch tok.(type) {
		case xml.StartElement:
			n++
			depth = max(depth, n)
		case xml.EndElement:
			n--
		}
	}
}

// openPast never refuses what the parser reads within the limit: a
// document it says opens an element past limit levels is one that
// encoding/xml, read to its end as gofeed reads it, nests deeper than
// limit (limits of 1 to 4, which fuzzed bodies reach).
func FuzzOpenPast(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><rss><channel><item><description><p>a<br>b</p></description></item></channel></rss>`), 3)
	f.Add([]byte(`<a x="1>2"><b/><c:d></c:d><!-- <e> --><![CDATA[<f>]]><g y='</h>'></g></a>`), 2)
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY e "<y>">]><x>&e;<z></x>`), 1)
	f.Fuzz(func(t *testing.T, body []byte, limit int) {
		limit = 1 + abs(limit)%4
		at := openPast(body, limit)
		if at < 0 {
			return
		}
		if at >= len(body) || body[at] != '<' {
			t.Fatalf("openPast says byte %d, which opens no element", at)
		}
		if depth, ok := xmlDepth(body); ok && depth <= limit {
			t.Fatalf("openPast refuses at byte %d past %d levels a document encoding/xml reads %d deep", at, limit, depth)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
