package feed

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"
	"time"

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
