package feed

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

// movedStore refuses every save as a fetcher's store does for a feed whose
// partition moved to another fetcher in a rebalance.
type movedStore struct{ *memStore }

func (movedStore) SaveFeedState(_ context.Context, url string, _ []byte) error {
	return fmt.Errorf("save feed state of %s: partition 3: %w", url, ErrFeedMoved)
}

// A rebalance that takes a feed while its poll is being written is
// expected (README "a rebalance mid-batch": the new owner polls it again
// from the last saved state). It logged two warnings, the second "saving
// feed state after the ack failed; progress kept in memory only" — the ack
// had not failed, and the progress kept was of no use to a loop about to
// stop (round 28, operator28: two such pairs per feed at every fetcher's
// start), and counted a state error. It is one line at INFO that says what
// happens next, and no error.
func TestAFeedThatMovedBeforeItsSaveIsOneInfoLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs testkit.LockedBuffer
		cfg := schedCfg()
		cfg.StartSpread = 0
		feeds := []Spec{{URL: "https://moved.example/rss"}}
		m := NewMetrics(nil)
		p, err := NewPoller(cfg, feeds, movedStore{newMemStore()}, StaticAssigner{}, slog.New(slog.NewTextHandler(&logs, nil)), m)
		if err != nil {
			t.Fatal(err)
		}
		p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
			return ok200(rssDoc("Feed", "item"), ""), nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		out := make(chan record.Batch)
		done := make(chan struct{})
		go func() {
			defer close(done)
			p.Run(ctx, out)
		}()
		b := <-out
		b.Ack(ctx, nil)
		synctest.Wait()
		cancel()
		<-done
		// wirestream_feed_state_errors_total feeds the critical alert
		// WirestreamStateErrors ("check the data_dir volume"): a rollout of
		// fetchers paged someone for ten minutes.
		if n := testutil.ToFloat64(m.StateErrors); n != 0 {
			t.Errorf("a feed that moved before its save counts %v state errors, want 0", n)
		}
		got := logs.String()
		if strings.Contains(got, "level=WARN") {
			t.Errorf("a feed that moved before its save logs a warning:\n%s", got)
		}
		if !strings.Contains(got, "level=INFO") || !strings.Contains(got, "moved to another fetcher") || !strings.Contains(got, "polls it again") {
			t.Errorf("a feed that moved before its save does not say so at INFO:\n%s", got)
		}
	})
}
