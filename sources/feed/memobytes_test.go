package feed

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A feed's memos (feedState.Memo: an item's link and text hashes, when it
// was first read and its own updated date) are held between its polls
// for every item of every feed: 80 items × 10,000 feeds is 800,000 memos.
// Both dates are Unix seconds, which 32 bits hold until 2106; 64 each
// made a memo 40 bytes with its key. This holds the memos of 200 diffs
// of an 80-item Atom document (dated, so Updated is set) and measures
// what they keep after a collection: 32 bytes an item is the most with
// 4-byte dates.
func TestAMemoIsHeldInAtMost32Bytes(t *testing.T) {
	const states, items = 200, 80
	now := time.Now()
	var b strings.Builder
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>`)
	for i := range items {
		fmt.Fprintf(&b, `<entry><id>g%d</id><title>Story %d</title><link href="https://site.example/%d"/><updated>%s</updated></entry>`,
			i, i, i, now.Add(-time.Duration(i)*time.Minute).UTC().Format(time.RFC3339))
	}
	b.WriteString(`</feed>`)
	body := []byte(b.String())
	p := &Poller{cfg: DefaultConfig()}
	l := &loop{p: p}
	held := make([]feedState, states)
	before := heapAfterGC()
	for i := range held {
		doc, err := ParseAtMost(body, "application/atom+xml", "feed", now, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var ns feedState
		d := l.diff(&ns, doc, true, false, now)
		held[i].Memo = d.memo
		doc, d = Document{}, docDiff{}
	}
	after := heapAfterGC()
	for i := range held {
		if n := held[i].Memo.len(); n != items {
			t.Fatalf("state %d holds %d memos, want %d", i, n, items)
		}
		m := held[i].Memo.at(0).memo
		if m.Updated == 0 || m.First != now.Unix() {
			t.Fatalf("state %d: memo %+v, want a dated one first read now", i, m)
		}
	}
	perItem := float64(int64(after)-int64(before)) / (states * items)
	t.Logf("%.1f bytes held a memo", perItem)
	if perItem > 34 { // 32, and the slices' headers
		t.Errorf("a memo is held in %.1f bytes, want at most 32 (key, link, text: 24; two 4-byte dates)", perItem)
	}
	runtime.KeepAlive(held)
}
