package feed

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// A feed's seen items are held for every item of every feed between its
// polls: at 10,000 feeds of a news site's 50–100 items, each byte an item
// is ≈ 1 MB. As two Go maps (key → content hash, key → memo) an item cost
// ≈ 92 bytes held (a map's table is sized to a power of two with room to
// spare, and a memo's slot is 40 bytes); the 56 bytes of data are what it
// must cost. This holds the states of 200 polls of an 80-item document,
// as a loop adopts them, and measures what they keep after a collection.
func TestASeenItemIsHeldInAtMost64Bytes(t *testing.T) {
	const states, items = 200, 80
	p, err := NewPoller(DefaultConfig(), nil, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.fetcher.close()
	l := p.newLoop(Spec{URL: "https://seen.example/rss"}, nil)
	now := time.Now()
	var guids []string
	for i := range items {
		guids = append(guids, dated(fmt.Sprintf("story-%d", i), now.Add(-time.Duration(i)*time.Minute)))
	}
	body := rssDoc("Feed", guids...)
	held := make([]feedState, states)
	before := heapAfterGC()
	for i := range held {
		doc, err := ParseAtMost(body, "application/rss+xml", l.name, now, p.cfg.MaxItems)
		if err != nil {
			t.Fatal(err)
		}
		ns := feedState{V: stateVersion}
		l.pick(&ns, &doc, false, now)
		held[i] = feedState{Seen: ns.Seen, Memo: ns.Memo, Gone: ns.Gone}
	}
	after := heapAfterGC()
	for i := range held {
		if len(held[i].Seen) != items || len(held[i].Memo) != items {
			t.Fatalf("state %d remembers %d items (%d memos), want %d", i, len(held[i].Seen), len(held[i].Memo), items)
		}
	}
	perItem := float64(int64(after)-int64(before)) / (states * items)
	t.Logf("%.1f bytes held an item", perItem)
	if perItem > 64 {
		t.Errorf("a seen item is held in %.1f bytes, want at most 64 (its key, content hash and memo are 56)", perItem)
	}
	runtime.KeepAlive(held)
}

// heapAfterGC is the live heap's bytes after two collections.
func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
