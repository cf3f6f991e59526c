package pipeline

import "testing"

// A rewind's barrier that merge held back behind a work is released once,
// and the events stage goes on to the work after it. Before, the events
// stage took the held barrier, closed it and went round with it still
// held: it closed it again and the process panicked ("close of closed
// channel", CI on 4b20583, a fetch failure's rewind under role all).
func TestAHeldBarrierIsReleasedOnceAndTheNextWorkDecided(t *testing.T) {
	barrier := &work{barrier: make(chan struct{})}
	next := &work{}
	ch := make(chan *work, 2)
	ch <- next
	close(ch)
	got, ok := nextToDecide(barrier, ch)
	if !ok || got != next {
		t.Fatalf("nextToDecide(held barrier) = %p, %t; want the work after it", got, ok)
	}
	select {
	case <-barrier.barrier:
	default:
		t.Fatal("the held barrier was not released")
	}
	if got, ok := nextToDecide(nil, ch); ok {
		t.Fatalf("after the last work: %p, want the stage's end", got)
	}
}
