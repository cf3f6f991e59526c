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
}

type hostSlot struct {
	sem   chan struct{}
	users int // loops holding or waiting: the slot is dropped at zero
}

func newLimiter(global, perHost int) *limiter {
	return &limiter{global: make(chan struct{}, global), perHost: perHost, hosts: map[string]*hostSlot{}}
}

// acquire blocks until both slots are held or ctx is done; release must be
// called exactly once after a nil error.
func (l *limiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	hs := l.hosts[host]
	if hs == nil {
		hs = &hostSlot{sem: make(chan struct{}, l.perHost)}
		l.hosts[host] = hs
	}
	hs.users++
	l.mu.Unlock()
	drop := func() {
		l.mu.Lock()
		if hs.users--; hs.users == 0 {
			delete(l.hosts, host)
		}
		l.mu.Unlock()
	}
	select {
	case hs.sem <- struct{}{}:
	case <-ctx.Done():
		drop()
		return nil, ctx.Err()
	}
	select {
	case l.global <- struct{}{}:
	case <-ctx.Done():
		<-hs.sem
		drop()
		return nil, ctx.Err()
	}
	return func() {
		<-l.global
		<-hs.sem
		drop()
	}, nil
}

// hostKey is what "per host" means: the lower-cased host name without the
// port, since one server behind several ports is still one publisher.
func hostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Hostname())
}
