package feed

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

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
