package spikes

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A count entry whose key and name alone pass the bucket's text limit is
// refused when it is its bucket's first, as it is when the bucket already
// holds counts. The check was made only for a bucket a restore had
// already begun: the first entry of a bucket was added unchecked and
// appendText panicked (or, at the real 4 GiB limit, would have had to).
func TestTheFirstCountOfABucketIsHeldToTheTextLimit(t *testing.T) {
	defer func(was uint64) { maxCountText = was }(maxCountText)
	maxCountText = 1000
	f := newFeed(DefaultConfig())
	f.observe("AP", "acme")
	var count state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		if e.Key[0] == 'b' {
			count = cloneEntry(e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if count.Key == nil {
		t.Fatal("no count entry in the snapshot")
	}
	long := append(append([]byte(nil), count.Key[:9]...), strings.Repeat("k", 1001)...)
	for _, fresh := range []bool{true, false} {
		d := New(DefaultConfig(), nil)
		if !fresh { // a running detector: its restore is over
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
		}
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("fresh %v: Load panicked: %v", fresh, p)
				}
			}()
			return d.Load(state.Entry{Table: state.Spikes, Key: long, Value: count.Value})
		}()
		if err == nil || !strings.Contains(err.Error(), "past its 1000 bytes") {
			t.Errorf("fresh %v: a first count past the text limit: err %v", fresh, err)
		}
	}
}

// An entry that a restore does not gather (a baseline, a seen story, the
// clock) leaves no pending restore behind when it is loaded while the
// detector runs: Load made one for every entry, an empty restore held
// until a Restored that a running instance never calls again.
func TestALiveBaselineEntryMakesNoPendingRestore(t *testing.T) {
	f := acmeFires(t, DefaultConfig())
	log := f.d.Changes()
	if f.d.restore != nil {
		t.Fatal("a restore pending before the live Load")
	}
	for _, key := range []string{"tacme", "g"} {
		if err := f.d.Load(lastEntryOf(t, log, key)); err != nil {
			t.Fatal(err)
		}
		if f.d.restore != nil {
			t.Errorf("the live Load of %q left a pending restore", key)
		}
	}
	for _, e := range log {
		if e.Key[0] == 'k' {
			if err := f.d.Load(e); err != nil {
				t.Fatal(err)
			}
			if f.d.restore != nil {
				t.Errorf("the live Load of a seen story left a pending restore")
			}
			break
		}
	}
}

// cloneEntry is a copy of e that owns its bytes: a snapshot's emit keeps
// only copies (state.Owner.Snapshot).
func cloneEntry(e state.Entry) state.Entry {
	return state.Entry{Table: e.Table, Key: append([]byte(nil), e.Key...), Value: cloneValue(e.Value)}
}

func cloneValue(v []byte) []byte {
	if v == nil {
		return nil
	}
	return append([]byte{}, v...)
}
