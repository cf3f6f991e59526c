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
