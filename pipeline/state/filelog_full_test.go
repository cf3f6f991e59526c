//go:build unix

package state

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/fulldisk"
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

	lift := fulldisk.LimitFileSize(t, uint64(l.activeSize)+64) // the next big record does not fit
	err = l.Append(ctx, []Entry{{Stories, []byte("b"), bytes.Repeat([]byte("x"), 4096)}})
	ready := l.Ready(ctx)
	lift()
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
	if got, want := restoredFrom(t, dir), "stories:a=1 stories:c=3"; got != want {
		t.Errorf("restored %q after the refused append, want %q", got, want)
	}
}

// /readyz reads what the log last knew (an atomic the appends set), not
// the log's lock: an append that holds it — a stalled fsync, a write the
// kernel sits on — does not hang the readiness check (faults28 saw the
// changelog's retrying append hang it through the store's lock). Here
// the lock is held as such an append would; Ready must answer. Before,
// it waited on the lock (the bound below is a hang's, not a timing).
func TestReadyDoesNotWaitForAnAppendThatHoldsTheLog(t *testing.T) {
	l, err := OpenFile(t.TempDir(), testConfig(), nil, nil)
	must(t, err)
	st, err := Open(context.Background(), l, Options{})
	must(t, err)
	defer st.Close()
	for _, hold := range []struct {
		name string
		mu   interface {
			Lock()
			Unlock()
		}
	}{{"the log's lock", &l.mu}, {"the store's order", &st.mu}} {
		hold.mu.Lock()
		answered := make(chan error, 1)
		go func() { answered <- st.Ready(context.Background()) }()
		select {
		case err := <-answered:
			if err != nil {
				t.Errorf("Ready while an append holds %s = %v, want ready", hold.name, err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Ready waited for %s", hold.name)
			hold.mu.Unlock()
			<-answered
			continue
		}
		hold.mu.Unlock()
	}
}
