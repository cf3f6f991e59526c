package feed

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A password in a feed URL reached every record the poller hands on, though errors and logs
// said it as "user:xxxxx@": the items' feed.url (so stories', and the items topic's keys and
// headers), links relative to the feed (resolved against the URL, userinfo and all),
// feed_status's id, feed_url and moved_to, and /status. The feed is named with its password
// as xxxxx in all of them, its links carry no userinfo, and it is still fetched with its
// credentials (the server refuses a request without them).
func TestNoRecordOfAFeedCarriesThePasswordInItsURL(t *testing.T) {
	const rss = `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Members</title><link>/</link><atom:link rel="hub" href="/hub"/>
<item><title>Council votes on budget</title><link>/story/1</link><guid isPermaLink="false">s1</guid><description>The council voted.</description></item>
</channel></rss>`
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || !(u == "user" && p == "s3cret" || u == "mover" && p == "hidden2") {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/feed", "/new":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(rss))
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		default:
			http.NotFound(w, r)
		}
	}))
	host := strings.TrimPrefix(srv.URL, "http://")
	specs := []Spec{{URL: "http://user:s3cret@" + host + "/feed"}, {URL: "http://mover:hidden2@" + host + "/old"}}
	names := map[string]bool{"http://user:xxxxx@" + host + "/feed": true, "http://mover:xxxxx@" + host + "/old": true}

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	var (
		mu      sync.Mutex
		batches []record.Batch
		wg      sync.WaitGroup
	)
	wg.Go(func() { _ = p.Run(ctx, out) })
	wg.Go(func() {
		for {
			select {
			case b := <-out:
				mu.Lock()
				batches = append(batches, b)
				mu.Unlock()
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	})
	defer func() { cancel(); wg.Wait() }()
	deadline := time.Now().Add(30 * time.Second) // a guard against hanging, not a timing assertion
	for {
		mu.Lock()
		items := 0
		for _, b := range batches {
			items += len(b.Items)
		}
		mu.Unlock()
		if items >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: %d items, want one of each feed; health %+v", items, p.Health())
		}
		time.Sleep(20 * time.Millisecond)
	}

	mu.Lock()
	defer mu.Unlock()
	moved := false
	for _, b := range batches {
		if !names[b.Feed.URL] {
			t.Errorf("a batch names its feed %q, want one of %v", b.Feed.URL, names)
		}
		for _, it := range b.Items {
			if !names[it.Feed.URL] {
				t.Errorf("an item's feed.url is %q", it.Feed.URL)
			}
			if it.Link != "http://"+host+"/story/1" {
				t.Errorf("an item's link is %q, want the story's URL without userinfo", it.Link)
			}
		}
		if s := b.Status; s != nil {
			if !names[s.FeedURL] || s.ID != s.FeedURL {
				t.Errorf("feed_status id %q, feed_url %q", s.ID, s.FeedURL)
			}
			if s.MovedTo != "" {
				moved = true
				if want := "http://mover:xxxxx@" + host + "/new"; s.MovedTo != want {
					t.Errorf("moved_to %q, want %q", s.MovedTo, want)
				}
			}
		}
		saidIn(t, "a batch", []any{b.Feed, b.Items, b.Status, b.DeadLetters})
	}
	if !moved {
		t.Errorf("no feed_status says the moved feed's moved_to")
	}
	saidIn(t, "/status", p.Health())
}

// saidIn fails t if v, as JSON, holds either password.
func saidIn(t *testing.T, what string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"s3cret", "hidden2"} {
		if strings.Contains(string(b), pw) {
			t.Errorf("%s says the password %s: %s", what, pw, b)
		}
	}
}
