package events

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
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
					c.AddStory(unrelatedStory(r, vocab[:5000], text, i, t0))
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

// BenchmarkStateBytesAtScale measures the clusterer's heap at a large
// vocabulary, as the 10k-feed + 1M-story run holds it (hundreds of
// thousands of terms): the heap per live event, per story it remembers
// and per term it numbers, and what the dictionary's text → id index
// costs a term beside a map[string]termID of the same terms (the index
// before round 39), measured in the same process.
//
//	go test -run '^$' -bench StateBytesAtScale -benchtime 1x ./pipeline/events/
func BenchmarkStateBytesAtScale(b *testing.B) {
	const n, vocabulary = 20_000, 1_000_000
	vocab := make([]string, vocabulary)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%d", i)
	}
	for b.Loop() {
		r := rand.New(rand.NewPCG(1, 2))
		text := func(k int) string {
			w := make([]byte, 0, 8*k)
			for i := range k {
				if i > 0 {
					w = append(w, ' ')
				}
				w = append(w, vocab[r.IntN(len(vocab))]...)
			}
			return string(w)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := New(DefaultConfig(), nil)
		c.TrackChanges(true)
		cpu0 := cputime.Self()
		for i := range n {
			c.AddStory(unrelatedStory(r, vocab[:20000], text, i, t0))
			if i%10 == 9 {
				c.Changes()
			}
		}
		c.Changes()
		cpu := cputime.Self() - cpu0
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap := float64(after.HeapAlloc - before.HeapAlloc)
		terms := c.terms.len()
		b.ReportMetric(heap/float64(c.Active()), "heapB/event")
		b.ReportMetric(heap/float64(len(c.byStory)), "heapB/story")
		b.ReportMetric(float64(terms), "terms")
		b.ReportMetric(float64(c.Active()), "events")
		b.ReportMetric(float64(8*len(c.terms.ids.slots))/float64(terms), "indexB/term")
		b.ReportMetric(cpu*1e9/n, "cpu-ns/story")

		// the index before: a map of the same texts
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := make(map[string]termID, 1024)
		for id, s := range c.terms.terms {
			if c.terms.refs[id] >= 0 {
				m[s] = termID(id)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(terms), "mapB/term")
		runtime.KeepAlive(m)
		runtime.KeepAlive(c)
	}
}
