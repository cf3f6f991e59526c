package feed

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
)

// A broken feed's error is said once, in one message: what was being
// done, the feed's URL once, then the cause; its class is the record's own
// field. The log line carries the same message. Before, the poller's
// "fetch URL: class:" and the parser's "parse URL:" made "fetch URL:
// parse: parse URL: not an RSS…", and a transport error added the
// client's `Get "URL":`. A body that came whole but is no feed says
// "parse URL:", not "fetch URL:": the fetch worked, and "fetch" sent a
// newcomer to look at the network.
func TestAPollErrorNamesTheFeedOnceAndSaysWhatWentWrong(t *testing.T) {
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>News</body></html>`))
		case "/truncated":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>News</title>\n<item><title>One</ti"))
		}
	}))
	missing, page, truncated := srv.URL+"/missing", srv.URL+"/page", srv.URL+"/truncated"
	nowhere := "http://nowhere.invalid/rss" // .invalid never resolves (RFC 6761)
	// The HTTP status is the server's answer, also when the body it sent is
	// no feed; a poll that got no answer has none (the log said
	// http_status=0 beside "connection refused", as if a server sent 0).
	cases := map[string]struct {
		class  string
		want   string // the whole message, or its start for DNS, whose end names the resolver
		status int
	}{
		missing:   {Class4xx, "fetch " + missing + ": HTTP 404 Not Found", 404},
		page:      {ClassParse, "parse " + page + ": not an RSS, Atom, JSON feed or ninjs document: it is an HTML page; the feed it announces is " + srv.URL + "/rss.xml", 200},
		truncated: {ClassParse, "parse " + truncated + ": XML syntax error on line 3: unexpected EOF", 200},
		nowhere:   {ClassDNS, "fetch " + nowhere + ": dial tcp: lookup nowhere.invalid", 0},
	}

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	logFile, log := jsonLogFile(t)
	got, _ := pollEach(t, cfg, []Spec{{URL: missing}, {URL: page}, {URL: truncated}, {URL: nowhere}}, log)

	logged := map[string]string{} // feed URL → the err of its "poll failed" line
	loggedStatus := map[string]*int{}
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var l struct {
			Msg     string `json:"msg"`
			Err     string `json:"err"`
			FeedURL string `json:"feed_url"`
			Status  *int   `json:"http_status"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "poll failed" {
			logged[l.FeedURL], loggedStatus[l.FeedURL] = l.Err, l.Status
		}
	}
	for _, s := range got {
		c := cases[s.FeedURL]
		if s.LastErrorClass != c.class {
			t.Errorf("%s: class %q, want %q (%s)", s.FeedURL, s.LastErrorClass, c.class, s.LastError)
		}
		exact := c.class != ClassDNS
		if exact && s.LastError != c.want || !exact && !strings.HasPrefix(s.LastError, c.want) || strings.Count(s.LastError, s.FeedURL) != 1 {
			t.Errorf("last_error =\n  %s\nwant (the URL once)\n  %s", s.LastError, c.want)
		}
		if logged[s.FeedURL] != s.LastError {
			t.Errorf("%s: logged err %q, want the record's message", s.FeedURL, logged[s.FeedURL])
		}
		if s.HTTPStatus != c.status {
			t.Errorf("%s: feed_status http_status %d, want %d", s.FeedURL, s.HTTPStatus, c.status)
		}
		switch st := loggedStatus[s.FeedURL]; {
		case c.status == 0 && st != nil:
			t.Errorf("%s: logged http_status=%d for a poll that got no answer", s.FeedURL, *st)
		case c.status != 0 && (st == nil || *st != c.status):
			t.Errorf("%s: logged http_status %v, want %d", s.FeedURL, st, c.status)
		}
	}
}
