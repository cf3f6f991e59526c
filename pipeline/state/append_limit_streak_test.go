//go:build unix

package state

import (
	"bytes"
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/wirestream/wirestream/internal/testkit/fulldisk"
)

// An append refused as too large for a record writes nothing and tries
// no disk, so it says nothing of the disk: outside a run of refusals it
// sets neither wirestream_state_appends_refused nor Ready's error; inside
// one (a data dir that cannot grow) it ends neither — the log is still
// not taking appends — and it does not wait with the refused appends
// (WaitWhileRefused) either. The next append that gets through ends it.
func TestARecordTooLargeNeitherStartsNorEndsARunOfRefusals(t *testing.T) {
	lowerMaxRecord(t, 1<<20)
	dir := t.TempDir()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	must(t, err)
	defer l.Close()
	collect(t, l)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	must(t, l.Append(ctx, []Entry{{Stories, []byte("a"), []byte("1")}}))
	tooLarge := []Entry{entryOfSize("aliases", 1<<20)}
	refused := func() float64 { return testutil.ToFloat64(l.m.AppendsRefused) }

	if err := l.Append(ctx, tooLarge); !errors.Is(err, errEntryTooLarge) {
		t.Fatalf("append too large = %v, want errEntryTooLarge", err)
	}
	if refused() != 0 || l.Ready(ctx) != nil {
		t.Errorf("after an append too large, outside a run of refusals: refused gauge %v, Ready %v; want 0 and ready", refused(), l.Ready(ctx))
	}

	lift := fulldisk.LimitFileSize(t, uint64(l.activeSize)+64)
	err = l.Append(ctx, []Entry{{Stories, []byte("b"), bytes.Repeat([]byte("x"), 4096)}})
	if !errors.Is(err, syscall.EFBIG) || refused() != 1 {
		lift()
		t.Fatalf("an append over the file-size limit: %v, refused gauge %v; want EFBIG and 1", err, refused())
	}
	l.WaitWhileRefused() // a too-large append that waited would wait for ever
	err = l.Append(ctx, tooLarge)
	ready := l.Ready(ctx)
	lift()
	if !errors.Is(err, errEntryTooLarge) || errors.Is(err, errRefused) {
		t.Errorf("append too large in a run of refusals = %v, want errEntryTooLarge, not errRefused", err)
	}
	if refused() != 1 || !errors.Is(ready, syscall.EFBIG) {
		t.Errorf("an append too large ended the run of refusals: refused gauge %v, Ready %v; want 1 and the disk's error", refused(), ready)
	}

	must(t, l.Append(ctx, []Entry{{Stories, []byte("c"), []byte("3")}}))
	if refused() != 0 || l.Ready(ctx) != nil {
		t.Errorf("after an append got through: refused gauge %v, Ready %v; want 0 and ready", refused(), l.Ready(ctx))
	}
	must(t, l.Close())
	if got, want := restoredFrom(t, dir), "stories:a=1 stories:c=3"; got != want {
		t.Errorf("restored %q, want %q", got, want)
	}
}
