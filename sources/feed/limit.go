package feed

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/internal/hostname"
)

// limiter caps concurrent requests per host and overall. A feed loop takes
// its host's slot first and the global slot second, so a loop queued
// behind a busy host never holds a global slot another host could use;
// and the scheduler gives a due feed a slot of Poller.unsent only when
// its host has room for the poll (room, claim), so a busy host's feeds
// do not wait for their host holding those either.
type limiter struct {
	global  chan struct{}
	perHost int

	mu    sync.Mutex
	hosts map[string]*hostSlot
	// sweepAt is the size of hosts at which slots nobody holds or waits
	// for are dropped. Dropping each slot the moment its last poll
	// released it made one map entry and one channel per poll, since
	// most polls find their host idle; sweeping when the map has doubled
	// keeps it within twice the hosts in use, at O(1) per poll.
	sweepAt int
	// held are the hosts that answered 429 or 503 (holdback.go): no
	// request to them before their hold ends, then a wave at a time.
	held  map[string]*holdBack
	nheld atomic.Int32 // len(held): a poll with no host held back takes no lock for it
	// failing are the hosts some of whose feeds failed the same way
	// since they last answered (hostdown.go): at hostDownFeeds, held.
	failing  map[string]*hostFailures
	nfailing atomic.Int32 // len(failing)
	// probeWait is how long a down host's probe may take before another
	// request probes: twice poller.timeout.
	probeWait time.Duration
	// feedsOn says how many feeds a host has, and spread is start_spread:
	// the waves after a hold fit as first polls do (waveGap). nil: a
	// second apart.
	feedsOn func(host string) int
	spread  time.Duration
	// onHeld is called for each request a hold back delays (a metric).
	onHeld func()
	// freed is called with a host that had no room (room, claim said
	// so) once one of its users left: the scheduler keeps that host's due
	// feeds parked until then (sched.go). Nil: nobody waits for it.
	freed func(host string)
}

type hostSlot struct {
	sem   chan struct{}
	host  string
	users int // loops holding, waiting or claimed for: idle at zero, dropped by a sweep
	// wanted is set when a due feed was refused for lack of room
	// (room, claim): the next user to leave calls limiter.freed.
	wanted bool
}

// minSweep is the fewest hosts the limiter keeps before it sweeps.
const minSweep = 64

func newLimiter(global, perHost int) *limiter {
	return &limiter{global: make(chan struct{}, global), perHost: perHost, hosts: map[string]*hostSlot{}, sweepAt: minSweep,
		held: map[string]*holdBack{}, failing: map[string]*hostFailures{}, probeWait: time.Minute}
}

// acquire blocks until both slots are held or ctx is done; release must be
// called exactly once after a nil error.
func (l *limiter) acquire(ctx context.Context, host string) (release func(), err error) {
	hs, err := l.take(ctx, host, nil, false)
	if err != nil {
		return nil, err
	}
	return func() { l.give(hs) }, nil
}

// take is acquire without a closure per call (a feed poll's path): it
// returns the host's slot, to hand back once to give after a nil error.
// who is the poll (its *hostHold), which may be a down host's probe; nil
// for a request outside a feed's loop. A poll that waited for its host's
// hold before (loop.run) is told errHostHeld when its host is held back
// again (yield), instead of waiting here: its loop waits again without
// the slot of the unsent documents it takes meanwhile.
func (l *limiter) take(ctx context.Context, host string, who any, yield bool) (*hostSlot, error) {
	hs, _, err := l.takeTimed(ctx, host, who, yield, false)
	return hs, err
}

// takeTimed is take, and says how long it waited for the host's slot
// while the host's other requests held every one (per_host_concurrency):
// that queue is the host's politeness limit, not the poller's lag
// (Poller.polled).
//
// claimed says the scheduler counted this poll among the host's users
// already (claim): it is not counted again.
func (l *limiter) takeTimed(ctx context.Context, host string, who any, yield, claimed bool) (hs *hostSlot, hostWait time.Duration, err error) {
	l.mu.Lock()
	hs = l.hosts[host]
	if !claimed || hs == nil {
		hs = l.user(host, hs)
	}
	l.mu.Unlock()
	for {
		// A host held back (429, 503) is waited for without a slot: the
		// slot is for requests that go, and other hosts' requests need
		// the global one.
		if yield && l.isHeld(host, who) {
			l.drop(hs)
			return nil, hostWait, errHostHeld
		}
		if !yield && !l.waitHeld(ctx, host, who) {
			l.drop(hs)
			return nil, hostWait, ctx.Err()
		}
		waited, ok := takeSlotTimed(ctx, hs.sem)
		hostWait += waited
		if !ok {
			l.drop(hs)
			return nil, hostWait, ctx.Err()
		}
		// The slot's last holder may have been told to wait meanwhile.
		if !l.isHeld(host, who) {
			break
		}
		<-hs.sem
	}
	if !takeSlot(ctx, l.global) {
		<-hs.sem
		l.drop(hs)
		return nil, hostWait, ctx.Err()
	}
	return hs, hostWait, nil
}

// user counts one more user of host, whose slot is hs (nil: none yet,
// made here); l.mu is held.
func (l *limiter) user(host string, hs *hostSlot) *hostSlot {
	if hs == nil {
		if len(l.hosts) >= l.sweepAt {
			l.sweep()
		}
		hs = &hostSlot{sem: make(chan struct{}, l.perHost), host: host}
		l.hosts[host] = hs
	}
	hs.users++
	return hs
}

// room reports whether a poll of host would find one of its
// per_host_concurrency slots with nobody else holding, waiting for or
// claiming it. When not, the host is marked: the first of its users to
// leave calls freed. The scheduler asks it before it gives a due feed a
// slot of Poller.unsent, so that a busy host's feeds wait for their host
// without one (BENCHMARKS.md, round 46).
func (l *limiter) room(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.roomLocked(host)
}

func (l *limiter) roomLocked(host string) bool {
	hs := l.hosts[host]
	if hs == nil || hs.users < l.perHost {
		return true
	}
	hs.wanted = true
	return false
}

// claim counts a poll the scheduler is about to start among host's users
// if it has room, as its takeTimed will (claimed); false, and the host
// marked, when it has none. A claim is handed on to takeTimed or given
// back with unclaim.
func (l *limiter) claim(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.roomLocked(host) {
		return false
	}
	l.user(host, l.hosts[host])
	return true
}

// vacancies is how many of want polls of host would find room now (at
// most want); when fewer than want, the host is marked, as room marks it,
// so the first of its users to leave calls freed for the rest.
func (l *limiter) vacancies(host string, want int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	hs := l.hosts[host]
	free := l.perHost
	if hs != nil {
		free = max(l.perHost-hs.users, 0)
	}
	if free < want {
		if hs == nil {
			hs = l.user(host, nil)
			hs.users-- // made to be marked, not used
		}
		hs.wanted = true
	}
	return min(free, want)
}

// unwant forgets that feeds wait parked for host: the last of them left
// the scheduler (removed from the assignment). A mark nobody waits for
// keeps the host's slot from every sweep while it has no user — for good
// when none of its feeds is polled here again (round 47, pollrev47).
func (l *limiter) unwant(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if hs := l.hosts[host]; hs != nil {
		hs.wanted = false
	}
}

// unclaim gives back a claim whose poll did not take its host's slot;
// "" is no claim.
func (l *limiter) unclaim(host string) {
	if host == "" {
		return
	}
	l.mu.Lock()
	hs := l.hosts[host]
	l.mu.Unlock()
	if hs != nil {
		l.drop(hs)
	}
}

// errHostHeld is take's answer to a poll whose host is held back: its
// loop waits for the hold (waitHeld) and takes it again.
var errHostHeld = errors.New("host held back")

// takeSlot puts a token into sem, waiting while it is full; false when
// ctx ended first. A free slot is taken without a select on ctx: most
// polls find one.
func takeSlot(ctx context.Context, sem chan<- struct{}) bool {
	select {
	case sem <- struct{}{}:
		return true
	default:
	}
	select {
	case sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// takeSlotTimed is takeSlot, and says how long it waited: nothing, and
// no clock read, when the slot was free.
func takeSlotTimed(ctx context.Context, sem chan<- struct{}) (waited time.Duration, ok bool) {
	select {
	case sem <- struct{}{}:
		return 0, true
	default:
	}
	from := time.Now()
	ok = takeSlot(ctx, sem)
	return time.Since(from), ok
}

// give releases the slots take returned.
func (l *limiter) give(hs *hostSlot) {
	<-l.global
	<-hs.sem
	l.drop(hs)
}

func (l *limiter) drop(hs *hostSlot) {
	l.mu.Lock()
	hs.users--
	freed := hs.wanted && hs.users < l.perHost
	if freed {
		hs.wanted = false
	}
	l.mu.Unlock()
	if freed && l.freed != nil {
		l.freed(hs.host)
	}
}

// sweep drops the slots of hosts nobody holds or waits for; l.mu is held.
// A dropped slot is unused: whoever comes for its host next makes a new one.
func (l *limiter) sweep() {
	for h, hs := range l.hosts {
		if hs.users == 0 && !hs.wanted { // a wanted one has feeds parked for it
			delete(l.hosts, h)
		}
	}
	now := time.Now()
	for h, hb := range l.held {
		if !hb.down && !now.Before(hb.until) && !now.Before(hb.wave.Add(hostStartGap)) {
			delete(l.held, h) // a hold nobody came back to
			l.nheld.Add(-1)
		}
	}
	l.sweepAt = max(2*len(l.hosts), minSweep)
}

// HostKey is what "per host" means, for the poller's limits and a WebSub
// hub's: the host name in lower case without the port, since one server
// behind several ports is still one publisher, and without a trailing dot
// ("host." is "host" fully qualified: one name, one address), and an
// internationalized name in punycode (bücher.example is
// xn--bcher-kva.example: net/http asks DNS for the punycode name); an address
// in its canonical form, an IPv4 address mapped into IPv6 as IPv4. Two
// spellings of one host with two keys got two sets of per-host slots, from
// a config listing both or a redirect to the other. Only the key is
// normalised: the request goes to the URL as written.
func HostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return hostKeyOf(u)
}

func hostKeyOf(u *url.URL) string {
	h := u.Hostname()
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap().String()
	}
	if k, err := hostname.Canonical(h); err == nil {
		return k
	}
	// A name IDNA refuses is still one name: keyed as written.
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// hostHold is the slots a poll holds while its request runs, and whose
// host they are for. A redirect to another host moves them there
// (moveTo, from the client's CheckRedirect) before the request to it is
// sent: the new host's per-host limit counts the request, as it would
// count one of its own feeds'. Counted against the feed's host instead,
// many feeds redirecting to one host (a feedburner-style host, a CDN, a
// site moved to a new domain) reached it up to global_concurrency at a
// time — the transport's MaxConnsPerHost caps connections, not requests,
// and HTTP/2 multiplexes every request on one (BENCHMARKS, round 28).
type hostHold struct {
	limits   *limiter
	hs       *hostSlot // nil: nothing held
	host     string
	wait     context.Context // the loop's: waiting for a slot ends with it, not with the poll's timeout
	deadline *pollDeadline   // the poll's timeout, paused while waiting for a slot
}

type hostHoldKey struct{}

// holdOf is the hostHold ctx carries, or nil (a fetch outside a feed's
// loop: it holds no slot to move).
func holdOf(ctx context.Context) *hostHold {
	h, _ := ctx.Value(hostHoldKey{}).(*hostHold)
	return h
}

// release gives back what the poll holds, if anything.
func (h *hostHold) release() {
	if h.hs != nil {
		h.limits.give(h.hs)
		h.hs = nil
	}
}

// moveTo makes the poll hold host's slots instead of those it holds, for
// a redirect whose request (under reqCtx) is about to be sent.
//
// The slots held are given back before waiting for the new host's, never
// kept while waiting: a poll waiting for a host's slot then holds none, so
// every slot is held by a request that is running, which ends within
// poller.timeout, and two hosts whose feeds redirect to each other cannot
// each hold the slot the other waits for (a deadlock with one slot per
// host). The global slot is given back too and taken after the host's, as
// for a feed's own host (take): a poll queued behind a busy host never
// keeps a global slot another host could use. The wait is not part of the
// poll's timeout, as the wait for the feed's own host's slot is not: a
// feed redirecting to a busy host is queued, not failed as a timeout. It
// ends with the loop (shutdown).
//
// redirect, the response that redirected, is closed first: net/http calls
// CheckRedirect before it closes that body, so its connection would stay
// taken while the poll waits, and the transport (MaxConnsPerHost) would
// queue the first host's next request behind a poll that no longer holds
// that host's slot — the same deadlock, one level down.
func (h *hostHold) moveTo(reqCtx context.Context, host string, redirect *http.Response) error {
	if h.limits == nil || host == h.host {
		return nil
	}
	if redirect != nil && redirect.Body != nil {
		// As net/http does: a little is read, so the connection is reused.
		_, _ = io.CopyN(io.Discard, redirect.Body, 2<<10)
		redirect.Body.Close()
	}
	h.limits.answered(h.host) // it redirected: it is up
	h.release()
	if !h.deadline.pause() {
		// The poll's timeout fired: the request would be cancelled anyway.
		return pollTimeoutError{after: h.deadline.timeout}
	}
	hs, err := h.limits.take(h.wait, host, h, false)
	h.deadline.resume()
	if err != nil {
		return err
	}
	h.hs, h.host = hs, host
	if reqCtx.Err() != nil {
		return context.Cause(reqCtx) // names poller.timeout, not "context canceled"
	}
	return nil
}
