package state

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	if len(m.entries) > 2*m.at.len()+1024 {
		t.Errorf("%d entries kept for %d keys: never compacted", len(m.entries), m.at.len())
	}
}

// Random commits of puts and deletes over a few keys, some in a table no
// tracker owns, reread after every commit, match a plain model of a
// compacted log: each key's last value, in the order of those last
// commits. With collide, most keys share a hash chain.
func TestTheMemoryLogMatchesACompactedLogOverRandomCommits(t *testing.T) {
	for _, collide := range []bool{false, true} {
		t.Run(fmt.Sprint("collide=", collide), func(t *testing.T) {
			r := rand.New(rand.NewPCG(28, 1))
			m := newMemoryLog([]Owner{newMapOwner(Events), newMapOwner(Spikes)})
			m.collide = collide
			type kv struct{ key, value string }
			var model []kv // live entries in commit order; key carries the table
			for commit := range 3000 {
				var es []Entry
				for range 1 + r.IntN(6) {
					tb := []Table{Events, Spikes, Stories}[r.IntN(3)]
					key := fmt.Appendf(nil, "k%d", r.IntN(40))
					if r.IntN(5) == 0 {
						key = key[:0] // the empty key
					}
					var value []byte
					if r.IntN(4) > 0 {
						value = fmt.Appendf([]byte{}, "%d", r.IntN(1000))[:r.IntN(3)]
					}
					es = append(es, Entry{Table: tb, Key: key, Value: value})
					if tb == Stories {
						continue
					}
					mk := string(append([]byte{byte(tb)}, key...))
					model = slices.DeleteFunc(model, func(x kv) bool { return x.key == mk })
					if value != nil {
						model = append(model, kv{mk, string(value)})
					}
				}
				m.append(es)
				if commit%50 != 49 {
					continue
				}
				var got []kv
				err := m.Reread(context.Background(), func(e Entry) error {
					if e.Value == nil {
						t.Fatalf("reread a nil value for %q", e.Key)
					}
					got = append(got, kv{string(append([]byte{byte(e.Table)}, e.Key...)), string(e.Value)})
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, model) {
					t.Fatalf("after commit %d reread\n%q\nwant\n%q", commit, got, model)
				}
			}
		})
	}
}
