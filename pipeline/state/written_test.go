package state

import (
	"context"
	"fmt"
	"testing"
)

// A note of a written record survives a restart without a snapshot (a
// crash) and one with (a compaction rewrote the log from memory), and the
// commit that carries its tombstone deletes it, in memory and in the log.
func TestWrittenNotesLastUntilTheirCommit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notes := func(st *Store) string { return fmt.Sprint(entryKeys(st.Written())) }

	st, o, _ := openFileStore(t, dir, testConfig())
	o.set(t, st, "a", "1")
	if err := st.NoteWritten(ctx, []Entry{
		{Table: Written, Key: []byte("e1@r1"), Value: []byte("x")},
		{Table: Written, Key: []byte("e2@r3"), Value: []byte("y")},
	}); err != nil {
		t.Fatal(err)
	}
	if got := notes(st); got != "[e1@r1 e2@r3]" {
		t.Fatalf("noted %s", got)
	}
	if err := st.Discard(); err != nil { // a crash: no snapshot
		t.Fatal(err)
	}

	st, _, _ = openFileStore(t, dir, testConfig())
	if got := notes(st); got != "[e1@r1 e2@r3]" {
		t.Fatalf("after a crash the log holds notes %s", got)
	}
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, []Entry{{Table: Stories, Key: []byte("b"), Value: []byte("2")},
		{Table: Written, Key: []byte("e1@r1")}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := notes(st); got != "[e2@r3]" {
		t.Fatalf("after the commit that deletes e1@r1, memory holds notes %s", got)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, _, _ = openFileStore(t, dir, testConfig())
	defer st.Close()
	if got := notes(st); got != "[e2@r3]" {
		t.Fatalf("after a snapshot and a commit the log holds notes %s", got)
	}
}

func entryKeys(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = string(e.Key)
	}
	return out
}
