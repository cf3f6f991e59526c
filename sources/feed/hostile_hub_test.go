package feed

import (
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// While a feed's hub pushes, the feed is polled only every
// relaxed_interval (1h): polling is the safety net. A broken or hostile
// hub kept that relaxation without delivering: pushing the feed as it
// was (the last poll's body, or entries already read) every so often
// held the feed to one poll an hour while its new stories waited for it;
// and a hub pushing some entries but missing others kept the poll that
// found the missed ones from changing anything. Polling relaxes only
// while pushes bring something new, and a poll that finds what no push
// brought returns the feed to its own interval.
func TestAHubThatPushesNothingNewDoesNotSlowTheFeedsPolling(t *testing.T) {
	// The feed gains a story at every poll; the hub never pushes them.
	grows := func(n int) *fetchResult {
		items := []string{"a"}
		for i := 2; i <= n; i++ {
			items = append([]string{fmt.Sprint("s", i)}, items...)
		}
		return withHub(ok200(rssDoc("Hub", items...), fmt.Sprintf(`"v%d"`, n)))
	}
	t.Run("stale pushes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := newPushRig(t, grows)
			stale := map[time.Duration]func(){}
			for at := 5 * time.Minute; at < 180*time.Minute; at += 20 * time.Minute {
				stale[at] = func() { _ = r.p.Push(t.Context(), pushFeed, "application/rss+xml", rssDoc("Hub", "a")) }
			}
			r.run(t, 180*time.Minute, stale)
			if len(r.polls) < 2 || r.polls[1] != 10*time.Minute {
				t.Errorf("polls at %v: want the second at the feed's own 10m; a push of nothing new relaxed it", r.polls)
			}
			if len(r.polls) <= 4 {
				t.Errorf("%d polls in 3h (at %v): the stale pushes held the feed to one an hour", len(r.polls), r.polls)
			}
		})
	})
	t.Run("a hub that misses stories", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := newPushRig(t, grows)
			r.run(t, 180*time.Minute, map[time.Duration]func(){
				5 * time.Minute: func() { _ = r.p.Push(t.Context(), pushFeed, "application/rss+xml", rssDoc("Hub", "p1", "a")) },
			})
			// The push of p1 relaxed the poll to 60m, rightly; that poll
			// found s2, which no push brought: the hub is not delivering.
			if len(r.polls) < 3 || r.polls[1] != time.Hour || r.polls[2]-r.polls[1] >= time.Hour {
				t.Errorf("polls at %v: want the second at 60m (relaxed by the push) and the third within the feed's own interval after it", r.polls)
			}
			if got := r.titles(); len(got) < 3 || !slices.Equal(got[1], []string{"Story p1"}) {
				t.Errorf("batches %v: want the pushed story delivered", got)
			}
		})
	})
}

// atomEntryDoc is an Atom feed of one entry, id e1, under title and
// updated.
func atomEntryDoc(title, updated string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Hub</title><id>urn:feed</id><updated>%s</updated>`+
		`<entry><id>urn:e1</id><title>%s</title><link href="https://pushed.example/e1"/><updated>%s</updated><summary>%s.</summary></entry></feed>`,
		updated, title, updated, title)
}

// A hub retries a delivery that failed, later, and a signed delivery
// recorded on the way can be sent again once the callback's replay
// window (its last 64 bodies) has moved on: either way an entry arrives
// in a version older than the one the feed already delivered. It was
// delivered as a revision — the story's text rolled back to what its
// publisher had since corrected — and the next poll delivered the
// correction again. A pushed entry whose updated date is older than the
// version already read is not delivered, and the feed remembers the
// newer one.
func TestALateOrReplayedPushDoesNotRollAStoryBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v1 := atomEntryDoc("Storm closes port", "2026-12-05T10:00:00Z")
		v2 := atomEntryDoc("Storm closes port, reopens at noon", "2026-12-05T10:05:00Z")
		r := newPushRig(t, func(n int) *fetchResult {
			if n == 1 {
				return withHub(ok200(v1, `"v1"`))
			}
			return withHub(ok200(v2, `"v2"`))
		})
		push := func(body []byte) func() {
			return func() { _ = r.p.Push(t.Context(), pushFeed, "application/atom+xml", body) }
		}
		r.run(t, 70*time.Minute, map[time.Duration]func(){
			2 * time.Minute: push(v2), // the correction, pushed
			// The first version again, as the hub sent it then (its bytes
			// are not the poll's): a late retry, a replay.
			3 * time.Minute: push(append(slices.Clone(v1), '\n')),
		})
		want := [][]string{{"Storm closes port"}, {"Storm closes port, reopens at noon"}}
		if got := r.titles(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("batches %q, want %q: the older version delivered after the newer", got, want)
		}
	})
}

// atomDoc is an Atom feed of entries, each {id, title, updated}.
func atomDoc(entries ...[3]string) []byte {
	b := []byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Hub</title><id>urn:feed</id>`)
	for _, e := range entries {
		b = fmt.Appendf(b, `<entry><id>urn:%s</id><title>%s</title><link href="https://pushed.example/%s"/><updated>%s</updated><summary>%s.</summary></entry>`,
			e[0], e[1], e[0], e[2], e[1])
	}
	return append(b, "</feed>"...)
}

// A delivery recorded long ago and replayed (or a hub's very late retry)
// carries an entry the feed dropped and the feed's state has since
// forgotten, as has dedupe after state.seen_ttl: it came out as a new
// story. A poll can deliver only what the feed shows, and the feed shows
// nothing older than its oldest entry; a push is held to the same: an
// entry the feed's state does not know, dated before the oldest entry of
// the last poll's document (the feed's horizon), is not delivered. A new
// entry is dated after it and still goes at once.
func TestAStalePushOfAForgottenEntryIsNotDelivered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		at := func(ago time.Duration) string { return time.Now().Add(-ago).UTC().Format(time.RFC3339) }
		feed := atomDoc([3]string{"e3", "Port reopens", at(time.Hour)}, [3]string{"e2", "Storm nears the coast", at(2 * time.Hour)})
		r := newPushRig(t, func(int) *fetchResult { return withHub(ok200(feed, `"v1"`)) })
		push := func(body []byte) func() {
			return func() { _ = r.p.Push(t.Context(), pushFeed, "application/atom+xml", body) }
		}
		r.run(t, 70*time.Minute, map[time.Duration]func(){
			// A month-old entry the feed listed once: a replay.
			2 * time.Minute: push(atomDoc([3]string{"e0", "Budget passed a month ago", at(30 * 24 * time.Hour)})),
			// A new entry, as a hub sends one.
			4 * time.Minute: push(atomDoc([3]string{"e4", "Ferries run again", at(0)})),
		})
		want := [][]string{{"Port reopens", "Storm nears the coast"}, {"Ferries run again"}}
		if got := r.titles(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("batches %q, want %q: a replayed entry older than the feed's horizon was delivered as new", got, want)
		}
	})
}

// A feed's clock may run a few minutes ahead (trustDates lets a date up to
// futureTolerance ahead pass): the oldest entry of a poll can be dated
// after the poll. The horizon is what a poll could have shown, so it is
// never later than the poll: a new entry pushed just after, dated before
// its push but before that entry's date, is delivered at once. Before, the
// horizon was the future date and the new entry was held back as stale.
func TestAPushAfterAPollOfAFeedDatedAheadIsDelivered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }
		feed := atomDoc([3]string{"e1", "Port reopens", at(5 * time.Minute)})
		r := newPushRig(t, func(int) *fetchResult { return withHub(ok200(feed, `"v1"`)) })
		push := func(body []byte) func() {
			return func() { _ = r.p.Push(t.Context(), pushFeed, "application/atom+xml", body) }
		}
		r.run(t, 10*time.Minute, map[time.Duration]func(){
			2 * time.Minute: push(atomDoc([3]string{"e2", "Ferries run again", at(time.Minute)})),
		})
		want := [][]string{{"Port reopens"}, {"Ferries run again"}}
		if got := r.titles(); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("batches %q, want %q: a new pushed entry was held back by a horizon after the poll", got, want)
		}
	})
}
