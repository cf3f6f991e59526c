package events

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkChanges measures the state log's deltas of one batch as the
// load harness makes them: 8 stories, each joining one of 10,000 live
// events (enriched, two stories each to start with), then Changes. Only
// Changes is timed; the stories' clustering is not. cpu-ns/op is the
// process's CPU time around Changes alone (getrusage, so it holds on a
// shared, loaded machine where ns/op does not).
//
//	go test -run '^$' -bench Changes -benchmem ./pipeline/events/
func BenchmarkChanges(b *testing.B) {
	f := changesFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	var bytes int
	var cpu float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for range 8 {
			f.add()
		}
		b.StartTimer()
		cpu0 := cputime.Self()
		es := f.c.Changes()
		cpu += cputime.Self() - cpu0
		for _, e := range es {
			bytes += len(e.Value)
		}
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "valueB/op")
	b.ReportMetric(cpu*1e9/float64(b.N), "cpu-ns/op")
}

// changesBench is BenchmarkChanges's clusterer, built once per process
// (its 20,000 stories take longer than the benchmark) and grown by it.
type changesBench struct {
	c   *Clusterer
	add func() // one story joining a random live event
}

var (
	changesOnce  sync.Once
	changesState changesBench
)

func changesFixture(b *testing.B) changesBench {
	changesOnce.Do(func() { changesState = newChangesBench(b) })
	return changesState
}

func newChangesBench(b *testing.B) changesBench {
	r := rand.New(rand.NewPCG(3, 4))
	vocab, text := benchWords(r)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	seq := 0
	story := func(title, body string) *record.Story {
		seq++
		s := &record.Story{ID: fmt.Sprintf("s_%022d", seq), Title: title, Body: body, Language: "en",
			Publisher: fmt.Sprintf("pub%d", seq%100), FirstSeen: t0.Add(time.Duration(seq) * time.Millisecond)}
		for k := 0; k < 8; k++ {
			s.Entities = append(s.Entities, record.Entity{Key: "person:" + vocab[r.IntN(5000)], Name: "X", Kind: "person"})
			s.Keywords = append(s.Keywords, vocab[r.IntN(5000)])
		}
		return s
	}
	const events = 10_000
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	type seed struct{ title, body string }
	seeds := make([]seed, events)
	for i := range seeds {
		seeds[i] = seed{text(10), text(40)}
		c.Assign(story(seeds[i].title, seeds[i].body))
	}
	// grow the events to a few stories each, as live events are
	for i := 0; i < events; i++ {
		s := seeds[r.IntN(events)]
		c.Assign(story(s.title, s.body))
		if i%8 == 7 {
			c.Changes()
		}
	}
	c.Changes()
	if n := c.Active(); n != events {
		b.Fatalf("%d live events, want %d", n, events)
	}
	return changesBench{c, func() {
		s := seeds[r.IntN(events)]
		c.Assign(story(s.title, s.body))
	}}
}

// benchWords returns a vocabulary of 50,000 unrelated words and a maker
// of texts of n of them drawn by r: unrelated stories, each its own event.
func benchWords(r *rand.Rand) ([]string, func(n int) string) {
	vocab := make([]string, 50000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("word%d", i)
	}
	return vocab, func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(w, " ")
	}
}
