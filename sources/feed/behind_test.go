package feed

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestAPollerIsBehindWhenMostPollsStartLateOrSomeDoAndStoriesAreLost(t *testing.T) {
	for _, c := range []struct {
		name string
		b    Behind
		want bool
	}{
		{"no polls", Behind{}, false},
		{"every poll on time", Behind{Polls: 100}, false},
		{"half the polls late", Behind{Polls: 100, Late: 50}, true},
		{"a few late polls and no dated gap", Behind{Polls: 100, Late: 20, Gaps: 3}, false},
		{"a tenth late with dated gaps", Behind{Polls: 100, Late: 10, Gaps: 4, DatedGaps: 2}, true},
		{"two late polls of three: one slow host, not the poller", Behind{Polls: 3, Late: 2, DatedGaps: 1}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.b.IsBehind(); got != c.want {
				t.Errorf("IsBehind() = %v, want %v", got, c.want)
			}
		})
	}
}

func TestTheWindowCountsTheLastMinutesLatePollsAndGaps(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	w := behindWindow{started: t0.Add(-time.Hour)}
	w.polled(t0.Add(-2*time.Minute), time.Hour, 0, time.Minute)               // before the window: not read
	w.polled(t0, 0, 0, time.Minute)                                           // on time
	w.polled(t0.Add(time.Second), 10*time.Second, 0, time.Minute)             // a sixth of its interval: not late
	w.polled(t0.Add(2*time.Second), 20*time.Second, 0, time.Minute)           // a third: late
	w.polled(t0.Add(30*time.Second), 90*time.Second, 0, time.Minute)          // late
	w.polled(t0.Add(33*time.Second), 5*time.Second, time.Minute, time.Minute) // late for its host's queue alone
	w.gap(t0.Add(31*time.Second), true)                                       // a dated gap
	w.gap(t0.Add(32*time.Second), false)                                      // a gap
	b := w.read(t0.Add(40 * time.Second))
	want := Behind{Window: time.Minute, Polls: 5, Late: 2, HostQueued: 1, MeanLag: 25 * time.Second, MaxLag: 90 * time.Second, Gaps: 2, DatedGaps: 1}
	if b != want {
		t.Errorf("read %+v,\nwant %+v", b, want)
	}
	if b := w.read(t0.Add(2 * time.Minute)); b.Polls != 0 || b.Gaps != 0 {
		t.Errorf("a minute later the window holds %+v, want nothing", b)
	}
	// A poll counted after a newer slice opened goes into that slice,
	// and leaves what it holds.
	w.polled(t0.Add(9*time.Second), 0, 0, time.Minute)
	if b := w.read(t0.Add(40 * time.Second)); b.Polls != 6 || b.Late != 2 {
		t.Errorf("after a late-counted poll the window holds %+v, want 6 polls, 2 late", b)
	}
}

// pacedPoller is a poller over n feeds (their URLs urlf of 0…n-1) polled
// every interval, with global slots and its own metrics and log.
func pacedPoller(t *testing.T, interval time.Duration, global, n int, urlf string) (*Poller, *Metrics, *testkit.LockedBuffer) {
	t.Helper()
	cfg := schedCfg()
	cfg.MinInterval, cfg.MaxInterval, cfg.DefaultInterval = interval, interval, interval
	cfg.StartSpread = time.Second
	if global > 0 {
		cfg.GlobalConcurrency = global
	}
	specs := make([]Spec, n)
	for f := range specs {
		specs[f] = Spec{URL: fmt.Sprintf(urlf, f)}
	}
	out := new(testkit.LockedBuffer)
	m := NewMetrics(nil)
	p, err := NewPoller(cfg, specs, newMemStore(), nil, slog.New(slog.NewTextHandler(out, nil)), m)
	if err != nil {
		t.Fatal(err)
	}
	return p, m, out
}

// runBehind runs a poller over 40 feeds polled every second, each
// publishing a new document every second, its pipeline taking perBatch
// of the bubble's clock a batch, for a minute and a half; idle after it
// stopped, it returns the poller's gauge, its Behind and its log.
func runBehind(t *testing.T, perBatch, idle time.Duration) (gauge float64, b Behind, log string) {
	synctest.Test(t, func(t *testing.T) {
		p, m, out := pacedPoller(t, time.Second, 2, 40, "https://f%d.example/rss")
		start := time.Now()
		p.fetch = func(_ context.Context, req fetchRequest) (*fetchResult, error) {
			n := int(time.Since(start) / time.Second)
			items := make([]string, 0, 5)
			for i := range 5 {
				seq := strconv.Itoa(n*5 + i)
				items = append(items, dated(req.URL+"#"+seq, start.Add(time.Duration(n)*time.Second)))
			}
			return ok200(rssDoc("F", items...), strconv.Itoa(n)), nil
		}
		runPoller(p, 90*time.Second, func(record.Batch) (bool, error) {
			time.Sleep(perBatch)
			return true, nil
		})
		time.Sleep(idle)
		gauge, b, log = testutil.ToFloat64(m.Behind), p.Behind(), out.String()
	})
	return gauge, b, log
}

// A poller whose pipeline takes a batch in 100 ms cannot poll 40 feeds
// a second: its polls start late, feeds show gaps, and the gauge, Behind
// and a warning naming the fix say so.
func TestAPollerWhosePipelineCannotKeepUpSaysItIsBehind(t *testing.T) {
	gauge, b, log := runBehind(t, 100*time.Millisecond, 0)
	if gauge != 1 {
		t.Errorf("wirestream_feed_poller_behind = %v, want 1", gauge)
	}
	if !b.IsBehind() || b.DatedGaps == 0 {
		t.Errorf("Behind() = %+v: want behind, with dated gaps", b)
	}
	if n := strings.Count(log, "the poller is behind its feeds' schedules"); n != 1 {
		t.Errorf("the log warns %d times in 90 s, want once (every %v at most):\n%s", n, behindWarnEvery, log)
	}
	if !strings.Contains(log, "add fetchers") || !strings.Contains(log, "dated_gaps=") {
		t.Errorf("the warning does not name the fix and the gaps:\n%s", log)
	}
}

// The same poller with a pipeline that keeps up is not behind.
func TestAPollerThatKeepsUpIsNotBehind(t *testing.T) {
	gauge, b, log := runBehind(t, time.Millisecond, 0)
	if gauge != 0 || b.IsBehind() {
		t.Errorf("gauge %v, Behind() = %+v: want not behind", gauge, b)
	}
	if strings.Contains(log, "the poller is behind") {
		t.Errorf("the log warns of a poller that keeps up:\n%s", log)
	}
}

// A poller that stopped polling — its feeds reassigned to another
// fetcher, or every slot held by a pipeline that takes nothing — has no
// poll to set the gauge with: the gauge says what /status says, the last
// minute's verdict, not the one of the last poll that opened a slice.
func TestThePollerBehindGaugeFollowsTheWindowWhenPollsStop(t *testing.T) {
	gauge, b, _ := runBehind(t, 100*time.Millisecond, 2*time.Minute)
	if b.IsBehind() || b.Polls != 0 {
		t.Fatalf("Behind() = %+v two idle minutes after the poller stopped: want no polls, not behind", b)
	}
	if gauge != 0 {
		t.Errorf("wirestream_feed_poller_behind = %v two idle minutes after the poller stopped, /status not behind: want 0", gauge)
	}
}
