package dedupe

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkRememberedStoriesOverAWeek is BenchmarkRememberedStories with
// the million stories' times spread as a real week brings them: evenly
// over state.seen_ttl (7 days), not within one second each thousand, and
// pruned every 20,000 stories as the pipeline prunes. The near index
// keeps only the stories of the last dedupe.window (72 h: 3/7 of them);
// the older ones keep their exact keys (story record, aliases) alone.
// BenchmarkRememberedStories' stories are all young: it measures the
// most a million remembered stories can cost, this one what a week of
// them costs. The load harness's prefill is young too (cmd/loadtest's
// prefill spreads its stories over 0.9 of dedupe.window).
//
//	go test -run '^$' -bench RememberedStoriesOverAWeek -benchtime 20000x ./pipeline/dedupe/
func BenchmarkRememberedStoriesOverAWeek(b *testing.B) {
	const n = 1_000_000
	week := state.DefaultConfig().SeenTTL
	step := week / (n / 1000) // a batch of 1,000 stories every 604.8 s
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, newStory, at := rememberStoriesSpread(b, n, DefaultConfig(), step, 20)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if got := d.mem.live[0]; got != n {
		b.Fatalf("%d stories remembered, want %d", got, n)
	}
	perStory := float64(after.HeapAlloc-before.HeapAlloc) / n
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
		b.ReportMetric(perStory, "heapB/story")
		b.ReportMetric(float64(d.idx.Len())/n, "nearShare")
		tx.Release()
	})
	runtime.KeepAlive(d)
}

// rememberStoriesSpread is rememberStoriesUnder with a batch of 1,000
// stories every step of story time and a prune every pruneEvery batches
// (its tombstones appended to the log, as the pipeline's prune does).
func rememberStoriesSpread(b *testing.B, n int, cfg Config, step time.Duration, pruneEvery int) (*Deduper, func(feed string, i int) item, time.Time) {
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
	d.bounds.MaxEntries = 2 * n
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
		if (i/1000+1)%pruneEvery == 0 {
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
