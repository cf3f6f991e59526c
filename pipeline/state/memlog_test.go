package state

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// The memory log rereads what a compacted log would hold: each tracked
// key's last committed entry, in the order of those commits, with an
// empty value kept apart from a delete, untracked tables left out, and
// nothing of the caller's buffers, which it reuses after the commit.
func TestTheMemoryLogRereadsEachKeysLastEntryInCommitOrder(t *testing.T) {
	m := newMemoryLog([]Owner{newMapOwner(Events), newMapOwner(Spikes)})
	key, val := []byte("k"), []byte("v1")
	m.append([]Entry{
		{Table: Events, Key: key, Value: val},
		{Table: Spikes, Key: []byte("k"), Value: []byte("spike")}, // the same key in another table
		{Table: Stories, Key: []byte("s"), Value: []byte("not tracked")},
		{Table: Events, Key: []byte("gone"), Value: []byte("x")},
		{Table: Events, Key: []byte("empty"), Value: []byte{}},
		{Table: Events, Key: nil, Value: []byte("no key")},
	})
	copy(val, "XX") // the caller's buffer, reused
	m.append([]Entry{
		{Table: Events, Key: []byte("gone")},                   // deleted
		{Table: Events, Key: []byte("never"), Value: nil},      // a delete of nothing
		{Table: Events, Key: []byte("k"), Value: []byte("v2")}, // replaced: moves last
	})
	for i := range 3000 { // enough replaced entries to compact
		m.append([]Entry{{Table: Spikes, Key: []byte("churn"), Value: fmt.Append(nil, i)}})
	}
	reread := func() (got []string) {
		err := m.Reread(context.Background(), func(e Entry) error {
			got = append(got, fmt.Sprintf("%s %q=%q nil:%v", e.Table, e.Key, e.Value, e.Value == nil))
			for _, b := range [][]byte{e.Key, e.Value} { // fn's slices are its own
				for i := range b {
					b[i] = 'Z'
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := []string{
		fmt.Sprintf("%s %q=%q nil:false", Spikes, "k", "spike"),
		fmt.Sprintf("%s %q=%q nil:false", Events, "empty", ""),
		fmt.Sprintf("%s %q=%q nil:false", Events, "", "no key"),
		fmt.Sprintf("%s %q=%q nil:false", Events, "k", "v2"),
		fmt.Sprintf("%s %q=%q nil:false", Spikes, "churn", "2999"),
	}
	for range 2 {
		if got := reread(); !slices.Equal(got, want) {
			t.Errorf("reread\n%q\nwant\n%q", got, want)
		}
	}
	if len(m.entries) > 2*len(m.at)+1024 {
		t.Errorf("%d entries kept for %d keys: never compacted", len(m.entries), len(m.at))
	}
}
