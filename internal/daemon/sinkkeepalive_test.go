package daemon

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
)

// A stale processor whose generation ended without its noticing yet (paused past its session:
// a stopped VM, a GC stall) still passes the group's admission. Its first write after it wakes
// must meet the newer owner's epoch and be refused, not take the epoch back: the keep-alive,
// due meanwhile, is taken only after a write with the epoch held got through. Taken before the
// write, it gave the stale processor the epoch after the owner's, its late records landed, and
// the rightful owner's next write was refused (it stood by a session timeout).
func TestASinkKeepAliveDueAtAStaleWriteDoesNotTakeTheEpochBack(t *testing.T) {
	old := epochsink.RefreshEvery
	epochsink.RefreshEvery = 0 // the stale writer's keep-alive falls due during its pause
	t.Cleanup(func() { epochsink.RefreshEvery = old })
	s, cfg := fencedTestSink(t)
	txid := epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	open := func() *epochsink.Writer {
		w, err := epochsink.Open(ctx, s.RawWriting(), txid)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	recs := fixtures.Stories(10)
	stale := open()
	if err := s.WriteVia(ctx, stale, recs); err != nil {
		t.Fatal(err)
	}
	owner := open() // the partition's next owner, while the stale processor was paused
	if err := s.WriteVia(ctx, owner, recs); err != nil {
		t.Fatal(err)
	}
	var released atomic.Int64
	awake := fencedSink{sink: s, w: stale, admission: admissionOf(make(chan struct{}), &released), log: slog.New(slog.DiscardHandler)}
	err := awake.Write(ctx, recs)
	if !kafkastate.IsEpochFenced(err) {
		t.Errorf("the stale processor's write after its pause: %v, want refused by the owner's epoch (EpochFencedError)", err)
	}
	if err := s.WriteVia(ctx, owner, recs); err != nil || owner.Stopped() != nil {
		t.Fatalf("the owner's write after the stale processor woke: %v, want still the epoch's owner (stale epoch %d, owner's %d)",
			err, stale.Identity().Epoch, owner.Identity().Epoch)
	}
}
