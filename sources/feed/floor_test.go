package feed

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// poller.min_interval is the floor of every feed's polls: a feed's own
// min_interval may raise it, never lower it, and a max_interval below it
// polls at the floor. BelowFloor names each key set under it.
func TestAFeedsIntervalsOnlyRaiseThePollersFloor(t *testing.T) {
	cfg := DefaultConfig() // min_interval 1m, max_interval 1h
	u := "https://a.example/rss"
	cases := []struct {
		name           string
		spec           Spec
		lo, hi         time.Duration
		belowFloorKeys []string
	}{
		{"no intervals of its own", Spec{URL: u}, time.Minute, time.Hour, nil},
		{"a min_interval above the floor raises it", Spec{URL: u, MinInterval: 5 * time.Minute}, 5 * time.Minute, time.Hour, nil},
		{"a min_interval of 1ms stays at the floor", Spec{URL: u, MinInterval: time.Millisecond}, time.Minute, time.Hour, []string{"min_interval"}},
		{"a min_interval just below the floor stays at it", Spec{URL: u, MinInterval: 59 * time.Second}, time.Minute, time.Hour, []string{"min_interval"}},
		{"both below the floor poll at the floor", Spec{URL: u, MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond}, time.Minute, time.Minute, []string{"min_interval", "max_interval"}},
		{"a max_interval below the floor polls at the floor", Spec{URL: u, MaxInterval: 30 * time.Second}, time.Minute, time.Minute, []string{"max_interval"}},
		{"a max_interval at the floor is allowed", Spec{URL: u, MaxInterval: time.Minute}, time.Minute, time.Minute, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := cfg.bounds(tc.spec)
			if lo != tc.lo || hi != tc.hi {
				t.Errorf("bounds = %s..%s, want %s..%s", lo, hi, tc.lo, tc.hi)
			}
			err := cfg.BelowFloor(tc.spec)
			if len(tc.belowFloorKeys) == 0 {
				if err != nil {
					t.Errorf("BelowFloor = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("BelowFloor = nil, want %v named", tc.belowFloorKeys)
			}
			for _, k := range tc.belowFloorKeys {
				if want := "feeds[" + u + "]." + k + ": "; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "below poller.min_interval (1m0s)") {
					t.Errorf("BelowFloor = %q, want it to name %q and the floor", err, want)
				}
			}
		})
	}
}

// A feed the shared list hands a fetcher with min_interval 1ms (someone
// ran `feeds add --kafka --min-interval 1ms` against another floor, or
// wrote the topic by hand) is polled at this fetcher's floor, not every
// millisecond, and the fetcher says so naming the feed and the key.
func TestAnAssignedFeedBelowTheFloorIsPolledAtTheFloorWithAWarning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startAssignRun(t, nil) // floor 1m; every poll brings a new item, so polls come at the lower bound
		hammer := Spec{URL: "https://hammer.example/rss", MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond}
		r.assign.ch <- []Spec{hammer}
		time.Sleep(10*time.Minute + time.Second)
		r.stop()
		synctest.Wait()
		at := r.times(hammer.URL)
		if len(at) < 2 || len(at) > 11 {
			t.Fatalf("feed polled %d times in 10 minutes, want at most 11 (once a minute) and more than one", len(at))
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < time.Minute {
				t.Errorf("poll %d came %s after the one before, under the 1m floor", i+1, gap)
			}
		}
		logs := r.logs.String()
		for _, want := range []string{"level=WARN", "feed_url=https://hammer.example/rss", "min_interval: 1ms is below poller.min_interval (1m0s)", "max_interval: 2ms is below"} {
			if !strings.Contains(logs, want) {
				t.Errorf("poller log lacks %q:\n%s", want, logs)
			}
		}
	})
}
