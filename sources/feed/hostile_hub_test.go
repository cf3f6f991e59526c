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
