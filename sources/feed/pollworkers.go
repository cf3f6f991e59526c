package feed

import (
	"sync"
	"time"
)

// pollWorkers run polls for the feeds' loops (loop.pollOnItsOwnStack): a
// poll's fetch, parse and diff grow a goroutine's stack to 16–32 KB, and
// on the loop's own goroutine that stack stayed with the idle feed. A
// worker keeps its grown stack from poll to poll, so a poll neither grows
// a fresh goroutine's stack nor leaves one behind; a goroutine a poll
// (round 37, feedmem37) cost ≈ 3 µs of CPU a poll, about what our code
// spends on a 304. There are as many workers as polls run at once (each
// holds a slot of Poller.unsent): a poll finds one waiting, else starts
// one; a worker with no poll for workerLinger ends, and all end when the
// poller's Run does (close).
type pollWorkers struct {
	jobs    chan func()   // unbuffered: a send succeeds only to a waiting worker
	stop    chan struct{} // closed by close
	stopped sync.Once
}

// workerLinger is how long a worker waits for the next poll before it
// ends: long enough to be found again by a steady stream of polls, short
// enough that a quiet poller keeps no goroutines.
const workerLinger = 5 * time.Second

func newPollWorkers() *pollWorkers {
	return &pollWorkers{jobs: make(chan func()), stop: make(chan struct{})}
}

// close ends the waiting workers; those running a poll end after it.
func (w *pollWorkers) close() { w.stopped.Do(func() { close(w.stop) }) }

// run has f run by a worker, and returns at once.
func (w *pollWorkers) run(f func()) {
	select {
	case w.jobs <- f:
	default:
		go w.work(f)
	}
}

func (w *pollWorkers) work(f func()) {
	linger := time.NewTimer(workerLinger)
	defer linger.Stop()
	for {
		f()
		linger.Reset(workerLinger)
		select {
		case f = <-w.jobs:
		case <-linger.C:
			return
		case <-w.stop:
			return
		}
	}
}
