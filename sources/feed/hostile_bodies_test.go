package feed

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"
	"time"
	utf16pkg "unicode/utf16"

	"github.com/wirestream/wirestream/pipeline/record"
)

// gzipped is b gzip-compressed.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// A 200 whose body is no feed — an API's JSON error, nothing at all, a
// feed compressed twice — fails its feed alone, class parse, with what
// the body is instead: an error object was read as a JSON Feed of no
// items (the feed "ok", no item ever, no word of why), and the others
// said only "not an RSS, Atom, JSON feed or ninjs document". The feed
// served right beside them is read.
func TestABodyThatIsNoFeedSaysWhatItIs(t *testing.T) {
	const ip = "127.0.0.18"
	feed := readFixture(t, "bbc-world.xml")
	mux := http.NewServeMux()
	mux.HandleFunc("/api-error", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"error":"API rate limit exceeded for 203.0.113.7","code":429}`))
	})
	mux.HandleFunc("/api-message", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"fail","message":{"text":"nested"},"detail":"Feed not found"}`))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
	})
	mux.HandleFunc("/blank", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte("\r\n\r\n  \n"))
	})
	mux.HandleFunc("/gzip-twice", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipped(gzipped(feed)))
	})
	mux.HandleFunc("/gz-file", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-gzip") // rss.xml.gz served as is
		w.Write(gzipped(feed))
	})
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	})
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	u := func(p string) string { return srv.URL + p }
	cases := map[string]string{ // the feed → what its error says after "parse URL: "
		u("/api-error"):   `not a JSON Feed: a JSON object with no "version" and no "items" (its keys: "code", "error"); its "error" says "API rate limit exceeded for 203.0.113.7"`,
		u("/api-message"): `not a JSON Feed: a JSON object with no "version" and no "items" (its keys: "detail", "message", "status"); its "detail" says "Feed not found"`,
		u("/empty"):       `not an RSS, Atom, JSON feed or ninjs document: the body is empty`,
		u("/blank"):       `not an RSS, Atom, JSON feed or ninjs document: the body is blank (7 bytes of white space)`,
		u("/gzip-twice"):  `not an RSS, Atom, JSON feed or ninjs document: it is gzip-compressed (compressed twice, or a .gz file served as it is)`,
		u("/gz-file"):     `not an RSS, Atom, JSON feed or ninjs document: it is gzip-compressed (compressed twice, or a .gz file served as it is)`,
	}
	specs := []Spec{{URL: u("/good")}}
	for url := range cases {
		specs = append(specs, Spec{URL: url})
	}
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		if s.FeedURL == u("/good") {
			if s.Health != record.HealthOK || s.ItemsFound == 0 {
				t.Errorf("the good feed beside them: health %s, %d items, error %q", s.Health, s.ItemsFound, s.LastError)
			}
			continue
		}
		want := "parse " + s.FeedURL + ": " + cases[s.FeedURL]
		if s.LastErrorClass != ClassParse || s.LastError != want || s.HTTPStatus != 200 {
			t.Errorf("%s: class %q, status %d, error\n got: %s\nwant: %s", s.FeedURL, s.LastErrorClass, s.HTTPStatus, s.LastError, want)
		}
		if s.Health != record.HealthDegraded || s.NextPoll.Sub(s.LastAttempt) < time.Duration(float64(cfg.BackoffInitial)*(1-cfg.BackoffJitter))-time.Second {
			t.Errorf("%s: health %s, next poll %s after the failure: want degraded and a backoff", s.FeedURL, s.Health, s.NextPoll.Sub(s.LastAttempt))
		}
	}
}

// utf16 is s in UTF-16 of the given byte order, with no byte order mark.
func utf16(s string, bigEndian bool) []byte {
	var out []byte
	for _, r := range s {
		for _, u := range utf16pkg.Encode([]rune{r}) {
			if bigEndian {
				out = append(out, byte(u>>8), byte(u))
			} else {
				out = append(out, byte(u), byte(u>>8))
			}
		}
	}
	return out
}

// UTF-16 without a byte order mark (a Windows export, a .NET CMS writing
// Encoding.Unicode) has its first characters' zero bytes tell its byte
// order, as XML's appendix F and JSON's RFC say to read them: such a feed
// failed "not an RSS, Atom, JSON feed or ninjs document". An RSS
// document in either order, and a JSON Feed, are read as the same text
// in UTF-8 is.
func TestAFeedInUTF16WithoutAByteOrderMarkIsRead(t *testing.T) {
	const ip = "127.0.0.18"
	rss := `<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Łódź</title><item><title>Żółć über alles</title><link>https://u16.example/1</link></item></channel></rss>`
	jsonFeed := `{"version":"https://jsonfeed.org/version/1.1","title":"Łódź","items":[{"id":"1","url":"https://u16.example/1","title":"Żółć über alles"}]}`
	bodies := map[string][]byte{
		"/rss-le":  utf16(rss, false),
		"/rss-be":  utf16(rss, true),
		"/json-le": utf16(jsonFeed, false),
		"/json-be": utf16(jsonFeed, true),
	}
	mux := http.NewServeMux()
	for path, b := range bodies {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { w.Write(b) })
	}
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	var specs []Spec
	for path := range bodies {
		specs = append(specs, Spec{URL: srv.URL + path})
	}
	// A feed that fails delivers its feed_status alone; one read, its item.
	got := pollItems(t, cfg, specs)
	for _, s := range specs {
		if items := got[s.URL]; len(items) != 1 || items[0].Title != "Żółć über alles" {
			t.Errorf("%s: items %+v; want its one item, titled in UTF-8", s.URL, items)
		}
	}
}
