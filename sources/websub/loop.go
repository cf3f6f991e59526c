package websub

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/wirestream/wirestream/pipeline/record"
)

// loop keeps one subscription alive: request, await the hub's
// verification, renew before the lease ends, and on any failure try the
// feed's next hub after a backoff. A lease that ends before a renewal is
// verified is reported to the poller at once (lapse), and the loop keeps
// trying: the hub may come back.
func (s *Subscriber) loop(ctx context.Context, n *sub) {
	defer close(n.done)
	defer s.finish(n)
	bo := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(s.cfg.RetryInitial),
		backoff.WithMaxInterval(s.cfg.RetryMax),
		backoff.WithRandomizationFactor(0.2),
		backoff.WithMaxElapsedTime(0),
	)
	timer := time.NewTimer(0) // fires at once: the first request
	defer timer.Stop()
	// due is when timer fires; asked when the last request was sent.
	var due, asked time.Time
	arm := func(d time.Duration) {
		timer.Reset(d)
		due = time.Now().Add(d)
	}
	lapse := time.NewTimer(math.MaxInt64)
	defer lapse.Stop()
	verifying := false
	// retrying: the timer is a retry's after a failure, a denial or no
	// verification (a backoff, or the hub's Retry-After); it asks the
	// hub again anyway, and a denial nobody asked for must not hurry it.
	retrying := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-lapse.C:
			if end, lapsed := s.lapse(n); !lapsed {
				lapse.Reset(time.Until(end))
			}
		case <-n.signal:
			v := s.verdict(n)
			if v.denied != "" {
				verifying = false
				s.d.Log.Warn("websub hub denied the subscription; trying the next hub after a backoff",
					"feed_url", record.RedactURL(n.feedURL), "hub", record.RedactURL(n.hub()), "reason", v.denied)
				n.hubIdx++
				retrying = true
				arm(bo.NextBackOff())
				continue
			}
			if v.verified {
				verifying, retrying = false, false
				bo.Reset()
				lapse.Reset(time.Until(v.end))
				arm(s.renewDelay(v.lease))
			}
			if v.recheck {
				// A denial nobody asked for: renew now, to hear the hub
				// say it, but no sooner than retry_initial after the
				// last request, so denials sent by the thousand ask the
				// hub at most once a retry_initial; and not while a
				// retry waits out a backoff or the hub's Retry-After,
				// which it would cut short. A verification woken with
				// it was taken first: the renewal it armed is the one
				// this may bring forward.
				if wait := time.Until(asked.Add(s.cfg.RetryInitial)); !verifying && !retrying && time.Now().Add(wait).Before(due) {
					arm(max(wait, 0))
				}
			}
		case <-timer.C:
			if verifying {
				// No verification in time: the hub may never have queued
				// it. Ask again (a late verification still counts).
				verifying, retrying = false, true
				s.mu.Lock()
				n.overdue = true
				s.mu.Unlock()
				s.d.Log.Warn("websub hub did not verify the subscription in time; asking again after a backoff",
					"feed_url", record.RedactURL(n.feedURL), "hub", record.RedactURL(n.hub()), "verify_timeout", s.cfg.VerifyTimeout)
				arm(bo.NextBackOff())
				continue
			}
			asked, retrying = time.Now(), false
			err := s.subscribe(ctx, n)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				hub := n.hub()
				n.hubIdx++
				wait := bo.NextBackOff()
				var he *hubError
				if errors.As(err, &he) {
					// The hub answered no: no verification or denial of
					// this request will come, and one that does is not
					// the hub's answer (anyone's who knows the callback).
					s.mu.Lock()
					n.awaiting = false
					s.mu.Unlock()
					if he.retryAfter > wait {
						wait = min(he.retryAfter, s.cfg.RetryMax)
					}
				}
				s.d.Log.Warn("websub subscription request failed; retrying", "feed_url", record.RedactURL(n.feedURL),
					"hub", record.RedactURL(hub), "retry_in", wait.Round(time.Second), "err", err)
				retrying = true
				arm(wait)
			default:
				verifying = true
				arm(s.cfg.VerifyTimeout)
			}
		}
	}
}

// hub is the hub the subscription uses now; hubIdx moves on, wrapping
// round the feed's hubs, after each failure. Only the loop calls it.
func (n *sub) hub() string { return n.hubs[n.hubIdx%len(n.hubs)] }

// renewDelay is when to renew a lease just granted: RenewBefore ahead of
// its end, but never later than half way, so a short lease granted by a
// stingy hub still leaves time for a retry; and never sooner than
// RetryInitial, the pace of a failed request's retry: a hub granting a
// lease of a second would otherwise be asked twice a second, for ever,
// for each of its feeds. Such a lease lapses first, and the feed is
// polled normally until the renewal.
func (s *Subscriber) renewDelay(lease time.Duration) time.Duration {
	return max(lease-min(s.cfg.RenewBefore, lease/2), s.cfg.RetryInitial)
}

// subscribe asks the feed's current hub for (or to renew) the
// subscription, marking it as awaiting verification first so a hub that
// verifies before answering is confirmed.
func (s *Subscriber) subscribe(ctx context.Context, n *sub) error {
	s.mu.Lock()
	n.awaiting, n.overdue = true, false
	renew := n.state == stateActive
	if n.state == "" {
		s.setStateLocked(n, statePending)
	}
	s.mu.Unlock()
	mode := "subscribe"
	if renew {
		mode = "renew"
	}
	return s.request(ctx, n.hub(), "subscribe", mode, n)
}

// verdict is what the callback handler recorded since the loop last
// looked: a denial of our request (denied: the hub's reason), a
// verification of it (verified, with the lease granted and its end),
// and a denial to check with the hub (recheck). A denial of our request
// outweighs the rest; a verification and a recheck may come together.
type verdict struct {
	denied   string
	verified bool
	lease    time.Duration
	end      time.Time
	recheck  bool
}

func (s *Subscriber) verdict(n *sub) verdict {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := verdict{denied: n.denied, recheck: n.recheck, verified: n.verified && n.state == stateActive}
	n.denied, n.recheck, n.verified = "", false, false
	if v.denied != "" {
		return verdict{denied: v.denied}
	}
	if v.verified {
		v.lease, v.end = n.lease, n.leaseEnd
	}
	return v
}

// lapse ends a lease that ran out; lapsed is false when a renewal moved
// its end meanwhile (end is the new one).
func (s *Subscriber) lapse(n *sub) (end time.Time, lapsed bool) {
	s.mu.Lock()
	if n.state != stateActive || time.Now().Before(n.leaseEnd) {
		end, lapsed = n.leaseEnd, n.state != stateActive
		s.mu.Unlock()
		return end, lapsed
	}
	s.setStateLocked(n, stateLapsed)
	s.mu.Unlock()
	s.d.Metrics.Lapses.Inc()
	s.d.Log.Warn("websub lease ended without a verified renewal; the feed is polled normally until the hub verifies again",
		"feed_url", record.RedactURL(n.feedURL), "hub", record.RedactURL(n.hub()))
	s.d.Target.PushStopped(n.feedURL)
	return time.Time{}, true
}

// finish runs when a loop ends. A subscription removed while wirestream
// runs (the feed dropped or changed its hub) is cancelled at the hub,
// politely and best-effort, and the poller told pushes stopped; its
// token stays valid for verify_timeout so the hub can verify the
// unsubscription.
func (s *Subscriber) finish(n *sub) {
	s.mu.Lock()
	wasActive := n.state == stateActive
	s.setStateLocked(n, "")
	stopping, run := n.stopping, s.runCtx
	s.mu.Unlock()
	if stopping && run.Err() == nil {
		ctx, cancel := context.WithTimeout(run, s.d.Timeout)
		if err := s.request(ctx, n.hub(), "unsubscribe", "unsubscribe", n); err != nil {
			s.d.Log.Info("websub unsubscribe failed; the lease will end on its own", "feed_url", record.RedactURL(n.feedURL), "err", err)
		}
		cancel()
		time.AfterFunc(s.cfg.VerifyTimeout, func() {
			s.mu.Lock()
			delete(s.byToken, n.token)
			s.mu.Unlock()
		})
	}
	// On shutdown the poller stops too; otherwise (the feed dropped its
	// hub, or the callback listener failed) it must poll normally again.
	if wasActive && (stopping || run.Err() == nil) {
		s.d.Target.PushStopped(n.feedURL)
	}
}

// setStateLocked moves n to state, keeping the gauge in step ("" is no
// state: not counted).
func (s *Subscriber) setStateLocked(n *sub, state string) {
	if n.state == state {
		return
	}
	if n.state != "" {
		s.d.Metrics.Subscriptions.WithLabelValues(n.state).Dec()
	}
	if state != "" {
		s.d.Metrics.Subscriptions.WithLabelValues(state).Inc()
	}
	n.state = state
}
