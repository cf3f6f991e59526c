package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// pollResult is what one poll produced: items to deliver, entries of the
// document reported as dead letters, a status to publish (nil if
// unchanged), and the state to adopt once delivered.
type pollResult struct {
	ref    record.FeedRef
	items  []record.Item
	dead   []*record.DeadLetter
	status *record.FeedStatus
	next   feedState
	// pace is the feed's pace with this poll's measure, adopted with
	// next (loop.adopt): a batch that fails rolls the read back, and the
	// re-read measures its items again from the read before.
	pace   pace
	counts counts // what the document held
	held   bool   // nothing was fetched: the feed's host is held back
}

// counts is what one document held, for the feed's status.
type counts struct {
	found, fresh, rotated, rejected int
}

// poll fetches the feed once and decides everything that follows from the
// response. ok is false when ctx ended before the poll completed. turn
// is the place of its host the scheduler claimed for it, if any, and
// how long it waited parked for one.
func (l *loop) poll(ctx context.Context, turn hostTurn) (res pollResult, ok bool) {
	cfg := l.p.cfg
	st := l.st
	fetchURL := l.fetchTarget().raw
	req := fetchRequest{URL: fetchURL, LastModified: st.LastModified, Headers: l.headers, target: l.target}
	if !st.DistrustETag {
		req.ETag = st.ETag
	}
	if time.Since(st.BodyAt) >= revalidateAfter {
		// No body for a day: asked without validators, so a server that
		// answers 304 to anything cannot hide the feed for longer. An
		// unchanged feed is told by its body hash. (A state saved before
		// BodyAt existed has none: one such poll after an upgrade.)
		req.ETag, req.LastModified = "", ""
	}
	claimed := turn.claimed != "" && turn.claimed == l.target.host
	if !claimed {
		l.p.limits.unclaim(turn.claimed) // none, or another host's: the feed moved since (never, as hostKey is fetchTarget's)
	}
	hs, hostWait, err := l.p.limits.takeTimed(ctx, l.target.host, &l.hold, true, claimed)
	hostWait += turn.waited
	if errors.Is(err, errHostHeld) {
		res.held = true
		return res, true
	}
	if err != nil {
		return res, false
	}
	l.hold = hostHold{limits: l.p.limits, hs: hs, host: l.target.host, wait: ctx, deadline: &l.deadline}
	l.p.m.InFlight.Inc()
	// The request starts once the host's and the global slots are held:
	// the feed's interval is measured from here (onSuccess).
	start := time.Now()
	if !l.due.IsZero() {
		lag := max(start.Sub(l.due), 0)
		l.p.m.PollLag.Observe(lag.Seconds())
		l.p.polled(start, l.pollerLag(start, hostWait), hostWait, l.interval(st))
	}
	// The request carries the slots it holds: a redirect to another host
	// moves them there (hostHold.moveTo). The deadline's context carries
	// them, so an idle feed that let go of it (releaseIdle) holds no
	// context of its own for them.
	fr, err := l.p.fetch(l.deadline.start(ctx, cfg.Timeout, &l.hold), req)
	l.deadline.stop()
	if ctx.Err() == nil {
		l.hostAnswer(err)
	}
	until, why, _ := l.p.limits.holdOf(l.hold.host)
	l.setHeld(until, why)
	l.hold.release()
	l.p.m.InFlight.Dec()
	if ctx.Err() != nil {
		return res, false
	}
	now := time.Now()
	l.p.m.FetchDuration.Observe(now.Sub(start).Seconds())
	if req.ETag != "" || req.LastModified != "" {
		l.p.m.ConditionalReqs.Inc()
	}

	// A poll that reads no body (a 304, an error, a 410) changes only
	// fields it replaces: it shares the maps and slices of the state
	// before. Only a body, whose items are merged into them, needs a copy
	// (below); cloning for every poll was 4 % of a 304 poll's CPU.
	ns := st
	ns.LastAttempt = now
	res.ref = l.ref()
	res.pace = l.pace
	if err != nil {
		l.onError(&ns, err, now)
		res.status = l.status(&ns, now, counts{})
		res.next = ns
		return res, true
	}
	l.p.m.wireBytes.Add(float64(fr.WireBytes))
	l.p.m.decodedBytes.Add(float64(len(fr.Body)))
	// A new URL longer than a link kept is not adopted: it would be saved
	// in the state and named in every feed_status (the feed is still read
	// through the redirect).
	// It is adopted once the new URL answered as a feed does (a feed, a
	// 304, a 410): a 301 to a page that is no feed (a site sending removed
	// URLs to its home page) was saved, and the configured URL never
	// fetched again.
	adoptMove := func() {
		if fr.Moved && fr.FinalURL != fetchURL && len(fr.FinalURL) <= maxLinkURL {
			kept, ok := keptMove(l.spec.URL, fr.FinalURL)
			if !ok {
				return
			}
			// The configured URL stays the feed's identity (FeedRef.URL,
			// state key); only where we fetch it from changes.
			l.p.m.Moved.Inc()
			l.logger().Warn("feed moved permanently; fetching from the new URL (update the config)", "new_url", record.RedactURL(fr.FinalURL))
			ns.FetchURL = kept
		}
	}
	ns.CacheFor = fr.CacheFor

	var n counts
	switch {
	case fr.Status == http.StatusGone:
		l.p.m.Polls.WithLabelValues(OutcomeGone).Inc()
		l.bo = nil // reset: made anew at the next failure
		ns.Health, ns.ErrClass, ns.HTTPStatus = record.HealthGone, Class4xx, fr.Status
		ns.Err = (&fetchError{URL: fetchURL, Err: errGone}).Error()
		ns.Failures = 0
		ns.Links = Links{} // a hub for a removed feed has nothing to push
		adoptMove()
		l.watchHubs(&ns)
		ns.NextPoll = now.Add(cfg.GoneInterval)
		res.status = l.status(&ns, now, counts{})
		res.next = ns
		return res, true
	case fr.Status == http.StatusNotModified:
		l.p.m.notModified.Inc()
		// A 304 may carry refreshed validators (RFC 9110 §15.4.5).
		if fr.ETag != "" {
			ns.ETag = fr.ETag
		}
		if fr.LastModified != "" {
			ns.LastModified = fr.LastModified
		}
		if !fr.Links.empty() {
			ns.Links = fr.Links
		}
		ns.Undated = nextUndated(cfg, l.spec, ns.Undated, false)
		ns.checked(now)
	default:
		var gap bool
		ns = ns.clone()
		res.items, res.dead, n, gap, err = l.onBody(&ns, fr, req, now)
		if err != nil {
			l.onError(&ns, err, now)
			res.status = l.status(&ns, now, counts{})
			res.next = ns
			return res, true
		}
		res.counts = n
		if n.fresh > 0 && l.pushing(now) {
			// The safety net caught what no push brought: the hub is not
			// delivering this feed (broken, or pushing only some of it),
			// so polling is the feed's own again until a push brings
			// something new.
			l.lastPush = time.Time{}
			l.logger().Info("the poll found items the hub did not push; polling at the feed's own interval again", "items", n.fresh)
		}
		adoptMove()
		res.pace.measured(start, st.readAt(), n.found, n.fresh, len(st.Seen) == 0 || l.firstSinceStart(st))
		l.onSuccess(&ns, start, now, gap)
		res.status = l.status(&ns, now, n)
		res.next = ns
		return res, true
	}
	adoptMove()
	res.pace.measured(start, st.readAt(), 0, 0, l.firstSinceStart(st))
	l.onSuccess(&ns, start, now, false)
	res.status = l.status(&ns, now, n)
	res.next = ns
	return res, true
}

// pollerLag is the part of a poll's lag that was the poller's: from
// when it fell due, or from when its host's hold back let it go if that
// was later, less hostWait, the wait for a slot of its host's
// per_host_concurrency (which came after both). A 429's Retry-After, a
// hold's waves and a busy host's queue are the host's politeness;
// counted, one host's hold or one host with many feeds made the poller
// "behind".
func (l *loop) pollerLag(start time.Time, hostWait time.Duration) time.Duration {
	from := l.due
	if l.heldTill != 0 {
		if let := monoBase.Add(l.heldTill); let.After(from) {
			from = let
		}
	}
	return max(start.Sub(from)-hostWait, 0)
}

// firstSinceStart reports whether this is the feed's first read since
// the poller started: the document was last read (st.readAt) before, by
// this process before a restart or by another, and the time since covers
// the downtime. Its pace measures nothing (pace.measured's first): the
// items a wire feed published while the poller was down overflowed its
// document, and that gap over a day read as a feed that fills in a day
// for the ~50 polls it took to fade (BENCHMARKS.md, round 45). Asked of
// LastAttempt, a restart whose first poll failed measured the next read
// as the whole downtime's items in one interval (round 46).
func (l *loop) firstSinceStart(st feedState) bool {
	return st.readAt().Before(l.p.behind.started)
}

// interval is how long the poll that falls due at l.due came after the
// poll before it ended, as Behind measures lateness against; the floor
// for a feed's first poll.
func (l *loop) interval(st feedState) time.Duration {
	if every := l.due.Sub(st.LastAttempt); !st.LastAttempt.IsZero() && every > 0 {
		return every
	}
	return l.p.cfg.MinInterval
}

// fetchTarget is where the feed is fetched from now: its configured URL,
// or where it moved.
func (l *loop) fetchTarget() *fetchTarget {
	fetchURL := l.fetchURL()
	if l.target == nil || l.target.raw != fetchURL {
		headers := l.headers
		if fetchURL != l.spec.URL && len(headers) > 0 {
			// A move is followed as its redirect was: the configured
			// headers go where that redirect would have kept them.
			from, ferr := url.Parse(l.spec.URL)
			to, terr := url.Parse(fetchURL)
			if ferr != nil || terr != nil || !headersFollow(from, to) {
				headers = nil
			}
		}
		l.target = newFetchTarget(fetchURL, headers, l.p.cfg.UserAgent)
	}
	return l.target
}

// fetchURL is the URL the feed is fetched from now (fetchTarget's).
func (l *loop) fetchURL() string {
	if l.st.FetchURL != "" {
		return withCredentialsOf(l.spec.URL, l.st.FetchURL)
	}
	return l.spec.URL
}

// hostKey is the host of fetchTarget, without making the target anew for
// a feed that let go of it between polls (releaseIdle): the scheduler
// keeps it to ask the limiter for room.
func (l *loop) hostKey() string {
	if u := l.fetchURL(); l.target == nil || l.target.raw != u {
		return HostKey(u)
	}
	return l.target.host
}

// keptMove is how a permanent redirect's final URL is saved as the feed's
// fetch_url: without userinfo. The state goes to feed_state, a compacted
// topic, and a relative redirect keeps the configured URL's userinfo
// (net/http resolves "/new" against http://user:password@host/old):
// withCredentialsOf puts it back at each poll. ok is false for a final
// URL that cannot be saved so, its userinfo not the configured URL's (a
// Location naming credentials of its own) or the configured URL's where
// they would not follow: that move is not adopted, the feed is fetched
// through its redirect at every poll.
func keptMove(configured, final string) (kept string, ok bool) {
	to, err := url.Parse(final)
	if err != nil || to.User == nil {
		return final, err == nil
	}
	from, err := url.Parse(configured)
	if err != nil || from.User.String() != to.User.String() || !headersFollow(from, to) {
		return "", false
	}
	return withoutUserinfo(to).String(), true
}

// withCredentialsOf is a saved move (fetch_url, without userinfo: keptMove)
// with the configured URL's userinfo where its credentials follow, as its
// headers do (headersFollow): on the same host, not from https to http.
func withCredentialsOf(configured, moved string) string {
	if !strings.Contains(configured, "@") { // no userinfo: most feeds, unparsed at each poll
		return moved
	}
	from, ferr := url.Parse(configured)
	to, terr := url.Parse(moved)
	if ferr != nil || terr != nil || from.User == nil || to.User != nil || !headersFollow(from, to) {
		return moved
	}
	to.User = from.User
	return to.String()
}

// movedTo is a saved move as feed_status says it: with the configured
// URL's userinfo where it follows, the password as xxxxx.
func (l *loop) movedTo(fetchURL string) string {
	if fetchURL == "" {
		return ""
	}
	return record.RedactURL(withCredentialsOf(l.spec.URL, fetchURL))
}

// revalidateAfter is how long after the last body a poll goes without
// validators: one full fetch a day of a feed that answers 304, which
// bounds what a server answering 304 to anything hides.
const revalidateAfter = 24 * time.Hour

// onBody handles a 2xx: skip byte-identical bodies, check the validators'
// honesty, parse, and pick out new or revised items and the entries of
// the document it rejects that were not reported yet.
func (l *loop) onBody(ns *feedState, fr *fetchResult, req fetchRequest, now time.Time) (items []record.Item, dead []*record.DeadLetter, n counts, gap bool, err error) {
	m := l.p.m
	h := bodyHash(fr.Body)
	same := h == ns.BodyHash
	if !same && ns.BodyHash != "" && req.ETag == "" && req.LastModified == "" && (ns.ETag != "" || ns.LastModified != "") &&
		now.Sub(ns.BodyAt) >= revalidateAfter {
		// The day's poll without validators found a feed the 304s before
		// it said had not changed (or that changed since the last of them).
		m.ValidatorAnomalies.WithLabelValues("not_modified_stale").Inc()
		l.logger().Info("a poll without validators, a day after the last body, found the feed changed; the server's 304s may hide changes", "body_at", ns.BodyAt)
	}
	ns.BodyAt = now
	switch {
	case req.ETag != "" && fr.ETag == req.ETag && !same && ns.BodyHash != "":
		// The ETag we hold now names two different bodies: a 304 for it
		// could hide new items. Stop sending it; the body hash takes over.
		m.ValidatorAnomalies.WithLabelValues("etag_reused").Inc()
		if !ns.DistrustETag {
			l.logger().Info("server reuses its ETag for changed content; no longer sending If-None-Match")
		}
		ns.DistrustETag = true
	case same && ((ns.ETag != "" && fr.ETag != ns.ETag) || (ns.LastModified != "" && fr.LastModified != ns.LastModified)):
		m.ValidatorAnomalies.WithLabelValues("validators_churn").Inc()
	case same && (req.ETag != "" || req.LastModified != ""):
		m.ValidatorAnomalies.WithLabelValues("conditional_ignored").Inc()
	}
	if same {
		if !fr.Links.empty() {
			ns.Links = fr.Links
		}
		m.Polls.WithLabelValues(OutcomeIdentical).Inc()
		ns.ETag, ns.LastModified = fr.ETag, fr.LastModified
		ns.Undated = nextUndated(l.p.cfg, l.spec, ns.Undated, false)
		ns.checked(now)
		return nil, nil, counts{}, false, nil
	}
	doc, perr := ParseAtMost(fr.Body, fr.ContentType, l.name, now, l.p.cfg.MaxItems)
	if perr != nil {
		// Validators and hash stay those of the last good body, so the
		// server keeps sending the broken one until it is fixed and we
		// keep reporting it.
		if fr.Unframed && endsEarly(perr) {
			// Most likely a server that died mid-body: with no length or
			// chunk to say so, HTTP read the close as the body's end. A
			// body cut short, not the publisher's broken document.
			return nil, nil, counts{}, false, &fetchError{Class: ClassTruncated, Status: fr.Status, URL: req.URL,
				Err: fmt.Errorf("the connection closed after %d bytes, with no Content-Length or chunked encoding to tell a cut from the end, and the document is unfinished there: %w", fr.WireBytes, perr)}
		}
		return nil, nil, counts{}, false, &fetchError{Class: ClassParse, Status: fr.Status, URL: req.URL, Err: perr}
	}
	ns.ETag, ns.LastModified, ns.BodyHash = fr.ETag, fr.LastModified, h
	// WebSub discovery: HTTP Link headers first, as the spec orders.
	if ns.Links = fr.Links; ns.Links.empty() {
		ns.Links = doc.Links
	}
	hadSeen := len(ns.Seen) > 0
	items, dead, n, trusted := l.pick(ns, &doc, false, now)
	ns.DocHint = max(doc.TTL, doc.UpdatePeriod)
	before := ns.Recent // the last document's trusted dates
	ns.Recent = recentList{}
	if trusted {
		ns.Recent = recentTimes(doc.Items, now)
	}
	// Every item new, on a feed we had read before: the feed rolled over
	// more items than it shows between two polls. Items known by their
	// link or text under a new GUID are not new: a feed that rotates its
	// GUIDs would otherwise be polled at the floor for ever.
	gap = hadSeen && n.found >= 2 && n.fresh == n.found
	if gap {
		m.Gaps.Inc()
		dated := trusted && datedAfter(doc.Items, before)
		if dated {
			m.DatedGaps.Inc()
		}
		l.p.behind.gap(now, dated)
		l.logger().Info("every item is new: items may have been missed; polling sooner", "items", n.found)
	}
	ns.Undated = nextUndated(l.p.cfg, l.spec, ns.Undated, n.fresh > 0)
	ns.Warnings = warnings(doc, n, trusted)
	m.ItemsFound.Add(float64(n.found))
	if len(items) > 0 {
		m.Polls.WithLabelValues(OutcomeNew).Inc()
	} else {
		m.Polls.WithLabelValues(OutcomeNoNew).Inc()
	}
	return items, dead, n, gap, nil
}

// datedAfter reports whether every item is dated after the newest of
// before (the trusted dates of the feed's last document): the document
// begins after the last one ended, so nothing links the two and
// whatever the feed published between them was never read. False when
// before is empty or an item has no date: nothing then says where the
// document begins.
func datedAfter(items []record.Item, before recentList) bool {
	if before.len() == 0 || len(items) == 0 {
		return false
	}
	newest := before.time(0)
	for i := range items {
		t := itemTime(&items[i])
		if t == nil || !t.After(newest) {
			return false
		}
	}
	return true
}

// pick caps a parsed document at max_items and sorts its items against
// what the feed carried (see diff), recording the document's items as
// seen: in place of those of the last document (a poll: the feed as it
// is now), those before it kept as gone (carryGone), or
// added to them (merge: a push, which may carry only the new entries). It returns the items to deliver, dead letters for the
// entries it rejects that were not reported before, what it counted, and
// whether the feed's dates can be trusted for its schedule.
func (l *loop) pick(ns *feedState, doc *Document, merge bool, now time.Time) (items []record.Item, dead []*record.DeadLetter, n counts, trusted bool) {
	m := l.p.m
	doc.Limit(l.p.cfg.MaxItems, l.p.cfg.FutureSkew, MaxItemsSetting)
	m.DuplicateGUIDs.Add(float64(doc.DuplicateGUIDs))
	for reason, k := range doc.Skipped {
		m.ItemsSkipped.WithLabelValues(reason).Add(float64(k))
	}
	trusted = ns.trustDates(doc.Items, now)
	d := l.diff(ns, *doc, trusted, merge, now)
	if d.outdated > 0 {
		l.logger().Info("pushed entries older than the versions already read were not delivered (a hub's late retry, or a replay)", "entries", d.outdated)
	}
	if d.stale > 0 {
		l.logger().Info("pushed entries the feed's state does not know, dated before the oldest entry of its last poll, were not delivered (a replay, or a hub's late retry); a poll that finds them delivers them",
			"entries", d.stale, "horizon", time.Unix(ns.Horizon, 0).UTC())
	}
	// While the feed's dates are not trusted, its new items are its
	// publish rate as the poller sees it: those of a poll appeared since
	// the feed was last read; those of a push, which a hub sends as they
	// appear, now.
	stamp := ns.SeenAt
	if merge {
		stamp = now
	}
	if !stamp.IsZero() && len(ns.Seen) > 0 {
		for range d.arrivals {
			ns.Arrived = append(ns.Arrived, stamp)
		}
	}
	ns.Arrived = keepRecent(ns.Arrived, now)
	for _, r := range d.rejected {
		m.ItemsRejected.WithLabelValues(r.Reason).Inc()
		l.logger().Warn("feed entry rejected; published as a dead letter", "reason", r.Reason, "err", r.Error)
	}
	dead = DeadLetters(l.name, "", d.rejected, now)
	if merge {
		ns.Seen, ns.Memo = mergeSeen(ns.Seen, d.seen, ns.Memo, d.memo, 4*l.p.cfg.MaxItems)
	} else {
		ns.Gone = carryGone(ns.Seen, ns.Gone, d.seen)
		ns.Seen, ns.Memo, ns.SeenAt = d.seen, d.memo, now
		ns.Horizon = horizon(doc.Items, now)
	}
	m.ItemsNew.Add(float64(d.fresh))
	m.ItemsChanged.Add(float64(d.changed))
	m.ItemsRotated.Add(float64(d.rotated))
	return d.items, dead, d.counts, trusted
}

// ref names the feed in its batches.
func (l *loop) ref() record.FeedRef {
	return record.FeedRef{URL: l.name, Title: l.spec.Name, Tags: l.spec.Tags}
}

// onSuccess schedules the next poll one interval after this one fell due,
// not after its response ended: "poll every N" is the cadence of the
// requests a publisher sees, and neither a poll's own duration (the round
// trip, a slow body) nor its lag from due to start (a busy CPU, the
// per-host and global slots, unsent documents) stretches the schedule —
// planned from the start, every cycle lost its lag, and 1,000 feeds every
// 0.2 s came out as ~4,500 polls/s instead of 5,000 (BENCHMARKS, round 5).
// The cadence is kept only while the lag is under half an interval: a
// longer one (a host that was busy, a restart) plans from the start
// instead, so two requests of a feed are never less than half an interval
// apart, and never more than one in an interval on average. RFC 9111
// (§4.2.3) counts a response's age from its request, so a response is at
// most that much staler than its interval when the next request goes out.
// One loop polls a feed, so a poll never runs alongside the one before. A
// host that answers slower than half the interval is struggling: it gets
// at least half an interval of rest after the response ended, instead of
// a request the moment the last one ends.
// Failures back off from the failure instead (onError): Retry-After and a
// backoff count from the answer.
func (l *loop) onSuccess(ns *feedState, start, now time.Time, gap bool) {
	l.bo = nil // reset: made anew at the next failure
	ns.Failures, ns.ErrClass, ns.Err, ns.HTTPStatus = 0, "", "", 0
	ns.Health = record.HealthOK
	ns.LastSuccess = now
	every := l.relax(successInterval(l.p.cfg, l.spec, ns, now, gap), now)
	ns.NextPoll = start.Add(every)
	if lag := start.Sub(l.due); !l.due.IsZero() && lag > 0 && lag < every/2 {
		ns.NextPoll = l.due.Add(every)
	}
	if rest := now.Add(every / 2); rest.After(ns.NextPoll) {
		ns.NextPoll = rest
	}
	l.watchHubs(ns)
}

// watchHubs tells the hub watcher, if push is on, what the feed announces
// now; it subscribes, renews or unsubscribes accordingly.
func (l *loop) watchHubs(ns *feedState) {
	if l.p.hubs != nil {
		l.p.hubs.FeedLinks(l.spec.URL, ns.Links.Hubs, ns.Links.Self)
	}
}

func (l *loop) onError(ns *feedState, err error, now time.Time) {
	var fe *fetchError
	if !errors.As(err, &fe) {
		fe = &fetchError{Class: classify(err), Err: err}
	}
	l.p.m.Polls.WithLabelValues(OutcomeError).Inc()
	l.p.m.Errors.WithLabelValues(fe.Class).Inc()
	ns.Failures++
	ns.ErrClass, ns.HTTPStatus = fe.Class, fe.Status
	ns.Err = record.Truncate(fe.Error(), 300)
	if ns.Failures >= l.p.cfg.FailingAfter {
		ns.Health = record.HealthFailing
	} else {
		ns.Health = record.HealthDegraded
	}
	if ns.FetchURL != "" && ns.Failures >= l.p.cfg.FailingAfter {
		// Failing where it moved to: the next poll is to the configured
		// URL, which a publisher who fixed or withdrew its redirect serves
		// (and which redirects again, if the move stands).
		l.logger().Warn("feed failing at the URL it moved to; fetching from the configured URL again", "moved_to", record.RedactURL(ns.FetchURL), "failures", ns.Failures)
		ns.FetchURL = ""
	}
	d := errorDelay(l.p.cfg, l.fetchBackoff().NextBackOff(), fe.RetryAfter)
	ns.NextPoll = now.Add(d)
	log := l.logger()
	lvl := log.Info
	if ns.Failures == 1 || ns.Health == record.HealthFailing && ns.Failures == l.p.cfg.FailingAfter {
		lvl = log.Warn
	}
	attrs := []any{"err_class", fe.Class}
	if fe.Status != 0 {
		// Only an answer has a status: "http_status=0" beside a refused
		// connection read as a status the server sent.
		attrs = append(attrs, "http_status", fe.Status)
	}
	lvl("poll failed", append(attrs, "failures", ns.Failures, "retry_in", d.Round(time.Second), "err", err)...)
}

// status returns a feed_status when the feed's health, error class or
// warnings changed, on the first poll after start, and at least every
// status_interval; nil otherwise.
func (l *loop) status(ns *feedState, now time.Time, n counts) *record.FeedStatus {
	if l.sent && ns.Health == ns.SentHealth && ns.ErrClass == ns.SentClass && slices.Equal(ns.Warnings, ns.SentWarnings) &&
		now.Sub(ns.SentAt) < l.p.cfg.StatusInterval {
		return nil
	}
	l.sent = true
	ns.SentHealth, ns.SentClass, ns.SentWarnings, ns.SentAt = ns.Health, ns.ErrClass, slices.Clone(ns.Warnings), now
	return l.statusOf(ns, now, n)
}

// statusOf is the feed's state as a feed_status record, as of its poll at
// now whose document held what n counts.
func (l *loop) statusOf(ns *feedState, now time.Time, n counts) *record.FeedStatus {
	fs := &record.FeedStatus{}
	l.fillStatus(fs, ns, now, n)
	return fs
}

// fillStatus writes the feed's state into fs, as statusOf. It keeps fs's
// Warnings and LastSuccess where they already say what ns says, so the
// loop's entry on the board (health.go) is refreshed after every poll
// without allocating; the caller holds the board's lock for that entry.
func (l *loop) fillStatus(fs *record.FeedStatus, ns *feedState, now time.Time, n counts) {
	warnings, lastSuccess := fs.Warnings, fs.LastSuccess
	*fs = record.FeedStatus{
		Type:                record.TypeFeedStatus,
		ID:                  l.name,
		SchemaVersion:       record.SchemaVersion,
		FeedURL:             l.name,
		Name:                l.spec.Name,
		Tags:                l.spec.Tags,
		Health:              ns.Health,
		LastErrorClass:      ns.ErrClass,
		LastError:           ns.Err,
		ConsecutiveFailures: ns.Failures,
		LastAttempt:         now.UTC(),
		HTTPStatus:          ns.HTTPStatus,
		ItemsFound:          n.found,
		ItemsNew:            n.fresh,
		ItemsRotated:        n.rotated,
		ItemsRejected:       n.rejected,
		NextPoll:            ns.NextPoll.UTC(),
		MovedTo:             l.movedTo(ns.FetchURL),
		Warnings:            warnings,
		PolledBy:            l.p.cfg.Instance,
		FeedList:            l.p.cfg.FeedList,
		Key:                 l.key,
	}
	heldUntil, heldWhy := l.heldAt()
	setHold(fs, heldUntil, heldWhy)
	if (warnings == nil) != (ns.Warnings == nil) || !slices.Equal(warnings, ns.Warnings) {
		fs.Warnings = slices.Clone(ns.Warnings)
	}
	if !ns.LastSuccess.IsZero() {
		if lastSuccess == nil {
			lastSuccess = new(time.Time)
		}
		*lastSuccess = ns.LastSuccess.UTC()
		fs.LastSuccess = lastSuccess
	}
}
