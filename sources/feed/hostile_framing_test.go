package feed

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Bytes after a gzip stream's last member — a newline a script echoed,
// padding a proxy added, an HTML comment a cache appended — are not the
// document: gzip(1) says "trailing garbage ignored", browsers and curl
// read the stream, and deflate's readers stop at its end. The poller's
// gzip reader took them for the header of a next member and failed the
// whole feed, class encoding ("gzip: invalid header", or "unexpected
// EOF" for fewer than a header's 10 bytes): the document was lost at
// every poll. Each of these is read now; two members concatenated are
// read as one document, as before; a second member cut inside its
// header is still a body cut short, and a stream whose checksum fails
// still fails.
func TestBytesAfterTheGzipStreamAreNotTheDocument(t *testing.T) {
	const ip = "127.0.0.18"
	doc := rssDoc("Trailing", "t1", "t2")
	gz := gzipped(doc)
	half := len(doc) / 2
	bodies := map[string][]byte{
		"/newline":  append(bytes.Clone(gz), '\n'),
		"/crlf":     append(bytes.Clone(gz), "\r\n"...),
		"/zeros":    append(bytes.Clone(gz), make([]byte, 512)...),
		"/comment":  append(bytes.Clone(gz), "\n<!-- served from cache in 0.002s -->\n"...),
		"/members":  append(gzipped(doc[:half]), gzipped(doc[half:])...),
		"/members+": append(append(gzipped(doc[:half]), gzipped(doc[half:])...), "garbage"...),
	}
	bad := map[string]struct {
		body  []byte
		class string
		says  string
	}{
		"/member-cut": {append(bytes.Clone(gz), 0x1f, 0x8b, 8, 0), ClassTruncated, "unexpected EOF"},
		"/bad-crc":    {func() []byte { b := bytes.Clone(gz); b[len(b)-6] ^= 0xff; return append(b, '\n') }(), ClassEncoding, "gzip: invalid checksum"},
	}
	mux := http.NewServeMux()
	serve := func(path string, b []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b)
		})
	}
	for path, b := range bodies {
		serve(path, b)
	}
	for path, c := range bad {
		serve(path, c.body)
	}
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	var specs []Spec
	for path := range bodies {
		specs = append(specs, Spec{URL: srv.URL + path})
	}
	for path := range bad {
		specs = append(specs, Spec{URL: srv.URL + path})
	}
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := pollItemsWith(t, p, len(specs))
	for path := range bodies {
		items := got[srv.URL+path]
		var titles []string
		for _, it := range items {
			titles = append(titles, it.Title)
		}
		if strings.Join(titles, ",") != "Story t1,Story t2" {
			t.Errorf("%s: items %q, want the document's two", path, titles)
		}
	}
	for _, s := range p.Health() {
		c, ok := bad[strings.TrimPrefix(s.FeedURL, srv.URL)]
		if !ok {
			if s.Health != record.HealthOK {
				t.Errorf("%s: %s %q, want ok", s.FeedURL, s.Health, s.LastError)
			}
			continue
		}
		if s.LastErrorClass != c.class || !strings.HasPrefix(s.LastError, fmt.Sprintf("fetch %s: ", s.FeedURL)) || !strings.Contains(s.LastError, c.says) {
			t.Errorf("%s: class %q, error %q; want class %s, saying %q", s.FeedURL, s.LastErrorClass, s.LastError, c.class, c.says)
		}
	}
}

// A body with no Content-Length and no chunked encoding (HTTP/1.0, or a
// "Connection: close" answer) ends where the server closes the
// connection: a server that dies mid-body — an upstream's timeout, a
// worker killed — sends what looks, to HTTP, like a whole body. The
// document then ends unfinished, and the poll failed as class parse,
// "XML syntax error on line 1: unexpected EOF", blaming the publisher's
// document for what is most likely a cut; a cut announced by a length or
// a chunk is class truncated. Such a poll is now truncated too, and says
// the connection closed with nothing to tell a cut from the end. The
// same unfinished document whose Content-Length says it came whole is
// the publisher's: still parse.
func TestABodyCutByAnEarlyCloseWithoutALengthIsTruncated(t *testing.T) {
	const ip = "127.0.0.18"
	doc := string(rssDoc("Closed", "c1", "c2", "c3"))
	mid := strings.Index(doc, "<item><title>Story c3") + 20
	between := strings.Index(doc, "<item><title>Story c3")
	jsonDoc := `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.example/1","title":"One"},{"id":"2","url":"https://j.example/2","title":"Two"}]}`
	closeAfter := func(proto, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			rawResponse(w, proto+" 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n", body, func(c net.Conn) { c.Close() })
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/http10-mid", closeAfter("HTTP/1.0", doc[:mid]))
	mux.Handle("/http10-between", closeAfter("HTTP/1.0", doc[:between]))
	mux.Handle("/http11-close", closeAfter("HTTP/1.1", doc[:mid]))
	mux.Handle("/json", closeAfter("HTTP/1.0", jsonDoc[:len(jsonDoc)/2]))
	mux.Handle("/whole", closeAfter("HTTP/1.0", doc))
	mux.HandleFunc("/unfinished", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(doc[:mid])) // net/http sets its Content-Length: the body came whole
	})
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	u := func(p string) string { return srv.URL + p }
	cut := "the connection closed after %d bytes, with no Content-Length or chunked encoding to tell a cut from the end, and the document is unfinished there: "
	xmlEOF := "XML syntax error on line 1: unexpected EOF"
	cases := map[string]struct{ class, err string }{
		u("/http10-mid"):     {ClassTruncated, "fetch " + u("/http10-mid") + ": " + fmt.Sprintf(cut, mid) + xmlEOF},
		u("/http10-between"): {ClassTruncated, "fetch " + u("/http10-between") + ": " + fmt.Sprintf(cut, between) + xmlEOF},
		u("/http11-close"):   {ClassTruncated, "fetch " + u("/http11-close") + ": " + fmt.Sprintf(cut, mid) + xmlEOF},
		u("/json"): {ClassTruncated, "fetch " + u("/json") + ": " + fmt.Sprintf(cut, len(jsonDoc)/2) +
			fmt.Sprintf("not a JSON Feed: the JSON ends early, at byte %d (truncated?)", len(jsonDoc)/2)},
		u("/unfinished"): {ClassParse, "parse " + u("/unfinished") + ": " + xmlEOF},
		u("/whole"):      {"", ""},
	}
	var specs []Spec
	for url := range cases {
		specs = append(specs, Spec{URL: url})
	}
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		c := cases[s.FeedURL]
		if s.LastErrorClass != c.class || s.LastError != c.err {
			t.Errorf("%s: class %q, error\n got: %s\nwant: %s (class %q)", s.FeedURL, s.LastErrorClass, s.LastError, c.err, c.class)
		}
		if c.class == "" && (s.Health != record.HealthOK || s.ItemsFound != 3) {
			t.Errorf("%s: %s, %d items: the whole document closed after is read", s.FeedURL, s.Health, s.ItemsFound)
		}
	}
}

// FuzzGzipTrailingBytes: a gzip stream followed by any bytes that do not
// begin another member reads as the stream's content, whole; followed by
// bytes that do, it reads as both members' content or fails — never as
// less than the first member without an error.
func FuzzGzipTrailingBytes(f *testing.F) {
	f.Add([]byte("<rss/>"), []byte("\n"))
	f.Add([]byte("<rss/>"), []byte("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("<rss/>"), []byte("\x1f\x8b\x08"))
	f.Add([]byte("<rss/>"), gzipped([]byte("<more/>")))
	f.Add([]byte(""), []byte("\x1f"))
	fe := &fetcher{maxBody: 64 << 10}
	f.Fuzz(func(t *testing.T, doc, trailing []byte) {
		resp := &http.Response{Header: http.Header{"Content-Encoding": {"gzip"}},
			Body: io.NopCloser(bytes.NewReader(append(gzipped(doc), trailing...)))}
		got, _, err := fe.readBody(resp)
		member := len(trailing) >= 2 && trailing[0] == 0x1f && trailing[1] == 0x8b
		switch {
		case !member && (err != nil || !bytes.Equal(got, doc)):
			t.Fatalf("gzip(%q) + %q: %q, %v; want the document", doc, trailing, got, err)
		case member && err == nil && !bytes.HasPrefix(got, doc):
			t.Fatalf("gzip(%q) + a member %q: %q without an error", doc, trailing, got)
		}
	})
}
