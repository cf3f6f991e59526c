package feed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// script runs one feed through the real loop under testing/synctest: the
// HTTP layer is replaced by respond, time is the bubble's fake clock, and
// every poll's time offset and request are recorded.
type script struct {
	cfg     Config
	spec    Spec
	store   *memStore
	respond func(n int, req fetchRequest) (*fetchResult, error)
	// commit decides whether the consumer acks batch n at all (default:
	// yes), fail what error it acks it with (default: nil, success).
	commit func(n int) bool
	fail   func(n int) error
	run    time.Duration

	polls   []time.Duration
	reqs    []fetchRequest
	batches []record.Batch
	m       *Metrics
	log     *slog.Logger // nil: discarded
}

func (s *script) play(t *testing.T) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if s.store == nil {
			s.store = newMemStore()
		}
		s.m = NewMetrics(nil)
		p, err := NewPoller(s.cfg, []Spec{s.spec}, s.store, nil, s.log, s.m)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
			mu.Lock()
			defer mu.Unlock()
			s.polls = append(s.polls, time.Since(start))
			s.reqs = append(s.reqs, req)
			return s.respond(len(s.polls), req)
		}
		runPoller(p, s.run, func(b record.Batch) (bool, error) {
			s.batches = append(s.batches, b)
			if s.commit != nil && !s.commit(len(s.batches)) {
				return false, nil
			}
			if s.fail != nil {
				return true, s.fail(len(s.batches))
			}
			return true, nil
		})
	})
}

// runPoller runs p for d of the bubble's clock, handing every batch to
// handle on one goroutine and acking it with handle's error when handle
// says to; then stops p and waits for every goroutine of the bubble.
func runPoller(p *Poller, d time.Duration, handle func(record.Batch) (ack bool, err error)) {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan record.Batch)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx, out)
	}()
	go func() {
		for {
			select {
			case b := <-out:
				if ack, err := handle(b); ack {
					b.Ack(ctx, err)
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	time.Sleep(d)
	cancel()
	<-done
	synctest.Wait()
}

func ok200(body []byte, etag string) *fetchResult {
	return &fetchResult{Status: 200, Body: body, ETag: etag, ContentType: "application/rss+xml"}
}

func schedCfg() Config {
	cfg := DefaultConfig()
	cfg.BackoffJitter = 0 // exact times below
	return cfg
}

func TestLoopStartsAtOnceAndSendsValidators(t *testing.T) {
	spec := Spec{URL: "https://news.example/rss", Name: "Example News", Tags: []string{"world"}}
	s := &script{cfg: schedCfg(), spec: spec, run: 40 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			if n == 1 {
				return ok200(rssDoc("Example", "a", "b"), `"v1"`), nil
			}
			return &fetchResult{Status: http.StatusNotModified}, nil
		}}
	s.play(t)
	var off time.Duration // alone on its host: at once (firstPolls)
	// Undated items: the default 10m, then ×1.5 per poll without news.
	want := []time.Duration{off, off + 10*time.Minute, off + 25*time.Minute}
	if len(s.polls) < 3 || !slices.Equal(s.polls[:3], want) {
		t.Fatalf("polls at %v, want %v", s.polls, want)
	}
	if s.reqs[0].ETag != "" || s.reqs[1].ETag != `"v1"` || s.reqs[2].ETag != `"v1"` {
		t.Errorf("ETags sent: %q %q %q", s.reqs[0].ETag, s.reqs[1].ETag, s.reqs[2].ETag)
	}
	if len(s.batches) != 1 {
		t.Fatalf("got %d batches, want 1 (304s yield nothing)", len(s.batches))
	}
	b := s.batches[0]
	if len(b.Items) != 2 || b.Status == nil || b.Status.Health != record.HealthOK || b.Items[0].Feed.Title != "Example News" || b.Items[0].Feed.Tags[0] != "world" {
		t.Fatalf("batch = %+v", b)
	}
	if st := s.store.state(spec.URL); st.ETag != `"v1"` || len(st.Seen) != 2 {
		t.Errorf("saved state %+v", st)
	}
}

func TestLoopHonoursRetryAfterBacksOffAndRecoversAtOnce(t *testing.T) {
	spec := Spec{URL: "https://flaky.example/rss"}
	cfg := schedCfg()
	cfg.StartSpread = 0
	s := &script{cfg: cfg, spec: spec, run: 50 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			switch n {
			case 1:
				return nil, &fetchError{Class: Class4xx, Status: 429, RetryAfter: 30 * time.Minute, URL: req.URL, Err: errTestHTTP}
			case 2, 3:
				return nil, &fetchError{Class: Class5xx, Status: 500, URL: req.URL, Err: errTestHTTP}
			}
			return ok200(rssDoc("Flaky", "x"), ""), nil
		}}
	s.play(t)
	// 429 → Retry-After 30m (longer than the 1m backoff); 500 → 2m; 500 → 4m; then OK.
	want := []time.Duration{0, 30 * time.Minute, 32 * time.Minute, 36 * time.Minute}
	if len(s.polls) < 4 || !slices.Equal(s.polls[:4], want) {
		t.Fatalf("polls at %v, want %v", s.polls, want)
	}
	var health []record.Health
	for _, b := range s.batches {
		if b.Status != nil {
			health = append(health, b.Status.Health)
		}
	}
	wantHealth := []record.Health{record.HealthDegraded, record.HealthDegraded, record.HealthFailing, record.HealthOK}
	if !slices.Equal(health, wantHealth) {
		t.Fatalf("health sequence %v, want %v", health, wantHealth)
	}
	last := s.batches[len(s.batches)-1]
	if len(last.Items) != 1 || last.Status.ConsecutiveFailures != 0 || last.Status.LastSuccess == nil {
		t.Errorf("recovery batch = %+v", last.Status)
	}
	if got := testutil.ToFloat64(s.m.Errors.WithLabelValues(Class5xx)); got != 2 {
		t.Errorf("http_5xx errors = %v", got)
	}
}

func TestLoopIntervalFollowsPublishRateAndHints(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	cases := []struct {
		name    string
		doc     func(now time.Time) []byte
		headers time.Duration // Cache-Control max-age
		want    time.Duration
	}{
		{"ten items over 100 minutes poll every 10 minutes", func(now time.Time) []byte {
			var items []string
			for i := range 10 {
				items = append(items, dated(string(rune('a'+i)), now.Add(-time.Duration(10*(i+1))*time.Minute)))
			}
			return rssDoc("Busy", items...)
		}, 0, 10 * time.Minute},
		{"a quiet feed is polled at the maximum", func(now time.Time) []byte {
			return rssDoc("Quiet", dated("q", now.Add(-72*time.Hour)))
		}, 0, time.Hour},
		{"a very busy feed is clamped to the minimum", func(now time.Time) []byte {
			var items []string
			for i := range 20 {
				items = append(items, dated(string(rune('a'+i)), now.Add(-time.Duration(i+1)*time.Second)))
			}
			return rssDoc("Wire", items...)
		}, 0, time.Minute},
		{"Cache-Control max-age is a floor", func(now time.Time) []byte {
			return rssDoc("Cached", dated("c1", now.Add(-2*time.Minute)), dated("c2", now.Add(-4*time.Minute)))
		}, 20 * time.Minute, 20 * time.Minute},
		{"an RSS ttl is a floor", func(now time.Time) []byte {
			b := rssDoc("TTL", dated("t1", now.Add(-2*time.Minute)), dated("t2", now.Add(-4*time.Minute)))
			return []byte(string(b[:len(b)-len("</channel></rss>")]) + "<ttl>45</ttl></channel></rss>")
		}, 0, 45 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &script{cfg: cfg, spec: Spec{URL: "https://rate.example/rss"}, run: 2 * time.Hour,
				respond: func(n int, req fetchRequest) (*fetchResult, error) {
					if n == 1 {
						r := ok200(c.doc(time.Now()), "")
						r.CacheFor = c.headers
						return r, nil
					}
					return &fetchResult{Status: http.StatusNotModified}, nil
				}}
			s.play(t)
			if len(s.polls) < 2 || s.polls[1]-s.polls[0] != c.want {
				t.Fatalf("polls at %v, want the second %s after the first", s.polls, c.want)
			}
		})
	}
}

func TestLoopGapPollsSooner(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	s := &script{cfg: cfg, spec: Spec{URL: "https://gap.example/rss"}, run: 15 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			if n == 1 {
				return ok200(rssDoc("Gap", "a", "b"), ""), nil
			}
			return ok200(rssDoc("Gap", string(rune('a'+2*n)), string(rune('b'+2*n))), ""), nil
		}}
	s.play(t)
	// First: undated default 10m. Second: all new → gap → minimum 1m.
	if len(s.polls) < 3 || s.polls[1] != 10*time.Minute || s.polls[2] != 11*time.Minute {
		t.Fatalf("polls at %v", s.polls)
	}
	if got := testutil.ToFloat64(s.m.Gaps); got < 1 {
		t.Errorf("gaps = %v", got)
	}
}

func TestLoopWaitsForCommitAndRollsBackWithout(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.CommitTimeout = 30 * time.Minute
	s := &script{cfg: cfg, spec: Spec{URL: "https://slowsink.example/rss"}, run: 50 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			return ok200(rssDoc("Sink", "a", "b"), `"e1"`), nil
		},
		commit: func(n int) bool { return n > 1 }, // the first batch is never committed
	}
	s.play(t)
	// Poll 1 at 0; its batch is not committed, so nothing happens until the
	// commit timeout (30m) rolls back; poll 2 is then due at once (its
	// 10m interval has passed) and is unconditional; its batch commits.
	if len(s.polls) < 2 || s.polls[1] != 30*time.Minute {
		t.Fatalf("polls at %v, want the second at 30m", s.polls)
	}
	if s.reqs[1].ETag != "" {
		t.Errorf("rolled-back poll sent ETag %q", s.reqs[1].ETag)
	}
	if len(s.batches) < 2 || len(s.batches[1].Items) != 2 {
		t.Fatalf("the items were not offered again: %d batches", len(s.batches))
	}
	if len(s.polls) >= 3 && s.reqs[2].ETag != `"e1"` {
		t.Errorf("after commit, ETag sent = %q", s.reqs[2].ETag)
	}
	if got := testutil.ToFloat64(s.m.CommitTimeouts); got != 1 {
		t.Errorf("commit timeouts = %v", got)
	}
}

// A batch the pipeline fails (a write Kafka refused, state that could not
// be committed) reaches the loop at once through its ack: the feed is
// read again after the retry backoff — 1m, then 2m, then 4m — not after
// commit_timeout, unconditionally, and its items are offered again. Once
// a batch is acked, the progress is saved and the backoff starts over.
func TestLoopRereadsAFailedBatchAfterItsBackoffNotItsCommitTimeout(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.CommitTimeout = 30 * time.Minute
	spec := Spec{URL: "https://brokendownstream.example/rss"}
	s := &script{cfg: cfg, spec: spec, run: 20 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			return ok200(rssDoc("Downstream", "a", "b"), `"e1"`), nil
		},
		fail: func(n int) error {
			if n <= 3 {
				return errTestSink
			}
			return nil
		},
	}
	s.play(t)
	want := []time.Duration{0, time.Minute, 3 * time.Minute, 7 * time.Minute, 17 * time.Minute}
	if len(s.polls) < len(want) || !slices.Equal(s.polls[:len(want)], want) {
		t.Fatalf("polls at %v, want %v: re-reads after 1m, 2m and 4m of backoff, then the normal 10m", s.polls, want)
	}
	for i, req := range s.reqs[:4] {
		if req.ETag != "" {
			t.Errorf("poll %d after a failed batch sent ETag %q: a 304 would hide the items", i+1, req.ETag)
		}
	}
	if s.reqs[4].ETag != `"e1"` {
		t.Errorf("poll after the acked batch sent ETag %q, want the saved \"e1\"", s.reqs[4].ETag)
	}
	for i, b := range s.batches[:4] {
		if len(b.Items) != 2 {
			t.Errorf("batch %d offered %d items, want both again", i+1, len(b.Items))
		}
	}
	if got := testutil.ToFloat64(s.m.BatchesFailed); got != 3 {
		t.Errorf("failed batches = %v, want 3", got)
	}
	if got := testutil.ToFloat64(s.m.CommitTimeouts); got != 0 {
		t.Errorf("commit timeouts = %v, want 0: the safety net was not needed", got)
	}
	if st := s.store.state(spec.URL); st.ETag != `"e1"` || len(st.Seen) != 2 {
		t.Errorf("saved state after the ack %+v", st)
	}
}

func TestLoopGoneAndRestart(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	store := newMemStore()
	s := &script{cfg: cfg, spec: Spec{URL: "https://gone.example/rss"}, store: store, run: 30 * time.Hour,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			return &fetchResult{Status: http.StatusGone}, nil
		}}
	s.play(t)
	if len(s.polls) != 2 || s.polls[1] != 24*time.Hour {
		t.Fatalf("polls at %v, want 0 and 24h", s.polls)
	}
	if st := s.batches[0].Status; st.Health != record.HealthGone || st.LastError != "fetch https://gone.example/rss: HTTP 410 Gone: the publisher removed this feed" {
		t.Fatalf("status %+v", s.batches[0].Status)
	}
	st := store.state("https://gone.example/rss")
	if st.Health != record.HealthGone || st.NextPoll.IsZero() {
		t.Fatalf("saved state %+v", st)
	}
	// A restart (a new bubble starts at the same fake instant) reads the
	// saved schedule and does not poll before it: 24h after the 24h poll.
	again := &script{cfg: cfg, spec: s.spec, store: store, run: 50 * time.Hour, respond: s.respond}
	again.play(t)
	if len(again.polls) == 0 || again.polls[0] != 48*time.Hour {
		t.Fatalf("after restart, polls at %v, want the first at 48h", again.polls)
	}
}

type testErr string

func (e testErr) Error() string { return string(e) }

const (
	errTestHTTP = testErr("scripted HTTP error")
	errTestSink = testErr("scripted sink error: not enough replicas")
)

func TestLoopReportsAPermanentMoveAndFetchesThere(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	spec := Spec{URL: "https://old.example/rss"}
	s := &script{cfg: cfg, spec: spec, run: 15 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			res := ok200(rssDoc("Moved", "a"), `"m1"`)
			if n == 1 {
				res.Moved, res.FinalURL = true, "https://new.example/feed.xml"
			}
			return res, nil
		}}
	s.play(t)
	if len(s.batches) == 0 || s.batches[0].Status == nil {
		t.Fatal("no feed_status after the first poll")
	}
	if got := s.batches[0].Status.MovedTo; got != "https://new.example/feed.xml" {
		t.Errorf("feed_status moved_to = %q, want the redirect target", got)
	}
	if got := s.batches[0].Status.FeedURL; got != spec.URL {
		t.Errorf("feed_status feed_url = %q, want the configured URL (the record's key)", got)
	}
	if len(s.reqs) < 2 || s.reqs[1].URL != "https://new.example/feed.xml" {
		t.Errorf("second poll fetched %v, want the new location", s.reqs)
	}
}

func TestLoopDoesNotWriteStateForEveryUnchangedPoll(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	cfg.MinInterval = time.Minute
	spec := Spec{URL: "https://quiet.example/rss", MaxInterval: time.Minute}
	s := &script{cfg: cfg, spec: spec, run: 60 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			if n == 1 {
				return ok200(rssDoc("Quiet", "a"), `"q1"`), nil
			}
			return &fetchResult{Status: http.StatusNotModified}, nil
		}}
	s.play(t)
	if len(s.polls) < 50 {
		t.Fatalf("only %d polls in an hour at a 1m interval", len(s.polls))
	}
	// One save for the first delivery, then one per scheduleSaveEvery at
	// most, not one per 304.
	if max := 1 + int(60*time.Minute/scheduleSaveEvery) + 1; s.store.saves > max {
		t.Errorf("%d state writes for %d polls that changed nothing but the schedule, want at most %d", s.store.saves, len(s.polls), max)
	}
	if st := s.store.state(spec.URL); st.ETag != `"q1"` || len(st.Seen) != 1 {
		t.Errorf("the delivered state was not kept: %+v", st)
	}
}

// A pipeline that falls behind must delay fetches, not let every feed's
// loop hold a parsed document: at most 2×global_concurrency polls may be
// fetching or waiting to hand over their items.
func TestPollerBoundsParsedDocumentsWaitingForThePipeline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := schedCfg()
		cfg.GlobalConcurrency = 5
		cfg.StartSpread = time.Second
		var specs []Spec
		for i := range 50 {
			specs = append(specs, Spec{URL: "https://busy.example/feed/" + string(rune('a'+i%26)) + string(rune('a'+i/26))})
		}
		p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, NewMetrics(nil))
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		fetches := 0
		p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
			mu.Lock()
			fetches++
			mu.Unlock()
			return ok200(rssDoc("Busy", "a", "b"), `"e"`), nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		out := make(chan record.Batch) // nobody reads: the pipeline is stuck
		done := make(chan struct{})
		go func() { defer close(done); p.Run(ctx, out) }()
		time.Sleep(time.Minute)
		synctest.Wait()
		mu.Lock()
		got := fetches
		mu.Unlock()
		if got != 2*cfg.GlobalConcurrency {
			t.Errorf("%d fetches while the pipeline took nothing, want exactly %d (2×global_concurrency)", got, 2*cfg.GlobalConcurrency)
		}
		// Once the pipeline reads again, the other feeds are polled.
		go func() {
			for b := range out {
				b.Ack(context.Background(), nil)
			}
		}()
		time.Sleep(time.Minute)
		synctest.Wait()
		mu.Lock()
		got = fetches
		mu.Unlock()
		if got < len(specs) {
			t.Errorf("only %d fetches after the pipeline resumed, want every one of the %d feeds polled", got, len(specs))
		}
		cancel()
		<-done
		close(out)
	})
}

// A batch the pipeline acks while the poller stops (it drains what it
// took) is saved under a context that is still live — the loop's own has
// ended, and a state log that gives up when its context ends would drop
// the save — and that ends with the drain, so that a save in a state-log
// outage does not hold the stop for longer.
func TestLoopSavesABatchAckedWhileStoppingWithinTheDrain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := schedCfg()
		cfg.StartSpread = 0
		cfg.DrainTimeout = 30 * time.Second
		store := newMemStore()
		start := time.Now()
		p, err := NewPoller(cfg, []Spec{{URL: "https://drain.example/rss"}}, store, nil, nil, NewMetrics(nil))
		if err != nil {
			t.Fatal(err)
		}
		p.fetch = func(ctx context.Context, req fetchRequest) (*fetchResult, error) {
			return ok200(rssDoc("Drain", "a", "b"), `"e1"`), nil
		}
		// The poller stops 1 s after handing the pipeline the batch,
		// which acks it 10 s into the drain.
		runPoller(p, time.Second, func(record.Batch) (bool, error) {
			time.Sleep(11 * time.Second)
			return true, nil
		})
		store.mu.Lock()
		defer store.mu.Unlock()
		if len(store.live) != 1 || !store.live[0] {
			t.Fatalf("saves under a live context: %v, want the acked batch's one save", store.live)
		}
		if st, _ := decodeState(store.data["https://drain.example/rss"]); st.ETag != `"e1"` {
			t.Errorf("saved ETag %q, want the acked poll's", st.ETag)
		}
		d, ok := store.ctxs[0].Deadline()
		if !ok {
			t.Fatal("the save during the drain has no deadline: a state-log outage would hold the stop")
		}
		if got := d.Sub(start); got != 31*time.Second {
			t.Errorf("the save's deadline is at %v, want the drain's end: drain_timeout (30 s) after the stop at 1 s", got)
		}
	})
}

// Every feed_status record names the feed list its poller polls
// (Config.FeedList, set by the daemon from the role), whatever the poll
// brought: `feeds status` compares the feed with that list alone.
func TestAFeedStatusNamesThePollersFeedList(t *testing.T) {
	cfg := schedCfg()
	cfg.FeedList = "topic wirestream.feeds"
	s := &script{cfg: cfg, spec: Spec{URL: "https://news.example/rss"}, run: 3 * time.Hour,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			if n == 2 {
				return nil, &fetchError{Class: Class5xx, Status: 503, Err: errors.New("HTTP 503")}
			}
			return ok200(rssDoc("Example", "a", fmt.Sprint(n)), ""), nil
		}}
	s.play(t)
	var n int
	for _, b := range s.batches {
		if b.Status == nil {
			continue
		}
		n++
		if b.Status.FeedList != cfg.FeedList {
			t.Errorf("a %s feed_status names the list %q, want %q", b.Status.Health, b.Status.FeedList, cfg.FeedList)
		}
	}
	if n < 2 {
		t.Errorf("%d feed_status records, want one of the success and one of the failure at least", n)
	}
}
