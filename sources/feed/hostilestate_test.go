package feed

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// countingClock counts the backoff's reads of the time: one a NextBackOff.
type countingClock struct{ n int }

func (c *countingClock) Now() time.Time { c.n++; return time.Now() }

// hostileLoop is a loop of a feed whose saved state is st, as a damaged
// or foreign feed_state record (or a host whose clock ran far ahead) can
// leave it.
func hostileLoop(t *testing.T, cfg Config, st feedState) *loop {
	t.Helper()
	spec := Spec{URL: "https://hostile40.example/rss"}
	store := newMemStore()
	data, err := st.encode()
	if err != nil {
		t.Fatal(err)
	}
	store.data[spec.URL] = data
	p, err := NewPoller(cfg, []Spec{spec}, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.fetcher.close)
	return p.newLoop(spec, nil)
}

// A saved state's failure count resumes the feed's backoff (begin), one
// step a failure: past the steps that take it to backoff_max a step
// changes nothing, so a count of millions (a state no feed lives to write
// at one failure a backoff_max) costs those steps, not millions.
func TestManySavedFailuresResumeTheBackoffInBoundedSteps(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BackoffJitter = 0
	l := hostileLoop(t, cfg, feedState{V: stateVersion, Failures: 1_000_000, Health: record.HealthFailing})
	const mostSteps = 64 // a doubling each: past any ratio of backoff_max to backoff_initial
	clock := &countingClock{}
	l.bo = l.p.newBackoff()
	l.bo.Clock = clock
	l.begin()
	if clock.n > mostSteps {
		t.Errorf("resuming 1,000,000 failures took %d backoff steps, want at most %d", clock.n, mostSteps)
	}
	if d := l.bo.NextBackOff(); d != cfg.BackoffMax {
		t.Errorf("the resumed backoff's next delay is %v, want backoff_max %v", d, cfg.BackoffMax)
	}
}

// A saved next poll further ahead than any plan the poller makes (a host
// whose clock ran a year ahead, a damaged record) is not waited for: the
// feed is polled sooner. Before round 40 the restart
// kept it ("not sooner than planned") and the feed was not polled for
// the year. It is polled within twice the longest plan (room for a
// writer whose clock ran ahead less); a plan within the bound is kept.
func TestAFarFutureNextPollIsNotWaitedFor(t *testing.T) {
	cfg := DefaultConfig()
	longest := max(cfg.MaxInterval, cfg.GoneInterval, cfg.BackoffMax, cfg.MaxRetryAfter)
	for _, c := range []struct {
		ahead time.Duration
		most  time.Duration
	}{
		{365 * 24 * time.Hour, 2 * longest},
		{longest / 2, longest / 2},
	} {
		planned := time.Now().Add(c.ahead)
		l := hostileLoop(t, cfg, feedState{V: stateVersion, NextPoll: planned})
		before := time.Now()
		l.start()
		if wait := l.due.Sub(before); wait > c.most+time.Minute {
			t.Errorf("a next poll %v ahead: the feed waits %v, want at most %v", c.ahead, wait, c.most)
		}
		if c.ahead < 2*longest && l.due.Before(planned.Add(-time.Second)) {
			t.Errorf("a next poll %v ahead, within the longest plan: the feed is polled sooner, at %v", c.ahead, l.due.Sub(before))
		}
	}
}
