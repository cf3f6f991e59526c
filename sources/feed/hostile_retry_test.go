package feed

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// A publisher's Retry-After, whatever it says, neither makes the poller
// hammer it nor silences the feed for longer than poller.max_retry_after:
// an absurd number of seconds or a date centuries ahead waits the
// ceiling; zero, a negative number, a date in the past or text that is no
// value fall back to the exponential backoff (1m, 2m, 4m… from
// backoff_initial), never to an immediate retry.
func TestRetryAfterOfAnyValueBacksOffWithinItsBounds(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	backoff := []time.Duration{0, time.Minute, 3 * time.Minute, 7 * time.Minute, 15 * time.Minute, 31 * time.Minute, 63 * time.Minute}
	ceiling := []time.Duration{0, cfg.MaxRetryAfter, 2 * cfg.MaxRetryAfter, 3 * cfg.MaxRetryAfter}
	cases := []struct {
		name, retryAfter string
		status           int
		want             []time.Duration // the polls' offsets from the start
	}{
		{"absurd seconds", "99999999999", http.StatusTooManyRequests, ceiling},
		{"seconds past int64", "99999999999999999999999", http.StatusServiceUnavailable, backoff},
		{"a date in year 9999", "Fri, 31 Dec 9999 23:59:59 GMT", http.StatusServiceUnavailable, ceiling},
		{"zero", "0", http.StatusServiceUnavailable, backoff},
		{"negative", "-120", http.StatusTooManyRequests, backoff},
		{"a date in the past", "Sun, 06 Nov 1994 08:49:37 GMT", http.StatusTooManyRequests, backoff},
		{"text", "in a little while", http.StatusTooManyRequests, backoff},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			last := c.want[len(c.want)-1]
			s := &script{cfg: cfg, spec: Spec{URL: "https://busy.example/rss"}, run: last + time.Second,
				respond: func(n int, req fetchRequest) (*fetchResult, error) {
					return nil, &fetchError{Class: Class4xx, Status: c.status, URL: req.URL, Err: errTestHTTP,
						RetryAfter: RetryAfter(c.retryAfter, time.Now())}
				}}
			s.play(t)
			if !slices.Equal(s.polls, c.want) {
				t.Fatalf("Retry-After %q: polls at %v, want %v", c.retryAfter, s.polls, c.want)
			}
		})
	}
}
