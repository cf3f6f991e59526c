package feed

import (
	"context"
	"net/url"
	"strings"
	"sync"
)

// limiter caps concurrent requests per host and overall. A feed loop takes
// its host's slot first and the global slot second, so a loop queued
// behind a busy host never holds a global slot another host could use.
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
}

type hostSlot struct {
	sem   chan struct{}
	users int // loops holding or waiting: idle at zero, dropped by a sweep
}

// minSweep is the fewest hosts the limiter keeps before it sweeps.
const minSweep = 64

func newLimiter(global, perHost int) *limiter {
	return &limiter{global: make(chan struct{}, global), perHost: perHost, hosts: map[string]*hostSlot{}, sweepAt: minSweep}
}

// acquire blocks until both slots are held or ctx is done; release must be
// called exactly once after a nil error.
func (l *limiter) acquire(ctx context.Context, host string) (release func(), err error) {
	hs, err := l.take(ctx, host)
	if err != nil {
		return nil, err
	}
	return func() { l.give(hs) }, nil
}

// take is acquire without a closure per call (a feed poll's path): it
// returns the host's slot, to hand back once to give after a nil error.
func (l *limiter) take(ctx context.Context, host string) (*hostSlot, error) {
	l.mu.Lock()
	hs := l.hosts[host]
	if hs == nil {
		if len(l.hosts) >= l.sweepAt {
			l.sweep()
		}
		hs = &hostSlot{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = hs
	}
	hs.users++
	l.mu.Unlock()
	if !takeSlot(ctx, hs.sem) {
		l.drop(hs)
		return nil, ctx.Err()
	}
	if !takeSlot(ctx, l.global) {
		<-hs.sem
		l.drop(hs)
		return nil, ctx.Err()
	}
	return hs, nil
}

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

// give releases the slots take returned.
func (l *limiter) give(hs *hostSlot) {
	<-l.global
	<-hs.sem
	l.drop(hs)
}

func (l *limiter) drop(hs *hostSlot) {
	l.mu.Lock()
	hs.users--
	l.mu.Unlock()
}

// sweep drops the slots of hosts nobody holds or waits for; l.mu is held.
// A dropped slot is unused: whoever comes for its host next makes a new one.
func (l *limiter) sweep() {
	for h, hs := range l.hosts {
		if hs.users == 0 {
			delete(l.hosts, h)
		}
	}
	l.sweepAt = max(2*len(l.hosts), minSweep)
}

// hostKey is what "per host" means: the lower-cased host name without the
// port, since one server behind several ports is still one publisher.
func hostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return hostKeyOf(u)
}

func hostKeyOf(u *url.URL) string { return strings.ToLower(u.Hostname()) }
