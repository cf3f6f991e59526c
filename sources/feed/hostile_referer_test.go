package feed

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Go's client adds a Referer to every request after a redirect: the URL
// it came from, query and all. A feed URL often carries its credential
// there (`?token=…`, `?api_key=…`, a private podcast's key in its path),
// so a redirect to another host — a CDN, a tracker, a hostile server the
// publisher's redirect points at — was handed the token, though the
// configured headers are withheld from it. A poller has no page to refer
// from: no request it sends carries a Referer, on any redirect.
func TestARedirectDoesNotSendTheFeedURLAsReferer(t *testing.T) {
	const ip, otherIP = "127.0.0.18", "127.0.0.19"
	var mu sync.Mutex
	referers := map[string]string{} // path → Referer received
	note := func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		referers[r.Host+r.URL.Path] = r.Header.Get("Referer")
	}
	other := newServerOn(t, otherIP, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		note(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Elsewhere", "e1"))
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("/private/k3y/feed", func(w http.ResponseWriter, r *http.Request) {
		note(r)
		switch r.URL.Query().Get("to") {
		case "other":
			http.Redirect(w, r, other.URL+"/cdn", http.StatusFound)
		case "moved":
			http.Redirect(w, r, other.URL+"/moved", http.StatusMovedPermanently)
		default:
			http.Redirect(w, r, "/same?hop=1", http.StatusTemporaryRedirect)
		}
	})
	mux.HandleFunc("/same", func(w http.ResponseWriter, r *http.Request) {
		note(r)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Same", "s1"))
	})
	srv := newServerOn(t, ip, mux)
	f := newTestFetcher(t, testFetcherConfig(ip, otherIP))
	for _, to := range []string{"other", "moved", "same"} {
		fetchOK(t, f, fetchRequest{URL: srv.URL + "/private/k3y/feed?token=s3cret&to=" + to,
			Headers: map[string]string{"Authorization": "Bearer s3cret"}})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(referers) != 4 {
		t.Fatalf("requests seen: %v, want the feed, /cdn, /moved and /same", referers)
	}
	for path, ref := range referers {
		if ref != "" {
			t.Errorf("the request for %s carried Referer %q", path, ref)
		}
		if strings.Contains(ref, "s3cret") || strings.Contains(ref, "k3y") {
			t.Errorf("the feed URL's credential reached %s in its Referer", path)
		}
	}
}
