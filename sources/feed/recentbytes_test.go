package feed

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A feed's trusted publish times (feedState.Recent, up to maxRecent) are
// held between its polls for every feed: at 10,000 feeds of a news site's
// 50–100 dated items each byte a time is ≈ 1 MB. A time.Time is 24 bytes
// (wall, monotonic, zone); the schedule reads only the instant. This
// holds the publish times of 200 reads of an 80-item document, dated in
// UTC and in a zone of their own, and measures what they keep after a
// collection: an instant needs 8 bytes.
func TestARecentPublishTimeIsHeldInAtMost12Bytes(t *testing.T) {
	const states, items = 200, 80
	now := time.Now()
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("", -5*3600)} {
		var b strings.Builder
		b.WriteString(`<rss version="2.0"><channel><title>Feed</title>`)
		for i := range items {
			fmt.Fprintf(&b, `<item><guid>g%d</guid><title>Story %d</title><pubDate>%s</pubDate></item>`,
				i, i, now.Add(-time.Duration(i)*time.Minute).In(zone).Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		body := []byte(b.String())
		held := make([]feedState, states)
		before := heapAfterGC()
		for i := range held {
			doc, err := ParseAtMost(body, "application/rss+xml", "feed", now, 1000)
			if err != nil {
				t.Fatal(err)
			}
			held[i].Recent = recentTimes(doc.Items, now)
			doc = Document{}
		}
		after := heapAfterGC()
		for i := range held {
			if n := held[i].Recent.len(); n != items {
				t.Fatalf("state %d holds %d publish times, want %d", i, n, items)
			}
		}
		perTime := float64(int64(after)-int64(before)) / (states * items)
		t.Logf("zone %s: %.1f bytes held a publish time", zone, perTime)
		if perTime > 12 {
			t.Errorf("zone %s: a publish time is held in %.1f bytes, want at most 12 (its instant is 8)", zone, perTime)
		}
		runtime.KeepAlive(held)
	}
}
