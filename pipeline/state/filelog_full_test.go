//go:build unix

package state

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
)

// A data dir that cannot grow — a full disk (ENOSPC), a quota, a file-size limit (EFBIG; here
// RLIMIT_FSIZE, which the Go runtime turns from a signal into the write's error) — refuses
// every append; the failed write is undone, so the log is not broken and restarts clean. Ready
// (/readyz) says the log does not take appends while they fail, naming the file and the
// cause — before round 28 it said ready while every batch failed, was published again and
// rewound (faults28) — and ready again once an append gets through.
func TestAStateLogThatCannotGrowIsNotReadyUntilAnAppendGetsThrough(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	must(t, err)
	defer l.Close()
	collect(t, l)
	ctx := context.Background()
	must(t, l.Append(ctx, []Entry{{Stories, []byte("a"), []byte("1")}}))
	must(t, l.Ready(ctx))

	var old syscall.Rlimit
	must(t, syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old))
	limit := uint64(l.activeSize) + 64 // the next big record does not fit
	if old.Cur < limit {
		t.Skipf("RLIMIT_FSIZE is already %d bytes", old.Cur)
	}
	must(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: old.Max}))
	err = l.Append(ctx, []Entry{{Stories, []byte("b"), bytes.Repeat([]byte("x"), 4096)}})
	ready := l.Ready(ctx)
	must(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old))
	if !errors.Is(err, syscall.EFBIG) {
		t.Fatalf("an append over the file-size limit: %v, want EFBIG", err)
	}
	if ready == nil || !strings.Contains(ready.Error(), l.active.Name()) || !errors.Is(ready, syscall.EFBIG) {
		t.Errorf("Ready while appends fail = %v, want an error naming %s and the cause", ready, l.active.Name())
	}

	must(t, l.Append(ctx, []Entry{{Stories, []byte("c"), []byte("3")}}))
	if err := l.Ready(ctx); err != nil {
		t.Errorf("Ready after an append got through again = %v", err)
	}
	must(t, l.Close())
	l2, err := OpenFile(dir, testConfig(), nil, nil)
	must(t, err)
	defer l2.Close()
	if got, want := strings.Join(collect(t, l2), " "), "stories:a=1 stories:c=3"; got != want {
		t.Errorf("restored %q after the refused append, want %q", got, want)
	}
}
