package feed

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestTheSharedStaticHeaderIsNeverWritten: the feeds that configure no
// headers share one static request header (staticHeader), so nothing on
// a request's way — net/http, the redirect check (Referer, the
// configured headers' removal), validators, a URL's user info, the
// netguard — may write into it. Polls of several feeds at once, through
// a redirect, with validators and with user info, leave it as built
// (and -race sees no write).
func TestTheSharedStaticHeaderIsNeverWritten(t *testing.T) {
	srv := newServerOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/old/") {
			http.Redirect(w, r, "/new/"+strings.TrimPrefix(r.URL.Path, "/old/"), http.StatusMovedPermanently)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write(rssDoc("Feed", "a"))
	}))
	cfg := testFetcherConfig("127.0.0.0/8")
	f := newTestFetcher(t, cfg)
	shared := staticHeader(nil, cfg.UserAgent)
	before := shared.Clone()
	host := strings.TrimPrefix(srv.URL, "http://")
	urls := []string{srv.URL + "/old/a", srv.URL + "/b", "http://user:secret@" + host + "/old/c"}
	var wg sync.WaitGroup
	for i := range 8 {
		u := urls[i%len(urls)]
		wg.Go(func() {
			target := newFetchTarget(u, nil, cfg.UserAgent)
			for _, etag := range []string{"", `"v1"`, ""} {
				if _, err := f.fetch(context.Background(), fetchRequest{URL: u, ETag: etag, target: target}); err != nil {
					t.Errorf("fetch %s: %v", u, err)
				}
			}
		})
	}
	wg.Wait()
	if got := staticHeader(nil, cfg.UserAgent); len(got) != len(before) || got.Get("User-Agent") != before.Get("User-Agent") {
		t.Fatalf("the shared header is another: %v", got)
	}
	for k, v := range before {
		if strings.Join(shared[k], "\n") != strings.Join(v, "\n") {
			t.Errorf("shared header %s = %q, want %q", k, shared[k], v)
		}
	}
	if len(shared) != len(before) {
		t.Errorf("shared header written: %v, was %v", shared, before)
	}
}
