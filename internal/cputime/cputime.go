// Package cputime reads CPU time (user + system) from the kernel's
// resource accounting: the measure the benchmarks and the load harness
// report, because on a shared machine other processes' load moves it far
// less than wall time.
package cputime

import (
	"os"
	"syscall"
)

// Self returns the CPU seconds this process has used so far, every
// goroutine and the garbage collector included; 0 where the platform
// does not say.
func Self() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return seconds(&ru)
}

// Of returns the CPU seconds an exited child used, and false where the
// platform does not say.
func Of(ps *os.ProcessState) (float64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0, false
	}
	return seconds(ru), true
}

func seconds(ru *syscall.Rusage) float64 {
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
