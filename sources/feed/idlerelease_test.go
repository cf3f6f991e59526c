package feed

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The review of loop.releaseIdle (round 37, rev37f): a feed polled a
// minute or more apart lets go of its poll's context, timer and fetch
// target between polls. What the next poll makes again must be what the
// feed had: the URL it moved to, both validators, the configured headers
// only where its move lets them follow; the context it let go of must be
// cancelled (no longer registered under the loop's); a push or a stop
// arriving while it is idle must be served at once.

// idleFeedRig runs one feed's real loop in a synctest bubble, every
// fetch through the seam and recorded, every batch acked.
type idleFeedRig struct {
	p  *Poller
	mu sync.Mutex
	// Of each fetch: the request, its context, and whether the context
	// of the fetch before had ended by then.
	reqs        []fetchRequest
	ctxs        []context.Context
	prevEnded   []bool
	items       []string // guids delivered, in order
	ctx         context.Context
	cancel      context.CancelFunc
	done        chan struct{} // closed when Run returned
	out         chan record.Batch
	consumeDone chan struct{}
}

func startIdleFeed(t *testing.T, spec Spec, push bool, respond func(n int, req fetchRequest) *fetchResult) *idleFeedRig {
	t.Helper()
	p, err := NewPoller(DefaultConfig(), []Spec{spec}, newMemStore(), nil, nil, nil) // min_interval 1m
	if err != nil {
		t.Fatal(err)
	}
	if push {
		p.WatchHubs(&watcher{}, time.Hour)
	}
	r := &idleFeedRig{p: p, done: make(chan struct{}), out: make(chan record.Batch), consumeDone: make(chan struct{})}
	p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.prevEnded = append(r.prevEnded, len(r.ctxs) > 0 && r.ctxs[len(r.ctxs)-1].Err() != nil)
		r.reqs = append(r.reqs, req)
		r.ctxs = append(r.ctxs, ctx)
		return respond(len(r.reqs), req), nil
	}
	go func() {
		defer close(r.consumeDone)
		for b := range r.out {
			r.mu.Lock()
			for _, it := range b.Items {
				r.items = append(r.items, it.GUID)
			}
			r.mu.Unlock()
			b.Ack(context.Background(), nil)
		}
	}()
	r.ctx, r.cancel = context.WithCancel(context.Background())
	go func() {
		defer close(r.done)
		p.Run(r.ctx, r.out)
	}()
	return r
}

// stop cancels the poller and fails t unless Run returned without the
// bubble's clock moving: a loop waiting for its next poll's timer, not
// its context, would return only when the timer fired.
func (r *idleFeedRig) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	synctest.Wait()
	select {
	case <-r.done:
	default:
		t.Error("the poller did not stop at once while its feed was idle")
		synctest.Wait()
		<-r.done
	}
	close(r.out)
	<-r.consumeDone
	r.p.fetcher.close()
}

// A feed that moved keeps fetching from where it moved, asking with both
// validators, though it made its fetch target again for every poll; the
// configured header goes along to a move on the same host and not to
// another host (headersFollow), as the first target's did.
func TestAReleasedFeedKeepsItsMoveValidatorsAndHeaders(t *testing.T) {
	const lastModified = "Sun, 06 Dec 2026 10:00:00 GMT"
	for _, tc := range []struct {
		name, movedTo string
		keyFollows    bool
	}{
		{"same host", "https://idle.example/moved.xml", true},
		{"another host", "https://elsewhere.example/moved.xml", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				spec := Spec{URL: "https://idle.example/rss", Headers: map[string]string{"X-Feed-Key": "k1"}}
				var sent []http.Header // what each poll's request would carry
				r := startIdleFeed(t, spec, false, func(n int, req fetchRequest) *fetchResult {
					sent = append(sent, req.target.header(req.ETag, req.LastModified))
					if n == 1 {
						fr := ok200(rssDoc("Feed", "a", "b"), `"v1"`)
						fr.LastModified, fr.FinalURL, fr.Moved = lastModified, tc.movedTo, true
						return fr
					}
					return &fetchResult{Status: http.StatusNotModified, FinalURL: req.URL}
				})
				time.Sleep(3 * time.Hour)
				r.stop(t)
				r.mu.Lock()
				defer r.mu.Unlock()
				if len(r.reqs) < 3 {
					t.Fatalf("%d polls in 3 hours, want at least 3", len(r.reqs))
				}
				for i := 1; i < len(r.reqs); i++ {
					req, h := r.reqs[i], sent[i]
					if r.reqs[i-1].target == req.target {
						t.Fatalf("polls %d and %d shared a fetch target: the feed never let go of it", i, i+1)
					}
					if req.URL != tc.movedTo || req.target.raw != tc.movedTo {
						t.Errorf("poll %d fetched %q (target %q), want where the feed moved, %q", i+1, req.URL, req.target.raw, tc.movedTo)
					}
					if got := h.Get("If-None-Match"); got != `"v1"` {
						t.Errorf("poll %d sent If-None-Match %q, want %q", i+1, got, `"v1"`)
					}
					if got := h.Get("If-Modified-Since"); got != lastModified {
						t.Errorf("poll %d sent If-Modified-Since %q, want %q", i+1, got, lastModified)
					}
					if got, want := h.Get("X-Feed-Key") == "k1", tc.keyFollows; got != want {
						t.Errorf("poll %d to %s: configured header sent %v, want %v", i+1, tc.movedTo, got, want)
					}
				}
			})
		})
	}
}

// The context a feed lets go of between its polls is cancelled when it
// does, not merely dropped: until then it stays registered under the
// loop's context (its children map), which a dropped one never leaves
// while the loop runs.
func TestAReleasedPollContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startIdleFeed(t, Spec{URL: "https://idle.example/rss"}, false, func(n int, req fetchRequest) *fetchResult {
			if req.ETag == `"v1"` {
				return &fetchResult{Status: http.StatusNotModified}
			}
			return ok200(rssDoc("Feed", "a"), `"v1"`)
		})
		time.Sleep(3 * time.Hour)
		r.stop(t)
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.reqs) < 3 {
			t.Fatalf("%d polls in 3 hours, want at least 3", len(r.reqs))
		}
		for i := 1; i < len(r.reqs); i++ {
			if !r.prevEnded[i] {
				t.Errorf("when poll %d started, the context of poll %d the feed let go of had not ended", i+1, i)
			}
		}
	})
}

// A push arriving while the feed holds no poll context nor target is
// delivered at once, and the poll after it still asks conditionally; a
// stop arriving after it ends the loop at once.
func TestAReleasedFeedTakesAPushAndStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const feedURL = "https://idle.example/rss"
		r := startIdleFeed(t, Spec{URL: feedURL}, true, func(n int, req fetchRequest) *fetchResult {
			if req.ETag == `"v1"` {
				return &fetchResult{Status: http.StatusNotModified}
			}
			return ok200(rssDoc("Feed", "a", "b"), `"v1"`)
		})
		time.Sleep(10 * time.Minute) // polled once, then idle: its next poll a minute or more away
		r.mu.Lock()
		polls := len(r.reqs)
		r.mu.Unlock()
		if err := r.p.Push(context.Background(), feedURL, "application/rss+xml", rssDoc("Feed", "c", "a", "b")); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // no time passes: the push is served at once
		r.mu.Lock()
		items := slices.Clone(r.items)
		r.mu.Unlock()
		if want := []string{"a", "b", "c"}; !slices.Equal(items, want) {
			t.Fatalf("delivered %q once the push came, want %q", items, want)
		}
		time.Sleep(2 * time.Hour) // the safety net's polls (relaxed to an hour)
		r.stop(t)
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.reqs) <= polls {
			t.Fatalf("no poll after the push in 2 hours (%d before it, %d in all)", polls, len(r.reqs))
		}
		for i := polls; i < len(r.reqs); i++ {
			if r.reqs[i].ETag != `"v1"` {
				t.Errorf("poll %d, after the push, asked with ETag %q, want %q", i+1, r.reqs[i].ETag, `"v1"`)
			}
		}
		if want := []string{"a", "b", "c"}; !slices.Equal(r.items, want) {
			t.Errorf("delivered %q in all, want %q", r.items, want)
		}
	})
}
