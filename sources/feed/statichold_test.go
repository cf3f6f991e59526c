package feed

import (
	"fmt"
	"runtime"
	"testing"
)

// A poller keeps every configured feed's settings for its life, to tell
// an assignment's feed that is the configured one (its headers already
// expanded) from one that changed. It kept them three times: the list
// Assign reads, a map of URL → Spec (an 80-byte Spec in every slot) and
// a map of URL → headers — ≈ 360 B a feed with the list, 3.6 MB at
// 10,000 feeds. The maps now hold the feed's place in the list.
func TestAPollerHoldsAConfiguredFeedsSettingsOnce(t *testing.T) {
	if raceOn {
		t.Skip("the race detector instruments allocations")
	}
	const n = 20000
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = Spec{URL: fmt.Sprintf("http://127.0.0.1/feed/%d", i), Name: "a feed", Tags: []string{"news"}}
	}
	before, _ := liveMemory()
	p, err := NewPoller(DefaultConfig(), specs, &countingStore{}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := liveMemory()
	perFeed := (float64(after) - float64(before)) / n
	runtime.KeepAlive(p)
	runtime.KeepAlive(specs)
	// The list's 80 B (96 with append's spare room) and a map slot of
	// the URL and an index: under 200 B; the two maps of settings were
	// ≈ 260 B more.
	if perFeed > 200 {
		t.Errorf("a poller holds %.0f B a configured feed; want at most 200 (its Spec once, and its place by URL)", perFeed)
	}
	t.Logf("%.0f B a configured feed", perFeed)
}
