package kafkastate

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A stale owner — paused past its session, so its generation ended unnoticed and its admission
// still passes — whose hourly keep-alive fell due must not take the epoch back from the
// partition's new owner. The keep-alive was taken before the append's write: the stale owner
// took the next epoch, its write landed over the new owner's, and the new owner's next append
// was refused as fenced. Taken after a write that got through, the stale write meets the new
// owner's epoch and is refused first, and the new owner goes on.
func TestAStaleOwnersDueKeepAliveDoesNotTakeTheEpochBack(t *testing.T) {
	f := newFixture(t, 1)
	stale, _, _ := f.open(0, Options{Epoch: epochFence(t)})
	appendKV(t, stale, state.Stories, "k", "stale-1")
	stale.mu.Lock()
	stale.epochAt = stale.epochAt.Add(-epochRefresh)
	stale.mu.Unlock()

	owner, _, _ := f.open(0, Options{Epoch: epochFence(t)})
	appendKV(t, owner, state.Stories, "k", "owner-1")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := stale.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("stale-2")}}); err == nil {
		t.Error("the stale owner's append, its keep-alive due, was written after the new owner took the partition's epoch")
	}
	if err := owner.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("owner-2")}}); err != nil {
		t.Fatalf("the new owner's append after the stale owner's: %v — the stale owner's keep-alive took the epoch back", err)
	}
	_, later, _ := f.open(0, Options{Epoch: epochFence(t)})
	if later["stories/k"] != "owner-2" {
		t.Errorf("a restore reads k = %q, want the new owner's owner-2", later["stories/k"])
	}
}
