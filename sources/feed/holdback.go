package feed

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// holdBack is a host that answered 429 Too Many Requests, or 503 Service
// Unavailable with a Retry-After (hostBusy): no feed's request goes to
// it before until, whichever feed was answered. The requests it held go
// then in waves of per_host_concurrency spaced as the host's first polls
// are (waveGap), not all at once; a request that comes after until goes
// at once. A host held as down (hostdown.go) is one too.
// Retry-After and the backoff are a feed's own; without this, a host (a
// CDN many feeds redirect to, a publisher with many feeds) that asked one
// feed to wait kept hearing from all the others (BENCHMARKS, round 28).
type holdBack struct {
	until time.Time // no request before this
	wave  time.Time // when the latest wave of released requests goes
	n     int       // requests in that wave
	held  int       // requests given a place in the waves

	// A host down (hostdown.go): several of its feeds failed the same way.
	// After until one request goes, its probe; the rest wait for its
	// answer, not for a time.
	down    bool
	way     string        // how its feeds failed (downWay)
	step    time.Duration // the hold's length: doubles with each probe that fails
	prober  any           // the poll that probes (its *hostHold); nil: none sent
	probeBy time.Time     // a probe not answered by then is taken for lost: another goes
	wake    chan struct{} // closed when the hold ends or changes: its waiters ask again
}

// hostBusy reports whether a fetch's error is a host asking to be left
// alone for a while, and the Retry-After it sent (0: none): a 429, with
// or without Retry-After, or a 503 with one. A 503 without Retry-After
// says a server failed, often one feed's backend, not that the host wants
// fewer requests: held back host-wide, one feed's broken path answering
// 503 again at each of its retries kept all its host's other feeds from
// being read (TestPollerThousandFeedsOnLoopback: two 503 paths out of 100
// per host, none of the other 98 read twice in 90 s). Its feed backs off
// on its own, until hostDownFeeds of the host's feeds fail so (downWay).
func hostBusy(err error) (retryAfter time.Duration, busy bool) {
	var fe *fetchError
	if !errors.As(err, &fe) {
		return 0, false
	}
	switch {
	case fe.Status == http.StatusTooManyRequests:
		return fe.RetryAfter, true
	case fe.Status == http.StatusServiceUnavailable && fe.RetryAfter > 0:
		return fe.RetryAfter, true
	}
	return 0, false
}

// holdHost holds back every request to host until d from now; a hold
// already longer is kept. It reports whether the hold started or grew.
// A host held as down that asks to be left alone answered: its hold is
// the one it asks for.
func (l *limiter) holdHost(host string, d time.Duration) bool {
	until := time.Now().Add(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clearFailures(host)
	hb := l.held[host]
	if hb == nil {
		hb = &holdBack{}
		l.held[host] = hb
		l.nheld.Add(1)
	}
	if hb.down {
		hb.wakeWaiters()
		*hb = holdBack{}
	} else if !until.After(hb.until) {
		return false
	}
	hb.until, hb.wave, hb.n = until, time.Time{}, 0
	return true
}

// heldUntil is when a request to host may go: now, or a time its hold
// back gives this request (each caller gets its own place in the waves
// after the hold). ok is false when host is not held back. who is the
// poll asking (its *hostHold: a down host's probe is let go when it asks
// again); waited says it was told to wait by a hold that then changed.
// wake is nil when at is the request's place: it goes then without
// asking again. Otherwise the request waits for a down host's probe:
// until at, or until wake is closed, and asks again.
func (l *limiter) heldUntil(host string, now time.Time, who any, waited bool) (at time.Time, wake <-chan struct{}, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	hb := l.held[host]
	if hb == nil {
		return now, nil, false
	}
	if hb.down {
		return l.probeOrWait(hb, now, who)
	}
	if !now.Before(hb.until) && !waited {
		// A request that comes after the hold goes at once, beside the
		// waves of those it held: spacing every request after a hold
		// until the host's feeds asked for fewer than a wave a second
		// throttled a host whose feeds poll more often than that for
		// good, after a single 429. (A request that waited for a down
		// host's probe takes its place in the waves.)
		if !now.Before(hb.wave.Add(hostStartGap)) {
			delete(l.held, host) // its last wave a gap behind
			l.nheld.Add(-1)
		}
		return now, nil, false
	}
	if hb.wave.IsZero() {
		hb.wave = hb.until
	}
	hb.held++
	gap := l.waveGap(host, hb.held)
	if hb.n >= l.perHost || !now.Before(hb.wave.Add(gap)) {
		hb.wave, hb.n = later(now, hb.wave.Add(gap)), 0
	}
	hb.n++
	return hb.wave, nil, hb.wave.After(now)
}

// spaceWaves spaces the waves after a hold by how many feeds a host has
// (feedsOn) as first polls are within spread (waveGap).
func (l *limiter) spaceWaves(feedsOn func(host string) int, spread time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.feedsOn, l.spread = feedsOn, spread
}

// waveGap is how far apart the waves of requests a hold held go: as a
// cold start's first polls of the host, a second apart, or closer for a
// host with more waves than start_spread holds at that pace; held is how
// many it holds so far (a host the feeds reach through redirects has
// none of its own). A second apart whatever the host, 10,000 held feeds
// took 83 minutes to go again where their first polls took start_spread
// (10). l.mu is held.
func (l *limiter) waveGap(host string, held int) time.Duration {
	if l.feedsOn == nil {
		return hostStartGap
	}
	return waveGap(max(l.feedsOn(host), held), l.perHost, l.spread)
}

// waitHeld waits until host's hold back lets a request of who go, if it
// is held back; false when ctx ended first.
func (l *limiter) waitHeld(ctx context.Context, host string, who any) bool {
	if l.nheld.Load() == 0 {
		return true
	}
	for waited := false; ; waited = true {
		at, wake, held := l.heldUntil(host, time.Now(), who, waited)
		if !held {
			return true
		}
		if !waited && l.onHeld != nil {
			l.onHeld()
		}
		if !sleepUntil(ctx, at, wake) {
			return false
		}
		if wake == nil {
			return true // its place in the waves
		}
	}
}

// sleepUntil waits until at, or until wake is closed; false when ctx
// ended first.
func sleepUntil(ctx context.Context, at time.Time, wake <-chan struct{}) bool {
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
	case <-wake:
	case <-ctx.Done():
		return false
	}
	return true
}

// isHeld reports whether a request of who to host must not go now: its
// hold back has not ended, or its host is down and who is not its probe.
// (A request already given its place in the waves does not ask again: it
// is let go.)
func (l *limiter) isHeld(host string, who any) bool {
	if l.nheld.Load() == 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	hb := l.held[host]
	return hb != nil && (time.Now().Before(hb.until) || hb.down && (who == nil || hb.prober != who))
}

// holdOf says whether host is held back, until when at the earliest
// and why: "asked" (a 429 or 503 with Retry-After), or "down: " and how
// its feeds failed (record.FeedStatus.HostHold). A down host whose probe
// is out is held until the probe's answer, at the latest its probeBy.
func (l *limiter) holdOf(host string) (until time.Time, why string, ok bool) {
	if l.nheld.Load() == 0 {
		return time.Time{}, "", false
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	hb := l.held[host]
	switch {
	case hb == nil:
		return time.Time{}, "", false
	case hb.down:
		return later(hb.until, hb.probeBy), "down: " + hb.way, true
	case now.Before(hb.until):
		return hb.until, "asked", true
	}
	return time.Time{}, "", false
}

// holdHostOf holds back the host a poll's request was answered by
// (hostAnswer) when that answer was a 429 or a 503 with Retry-After: for
// its Retry-After, honoured up to max_retry_after as a feed's own is, or
// backoff_initial without one. It reports whether the answer was one.
func (l *loop) holdHostOf(err error) bool {
	ra, busy := hostBusy(err)
	if !busy {
		return false
	}
	d := errorDelay(l.p.cfg, l.p.cfg.BackoffInitial, ra)
	if !l.p.limits.holdHost(l.hold.host, d) {
		return true
	}
	l.p.m.HostHolds.Inc()
	l.logger().Warn("host asked the poller to wait; holding back every feed's requests to it",
		"host", l.hold.host, "retry_after", ra, "hold", d.Round(time.Second))
	return true
}
