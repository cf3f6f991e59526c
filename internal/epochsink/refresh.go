package epochsink

import (
	"context"
	"fmt"
	"time"
)

// RefreshEvery is how long a Writer sends with one epoch before its next is due (Refresh). The
// transaction coordinator forgets a transactional id that saw no InitProducerID (and no
// transaction) for transactional.id.expiration.ms (7 days by default), and a later owner then
// gets a new producer id, which does not fence this one's batches: taking the epoch again
// keeps the id alive, as the changelog's hourly refresh does (kafkastate, logepoch.go).
var RefreshEvery = time.Hour

// RefreshRetry is when a refresh that could not be taken is due again.
var RefreshRetry = time.Minute

// RefreshDue reports whether the Writer's next epoch is due.
func (w *Writer) RefreshDue() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopped == nil && !time.Now().Before(w.refreshAt)
}

// Refresh takes the identity's next epoch when it is due, at a point where nothing is in flight:
// it waits for every WriteMessages to return and holds the next ones back (flight), so no batch
// of the older epoch is on the wire to be refused, and every output partition's sequence starts
// again at 0 with the new epoch. The InitProducerID runs inside under, which must admit it only
// while this processor owns the items partition (the group's admission) and bound it: a stale
// processor that took the next epoch would fence the partition's rightful owner. When under
// refuses or InitProducerID fails, the Writer keeps the epoch it holds — which fences as well as
// before, for days yet — and the refresh is due again after RefreshRetry. It reports whether
// the epoch moved on.
func (w *Writer) Refresh(ctx context.Context, under func(take func(context.Context) error) error) (bool, error) {
	w.flight.Lock()
	defer w.flight.Unlock()
	if !w.RefreshDue() {
		return false, nil // another Write's refresh took it meanwhile, or the Writer stopped
	}
	err := under(func(ctx context.Context) error {
		id, err := initProducerID(ctx, w.cl, w.rw, w.txid)
		if err != nil {
			return err
		}
		w.mu.Lock()
		w.id = id
		w.parts = map[outPartition]*sequence{} // every sequence from 0 under the new epoch
		w.mu.Unlock()
		return nil
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.refreshAt = time.Now().Add(RefreshRetry)
		return false, fmt.Errorf("sink fence: take the next producer epoch of %s (the keep-alive): %w", w.txid, err)
	}
	w.refreshAt = time.Now().Add(RefreshEvery)
	return true, nil
}
