//go:build unix

package state

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// BenchmarkConcurrentFeedStateSaves saves feed states from 1,000
// goroutines at once, as the poller's feed loops do (each its own URL, a
// state of some 2 KB), into a file log that syncs every append (the
// default). It reports the mutex wait summed over the goroutines per
// save (mutex-wait-ns/save, from runtime/metrics) and the process CPU
// per save (cpu-ns/save) beside ns/op (wall time per save, all
// goroutines together). With -mutexprofile the waits are attributed.
func BenchmarkConcurrentFeedStateSaves(b *testing.B) {
	for _, sync := range []bool{true, false} {
		b.Run(fmt.Sprintf("sync=%v", sync), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.NoSync = !sync
			st, _, _ := openFileStore(b, b.TempDir(), cfg)
			defer st.Close()
			state := make([]byte, 2048)
			for i := range state {
				state[i] = 'a' + byte(i%26)
			}
			const loops = 1000
			b.SetParallelism((loops + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			var next atomic.Int64
			wait0, cpu0 := mutexWait(), cpuTime()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				url := fmt.Sprintf("https://feeds.example/%d.xml", next.Add(1))
				for pb.Next() {
					if err := st.SaveFeedState(context.Background(), url, state); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(mutexWait()-wait0)/float64(b.N), "mutex-wait-ns/save")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/save")
		})
	}
}

// BenchmarkDecideBesideFeedStateSaves times the pipeline's Decide and
// SettleUnchanged, which take the store's order for a count, while 1,000
// goroutines save feed states without pause (synced appends): how long
// the decide path waits behind the feed loops.
func BenchmarkDecideBesideFeedStateSaves(b *testing.B) {
	st, _, _ := openFileStore(b, b.TempDir(), DefaultConfig())
	defer st.Close()
	state := make([]byte, 2048)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := fmt.Sprintf("https://feeds.example/%d.xml", i)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := st.SaveFeedState(context.Background(), url, state); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // the savers under way
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		st.Decide(ctx)
		st.SettleUnchanged(1)
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
}

// mutexWait is the time goroutines spent blocked on a sync.Mutex or
// RWMutex so far, in nanoseconds.
func mutexWait() int64 {
	s := []metrics.Sample{{Name: "/sync/mutex/wait/total:seconds"}}
	metrics.Read(s)
	return int64(s[0].Value.Float64() * 1e9)
}

// cpuTime is the process's user and system CPU so far, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
