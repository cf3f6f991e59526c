package events

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkHalvingBatch measures the state log's batch in which the
// document frequencies halve: a stream of stories whose words are partly
// a common pool drawn with a long tail and partly new (names, numbers),
// in batches of 8 stories, under a vocabulary bound of 100,000 terms and
// under the default, 500,000 (which takes minutes to fill); an op is the Changes of the batch whose story made the table halve. It
// reports that batch's entries and bytes (keys and values), the bytes
// Changes allocated for it, the heap that batch holds alive (its entries
// and the scratch kept, after a collection), and the largest of the
// other batches' entries between two halvings.
//
//	go test -run '^$' -bench HalvingBatch/vocabulary=100000 -benchtime 5x ./pipeline/events/
func BenchmarkHalvingBatch(b *testing.B) {
	for _, vocabulary := range []int{100_000, DefaultConfig().MaxVocabulary} {
		b.Run(fmt.Sprintf("vocabulary=%d", vocabulary), func(b *testing.B) { benchHalvingBatch(b, vocabulary) })
	}
}

func benchHalvingBatch(b *testing.B, vocabulary int) {
	cfg := DefaultConfig()
	cfg.MaxVocabulary = vocabulary
	c := New(cfg, nil)
	c.TrackChanges(true)
	r := rand.New(rand.NewPCG(7, 8))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	seq := 0
	word := func() string {
		if r.IntN(10) < 3 {
			return fmt.Sprintf("new%d", r.Uint64())
		}
		return fmt.Sprintf("w%d", r.IntN(r.IntN(30_000)+1)) // low numbers are common
	}
	text := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = word()
		}
		return strings.Join(w, " ")
	}
	story := func() *record.Story {
		seq++
		return &record.Story{ID: fmt.Sprintf("s_%022d", seq), Title: text(10), Body: text(60), Language: "en",
			Publisher: fmt.Sprintf("pub%d", seq%100), FirstSeen: t0.Add(time.Duration(seq) * time.Second)}
	}
	// until the first halving, so every op starts from a table that halved before
	fill := func() (others int) {
		for i := 1; ; i++ {
			n := c.df.n
			c.Assign(story())
			if c.df.n < n {
				return others
			}
			if i%8 == 0 {
				others = max(others, len(c.Changes()))
			}
		}
	}
	fill()
	c.Changes()
	b.ReportAllocs()
	b.ResetTimer()
	var entries, logBytes, alloc, live, others float64
	var m0, m1 runtime.MemStats
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		others = max(others, float64(fill()))
		runtime.GC()
		runtime.ReadMemStats(&m0)
		b.StartTimer()
		es := c.Changes()
		b.StopTimer()
		runtime.ReadMemStats(&m1)
		alloc += float64(m1.TotalAlloc - m0.TotalAlloc)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		live += float64(int64(m1.HeapAlloc) - int64(m0.HeapAlloc))
		entries += float64(len(es))
		for _, e := range es {
			logBytes += float64(len(e.Key) + len(e.Value))
		}
		runtime.KeepAlive(es)
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(entries/n, "entries/halving")
	b.ReportMetric(logBytes/n, "logB/halving")
	b.ReportMetric(alloc/n, "allocB/halving")
	b.ReportMetric(live/n, "liveB/halving")
	b.ReportMetric(others, "maxEntries/otherBatch")
}
