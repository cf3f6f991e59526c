package epochsink_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
)

// admitted runs take at once, as the group's admission of a current generation does.
func admitted(ctx context.Context) func(func(context.Context) error) error {
	return func(take func(context.Context) error) error { return take(ctx) }
}

// The keep-alive (transactional.id.expiration.ms, 7 days): a Writer whose epoch is due takes the
// next epoch of the same producer id, and goes on writing on every partition from sequence 0 —
// accepted by the leaders, which reset a producer's sequence at a new epoch. Eight Writes in
// flight while refreshes are taken all land once: the refresh waits until none is in flight.
func TestTheKeepAliveTakesTheNextEpochWithNothingInFlight(t *testing.T) {
	epochsink.SetRefreshEvery(t, 0)
	s, cfg := newSink(t, nil)
	w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
	first := w.Identity()
	all := fixtures.Stories(400)
	if err := s.WriteVia(t.Context(), w, all[:30]); err != nil {
		t.Fatal(err)
	}
	if !w.RefreshDue() {
		t.Fatal("the keep-alive is not due")
	}
	if moved, err := w.Refresh(t.Context(), admitted(t.Context())); !moved || err != nil {
		t.Fatalf("refresh: moved %v, %v", moved, err)
	}
	next := w.Identity()
	if next.ProducerID != first.ProducerID || next.Epoch != first.Epoch+1 {
		t.Fatalf("after the keep-alive %+v, want producer %d at epoch %d", next, first.ProducerID, first.Epoch+1)
	}
	var wg sync.WaitGroup
	errs := make([]error, 9)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 30 + i*45; j < 30+(i+1)*45; j += 5 {
				if err := s.WriteVia(t.Context(), w, all[j:j+5]); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5 {
			if _, err := w.Refresh(t.Context(), admitted(t.Context())); err != nil {
				errs[8] = err
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if msgs := storyIDs(t, cfg, 390); len(msgs) != 390 {
		t.Fatalf("%d records, want 390, each once", len(msgs))
	}
	if w.Identity().Epoch <= next.Epoch {
		t.Errorf("no refresh was taken among the concurrent writes (epoch %d)", w.Identity().Epoch)
	}
}

// A keep-alive the group's admission refuses (this processor's generation ended: the items
// partition may be another's, who took the epoch after it) takes nothing: the Writer keeps its
// epoch, the partition's new owner stays unfenced by it, and the refresh is tried again later,
// not at every write.
func TestAKeepAliveTheAdmissionRefusesTakesNoEpoch(t *testing.T) {
	epochsink.SetRefreshEvery(t, 0)
	s, cfg := newSink(t, nil)
	txid := epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0)
	stale := open(t, s, txid)
	owner := open(t, s, txid)
	recs := fixtures.Stories(40)
	if err := s.WriteVia(t.Context(), owner, recs[:20]); err != nil {
		t.Fatal(err)
	}
	ended := errors.New("test: the generation ended")
	moved, err := stale.Refresh(t.Context(), func(func(context.Context) error) error { return ended })
	if moved || !errors.Is(err, ended) {
		t.Fatalf("a refused keep-alive: moved %v, %v", moved, err)
	}
	if stale.RefreshDue() {
		t.Error("a refused keep-alive is due again at once, want after RefreshRetry")
	}
	if err := s.WriteVia(t.Context(), owner, recs[20:]); err != nil {
		t.Fatalf("the owner's write after the stale processor's refused keep-alive: %v, want still the epoch's owner", err)
	}
}
