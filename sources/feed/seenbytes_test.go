package feed

import (
	"context"
	"fmt"
	"runtime"
	"slices"
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
		if len(held[i].Seen) != items || held[i].Memo.len() != items {
			t.Fatalf("state %d remembers %d items (%d memos), want %d", i, len(held[i].Seen), held[i].Memo.len(), items)
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

// A push's items merge into those seen: the pushed entry wins a key both
// hold, and the result stays sorted with each key once (seenList.get
// searches it).
func TestMergeSortedKeepsOrderAndThePushedEntry(t *testing.T) {
	old := seenList{{1, 10}, {3, 30}, {5, 50}}
	pushed := seenList{{2, 21}, {3, 31}, {6, 61}}
	got := mergeSorted(old, pushed, func(e seenEntry) uint64 { return e.Key })
	want := seenList{{1, 10}, {2, 21}, {3, 31}, {5, 50}, {6, 61}}
	if !slices.Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
	if v, ok := got.get(3); !ok || v != 31 {
		t.Errorf("get(3) = %d, %v; want the pushed 31", v, ok)
	}
	if _, ok := got.get(4); ok {
		t.Error("get(4) found a key neither held")
	}
	if m := mergeSorted(seenList(nil), nil, func(e seenEntry) uint64 { return e.Key }); m == nil {
		t.Error("two empty lists merged into nil; a merge was never nil (it was a map made for the push)")
	}
}

// A saved state whose seen keys differ only in the case of their hex is
// one key, as it was in a map: the list holds it once, sorted.
func TestASavedSeenStateWithKeysOfBothCasesReadsAsOneKey(t *testing.T) {
	var s seenList
	if err := s.UnmarshalJSON([]byte(`{"00000000000000FF":"0000000000000001","00000000000000ff":"0000000000000001","0000000000000001":"invalid"}`)); err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || s[0].Key != 1 || s[1].Key != 0xff {
		t.Errorf("read %v, want keys 1 and 0xff once each, in order", s)
	}
}

// A feed that polls without failing holds no backoff: two of them (fetch
// failures, failed batches) were ≈ 190 bytes of every idle feed's heap,
// and a backoff that was reset is one made anew. One that failed holds
// its fetch backoff until it succeeds again, and lets go of it then.
func TestAHealthyFeedHoldsNoBackoff(t *testing.T) {
	spec := Spec{URL: "https://backoff.example/rss"}
	p, err := NewPoller(DefaultConfig(), []Spec{spec}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.fetcher.close()
	failing := true
	p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
		if failing {
			return nil, &fetchError{Class: Class5xx, Status: 503, Err: errTestHTTP}
		}
		return ok200(rssDoc("Feed", "a"), `"v1"`), nil
	}
	l := p.newLoop(spec, nil)
	if l.bo != nil || l.retry != nil {
		t.Fatalf("a new feed's loop holds backoffs: fetch %v, batches %v", l.bo != nil, l.retry != nil)
	}
	l.begin()
	res, ok := l.poll(context.Background(), hostTurn{})
	if !ok || res.next.Failures != 1 {
		t.Fatalf("the failing poll: ok %v, failures %d", ok, res.next.Failures)
	}
	if l.bo == nil {
		t.Fatal("a failed fetch left no backoff to continue from")
	}
	l.st = res.next
	failing = false
	res, ok = l.poll(context.Background(), hostTurn{})
	if !ok || res.next.Failures != 0 {
		t.Fatalf("the poll after: ok %v, failures %d", ok, res.next.Failures)
	}
	if l.bo != nil {
		t.Error("a feed that succeeded again still holds its fetch backoff")
	}
}
