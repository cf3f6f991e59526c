package feed

import (
	"net/http"
	"testing"
	"time"
)

// A held host's feeds wait for its hold without a slot of the poller's
// unsent documents: with global_concurrency 1 (2 unsent slots) and four
// feeds on a host told to wait 2 s, a feed on another host is read on
// meanwhile. Before, each held feed waited holding an unsent slot: two of
// them took both, and no feed of any host was polled until the hold ended.
func TestHeldFeedsLeaveOtherHostsToBePolled(t *testing.T) {
	var busy, other arrivals
	a, told := tooManyOnceHost(t, "127.0.0.95", &busy)
	b := newServerOn(t, "127.0.0.96", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.add(time.Now())
		plainFeed(w, r)
	}))
	cfg := holdCfg("127.0.0.95", "127.0.0.96")
	cfg.GlobalConcurrency = 1
	specs := []Spec{{URL: a.URL + "/a1"}, {URL: a.URL + "/a2"}, {URL: a.URL + "/a3"}, {URL: a.URL + "/a4"}, {URL: b.URL + "/b"}}
	runUntil(t, cfg, specs, func() bool { return len(busy.times()) >= 2 })
	checkHeldFor2s(t, &busy, &other, told(), "the other host", "want it polled on (every 100 ms)")
}
