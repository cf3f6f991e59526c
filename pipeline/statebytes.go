package pipeline

import (
	"sync"

	"github.com/wirestream/wirestream/pipeline/state"
)

// stateBudget counts the bytes of encoded state changes held by the works
// between the second stage and their commit (Run), against
// MaxInFlightStateBytes. Only Run's events stage waits on it; the commit
// loop frees bytes, never waiting, so a wait always ends: every byte
// counted is a decided work's, and every decided work is committed or
// failed.
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

// waitRoom returns once the bytes held are below the bound. It does not
// watch a context: what holds the bytes is committed or failed within
// the drain timeout once Run stops.
func (b *stateBudget) waitRoom() {
	counted := false
	for {
		b.mu.Lock()
		if b.held < b.max {
			b.mu.Unlock()
			return
		}
		ch := b.freed
		b.mu.Unlock()
		if !counted {
			b.m.StateWaits.Inc()
			counted = true
		}
		<-ch
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
