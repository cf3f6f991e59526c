//go:build unix

package normalize

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system, all threads) the test process
// has used. Benchmarks report it per op next to wall time, because on a
// shared, oversubscribed machine wall time measures the neighbours.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
