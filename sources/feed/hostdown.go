package feed

import (
	"errors"
	"slices"
	"strconv"
	"time"
)

// hostDownFeeds is how many of a host's feeds must fail the same way,
// with no answer from the host between, for it to be held back as down.
// One feed failing is that feed's problem (a broken path, one backend):
// it backs off alone. Two broken paths of a host whose other feeds work
// never hold it (TestPollerThousandFeedsOnLoopback: 2 of 100 per host
// answer 503), and a host whose other feeds answer between their
// failures starts its count again at each answer.
const hostDownFeeds = 3

// hostFailures are the feeds of a host that failed the same way since it
// last answered.
type hostFailures struct {
	way   string
	feeds []string
}

// downWay says what a poll's error tells of its host: way is how it
// shows the host failing — "HTTP 502" for a 5xx (a 503 with Retry-After
// is the host asking: hostBusy), "timeout" or "connect" for no answer —
// and answered whether the host answered at all: any other status, a
// body that is no feed or is cut short, a certificate refused. A name
// that does not resolve, or an address refused before dialling, is
// neither: no request reached the host.
func downWay(err error) (way string, answered bool) {
	var fe *fetchError
	class := ""
	if errors.As(err, &fe) {
		switch {
		case fe.Status >= 500:
			return "HTTP " + strconv.Itoa(fe.Status), false
		case fe.Status != 0:
			return "", true
		}
		class = fe.Class
	} else {
		class = classify(err)
	}
	switch class {
	case ClassTimeout, ClassConnect:
		return class, false
	case ClassDNS, ClassBlocked:
		return "", false
	}
	return "", true
}

// failed records that feed's request to host failed the way way, sent by
// who. When hostDownFeeds feeds have failed so since the host last
// answered, the host is held back as down for first; when who was its
// probe, the hold doubles, up to most. It reports the new hold's length,
// and whether it started (false: the probe failed), or 0.
func (l *limiter) failed(host, feed, way string, who any, first, most time.Duration) (hold time.Duration, started bool) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	hb := l.held[host]
	switch {
	case hb != nil && hb.down:
		if who == nil || hb.prober != who {
			return 0, false // a request sent before the hold began
		}
		hb.step = min(2*hb.step, max(most, first))
		hb.until, hb.prober, hb.probeBy = now.Add(hb.step), nil, time.Time{}
		hb.wakeWaiters()
		hb.wake = make(chan struct{})
		return hb.step, false
	case hb != nil && now.Before(hb.until):
		return 0, false // asked to wait already (429): that hold stands
	}
	f := l.failing[host]
	if f == nil {
		f = &hostFailures{}
		l.failing[host] = f
		l.nfailing.Add(1)
	}
	if f.way != way {
		f.way, f.feeds = way, f.feeds[:0]
	}
	if !slices.Contains(f.feeds, feed) {
		f.feeds = append(f.feeds, feed)
	}
	if len(f.feeds) < hostDownFeeds {
		return 0, false
	}
	l.clearFailures(host)
	if hb == nil {
		hb = &holdBack{}
		l.held[host] = hb
		l.nheld.Add(1)
	}
	*hb = holdBack{down: true, way: way, step: first, until: now.Add(first), wake: make(chan struct{})}
	return first, true
}

// answered records that host answered a request: the count of its
// failing feeds starts again, and a hold as down ends — the first
// success releases it. The requests it held go in waves, as after a
// 429's hold, the answer being the first. It reports whether a hold
// ended.
func (l *limiter) answered(host string) bool {
	if l.nfailing.Load() == 0 && l.nheld.Load() == 0 {
		return false // most polls: no lock
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clearFailures(host)
	hb := l.held[host]
	if hb == nil || !hb.down {
		return false
	}
	hb.wakeWaiters()
	*hb = holdBack{until: now, wave: now, n: 1}
	return true
}

// clearFailures forgets host's failing feeds; l.mu is held.
func (l *limiter) clearFailures(host string) {
	if _, ok := l.failing[host]; ok {
		delete(l.failing, host)
		l.nfailing.Add(-1)
	}
}

// wakeWaiters tells the requests waiting for a down host's probe to ask
// again; l.mu is held.
func (hb *holdBack) wakeWaiters() {
	if hb.wake != nil {
		close(hb.wake)
		hb.wake = nil
	}
}

// probeOrWait is heldUntil for a host held as down: after its hold one
// request goes, its probe, the rest waiting for its answer (wake), or
// for probeWait, after which the probe is taken for lost and the next
// request probes. who nil (a request outside a feed's loop: a WebSub
// hub's) never probes. l.mu is held.
func (l *limiter) probeOrWait(hb *holdBack, now time.Time, who any) (at time.Time, wake <-chan struct{}, ok bool) {
	switch {
	case who != nil && hb.prober == who:
		return now, nil, false // the probe, asking again as it takes its slots
	case now.Before(hb.until):
		return hb.until, hb.wake, true
	case hb.prober != nil && now.Before(hb.probeBy):
		return hb.probeBy, hb.wake, true
	case who == nil:
		return now.Add(l.probeWait), hb.wake, true
	}
	hb.prober, hb.probeBy = who, now.Add(l.probeWait)
	return now, nil, false
}

// hostAnswer tells the limiter what a poll's request learnt of the host
// that answered it (after its redirects: the host whose slot it holds):
// a 429, or a 503 with Retry-After, holds it back for every feed
// (holdHostOf); a failure that shows the host down counts towards holding
// it as down; anything else is an answer. It runs before the poll gives
// its slot back, so no request of another feed is sent to the host
// between the answer and the hold.
func (l *loop) hostAnswer(err error) {
	host := l.hold.host
	if host == "" {
		return
	}
	way, answered := "", true
	if err != nil { // most polls have none: no errors.As, whose target escapes
		if l.holdHostOf(err) {
			return
		}
		way, answered = downWay(err)
	}
	if answered {
		if l.p.limits.answered(host) {
			l.hostBack(host)
		}
		return
	}
	if way == "" {
		return
	}
	cfg := l.p.cfg
	d, started := l.p.limits.failed(host, l.spec.URL, way, &l.hold, max(cfg.BackoffInitial, time.Second), cfg.BackoffMax)
	switch {
	case d == 0:
	case started:
		l.p.m.HostDownHolds.Inc()
		l.logger().Warn("several feeds of a host failed the same way; holding back every feed's requests to it, one probe at a time",
			"host", host, "failure", way, "feeds", hostDownFeeds, "hold", d.Round(time.Second))
	default:
		l.p.m.HostDownHolds.Inc()
		l.logger().Info("the probe of a host held back as down failed; holding it longer", "host", host, "failure", way, "hold", d.Round(time.Second))
	}
}

// hostBack logs a down host's hold ending.
func (l *loop) hostBack(host string) {
	l.logger().Info("a host held back as down answered; its feeds' requests go again, in waves", "host", host)
}
