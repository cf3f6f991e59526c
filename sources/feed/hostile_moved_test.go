package feed

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A 301 moved the feed for good: the URL it named was saved and fetched
// from at every poll after, and the configured URL never again. Two
// hostile cases made that a feed lost until its configuration changed:
// a 301 to a page that is no feed (a site sending removed URLs to its
// home page), which was adopted though nothing was read there; and a
// 301 to a URL that later fails for good (a CDN's host retired). A move
// is adopted once the new URL gave a feed (or a 304 or 410); and a feed
// failing at the URL it moved to (poller.failing_after polls in a row)
// is fetched from its configured URL again, which a publisher who fixed
// its redirect serves.
func TestAPermanentRedirectThatLeadsNowhereDoesNotLoseTheFeed(t *testing.T) {
	const home, moved = "https://moving.example/rss", "https://cdn.moving.example/rss"
	t.Run("to a page that is no feed", func(t *testing.T) {
		s := &script{cfg: schedCfg(), spec: Spec{URL: home}, run: 3 * time.Hour,
			respond: func(n int, req fetchRequest) (*fetchResult, error) {
				if req.URL != home {
					return nil, fmt.Errorf("requested %s", req.URL)
				}
				if n <= 2 { // the site's redirect to its home page, fixed after two polls
					return &fetchResult{Status: 200, FinalURL: "https://moving.example/", Moved: true,
						Body: []byte(`<!doctype html><html><head><title>Home</title></head></html>`), ContentType: "text/html"}, nil
				}
				return ok200(rssDoc("Moving", "m1", "m2"), ""), nil
			}}
		s.play(t)
		if len(s.reqs) < 3 || !allTo(s.reqs, home) {
			t.Fatalf("requests %s: want every one to the configured URL, and a third", urlsOf(s.reqs))
		}
		if st := s.store.state(home); st.FetchURL != "" || st.Failures != 0 {
			t.Errorf("saved fetch_url %q, failures %d: want none, the feed read at its configured URL", st.FetchURL, st.Failures)
		}
	})
	t.Run("to a URL that fails later", func(t *testing.T) {
		cfg := schedCfg()
		s := &script{cfg: cfg, spec: Spec{URL: home}, run: 6 * time.Hour,
			respond: func(n int, req fetchRequest) (*fetchResult, error) {
				switch {
				case n == 1 && req.URL == home:
					r := ok200(rssDoc("Moving", "m1"), "")
					r.FinalURL, r.Moved = moved, true
					return r, nil
				case req.URL == moved:
					return nil, &fetchError{Class: ClassDNS, URL: moved, Err: errors.New("no such host")}
				}
				return ok200(rssDoc("Moving", "m1", "m2"), ""), nil
			}}
		s.play(t)
		// Poll 1 moves the feed; polls 2 to 1+failing_after fail at the
		// new URL; the next is to the configured URL, which serves it.
		var got []string
		for _, r := range s.reqs {
			got = append(got, r.URL)
		}
		want := []string{home}
		for range cfg.FailingAfter {
			want = append(want, moved)
		}
		want = append(want, home)
		if len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") || !allTo(s.reqs[len(want):], home) {
			t.Fatalf("requests %s: want %s, then the configured URL only", urlsOf(s.reqs), strings.Join(want, " "))
		}
		if st := s.store.state(home); st.FetchURL != "" || st.Failures != 0 {
			t.Errorf("saved fetch_url %q, failures %d: want none, the feed read at its configured URL again", st.FetchURL, st.Failures)
		}
		// 2 items, each delivered once: m1 before the move, m2 after.
		var items int
		for _, b := range s.batches {
			items += len(b.Items)
		}
		if items != 2 {
			t.Errorf("%d items delivered, want 2 (m1 once, m2 once)", items)
		}
	})
}

func allTo(reqs []fetchRequest, url string) bool {
	for _, r := range reqs {
		if r.URL != url {
			return false
		}
	}
	return true
}

func urlsOf(reqs []fetchRequest) string {
	var b strings.Builder
	for _, r := range reqs {
		b.WriteString(r.URL + " ")
	}
	return b.String()
}
