package pipeline

import (
	"context"
	"sync"

	"github.com/wirestream/wirestream/pipeline/state"
)

// stateBudget counts the bytes of encoded state changes held by the works
// between the second stage and their commit (Run), against
// MaxInFlightStateBytes. Run's intake waits on it, so that batches past
// the bound stay with their sources, and so does its events stage, so
// that the works taken before the bytes reached it are not all decided
// at once. Only the commit loop frees bytes, and it never waits for
// either, so a wait always ends: every byte counted is a decided work's,
// and every decided work is committed or failed.
type stateBudget struct {
	max int64
	m   *Metrics

	mu    sync.Mutex
	held  int64
	freed chan struct{} // closed and replaced whenever bytes are freed
}

func newStateBudget(max int64, m *Metrics) *stateBudget {
	return &stateBudget{max: max, m: m, freed: make(chan struct{})}
}

// waitRoom returns true once the bytes held are below the bound, false
// if ctx ends first.
func (b *stateBudget) waitRoom(ctx context.Context) bool {
	counted := false
	for {
		b.mu.Lock()
		if b.held < b.max {
			b.mu.Unlock()
			return true
		}
		ch := b.freed
		b.mu.Unlock()
		if !counted {
			b.m.StateWaits.Inc()
			counted = true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// take counts n bytes as held.
func (b *stateBudget) take(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held += n
	b.m.StateBytes.Set(float64(b.held))
}

// free counts n bytes as no longer held and wakes a waiter.
func (b *stateBudget) free(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held -= n
	b.m.StateBytes.Set(float64(b.held))
	close(b.freed)
	b.freed = make(chan struct{})
}

// entriesBytes is what es hold of keys and values.
func entriesBytes(es []state.Entry) int64 {
	var n int64
	for _, e := range es {
		n += int64(len(e.Key) + len(e.Value))
	}
	return n
}
