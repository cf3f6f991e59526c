package events

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkAssign is the clustering of one enriched story alone, as
// `process` calls it (Assign; no snapshot per story): 10,000 live events
// of unrelated texts, each story a new telling of one of them — a
// 10-word title and a 40- or 120-word body drawn from its seed, 8 entity
// keys and 8 keywords of a 50,000-word vocabulary — so the vocabulary,
// the document frequencies and the centroids are of a real stream's size.
// The stories are made before the timer starts. cpu-ns/op is the
// process's CPU time per story (GC included), which a shared machine's
// load moves far less than wall time.
//
//	go test -run '^$' -bench Assign -benchmem ./pipeline/events/
func BenchmarkAssign(b *testing.B) {
	for _, words := range []int{40, 120} {
		b.Run(fmt.Sprintf("body=%d", words), func(b *testing.B) {
			r := rand.New(rand.NewPCG(5, 6))
			vocab, text := benchWords(r)
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			seq := 0
			type seed struct{ title, body []string }
			const events = 10_000
			seeds := make([]seed, events)
			for i := range seeds {
				seeds[i] = seed{[]string{text(10)}, []string{text(words)}}
			}
			story := func(k int) *record.Story {
				seq++
				sd := seeds[k]
				// a retelling: the seed's words and a few of its own
				s := &record.Story{ID: fmt.Sprintf("s_%022d", seq), Title: sd.title[0] + " " + text(2),
					Body: sd.body[0] + " " + text(words/8), Language: "en",
					Publisher: fmt.Sprintf("pub%d", seq%100), FirstSeen: t0.Add(time.Duration(seq) * time.Millisecond)}
				for range 8 {
					s.Entities = append(s.Entities, record.Entity{Key: "person:" + vocab[r.IntN(5000)], Name: "X", Kind: "person"})
					s.Keywords = append(s.Keywords, vocab[r.IntN(5000)])
				}
				return s
			}
			c := New(DefaultConfig(), nil)
			for k := range events {
				c.Assign(story(k))
			}
			stories := make([]*record.Story, b.N)
			for i := range stories {
				stories[i] = story(r.IntN(events))
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cputime.Self()
			for _, s := range stories {
				c.Assign(s)
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
		})
	}
}
