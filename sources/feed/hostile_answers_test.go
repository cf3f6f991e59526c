package feed

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Answers a publisher gives instead of its feed, each of which failed
// saying less than it could: a 206 to a request that asked for no range
// was parsed as the feed (a part failed as "not a feed", naming neither
// the 206 nor the part); a redirect without a Location said only "HTTP
// 302 Found"; a status outside 100–599 was a server error; and a body
// that is XML but no feed (a storage service's <Error> with a 200, a
// sitemap), an image or a PDF, or plain text, said "not an RSS, Atom,
// JSON feed or ninjs document" and nothing of what it was. Each now says
// what came; a 206 carrying the whole feed is read, as is the feed
// beside them.
func TestAnswersThatAreNoFeedSayWhatCame(t *testing.T) {
	const ip = "127.0.0.18"
	feed := string(rssDoc("Answers", "a1", "a2"))
	s3 := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`
	sitemap := `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://answers.example/a</loc></url></urlset>`
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00"
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(feed)) })
	mux.HandleFunc("/part", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-99/%d", len(feed)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte(feed[:100]))
	})
	mux.HandleFunc("/whole-part", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(feed)-1, len(feed)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte(feed))
	})
	mux.HandleFunc("/no-location", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	mux.HandleFunc("/status-999", func(w http.ResponseWriter, r *http.Request) {
		rawResponse(w, fmt.Sprintf("HTTP/1.1 999 Custom\r\nContent-Length: %d\r\n\r\n", len(feed)), feed, func(c net.Conn) { c.Close() })
	})
	mux.HandleFunc("/s3", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(s3)) })
	mux.HandleFunc("/sitemap", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(sitemap)) })
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(png))
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("Service temporarily\r\n\r\n unavailable.\x1b[2J Please retry."))
	})
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	cases := map[string]struct {
		class string // "" for a feed read
		want  string // last_error after "fetch URL: " or "parse URL: "
	}{
		"/feed":        {},
		"/whole-part":  {},
		"/part":        {ClassTruncated, fmt.Sprintf(`HTTP 206 Partial Content (Content-Range "bytes 0-99/%d") to a request for the whole feed: only a part of it came`, len(feed))},
		"/no-location": {ClassRedirect, "HTTP 302 Found with no Location to follow"},
		"/status-999":  {ClassProtocol, "HTTP 999 Custom: no HTTP status (100–599)"},
		"/s3":          {ClassParse, `not an RSS, Atom, JSON feed or ninjs document: it is XML whose root element is <Error>, and its text begins "AccessDenied Access Denied 4442587FB7D0A2F9"`},
		"/sitemap":     {ClassParse, `not an RSS, Atom, JSON feed or ninjs document: it is XML whose root element is <urlset>, and its text begins "https://answers.example/a"`},
		"/png":         {ClassParse, fmt.Sprintf("not an RSS, Atom, JSON feed or ninjs document: it is image/png, by its first bytes (%d bytes in all)", len(png))},
		"/text":        {ClassParse, `not an RSS, Atom, JSON feed or ninjs document: it is text beginning "Service temporarily unavailable.[2J Please retry."`},
	}
	var specs []Spec
	for path := range cases {
		specs = append(specs, Spec{URL: srv.URL + path})
	}
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		c := cases[strings.TrimPrefix(s.FeedURL, srv.URL)]
		if c.class == "" {
			if s.Health != record.HealthOK || s.ItemsFound != 2 {
				t.Errorf("%s: %s with %d items (%s), want ok and 2", s.FeedURL, s.Health, s.ItemsFound, s.LastError)
			}
			continue
		}
		verb := "fetch "
		if c.class == ClassParse {
			verb = "parse "
		}
		if s.LastErrorClass != c.class || s.LastError != verb+s.FeedURL+": "+c.want {
			t.Errorf("%s: class %q, last_error\n%s\nwant class %q and\n%s%s: %s", s.FeedURL, s.LastErrorClass, s.LastError, c.class, verb, s.FeedURL, c.want)
		}
	}
}

// What a body that is no feed is said to be is the publisher's text
// made safe to print: valid UTF-8, no control character (a terminal's
// escape sequences), and short, whatever the body.
func FuzzOtherDocument(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>`))
	f.Add([]byte("Service\x1b[2J unavailable\r\n"))
	f.Add([]byte("<\xff\xfe\x00a b='<'>\x00text"))
	f.Fuzz(func(t *testing.T, body []byte) {
		what := otherDocument(body)
		if !utf8.ValidString(what) || strings.IndexFunc(what, unicode.IsControl) >= 0 {
			t.Fatalf("%q: not printable", what)
		}
		if n := utf8.RuneCountInString(what); n > 300 {
			t.Fatalf("%d characters: %q", n, what)
		}
	})
}

// A 206 is read as the whole feed only when its Content-Range says it
// is: "bytes 0-(n-1)/n".
func FuzzWholeRange(f *testing.F) {
	f.Add("bytes 0-405/406")
	f.Add("bytes 0-49/406")
	f.Add("bytes */406")
	f.Fuzz(func(t *testing.T, cr string) {
		if !wholeRange(cr) {
			return
		}
		var last, size int64
		if _, err := fmt.Sscanf(strings.ToLower(strings.TrimSpace(cr)), "bytes 0-%d/%d", &last, &size); err != nil || last != size-1 || size <= 0 {
			t.Fatalf("%q read as a whole range", cr)
		}
	})
}
