package pipeline

import (
	"context"
	"errors"

	"github.com/wirestream/wirestream/pipeline/state"
)

// ErrDecidedAfterFailure acks a batch that was decided after one that
// failed, on memory that held that one's decisions: it is read again
// once memory is back to what the state log holds.
var ErrDecidedAfterFailure = errors.New("decided after a failed batch; not committed")

// forget drops what w decided after its write or its commit failed: its
// dedupe decisions, and its state entries (with those carried from
// earlier failures, entries) — either carried to the next commit, as the
// stages' memory keeps them, or, when the store can rewind, dropped with
// that memory before the next batch is decided. Called with commitMu held.
func (p *Pipeline) forget(w *work, entries []state.Entry) {
	if w.txn != nil {
		w.txn.Release()
	}
	if p.d.Store.CanRewind() {
		p.rewind, p.carry = true, nil
	} else {
		p.carry = entries
	}
	p.d.Store.Settle(w.decided2, false)
}

// rewindIfFailed forgets the decisions of the batches that failed since
// the last rewind, and of those decided after them: it waits until all
// of them are finished (failed), then loads the stages' memory again from
// the state log (state.Store.Rewind) and the event clock with it. The
// feeds of those batches read them again, and their stories are counted
// once, as if the write had never been tried. If the rewind fails, the
// batches decided now fail as well, and the next one tries again.
func (p *Pipeline) rewindIfFailed(ctx context.Context) {
	p.commitMu.Lock()
	pending := p.rewind
	p.commitMu.Unlock()
	if !pending {
		return
	}
	if err := p.d.Store.Rewind(ctx); err != nil {
		p.d.Log.Error("state not rewound after a failed batch; batches fail until it is", "err", err)
		return
	}
	p.stageMu.Lock()
	p.clock = restoredClock(p.d.Events)
	p.stageMu.Unlock()
	p.commitMu.Lock()
	p.rewind, p.carry = false, nil
	p.commitMu.Unlock()
}
