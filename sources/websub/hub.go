package websub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// hubError is a hub's refusal of a request: its status, the plain-text
// reason hubs should give, and how long it asked us to wait.
type hubError struct {
	hub        string
	status     int
	reason     string
	retryAfter time.Duration
}

func (e *hubError) Error() string {
	msg := fmt.Sprintf("hub %s answered HTTP %d", record.RedactURL(e.hub), e.status)
	if e.reason != "" {
		msg += ": " + e.reason
	}
	return msg
}

// maxHubHeaderBytes bounds a hub's response headers, as the poller's
// bound does a feed server's.
const maxHubHeaderBytes = 256 << 10

// newClient is the HTTP client for hubs: the feed poller's private-network
// guard at dial time (a hub URL comes from a feed, i.e. from outside), no
// proxy (it would put the guard in front of the proxy), bounded
// redirects. A hub may redirect a subscription with 307 or 308; Go's
// client repeats the POST for those.
func newClient(d Deps) *http.Client {
	dialer := &net.Dialer{Timeout: d.ConnectTimeout, KeepAlive: 30 * time.Second, ControlContext: d.Guard.ControlContext}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   d.ConnectTimeout,
			ResponseHeaderTimeout: d.Timeout,
			MaxIdleConnsPerHost:   d.PerHostConcurrency,
			IdleConnTimeout:       90 * time.Second,
			// A hub's answer is a status and a line of text: its headers
			// are bounded as a feed server's are (the transport's default
			// reads 10 MB of them).
			MaxResponseHeaderBytes: maxHubHeaderBytes,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: only http and https are allowed", req.URL.Scheme)
			}
			// A 307/308 sends the form again, hub.secret with it: never
			// in clear text after TLS.
			if via[0].URL.Scheme == "https" && req.URL.Scheme == "http" {
				return errors.New("redirect from https to http: the subscription's secret would go in clear text")
			}
			// A hub on the public internet does not redirect its POST
			// into a network allow_networks opened for local feeds.
			return d.Guard.CheckRedirect(req)
		},
	}
}

// request sends one subscribe or unsubscribe request (hub.mode) to hub;
// label is the metric's mode (subscribe, renew, unsubscribe). Any 2xx is
// success: the spec says 202, and what follows is the verification.
func (s *Subscriber) request(ctx context.Context, hub, hubMode, label string, n *sub) error {
	form := url.Values{
		"hub.callback": {n.callback},
		"hub.mode":     {hubMode},
		"hub.topic":    {n.topic},
	}
	if hubMode == "subscribe" {
		form.Set("hub.lease_seconds", strconv.FormatInt(int64(s.cfg.Lease/time.Second), 10))
		form.Set("hub.secret", n.secret)
	}
	release, err := s.limit(ctx, hub)
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, s.d.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(s.d.Guard.Follow(ctx), http.MethodPost, hub, strings.NewReader(form.Encode()))
	if err != nil {
		s.d.Metrics.HubRequests.WithLabelValues(label, "error").Inc()
		return fmt.Errorf("websub %s %s at %s: %w", hubMode, n.topic, record.RedactURL(hub), err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("User-Agent", s.d.UserAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		outcome := "error"
		if errors.Is(err, netguard.ErrBlocked) {
			outcome = "blocked"
		}
		s.d.Metrics.HubRequests.WithLabelValues(label, outcome).Inc()
		return fmt.Errorf("websub %s %s at %s: %w", hubMode, n.topic, record.RedactURL(hub), err)
	}
	defer resp.Body.Close()
	// Hubs explain errors in plain text; a little is enough to log.
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 == 2 {
		s.d.Metrics.HubRequests.WithLabelValues(label, "accepted").Inc()
		return nil
	}
	s.d.Metrics.HubRequests.WithLabelValues(label, "refused").Inc()
	return &hubError{hub: hub, status: resp.StatusCode, reason: strings.Join(strings.Fields(string(text)), " "),
		retryAfter: feed.RetryAfter(resp.Header.Get("Retry-After"), time.Now())}
}

// hostLimiter caps requests in flight per hub host: thousands of feeds on
// one hosting platform share one hub, and subscribing to all of them at
// start must not flood it.
type hostLimiter struct {
	per   int
	mu    sync.Mutex
	slots map[string]chan struct{}
}

func newHostLimiter(per int) *hostLimiter {
	return &hostLimiter{per: per, slots: map[string]chan struct{}{}}
}

func (l *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	l.mu.Lock()
	sem := l.slots[host]
	if sem == nil {
		sem = make(chan struct{}, l.per)
		l.slots[host] = sem
	}
	l.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
