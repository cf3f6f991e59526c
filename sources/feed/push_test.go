package feed

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// watcher records what the poller tells the WebSub subscriber.
type watcher struct {
	mu    sync.Mutex
	links []Links
}

func (w *watcher) FeedLinks(feedURL string, hubs []string, self string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.links = append(w.links, Links{Hubs: hubs, Self: self})
}

// pushRig runs one feed's real loop under testing/synctest with push on:
// respond answers polls, the test pushes at chosen moments, every batch
// is acked, and poll times are recorded.
type pushRig struct {
	p       *Poller
	m       *Metrics
	w       *watcher
	mu      sync.Mutex
	polls   []time.Duration
	batches []record.Batch
	start   time.Time
}

const pushFeed = "https://pushed.example/rss"

func newPushRig(t *testing.T, respond func(n int) *fetchResult) *pushRig {
	t.Helper()
	cfg := schedCfg()
	cfg.StartSpread = 0
	r := &pushRig{m: NewMetrics(nil), w: &watcher{}, start: time.Now()}
	p, err := NewPoller(cfg, []Spec{{URL: pushFeed}}, newMemStore(), nil, nil, r.m)
	if err != nil {
		t.Fatal(err)
	}
	p.WatchHubs(r.w, time.Hour)
	p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.polls = append(r.polls, time.Since(r.start))
		return respond(len(r.polls)), nil
	}
	r.p = p
	return r
}

// run polls and consumes until d has passed, calling at(offset) hooks.
func (r *pushRig) run(t *testing.T, d time.Duration, at map[time.Duration]func()) {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan record.Batch)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.p.Run(ctx, out)
	}()
	go func() {
		for {
			select {
			case b := <-out:
				r.mu.Lock()
				r.batches = append(r.batches, b)
				r.mu.Unlock()
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	}()
	offsets := make([]time.Duration, 0, len(at))
	for off := range at {
		offsets = append(offsets, off)
	}
	slices.Sort(offsets)
	for _, off := range offsets {
		time.Sleep(off - time.Since(r.start))
		at[off]()
		synctest.Wait()
	}
	time.Sleep(d - time.Since(r.start))
	cancel()
	<-done
	synctest.Wait()
}

// titles lists the items of each batch that carried any (status-only
// batches left out).
func (r *pushRig) titles() [][]string {
	var out [][]string
	for _, b := range r.batches {
		if len(b.Items) == 0 {
			continue
		}
		var ts []string
		for _, it := range b.Items {
			ts = append(ts, it.Title)
		}
		out = append(out, ts)
	}
	return out
}

func withHub(fr *fetchResult) *fetchResult {
	fr.Links = Links{Hubs: []string{"https://hub.example/"}, Self: pushFeed}
	return fr
}

// A pushed item travels the poll's path — parsed, handed over as a batch,
// acked — and while pushes arrive the feed is polled only every
// relaxed interval; when they stop, its own interval returns at once.
func TestAPushIsDeliveredLikeAPollAndRelaxesPolling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newPushRig(t, func(n int) *fetchResult {
			if n == 1 {
				return withHub(ok200(rssDoc("Pushed", "a", "b"), `"v1"`))
			}
			return withHub(&fetchResult{Status: http.StatusNotModified})
		})
		push := func(body []byte) func() {
			return func() {
				if err := r.p.Push(t.Context(), pushFeed, "application/rss+xml", body); err != nil {
					t.Errorf("Push: %v", err)
				}
			}
		}
		r.run(t, 100*time.Minute, map[time.Duration]func(){
			2 * time.Minute:  push(rssDoc("Pushed", "c", "a", "b")),
			5 * time.Minute:  push(rssDoc("Pushed", "d")), // a hub may send only the new entry
			40 * time.Minute: func() { r.p.PushStopped(pushFeed) },
		})
		want := [][]string{{"Story a", "Story b"}, {"Story c"}, {"Story d"}}
		if got := r.titles(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("batches %v, want %v", got, want)
		}
		// Undated items: normally 10m, then 15m... Pushes at 2m and 5m
		// defer the 10m poll to 60m after the last poll; the stop at 40m
		// brings it back at once (its 10m has long passed), then 15m.
		wantPolls := []time.Duration{0, 40 * time.Minute, 55 * time.Minute}
		if len(r.polls) < 3 || !slices.Equal(r.polls[:3], wantPolls) {
			t.Errorf("polls at %v, want %v first", r.polls, wantPolls)
		}
		if got := testutil.ToFloat64(r.m.Pushes.WithLabelValues(PushNew)); got != 2 {
			t.Errorf("pushes new = %v", got)
		}
		r.w.mu.Lock()
		defer r.w.mu.Unlock()
		if len(r.w.links) == 0 || r.w.links[0].Hubs[0] != "https://hub.example/" || r.w.links[0].Self != pushFeed {
			t.Errorf("the hub watcher was told %+v", r.w.links)
		}
	})
}

// Items a push brought are not delivered again by the next poll, and
// items the push lacked are not mistaken for new.
func TestAPollAfterAPushDeliversOnlyWhatIsNew(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newPushRig(t, func(n int) *fetchResult {
			if n == 1 {
				return ok200(rssDoc("Pushed", "a", "b"), `"v1"`)
			}
			return ok200(rssDoc("Pushed", "e", "c", "a", "b"), `"v2"`)
		})
		r.run(t, 70*time.Minute, map[time.Duration]func(){
			time.Minute: func() { _ = r.p.Push(t.Context(), pushFeed, "", rssDoc("Pushed", "c")) },
		})
		want := [][]string{{"Story a", "Story b"}, {"Story c"}, {"Story e"}}
		if got := r.titles(); len(got) < 3 || !slices.EqualFunc(got[:3], want, slices.Equal) {
			t.Fatalf("batches %v, want %v", got, want)
		}
		if len(r.polls) < 2 || r.polls[1] != time.Hour {
			t.Errorf("polls at %v: want the second at 60m, relaxed by the push", r.polls)
		}
		if got := testutil.ToFloat64(r.m.Gaps); got != 0 {
			t.Errorf("gaps = %v: a push must not make a poll look like a roll-over", got)
		}
	})
}

func TestAPushThatIsNotAFeedIsDroppedAndDoesNotRelaxPolling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newPushRig(t, func(n int) *fetchResult { return ok200(rssDoc("Pushed", "a"), `"v1"`) })
		r.run(t, 25*time.Minute, map[time.Duration]func(){
			time.Minute: func() { _ = r.p.Push(t.Context(), pushFeed, "text/html", []byte("<html>hub error page</html>")) },
		})
		if got := testutil.ToFloat64(r.m.Pushes.WithLabelValues(PushError)); got != 1 {
			t.Errorf("push errors = %v", got)
		}
		if len(r.batches) != 1 || len(r.polls) < 2 || r.polls[1] != 10*time.Minute {
			t.Errorf("batches %d, polls %v: want one batch and the normal 10m schedule", len(r.batches), r.polls)
		}
	})
}

func TestPushRefusesUnknownFeedsAndAFullQueue(t *testing.T) {
	p, err := NewPoller(schedCfg(), []Spec{{URL: pushFeed}}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.WatchHubs(&watcher{}, time.Hour) // push on: the feed takes pushes before its loop starts
	if err := p.Push(t.Context(), "https://other.example/rss", "", nil); !errors.Is(err, ErrUnknownFeed) {
		t.Errorf("unknown feed: %v", err)
	}
	for range pushQueue {
		if err := p.Push(t.Context(), pushFeed, "", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Push(t.Context(), pushFeed, "", []byte("x")); !errors.Is(err, ErrPushBusy) {
		t.Errorf("full queue: %v", err)
	}
}

// A push the poller cannot take is logged by the WebSub callback with its
// error: the feed is named there with its password as xxxxx.
func TestAPushErrorDoesNotSayAFeedURLsPassword(t *testing.T) {
	p, err := NewPoller(schedCfg(), []Spec{{URL: pushFeed}}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = p.Push(t.Context(), "https://user:s3cret@other.example/rss", "", nil)
	if !errors.Is(err, ErrUnknownFeed) || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("unknown feed: %v; want ErrUnknownFeed, the password as xxxxx", err)
	}
}

// With push off (no WatchHubs) a feed's loop has no inbox of its own —
// its channels were held by every idle feed — and Push turns every feed
// away, as a hub could not have been told of any.
func TestWithPushOffAFeedHasNoInbox(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	p, err := NewPoller(cfg, []Spec{{URL: pushFeed}}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	polled := make(chan struct{}, 1)
	p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
		select {
		case polled <- struct{}{}:
		default:
		}
		return &fetchResult{Status: http.StatusNotModified}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan record.Batch)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, out) }()
	select {
	case <-polled:
	case <-time.After(10 * time.Second):
		t.Fatal("the feed was not polled within 10 s")
	}
	if err := p.Push(ctx, pushFeed, "application/rss+xml", []byte("<rss/>")); !errors.Is(err, ErrUnknownFeed) {
		t.Errorf("Push with push off = %v, want ErrUnknownFeed", err)
	}
	p.PushStopped(pushFeed) // nothing to tell: must not block or panic
	if ib := p.inboxOf(pushFeed); ib != nil {
		t.Errorf("with push off the feed has an inbox %p", ib)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10 s of its cancel")
	}
}
