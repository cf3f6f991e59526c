package state

import (
	"context"
	"fmt"
	"testing"
)

// A small state's log is not rewritten every time its segments reach its
// own size: a snapshot rewrites the whole state, so its cost per appended
// byte is set by how long a tail it waits for, and the floor keeps that
// tail long (defaultCompactMinBytes). Past the floor it is due; a state
// larger than the floor is rewritten by the ratio alone (the ratio tests,
// which lower the floor).
func TestASmallStatesLogWaitsForTheFloorBeforeItsRewrite(t *testing.T) {
	cfg := testConfig() // the default floor
	l, err := OpenFile(t.TempDir(), cfg, nil, nil)
	must(t, err)
	defer l.Close()
	must(t, l.Restore(context.Background(), func(Entry) error { return nil }))

	value := make([]byte, 1<<20)
	appendMiB := func(n int) {
		for i := range n {
			must(t, l.AppendUnsynced(context.Background(), []Entry{{Table: Stories, Key: []byte(fmt.Sprint(i)), Value: value}}))
		}
	}
	// 48 MiB: three times the floor of round 42 (16 MiB), which made a
	// state this small rewrite itself at every 16 MiB appended.
	appendMiB(48)
	if l.CompactDue() {
		t.Fatalf("a rewrite is due at %d bytes of log, under the floor of %d", l.Size(), defaultCompactMinBytes)
	}
	appendMiB(int(defaultCompactMinBytes>>20) - 48 + 1)
	if !l.CompactDue() {
		t.Fatalf("no rewrite is due at %d bytes of log, past the floor of %d", l.Size(), defaultCompactMinBytes)
	}
}
