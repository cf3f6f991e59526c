package feed

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
)

// A token given as a feed URL's user name (https://TOKEN@host/feed) or as a well-known
// secret query parameter (?token=, ?api_key=, ?sig=…) is as secret as a password, but only a
// password was said as xxxxx: the token was in the poll's error (feed_status's last_error,
// the "poll failed" line), feed_status's id and feed_url, every log line naming the feed and
// a redirect loop's hops. None of them says it now. Nor does a token given as the user name
// with an empty password (https://TOKEN:@host, GitHub's and Stripe's basic auth), which was
// said TOKEN:xxxxx@ until round 34, and in a transport error's URL as the client masks it
// (TOKEN:***@).
func TestATokenInAFeedURLIsNeverSaid(t *testing.T) {
	const userToken, queryToken, hopToken, emptyToken = "ghpUSERTOKEN1", "QUERYTOKEN2", "HOPTOKEN3", "sk_EMPTYPASS4"
	var host string
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html><body>News</body></html>`))
		case "/loop":
			http.Redirect(w, r, "http://"+hopToken+"@"+host+"/loop?sig="+hopToken, http.StatusFound)
		}
	}))
	host = strings.TrimPrefix(srv.URL, "http://")
	cases := map[string]struct{ class, want string }{
		"http://" + userToken + "@" + host + "/missing":           {Class4xx, "fetch http://xxxxx@" + host + "/missing: HTTP 404 Not Found"},
		"http://" + host + "/missing?lang=en&token=" + queryToken: {Class4xx, "fetch http://" + host + "/missing?lang=en&token=xxxxx: HTTP 404 Not Found"},
		"http://" + host + "/page?api_key=" + queryToken:          {ClassParse, "parse http://" + host + "/page?api_key=xxxxx: "},
		"http://" + userToken + "@" + host + "/loop":              {ClassRedirect, "fetch http://xxxxx@" + host + "/loop: redirect loop: http://xxxxx@"},
		"http://" + emptyToken + ":@" + host + "/missing?lang=de": {Class4xx, "fetch http://xxxxx@" + host + "/missing?lang=de: HTTP 404 Not Found"},
		"http://" + emptyToken + ":@127.0.0.8:1/down":             {ClassConnect, "fetch http://xxxxx@127.0.0.8:1/down: "},
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
	secret := func(s string) bool {
		return strings.Contains(s, userToken) || strings.Contains(s, queryToken) || strings.Contains(s, hopToken) ||
			strings.Contains(s, emptyToken)
	}
	seen := 0
	for _, s := range got {
		whole, _ := json.Marshal(s)
		if secret(string(whole)) {
			t.Errorf("a feed_status record says a token: %s", whole)
		}
		for u, c := range cases {
			if !strings.HasPrefix(s.LastError, c.want) {
				continue
			}
			seen++
			if s.LastErrorClass != c.class {
				t.Errorf("%s: last_error_class %s, want %s", s.LastError, s.LastErrorClass, c.class)
			}
			if want := strings.TrimPrefix(strings.TrimPrefix(c.want, "fetch "), "parse "); !strings.HasPrefix(want, s.FeedURL+":") {
				t.Errorf("feed_url %q of %q", s.FeedURL, u)
			}
		}
	}
	if seen != len(cases) {
		for _, s := range got {
			t.Logf("feed_status: %s (%s) %s", s.FeedURL, s.LastErrorClass, s.LastError)
		}
		t.Errorf("%d of %d feeds failed as wanted", seen, len(cases))
	}
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if secret(line) {
			t.Errorf("a log line says a token: %s", line)
		}
	}
	if n := strings.Count(string(raw), `"feed_url":"http://xxxxx@`); n < 2 {
		t.Errorf("%d log lines name a feed as xxxxx@, want at least one a feed:\n%s", n, raw)
	}
}

// A feed URL url.Parse refuses (a typo: a bad %-escape) is named by the refusal, which
// validate and run print: its token or password said as xxxxx there too, found by the string
// alone.
func TestARefusedFeedURLIsNamedWithoutItsToken(t *testing.T) {
	for _, u := range []string{"https://h.example/%zz?token=QUERYTOKEN2", "https://user:PASS%zzWORD@h.example/feed"} {
		err := Spec{URL: u}.Validate()
		if err == nil {
			t.Fatalf("Validate(%q) = nil, want a refusal", u)
		}
		for _, secret := range []string{"QUERYTOKEN2", "PASS"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("Validate(%q) = %q, says the secret %s", u, err, secret)
			}
		}
	}
}
