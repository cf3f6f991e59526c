package pipeline

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A snapshot taken while a batch's event, spike and enrichment decisions
// are in memory but not in the log (its write failed, so they wait to be
// committed with the next batch) must not hand them to the next restore:
// after a crash the feed is read again and the same stories decided
// again, and the run must end as one without the crash — the same event
// states (story counts) and alerts (spike counts), not the batch counted
// twice. Revisions may be higher: the restart supersedes the event
// records of the failed write, which the log noted before it and no
// commit cleared (the write may have reached the sink in part).
func TestASnapshotLeavesOutDecisionsTheLogDoesNotHold(t *testing.T) {
	polls := archive.Polls()
	ctx := context.Background()
	want := wholeRun(t, polls)

	for split := 1; split < len(polls); split++ {
		t.Run(fmt.Sprintf("write of poll %d failed", split), func(t *testing.T) {
			dir := t.TempDir()
			sink := &memSink{}
			p := durablePipeline(t, dir, sink)
			processAll(t, p, polls[:split])
			sink.fail = 1
			if err := p.Process(ctx, polls[split].Batch()); err == nil {
				t.Fatal("the write was meant to fail")
			}
			// A snapshot now either waits for the log to catch up with
			// memory or describes the log; it must not take memory as it is.
			if err := p.d.Store.Compact(); err != nil && !errors.Is(err, state.ErrAheadOfLog) {
				t.Fatal(err)
			}
			// The crash: no commit of the carried decisions, no clean close.
			if err := p.d.Store.Discard(); err != nil {
				t.Fatal(err)
			}
			finishRun(t, durablePipeline(t, dir, sink), polls[split:])
			archive.RequireSameButRevisions(t, "one", want, "crashed", archive.OutcomeOf(sink.recs))
		})
	}
}
