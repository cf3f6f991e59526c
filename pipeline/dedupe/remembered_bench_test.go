package dedupe

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkRememberedStories measures the whole deduper's heap per
// remembered story (story records, their slot map, aliases, the near
// index) after a million new stories as a feed brings them — a GUID, a
// canonical URL, normalize.StoryID's ids and a 40-word body, so each
// story has its three aliases and a signature — and then the CPU of one
// more decision against them.
//
//	go test -run '^$' -bench RememberedStories -benchtime 20000x ./pipeline/dedupe/
func BenchmarkRememberedStories(b *testing.B) {
	const n = 1_000_000
	benchDecisionsAfter(b, n, func() (*Deduper, func(feed string, i int) item, time.Time) {
		return rememberStories(b, n)
	}, func(b *testing.B, _ *Deduper, heap uint64) {
		b.ReportMetric(float64(heap)/1e6, "heapMB")
	})
}

// benchDecisionsAfter measures the heap remember leaves (n stories), then
// the CPU of one more decision against them, reporting cpu-ns/decision,
// heapB/story and what report adds.
func benchDecisionsAfter(b *testing.B, n int, remember func() (*Deduper, func(feed string, i int) item, time.Time), report func(b *testing.B, d *Deduper, heap uint64)) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, newStory, at := remember()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if got := d.mem.live[0]; got != n {
		b.Fatalf("%d stories remembered, want %d", got, n)
	}
	heap := after.HeapAlloc - before.HeapAlloc
	b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
		items := make([]item, 4096)
		for i := range items {
			items[i] = newStory("q.example", n+i)
		}
		tx := d.Begin()
		cpu0 := cputime.Self()
		for i := 0; b.Loop(); i++ {
			s, txt := story(items[i%len(items)])
			if _, err := tx.Check(s, txt, at); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/decision")
		b.ReportMetric(float64(heap)/float64(n), "heapB/story")
		report(b, d, heap)
		tx.Release()
	})
	runtime.KeepAlive(d)
}

// rememberStories gives a deduper that remembers n new stories as a feed
// brings them — a GUID, a canonical URL, normalize.StoryID's ids and a
// 40-word body from a news vocabulary, so each story has its three aliases
// and a signature — committed a thousand a second from t0; with the story
// maker (for more of the same kind) and the time after the last batch.
func rememberStories(b *testing.B, n int) (*Deduper, func(feed string, i int) item, time.Time) {
	b.Helper()
	return rememberStoriesUnder(b, n, DefaultConfig())
}

// rememberStoriesUnder is rememberStories under cfg's signature setting.
func rememberStoriesUnder(b *testing.B, n int, cfg Config) (*Deduper, func(feed string, i int) item, time.Time) {
	b.Helper()
	return rememberStoriesEvery(b, n, cfg, Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 2 * n}, time.Second, 0)
}

// rememberStoriesEvery is rememberStories under cfg and bounds, with a
// batch of 1,000 stories every step of story time and, when pruneEvery is
// above 0, a prune every pruneEvery batches (its tombstones appended to
// the log, as the pipeline's prune does).
func rememberStoriesEvery(b *testing.B, n int, cfg Config, bounds Bounds, step time.Duration, pruneEvery int) (*Deduper, func(feed string, i int) item, time.Time) {
	b.Helper()
	newStory := storyMaker()
	d, err := New(cfg, BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := state.Open(context.Background(), nil, state.Options{}, d)
	if err != nil {
		b.Fatal(err)
	}
	d.bounds = bounds
	at := t0
	for i := 0; i < n; i += 1000 {
		tx := d.Begin()
		for j := i; j < i+1000; j++ {
			s, txt := story(newStory(fmt.Sprintf("f%d.example", j%1000), j))
			if _, err := tx.Check(s, txt, at); err != nil {
				b.Fatal(err)
			}
		}
		commit(b, tx, st)
		if pruneEvery > 0 && (i/1000+1)%pruneEvery == 0 {
			if err := st.Update(context.Background(), func() []state.Entry {
				es, _, ok := d.Prune()
				if !ok {
					b.Fatal("prune refused")
				}
				return es
			}); err != nil {
				b.Fatal(err)
			}
		}
		at = at.Add(step)
	}
	return d, newStory, at
}

// storyMaker makes the benchmarks' new stories: a GUID, a canonical URL,
// normalize.StoryID's ids and a 40-word body from a news vocabulary, the
// same sequence of texts on every call.
func storyMaker() func(feed string, i int) item {
	r := rand.New(rand.NewPCG(5, 5))
	vocab := newsVocabulary()
	text := func() string {
		w := make([]string, 40)
		for i := range w {
			w[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(w, " ")
	}
	return func(feed string, i int) item {
		url := fmt.Sprintf("https://%s/news/%d", feed, i)
		it := item{feed: "https://" + feed + "/rss", guid: fmt.Sprintf("%s-%d", feed, i), url: url, title: "t", text: text()}
		it.id = normalize.StoryID(it.url, it.guid, it.feed)
		return it
	}
}

// BenchmarkPruneAMillion measures one prune of a million remembered
// stories (three aliases each) that evicts 20,000 over max_entries: the
// walk of every story record (its key and last-seen time), the sort, the
// removals and the alias sweep.
//
//	go test -run '^$' -bench PruneAMillion -benchtime 5x ./pipeline/dedupe/
func BenchmarkPruneAMillion(b *testing.B) {
	const n, evict = 1_000_000, 20_000
	d, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: n}, nil)
	if err != nil {
		b.Fatal(err)
	}
	d.clock = t0.UnixNano()
	// Last seen from oldest to newest, ~100 a second: each prune evicts
	// the oldest evict stories.
	putStoriesWithThreeAliases(d, n, func(i int) int64 { return t0.Unix() - int64(n-i)/100 })
	cpu0 := cputime.Self()
	for i := 0; b.Loop(); i++ {
		d.bounds.MaxEntries = n - evict*(i+1)
		if _, ps, ok := d.Prune(); !ok || ps.Evicted != evict {
			b.Fatalf("prune %d: evicted %d (ok %v), want %d", i, ps.Evicted, ok, evict)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e3/float64(b.N), "cpu-ms/prune")
}

// putStoriesWithThreeAliases puts n stories straight into d's memory, as
// 1,000 feeds' URLs, each with three aliases, last seen at lastSeen(i):
// the million-story set-up of the prune and restore benchmarks, without
// the CPU of a million decisions.
func putStoriesWithThreeAliases(d *Deduper, n int, lastSeen func(i int) int64) {
	for i := range n {
		id := normalize.StoryID(fmt.Sprintf("https://f%d.example/news/%d", i%1000, i), "", "")
		key := hkey(id)
		pid, _ := packID(id)
		d.mem.put(key, seen{pid: pid, feed: uint64(i % 1000), first: t0.UnixNano(), last: lastSeen(i)})
		for a := range 3 {
			d.mem.putAlias(mix64(uint64(3*i+a))|1, key)
		}
	}
}
