package state

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// An append whose record the reader would refuse as longer than maxRecord
// is refused before any of it is written — one entry too large, or entries
// that fit alone and not together — naming the batch's size, its largest
// entry's key and table and the limit. It is not a refusal of the disk:
// retrying cannot help, so it does not wait (WaitWhileRefused) and Ready
// stays ready, and the next append gets through. Before round 34 such a
// batch was appended and the next start refused the whole log ("impossible
// length").
func TestAnAppendTheReaderWouldRefuseIsRefusedAndTheLogStaysWhole(t *testing.T) {
	const limit = 1 << 20
	lowerMaxRecord(t, limit)
	small := entryOfSize("s", 100)
	half := entryOfSize("half", limit/2)
	for name, tc := range map[string]struct {
		es      []Entry
		largest Entry
	}{
		"one entry over":                {[]Entry{small, entryOfSize("aliases", limit), small}, entryOfSize("aliases", limit)},
		"entries that fit only alone":   {[]Entry{half, small, entryOfSize("aliases", limit/2+10)}, entryOfSize("aliases", limit/2+10)},
		"one byte over with its header": {[]Entry{entryOfSize("aliases", limit-1)}, entryOfSize("aliases", limit-1)},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			l, err := OpenFile(dir, testConfig(), nil, nil)
			must(t, err)
			defer l.Close()
			collect(t, l)
			l.WaitWhileRefused() // a refusal that waited would wait for ever
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			must(t, l.Append(ctx, []Entry{{Stories, []byte("a"), []byte("1")}}))

			err = l.Append(ctx, tc.es)
			if !errors.Is(err, errEntryTooLarge) || errors.Is(err, errRefused) {
				t.Fatalf("append of a record over the limit = %v, want errEntryTooLarge and not errRefused", err)
			}
			size := recordPayloadSize(len(tc.es), 0)
			for _, e := range tc.es {
				size += entrySize(e)
			}
			for _, want := range []string{
				fmt.Sprintf("%d entries", len(tc.es)), fmt.Sprintf("%d bytes", size),
				`"aliases"`, "table spikes", fmt.Sprintf("%d bytes", entrySize(tc.largest)), fmt.Sprintf("%d", limit),
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %s", err, want)
				}
			}
			if err := l.Ready(ctx); err != nil {
				t.Errorf("Ready after a refused oversized append = %v, want ready", err)
			}
			must(t, l.Append(ctx, []Entry{{Stories, []byte("c"), []byte("3")}}))
			must(t, l.Close())

			if got, want := restoredFrom(t, dir), "stories:a=1 stories:c=3"; got != want {
				t.Errorf("restored %q, want %q", got, want)
			}
		})
	}
}

// The largest record the reader takes is appended and restored.
func TestTheLargestAppendTheReaderTakesIsWritten(t *testing.T) {
	const limit = 1 << 20
	lowerMaxRecord(t, limit)
	dir := t.TempDir()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	must(t, err)
	defer l.Close()
	collect(t, l)
	small := entryOfSize("s", 100)
	big := entryOfSize("b", limit-recordPayloadSize(2, 0)-100)
	must(t, l.Append(context.Background(), []Entry{small, big}))
	must(t, l.Close())
	if got := strings.Fields(restoredFrom(t, dir)); len(got) != 2 {
		t.Fatalf("restored %d entries, want 2", len(got))
	}
}

// Through the store: the commit fails with the same error, memory is not
// changed, the store takes the next commit, and the log restores.
func TestACommitTooLargeForARecordFailsAndTheStoreGoesOn(t *testing.T) {
	lowerMaxRecord(t, 1<<20)
	dir := t.TempDir()
	st, o, _ := openFileStore(t, dir, testConfig())
	o.set(t, st, "a", "1")
	applied := false
	err := st.Commit(context.Background(), []Entry{entryOfSize("aliases", 1<<20)}, func() { applied = true })
	if !errors.Is(err, errEntryTooLarge) || applied {
		t.Fatalf("Commit = %v (applied %v), want errEntryTooLarge, not applied", err, applied)
	}
	o.set(t, st, "c", "3")
	must(t, st.Close())
	st2, o2, _ := openFileStore(t, dir, testConfig())
	defer st2.Close()
	if got := fmt.Sprint(o2.snapshotMap()); got != "map[a:1 c:3]" {
		t.Fatalf("restored %s", got)
	}
}
