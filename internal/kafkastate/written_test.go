package kafkastate

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The processor role's path for the notes of written records: a note
// appended to the changelog (a commit of its own: the Kafka log has no
// unsynced append) is restored by the next owner of the partition, and
// the commit that carries its tombstone deletes it there too.
func TestWrittenNotesAreRestoredFromTheChangelog(t *testing.T) {
	f := newFixture(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	open := func() *state.Store {
		t.Helper()
		l, err := Open(ctx, f.cn, f.topic, 0, Options{Log: testLog(t)})
		if err != nil {
			t.Fatal(err)
		}
		st, err := state.Open(ctx, l, state.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	keys := func(st *state.Store) []string {
		var out []string
		for _, e := range st.Written() {
			out = append(out, string(e.Key))
		}
		return out
	}

	st := open()
	if err := st.NoteWritten(ctx, []state.Entry{
		{Table: state.Written, Key: []byte("e1@r1"), Value: []byte("x")},
		{Table: state.Written, Key: []byte("e2@r1"), Value: []byte("y")},
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Discard(); err != nil { // the crash
		t.Fatal(err)
	}

	st = open()
	if got := keys(st); len(got) != 2 || got[0] != "e1@r1" || got[1] != "e2@r1" {
		t.Fatalf("the next owner restores notes %v", got)
	}
	if err := st.Commit(ctx, []state.Entry{{Table: state.Written, Key: []byte("e1@r1")}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Discard(); err != nil {
		t.Fatal(err)
	}

	st = open()
	defer st.Discard()
	if got := keys(st); len(got) != 1 || got[0] != "e2@r1" {
		t.Fatalf("after the commit that deletes e1@r1 the changelog restores notes %v", got)
	}
}
