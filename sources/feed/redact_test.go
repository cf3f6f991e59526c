package feed

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// A password in a feed URL's userinfo is never said: the poll's error
// (feed_status's last_error, the "poll failed" line) and every log line
// name the URL with "user:xxxxx@", as the client's own url.Error does.
// Before, "fetch http://user:s3cret@…/feed: HTTP 404 Not Found" was in
// every record and log line of a failing feed. feed_status names the
// feed so too (TestNoRecordOfAFeedCarriesThePasswordInItsURL).
func TestAPasswordInAFeedURLIsNeverSaid(t *testing.T) {
	var host string
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html><body>News</body></html>`))
		case "/loop":
			http.Redirect(w, r, "http://user:s3cret@"+host+"/loop", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "http://mover:hidden2@"+host+"/missing", http.StatusMovedPermanently)
		}
	}))
	host = strings.TrimPrefix(srv.URL, "http://")
	base := "http://user:s3cret@" + host
	cases := map[string]struct{ class, want string }{
		base + "/missing": {Class4xx, "fetch http://user:xxxxx@" + host + "/missing: HTTP 404 Not Found"},
		base + "/page":    {ClassParse, "parse http://user:xxxxx@" + host + "/page: "},
		base + "/loop":    {ClassRedirect, "fetch http://user:xxxxx@" + host + "/loop: redirect loop: http://user:xxxxx@"},
		base + "/moved":   {Class4xx, "fetch http://user:xxxxx@" + host + "/moved: HTTP 404 Not Found"},
	}
	var specs []Spec
	for u := range cases {
		specs = append(specs, Spec{URL: u})
	}
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	logFile, log := jsonLogFile(t)
	got, _ := pollEach(t, cfg, specs, log)
	if len(got) != len(cases) {
		t.Fatalf("%d feed statuses, want %d", len(got), len(cases))
	}
	for _, s := range got {
		c, ok := cases[strings.Replace(s.FeedURL, "user:xxxxx@", "user:s3cret@", 1)]
		if !ok || !strings.Contains(s.FeedURL, "user:xxxxx@") {
			t.Errorf("feed_status of %q, want the configured URL with its password as xxxxx", s.FeedURL)
			continue
		}
		if s.LastErrorClass != c.class || !strings.HasPrefix(s.LastError, c.want) {
			t.Errorf("last_error (%s) =\n  %s\nwant (%s) it to begin\n  %s", s.LastErrorClass, s.LastError, c.class, c.want)
		}
		if strings.Contains(s.LastError, "s3cret") || strings.Contains(s.LastError, "hidden2") {
			t.Errorf("last_error says a password: %s", s.LastError)
		}
	}
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if strings.Contains(line, "s3cret") || strings.Contains(line, "hidden2") {
			t.Errorf("a log line says a password: %s", line)
		}
	}
	if n := strings.Count(string(raw), `"feed_url":"http://user:xxxxx@`); n < len(cases) {
		t.Errorf("%d log lines name a feed as user:xxxxx@, want at least one a feed:\n%s", n, raw)
	}
}
