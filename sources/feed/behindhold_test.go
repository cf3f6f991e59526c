package feed

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A host that answers 429 with a Retry-After holds its feeds' polls back
// for as long as it asks: that wait is the host's politeness, not a
// poller the CPU or the pipeline cannot keep up with. Counted as lag, a
// single host's 429 made /status and the gauge say "behind: add
// fetchers" with every other poll on time.
func TestAHostsHoldBackDoesNotMakeThePollerBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, m, out := pacedPoller(t, time.Minute, 0, 12, "https://held.example/rss%d")
		var asked atomic.Int64
		p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
			if asked.Add(1) == 1 {
				return nil, &fetchError{Class: Class4xx, Status: 429, RetryAfter: 5 * time.Minute, URL: req.URL, Err: errTestHTTP}
			}
			return ok200(rssDoc("F", req.URL+"#a", req.URL+"#b"), "v1"), nil
		}
		var b Behind
		runPoller(p, 5*time.Minute+30*time.Second, func(record.Batch) (bool, error) {
			if b2 := p.Behind(); b2.Polls > b.Polls {
				b = b2
			}
			return true, nil
		})
		if b.Polls == 0 {
			t.Fatalf("no poll after the hold was counted: %+v\n%s", b, out.String())
		}
		if b.Late > 0 || b.IsBehind() || testutil.ToFloat64(m.Behind) != 0 {
			t.Errorf("after a 429's hold back Behind() = %+v, gauge %v: want no late poll, not behind", b, testutil.ToFloat64(m.Behind))
		}
		if strings.Contains(out.String(), "the poller is behind") {
			t.Errorf("the log says the poller is behind after a host's hold back:\n%s", out.String())
		}
	})
}

// A host whose per_host_concurrency slots are all taken queues its
// other feeds' polls: with one slot and a slow server, 12 feeds every
// 10 s need 36 s of the host a 10 s, and every poll of theirs starts
// late. That queue is the host's politeness limit, which the config
// sets, not a poller whose CPU or pipeline cannot keep up: counted as
// the poller's lag, /status and wirestream_feed_poller_behind said "the
// CPU … cannot keep up: add fetchers" with 63 of 64 global slots free.
// Behind still says how many polls the host's queue made late.
func TestAHostsPerHostLimitAloneDoesNotMakeThePollerBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, m, out := pacedPoller(t, 10*time.Second, 0, 12, "https://busy.example/rss%d")
		p.cfg.PerHostConcurrency = 1
		p.limits.perHost = 1
		p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
			time.Sleep(3 * time.Second) // a slow server: the host's slot is held meanwhile
			return ok200(rssDoc("F", req.URL+"#a", req.URL+"#b"), "v1"), nil
		}
		var b Behind
		runPoller(p, 90*time.Second, func(record.Batch) (bool, error) {
			if b2 := p.Behind(); b2.Polls > b.Polls {
				b = b2
			}
			return true, nil
		})
		if b.HostQueued < behindLate {
			t.Fatalf("the host's queue made %d polls late, want at least %d: the test no longer queues them: %+v", b.HostQueued, behindLate, b)
		}
		if b.Late > 0 || b.IsBehind() || testutil.ToFloat64(m.Behind) != 0 {
			t.Errorf("with only a host's per-host limit queueing polls Behind() = %+v, gauge %v: want no late poll, not behind", b, testutil.ToFloat64(m.Behind))
		}
		if strings.Contains(out.String(), "the poller is behind") {
			t.Errorf("the log says the poller is behind when only a host's limit queues polls:\n%s", out.String())
		}
	})
}
