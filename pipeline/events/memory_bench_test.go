package events

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkLiveEventMemory measures the heap a live event costs when most
// stories found their own (unrelated texts: the worst case the issue
// names), with and without the record of changes the state log needs.
//
//	go test -run '^$' -bench LiveEventMemory -benchtime 1x ./pipeline/events/
func BenchmarkLiveEventMemory(b *testing.B) {
	for _, track := range []bool{false, true} {
		b.Run(fmt.Sprintf("tracked=%v", track), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			vocab, text := benchWords(r)
			const n = 10_000
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for b.Loop() {
				c := New(DefaultConfig(), nil)
				c.TrackChanges(track)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for i := 0; i < n; i++ {
					s := &record.Story{ID: fmt.Sprintf("s_%022d", i), Title: text(10), Body: text(120), Language: "en",
						Publisher: fmt.Sprintf("pub%d", i%100), FirstSeen: t0.Add(time.Duration(i) * time.Second)}
					for k := 0; k < 8; k++ {
						s.Entities = append(s.Entities, record.Entity{Key: "person:" + vocab[r.IntN(5000)], Name: "X", Kind: "person"})
						s.Keywords = append(s.Keywords, vocab[r.IntN(5000)])
					}
					c.AddStory(s)
					if track && i%10 == 9 {
						c.Changes() // a batch of ten committed
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(c.Active()), "heapB/event")
				runtime.KeepAlive(c)
			}
		})
	}
}

// BenchmarkClosedEventFloor measures what the floor a closed event leaves
// costs: the heap per floor held, and the bytes of its entry in the state
// log (key and value; the log's framing comes on top).
//
//	go test -run '^$' -bench ClosedEventFloor -benchtime 1x ./pipeline/events/
func BenchmarkClosedEventFloor(b *testing.B) {
	const n = 100_000
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		c := New(DefaultConfig(), nil)
		c.TrackChanges(true)
		ids := make([]string, n)
		for i := range ids {
			ids[i] = eventID(fmt.Sprintf("s_%022d", i))
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i, id := range ids {
			c.clock = t0.Add(time.Duration(i) * time.Minute)
			c.setFloor(id, floor{rev: 1 + i%40, at: c.clock}) // as retire leaves it
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		// the ids' strings are the caller's (an event's id), not the floor's
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(c.floors.len()), "heapB/floor")
		var logBytes int
		for _, e := range c.Changes() {
			if e.Key[0] == 'r' {
				logBytes += len(e.Key) + len(e.Value)
			}
		}
		b.ReportMetric(float64(logBytes)/n, "logB/floor")
		runtime.KeepAlive(ids)
	}
}
