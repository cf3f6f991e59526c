// Package parallel runs the part of the pipeline's per-batch work that
// depends on each item alone on every core, while the stages around it
// keep deciding in stream order.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(0) … f(n-1), spread over up to GOMAXPROCS goroutines, and
// returns when every call has returned. f must be safe to call
// concurrently; with one item, or one core, it runs on the caller's
// goroutine.
func For(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(func() { drain(&next, n, f) })
	}
	drain(&next, n, f) // the caller works too
	wg.Wait()
}

func drain(next *atomic.Int64, n int, f func(i int)) {
	for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
		f(i)
	}
}
