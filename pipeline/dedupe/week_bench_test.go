package dedupe

import (
	"testing"
	"time"

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
	step := state.DefaultConfig().SeenTTL / (n / 1000) // a batch of 1,000 stories every 604.8 s
	benchDecisionsAfter(b, n, func() (*Deduper, func(feed string, i int) item, time.Time) {
		return rememberStoriesSpread(b, n, DefaultConfig(), step, 20)
	}, func(b *testing.B, d *Deduper, _ uint64) {
		b.ReportMetric(float64(d.idx.Len())/n, "nearShare")
	})
}

// rememberStoriesSpread is rememberStoriesEvery under the default
// state's seen_ttl (the pipeline's bounds, room for every story by count).
func rememberStoriesSpread(b *testing.B, n int, cfg Config, step time.Duration, pruneEvery int) (*Deduper, func(feed string, i int) item, time.Time) {
	b.Helper()
	bounds := BoundsOf(state.DefaultConfig())
	bounds.MaxEntries = 2 * n
	return rememberStoriesEvery(b, n, cfg, bounds, step, pruneEvery)
}
