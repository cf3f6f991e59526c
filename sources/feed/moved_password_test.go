package feed

import (
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// A feed URL's password stays out of its saved poll state when the feed
// moved for good. A relative redirect keeps the URL's userinfo (net/http
// resolves "/new" against http://alice:s3cret@host/old), so the moved
// URL, saved as fetch_url, carried the password into feed_state, a
// compacted topic, for as long as the feed stayed moved; so did a
// Location naming credentials of its own, and a state an earlier release
// saved. The move is saved without userinfo and the configured URL's is
// put back where its credentials follow (headersFollow): after a restart
// the feed is still fetched from where it moved, with its credentials. A
// Location's own credentials cannot be saved: that move is followed
// through the redirect at every poll instead.
func TestAMovedFeedsSavedStateDoesNotSayItsPassword(t *testing.T) {
	var (
		mu   sync.Mutex
		reqs []string // "path user" of every request
		host string
	)
	auth := map[string]string{"/old": "alice:s3cret", "/new": "alice:s3cret", "/foreign": "", "/new2": "mover:hidden2",
		"/old3": "carol:t0ken3", "/new3": "carol:t0ken3"}
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		mu.Lock()
		reqs = append(reqs, r.URL.Path+" "+user)
		mu.Unlock()
		if want, ok := auth[r.URL.Path]; !ok || (want != "" && want != user+":"+pass) {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/old", "/old3":
			http.Redirect(w, r, "/new"+strings.TrimPrefix(r.URL.Path, "/old"), http.StatusMovedPermanently)
		case "/foreign":
			http.Redirect(w, r, "http://mover:hidden2@"+host+"/new2", http.StatusMovedPermanently)
		default:
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(rssDoc("Members", "m1", "m2"))
		}
	}))
	host = strings.TrimPrefix(srv.URL, "http://")
	alice, foreign, carol := "http://alice:s3cret@"+host+"/old", "http://"+host+"/foreign", "http://carol:t0ken3@"+host+"/old3"
	secrets := []string{"s3cret", "hidden2", "t0ken3"}

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	logFile, log := jsonLogFile(t)
	store := newMemStore()
	// carol's state as an earlier release saved it: moved, the password in fetch_url.
	store.data[carol] = []byte(`{"v":1,"fetch_url":"http://carol:t0ken3@` + host + `/new3","next_poll":"2000-01-01T00:00:00Z","last_attempt":"2000-01-01T00:00:00Z"}`)
	specs := []Spec{{URL: alice}, {URL: foreign}, {URL: carol}}

	// pollOnce runs a poller over store until every feed saved a state
	// from a poll that succeeded, and returns the requests it made.
	pollOnce := func(run string) []string {
		mu.Lock()
		reqs = nil
		store.mu.Lock()
		store.saves = 0
		store.mu.Unlock()
		mu.Unlock()
		since := time.Now()
		p, err := NewPoller(cfg, specs, store, nil, log, nil)
		if err != nil {
			t.Fatal(err)
		}
		stop := runAcking(t, p)
		defer stop()
		deadline := time.Now().Add(30 * time.Second) // a guard against hanging, not a timing assertion
		for {
			done := 0
			for _, s := range specs {
				if st := store.state(s.URL); st.LastSuccess.After(since) {
					done++
				}
			}
			if done == len(specs) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: after 30 s, %d of %d feeds saved a successful poll", run, done, len(specs))
			}
			time.Sleep(20 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), reqs...)
	}
	checkSaved := func(run string) {
		store.mu.Lock()
		defer store.mu.Unlock()
		for u, data := range store.data {
			for _, s := range secrets {
				if strings.Contains(string(data), s) {
					t.Errorf("%s: the saved state of %s says the password %q:\n%s", run, strings.Replace(u, s, "xxxxx", 1), s, data)
				}
			}
		}
	}

	got := pollOnce("first run")
	checkSaved("first run")
	if st := store.state(alice); st.FetchURL != "http://"+host+"/new" {
		t.Errorf("alice's saved fetch_url %q, want the URL it moved to without userinfo", st.FetchURL)
	}
	if st := store.state(foreign); st.FetchURL != "" {
		t.Errorf("a move to a Location with credentials of its own saved as %q, want none saved", st.FetchURL)
	}
	if !slices.Contains(got, "/new3 carol") || slices.Contains(got, "/old3 carol") {
		t.Errorf("requests %q: want carol's feed fetched where an earlier release saved it moved, with its credentials", got)
	}

	// Restarted on the same state, every feed due: each fetched from
	// where it moved, with the credentials that reached it there.
	for _, s := range specs {
		st := store.state(s.URL)
		st.NextPoll = time.Time{}
		data, err := st.encode()
		if err != nil {
			t.Fatal(err)
		}
		store.data[s.URL] = data
	}
	got = pollOnce("after a restart")
	checkSaved("after a restart")
	for _, want := range []string{"/new alice", "/new3 carol", "/foreign ", "/new2 mover"} {
		if !slices.Contains(got, want) {
			t.Errorf("requests after a restart %q: want %q among them", got, want)
		}
	}
	for _, gone := range []string{"/old alice", "/old3 carol"} {
		if slices.Contains(got, gone) {
			t.Errorf("requests after a restart %q: %q, the configured URL, though the move was saved", got, gone)
		}
	}
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(string(raw), s) {
			t.Errorf("a log line says the password %q:\n%s", s, raw)
		}
	}
}
