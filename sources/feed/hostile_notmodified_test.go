package feed

import (
	"net/http"
	"testing"
	"time"
)

// A server (or a cache in front of it) that answers 304 to every
// conditional request, whatever the feed became, hid every new item for
// good: once it had validators, the poller never asked without them
// again. A poll a day goes without validators (its body hash still tells
// an unchanged feed), so such a feed's new items arrive within a day of
// being published, and no feed is fetched whole more often for it.
func TestAServerThatAlwaysSaysNotModifiedHidesItemsForADayAtMost(t *testing.T) {
	unconditional := 0
	s := &script{cfg: schedCfg(), spec: Spec{URL: "https://sticky.example/rss"}, run: 50 * time.Hour,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			if req.ETag != "" || req.LastModified != "" {
				return &fetchResult{Status: http.StatusNotModified}, nil
			}
			unconditional++
			if n == 1 {
				r := ok200(rssDoc("Sticky", "s1"), `"v1"`)
				r.LastModified = "Tue, 14 May 2024 09:15:00 GMT"
				return r, nil
			}
			r := ok200(rssDoc("Sticky", "s1", "s2"), `"v1"`) // the ETag of the first body: the server's lie
			r.LastModified = "Tue, 14 May 2024 09:15:00 GMT"
			return r, nil
		}}
	s.play(t)
	var items []string
	for _, b := range s.batches {
		for _, it := range b.Items {
			items = append(items, it.GUID)
		}
	}
	if len(items) != 2 || items[0] != "s1" || items[1] != "s2" {
		t.Errorf("items delivered %v, want s1 then s2 (s2 hidden behind 304s)", items)
	}
	// The first poll, one a day after: 2 days and 2 hours, 3.
	if unconditional != 3 {
		t.Errorf("%d unconditional requests in 50 h of %d, want 3: the first and one a day", unconditional, len(s.reqs))
	}
}
