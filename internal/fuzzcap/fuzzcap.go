// Package fuzzcap keeps a fuzz run over whole documents fuzzing: call
// MinimizeFor from a package's TestMain.
package fuzzcap

import (
	"flag"
	"time"
)

// MinimizeFor sets the fuzzer's -test.fuzzminimizetime to d, unless the
// command line gives one. Go's default, 60 s for each input that finds new
// coverage, spends a whole run minimizing one input where the seeds are
// whole feed documents: minimizing tries a number of cuts of the input
// that grows with the square of its length, at a few thousand parses a
// second, and the run reports 0 execs/s meanwhile, which reads as a hang
// (BENCHMARKS, round 19: a 60 s run of the feed parser made 21 execs).
// Call it before m.Run; it parses the command line.
func MinimizeFor(d time.Duration) {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.fuzzminimizetime" {
			given = true
		}
	})
	if !given {
		// The flag is the testing package's; a binary without it (never
		// a test binary) has nothing to cap.
		_ = flag.Set("test.fuzzminimizetime", d.String())
	}
}
