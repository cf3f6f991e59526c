package feed

import (
	"container/heap"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// rankScheduler is a scheduler over a poller that runs nothing: the
// tests below push idle feeds into its due heap and read the order in
// which next and the ready queue hand them out.
func rankScheduler(t *testing.T) *scheduler {
	t.Helper()
	p, err := NewPoller(schedCfg(), nil, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return newScheduler(p, nil)
}

func (s *scheduler) idleFeed(url string, due time.Time, gapped bool) {
	f := &schedFeed{l: &loop{spec: Spec{URL: url}, due: due, gapped: gapped}, index: -1}
	s.feeds[url] = f
	heap.Push(&s.due, f)
}

// pollOrder is the order in which the scheduler would poll its feeds
// that are due now, one slot at a time.
func (s *scheduler) pollOrder(t *testing.T) []string {
	t.Helper()
	var urls []string
	for {
		_, slot := s.next()
		if slot == nil {
			return urls
		}
		urls = append(urls, s.popReady().l.spec.URL)
	}
}

// A saturated poller (every due poll waits for a slot) polls a feed whose
// last poll found every item new before feeds that fell due earlier but
// were not: the one loses stories for every moment it waits, the others
// nothing. Among each kind the earlier due goes first.
func TestAFeedWhoseLastPollFoundAGapGoesAheadOfOnTimeFeeds(t *testing.T) {
	s := rankScheduler(t)
	now := time.Now()
	s.idleFeed("plain-3s", now.Add(-3*time.Second), false)
	s.idleFeed("plain-2s", now.Add(-2*time.Second), false)
	s.idleFeed("gap-1s", now.Add(-time.Second), true)
	s.idleFeed("gap-2s", now.Add(-2*time.Second), true)
	s.idleFeed("later", now.Add(time.Hour), true) // not due: stays in the due heap
	want := []string{"gap-2s", "gap-1s", "plain-3s", "plain-2s"}
	if got := s.pollOrder(t); !slices.Equal(got, want) {
		t.Errorf("polled %v, want %v", got, want)
	}
	if len(s.due) != 1 || s.due[0].l.spec.URL != "later" {
		t.Errorf("due heap holds %d feeds, want only the one not due", len(s.due))
	}
}

// The lead is bounded, so no feed starves behind gapped ones: a feed that
// fell due more than gapLead before a gapped feed goes first.
func TestAFeedLateByMoreThanTheGapLeadGoesBeforeAGappedFeed(t *testing.T) {
	s := rankScheduler(t)
	now := time.Now()
	s.idleFeed("gap", now.Add(-time.Second), true)
	s.idleFeed("plain-long-late", now.Add(-time.Second-gapLead-time.Millisecond), false)
	want := []string{"plain-long-late", "gap"}
	if got := s.pollOrder(t); !slices.Equal(got, want) {
		t.Errorf("polled %v, want %v", got, want)
	}
}

// A feed taken off the scheduler while it waits in the ready queue
// leaves that queue, not the due heap.
func TestARemovedFeedLeavesTheReadyQueue(t *testing.T) {
	s := rankScheduler(t)
	now := time.Now()
	s.idleFeed("a", now.Add(-time.Second), false)
	s.idleFeed("b", now.Add(-2*time.Second), true)
	s.idleFeed("c", now.Add(time.Hour), false)
	s.next()
	s.unqueue(s.feeds["b"])
	if got := s.pollOrder(t); !slices.Equal(got, []string{"a"}) {
		t.Errorf("polled %v, want [a]", got)
	}
	if len(s.due) != 1 {
		t.Errorf("due heap holds %d feeds, want 1", len(s.due))
	}
}

// The dated-gap counter counts only gaps whose every item is dated after
// the newest item of the poll before.
func TestADatedGapIsAGapWhoseItemsAllFollowTheLastPollsNewest(t *testing.T) {
	cfg := schedCfg()
	cfg.StartSpread = 0
	s := &script{cfg: cfg, spec: Spec{URL: "https://gap.example/rss"}, run: 3 * time.Hour,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			now := time.Now()
			switch n {
			case 1:
				return ok200(rssDoc("Gap", dated("a", now.Add(-2*time.Hour)), dated("b", now.Add(-time.Hour))), ""), nil
			case 2: // all new, all after b: a dated gap
				return ok200(rssDoc("Gap", dated("c", now.Add(-2*time.Minute)), dated("d", now.Add(-time.Minute))), ""), nil
			case 3: // all new, one dated before d: a gap, not a dated one
				return ok200(rssDoc("Gap", dated("e", now.Add(-time.Minute)), dated("f", now.Add(-time.Hour))), ""), nil
			default: // e is still there: no gap
				return ok200(rssDoc("Gap", dated("g", now), dated("e", now.Add(-2*time.Minute))), ""), nil
			}
		}}
	s.play(t)
	if len(s.polls) < 4 {
		t.Fatalf("polls at %v, want 4 or more", s.polls)
	}
	if got := testutil.ToFloat64(s.m.Gaps); got != 2 {
		t.Errorf("gaps = %v, want 2", got)
	}
	if got := testutil.ToFloat64(s.m.DatedGaps); got != 1 {
		t.Errorf("dated gaps = %v, want 1", got)
	}
}
