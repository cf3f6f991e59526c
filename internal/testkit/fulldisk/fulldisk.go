// Package fulldisk makes this process's file writes fail as they do on a
// full disk, for tests of what wirestream does when its data dir cannot
// grow.
package fulldisk

import (
	"sync"
	"syscall"
	"testing"
)

// LimitFileSize lowers this process's RLIMIT_FSIZE to limit bytes: a
// write that would make a file larger fails with EFBIG (the Go runtime
// ignores SIGXFSZ), as one fails with ENOSPC on a full disk, while
// smaller files still grow. It returns what lifts the limit again, once
// however often it is called; the test's cleanup lifts it too. The limit
// is the whole process's: tests that use it do not run in parallel. A
// limit already lower skips the test.
func LimitFileSize(t testing.TB, limit uint64) (lift func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if old.Cur < limit {
		t.Skipf("RLIMIT_FSIZE is already %d bytes", old.Cur)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: old.Max}); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	lift = func() {
		once.Do(func() {
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Cleanup(lift)
	return lift
}
