package feed

import (
	"cmp"
	"hash/fnv"
	"slices"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// hostStartGap is how far apart a cold start puts the first polls of
// one host's feeds, per_host_concurrency of them at a time: a host with
// many feeds gets a request or two a second, not one as fast as it answers.
const hostStartGap = time.Second

// firstPolls says when, after a start, each feed's first poll falls due:
// a feed alone on its host (or among the first per_host_concurrency of its
// host) at once, so a small list learns within seconds whether a feed
// works; the rest of a host's feeds hostStartGap apart per
// per_host_concurrency, in the order of a hash of their URLs (like
// Prometheus' scrape offsets: deterministic, so a restart keeps the order).
// A host with more feeds than start_spread leaves room for at that pace
// gets them closer together, so that a list handed over whole fits within
// spread. spread 0 polls every feed at once. The per-host and global
// limits still hold every request.
//
// It keeps, per host, the last wave it handed out: a new loop takes the
// next free place after it. A list that arrives in parts — a fetcher's,
// a partition at a time — so gets no more first polls a second than the
// whole list would: ranking each part's feeds afresh put each part's
// share of a host into the first seconds again (review21: 11 first polls
// of one host in second 0 and 67 in the first 10 s, for 1,000 feeds over
// 12 partitions, against 2 and 20). A host's gap follows the feeds it has
// so far, so a large host whose list comes in parts may take longer than
// spread, never more polls a second than its whole list allows.
type firstPolls struct {
	perHost int
	spread  time.Duration
	hosts   map[string]*hostWave
	// feeds is how many feeds each host has in the latest list (next's
	// urls): a held host's waves after its hold are spaced by it as
	// first polls are (waveGap), read by the limiter from the loops.
	feeds atomic.Pointer[map[string]int]
}

// hostWave is the latest wave of a host's first polls.
type hostWave struct {
	at time.Time // when it falls due
	n  int       // first polls in it
}

func newFirstPolls(perHost int, spread time.Duration) *firstPolls {
	return &firstPolls{perHost: max(perHost, 1), spread: spread, hosts: map[string]*hostWave{}}
}

// next says, for each URL of urls that isNew reports a new loop for, how
// long after now its first poll falls due. urls are all the feeds
// assigned, new or not: a host's count among them sets its gap.
func (f *firstPolls) next(now time.Time, urls []string, isNew func(url string) bool) map[string]time.Duration {
	count := map[string]int{}
	fresh := map[string][]string{}
	for _, u := range urls {
		h := HostKey(u)
		count[h]++
		if isNew(u) {
			fresh[h] = append(fresh[h], u)
		}
	}
	f.feeds.Store(&count)
	// A host whose last wave is a gap behind starts a wave now, as one
	// never seen: only hosts still starting are kept.
	for h, w := range f.hosts {
		if !now.Before(w.at.Add(hostStartGap)) {
			delete(f.hosts, h)
		}
	}
	out := make(map[string]time.Duration, len(urls))
	for h, us := range fresh {
		slices.SortFunc(us, func(a, b string) int { return cmp.Or(cmp.Compare(urlHash(a), urlHash(b)), cmp.Compare(a, b)) })
		gap := f.gap(count[h])
		w := f.hosts[h]
		if w == nil {
			w = &hostWave{at: now}
			f.hosts[h] = w
		}
		for _, u := range us {
			if w.n >= f.perHost || !now.Before(w.at.Add(gap)) {
				w.at, w.n = later(now, w.at.Add(gap)), 0
			}
			w.n++
			out[u] = max(w.at.Sub(now), 0)
		}
	}
	return out
}

// gap is how far apart the waves of a host with n feeds go (waveGap).
func (f *firstPolls) gap(n int) time.Duration { return waveGap(n, f.perHost, f.spread) }

// feedsOn is how many feeds host has in the latest list.
func (f *firstPolls) feedsOn(host string) int {
	if m := f.feeds.Load(); m != nil {
		return (*m)[host]
	}
	return 0
}

// waveGap is how far apart waves of perHost requests go when n requests
// of one host go at once: hostStartGap, or closer when the waves would
// not fit within spread — a cold start's first polls, and the requests a
// hold held back.
func waveGap(n, perHost int, spread time.Duration) time.Duration {
	waves := (n + perHost - 1) / perHost
	if waves > 1 && time.Duration(waves-1)*hostStartGap > spread {
		return spread / time.Duration(waves-1)
	}
	return hostStartGap
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func urlHash(u string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(u))
	return h.Sum64()
}

// rateWindow is how far back publish times inform the interval.
const rateWindow = 7 * 24 * time.Hour

// maxRecent bounds the publish times kept per feed.
const maxRecent = 100

// futureTolerance is how far ahead of the fetch an item's date may lie
// before the feed's dates are no longer trusted for its schedule: clocks
// drift by minutes; a zone written wrong is hours off. lateTolerance is
// how far after an item was first read its date may lie: the publisher's
// clock against ours, at the moment of publication.
const (
	futureTolerance = 10 * time.Minute
	lateTolerance   = 2 * time.Minute
)

// itemTime is an item's publish time, else its update time, or nil.
func itemTime(it *record.Item) *time.Time {
	if it.PublishedParsed != nil {
		return it.PublishedParsed
	}
	return it.UpdatedParsed
}

// trustDates reports whether the feed's dates may inform its schedule.
// They may not, for rateWindow, once they are caught out (noted in
// s.DistrustAt): an item dated ahead of now by more than
// futureTolerance (a zone written wrong), or an item dated more than
// lateTolerance after it was first read (dates stamped at every request,
// or shifted ahead by less than the time between polls). Either makes
// "every item was just published" pin the feed at its minimum interval;
// and a zone written wrong shifts every date of the feed, also those that
// happen not to lie in the future. The schedule then counts how many
// items appeared between polls instead (feedState.Arrived).
func (s *feedState) trustDates(items []record.Item, now time.Time) bool {
	for i := range items {
		t := itemTime(&items[i])
		if t == nil {
			continue
		}
		m, known := s.Memo.get(itemKey(&items[i]))
		if t.After(now.Add(futureTolerance)) || known && m.First > 0 && t.After(time.Unix(m.First, 0).Add(lateTolerance)) {
			s.DistrustAt = now
			break
		}
	}
	return s.DistrustAt.IsZero() || now.Sub(s.DistrustAt) > rateWindow
}

// recentTimes keeps the newest publish times of a document's items whose
// dates are trusted (trustDates); a date up to futureTolerance ahead
// counts as now. What it returns is kept in the feed's state until the
// next body: a copy of exactly what is kept, not the array append grew
// for the whole document (up to max_items, a quarter of it spare on
// average), 8 bytes a time (recentList).
func recentTimes(items []record.Item, now time.Time) recentList {
	var ts []time.Time
	for i := range items {
		if t := itemTime(&items[i]); t != nil {
			if t.After(now) {
				ts = append(ts, now)
			} else {
				ts = append(ts, *t)
			}
		}
	}
	return recentListOf(keepRecent(ts, now))
}

// keepRecent returns the newest maxRecent of ts within rateWindow of now,
// newest first.
func keepRecent(ts []time.Time, now time.Time) []time.Time {
	ts = slices.DeleteFunc(ts, func(t time.Time) bool { return now.Sub(t) > rateWindow })
	slices.SortFunc(ts, func(a, b time.Time) int { return b.Compare(a) })
	if len(ts) > maxRecent {
		ts = ts[:maxRecent]
	}
	return ts
}

// rateInterval is the mean gap between items published within the window,
// measured up to now: n items since the oldest of them. A feed that stops
// publishing drifts to longer intervals on its own as now moves on; a feed
// that shows only its last 10 items still yields its true rate because
// only the span those items cover counts. The times are the trusted dates
// of the last document, or, while the feed's dates are not trusted, the
// arrivals of its new items (stamped with the time of the read before
// they appeared, so the span covers the wait in which they came). ok is
// false without either: a feed without dates has its own interval
// (Undated).
//
// The times come in two lists (the trusted dates and the arrivals),
// read as one without joining them: a poll should not allocate for it.
func rateInterval(now time.Time, recent recentList, arrived []time.Time) (time.Duration, bool) {
	n, some := 0, false
	var oldest time.Time
	count := func(t time.Time) {
		some = true
		if now.Sub(t) > rateWindow {
			return
		}
		n++
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
	}
	if recent.wide != nil {
		for _, t := range *recent.wide {
			count(t)
		}
	} else if len(recent.at) > 0 {
		// The same test on the nanoseconds: a time read back from them
		// has no monotonic reading, so now.Sub(t) is the wall clocks'
		// difference, and "more than rateWindow ago" is "before cut".
		some = true
		cut := now.UnixNano() - int64(rateWindow)
		var oldestAt int64
		for _, at := range recent.at {
			if at < cut {
				continue
			}
			if n == 0 || at < oldestAt {
				oldestAt = at
			}
			n++
		}
		if n > 0 {
			oldest = time.Unix(0, oldestAt)
		}
	}
	for _, t := range arrived {
		count(t)
	}
	if !some {
		return 0, false
	}
	if n == 0 {
		return rateWindow, true
	}
	span := now.Sub(oldest)
	return span / time.Duration(n), true
}

// successInterval is the wait after a successful poll.
//
//   - The base is the feed's publish rate, or for feeds without dates an
//     interval that starts at DefaultInterval and grows by half each poll
//     that brings nothing new.
//   - Publisher hints (ttl, sy:updatePeriod, Cache-Control / Expires) are
//     floors: the publisher asked us not to come back sooner.
//   - Everything is clamped to the feed's bounds: the configured maximum
//     wins over a hint, so a feed that claims a daily ttl is still polled
//     within the bound the operator chose.
//   - A gap (every item new) polls again at the lower bound.
func successInterval(cfg Config, spec Spec, st *feedState, now time.Time, gap bool) time.Duration {
	lo, hi := cfg.bounds(spec)
	if gap {
		return lo
	}
	base, ok := rateInterval(now, st.Recent, st.Arrived)
	if !ok {
		base = st.Undated
		if base <= 0 {
			base = cfg.DefaultInterval
		}
	}
	d := max(base, st.DocHint, st.CacheFor)
	return min(max(d, lo), hi)
}

// nextUndated grows the interval of a feed without dates when a poll
// brought nothing new, and resets it when it did.
func nextUndated(cfg Config, spec Spec, cur time.Duration, gotNew bool) time.Duration {
	_, hi := cfg.bounds(spec)
	if gotNew || cur <= 0 {
		return cfg.DefaultInterval
	}
	return min(cur+cur/2, hi)
}

// errorDelay combines the backoff with a server's Retry-After: the longer
// wins, and Retry-After is honoured up to MaxRetryAfter.
func errorDelay(cfg Config, backoffDelay, retry time.Duration) time.Duration {
	d := backoffDelay
	if retry > d {
		d = min(retry, cfg.MaxRetryAfter)
	}
	return max(d, time.Second)
}
