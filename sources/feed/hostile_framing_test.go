package feed

import (
	"bytes"
	"fmt"
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
