package dedupe

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restored state log holding one record of 2100 — the window clock's
// entry, a foreign story's signature dated 2100 (and the clock it moved),
// a remembered story's own signature rewritten to 2100 — keeps dedupe's
// signatures: the window clock is bounded by the signature times the
// state itself holds (the second latest, so the 2100 record cannot move
// the reference), never by the host's clock. Read as it was before round
// 41, the window clock restored in 2100 put every signature outside the
// window, and a near copy of a remembered story was new.
func TestARestoredRecordFarInTheFutureKeepsDedupesSignatures(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	live, st := newDeduper(t, nil)
	tx := live.Begin()
	a, atext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	a.Published = t0
	b, btext := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/rain", "Floods", other})
	b.Published = t0.Add(10 * time.Minute)
	if dec, _ := tx.Check(a, atext, t0); dec.Kind != KindNew {
		t.Fatalf("s_a1: %v", dec.Kind)
	}
	if dec, _ := tx.Check(b, btext, t0.Add(10*time.Minute)); dec.Kind != KindNew {
		t.Fatalf("s_b1: %v", dec.Kind)
	}
	commit(t, tx, st)
	var snapshot []state.Entry
	if err := live.Snapshot(func(e state.Entry) error {
		snapshot = append(snapshot, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// signature returns the snapshot's signature entry of story id.
	signature := func(id string) (int, state.Entry) {
		for i, e := range snapshot {
			if e.Table == state.Fingerprints && len(e.Key) == 8 && binary.LittleEndian.Uint64(e.Key) == hkey(id) {
				return i, e
			}
		}
		t.Fatalf("the snapshot holds no signature of %s", id)
		return 0, state.Entry{}
	}
	dated := func(e state.Entry, at int64) state.Entry {
		v := slices.Clone(e.Value)
		binary.LittleEndian.PutUint64(v, uint64(at))
		return state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: v}
	}
	cases := map[string]func() []state.Entry{
		"window clock of 2100": func() []state.Entry {
			return append(slices.Clone(snapshot), clockEntry(far))
		},
		"a foreign signature of 2100 and the clock it moved": func() []state.Entry {
			_, e := signature("s_b1")
			foreign := dated(e, far)
			foreign.Key = binary.LittleEndian.AppendUint64(nil, 12345)
			return append(slices.Clone(snapshot), foreign, clockEntry(far))
		},
		"the remembered story's signature rewritten to 2100": func() []state.Entry {
			es := slices.Clone(snapshot)
			i, e := signature("s_a1")
			es[i] = dated(e, far)
			return append(es, clockEntry(far))
		},
	}
	for name, hostile := range cases {
		for _, order := range []string{"as logged", "reversed"} {
			t.Run(name+"/"+order, func(t *testing.T) {
				es := hostile()
				if order == "reversed" {
					slices.Reverse(es)
				}
				d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range es {
					if err := d.Load(e); err != nil {
						t.Fatalf("load %s %x: %v", e.Table, e.Key, err)
					}
				}
				if err := d.Restored(); err != nil {
					t.Fatal(err)
				}
				if bound := t0.Add(time.Hour).UnixNano(); d.clock > bound || d.logged > bound {
					t.Errorf("window clock %s (logged %s) after the restore, want it cut to the state's own signature times",
						time.Unix(0, d.clock).UTC(), time.Unix(0, d.logged).UTC())
				}
				tx := d.Begin()
				defer tx.Release()
				c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates on hold", edit(wire)})
				c.Published = t0.Add(time.Hour)
				if dec, _ := tx.Check(c, ctext, t0.Add(time.Hour)); dec.Kind != KindDuplicate || dec.Duplicate.DuplicateOf != "s_a1" {
					t.Fatalf("a near copy of the remembered story after the restore: %v, want a duplicate of s_a1", dec.Kind)
				}
			})
		}
	}
}

// A window clock within RestoredTimeSlack of the state's own signature
// times is kept, as is one the state holds no signature to bound by.
func TestRestoredWindowClockWithinTheStatesOwnIsKept(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		entries []state.Entry
		want    int64
	}{
		"five days ahead of a signature": {want: t0.Add(5 * 24 * time.Hour).UnixNano()},
		"in the past":                    {want: time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC).UnixNano()},
		"alone, in 2100":                 {want: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()},
	} {
		t.Run(name, func(t *testing.T) {
			live, st := newDeduper(t, nil)
			es := []state.Entry{clockEntry(tc.want)}
			if name == "five days ahead of a signature" {
				tx := live.Begin()
				a, atext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
				a.Published = t0
				if dec, _ := tx.Check(a, atext, t0); dec.Kind != KindNew {
					t.Fatalf("s_a1: %v", dec.Kind)
				}
				commit(t, tx, st)
				if err := live.Snapshot(func(e state.Entry) error {
					if e.Table == state.Fingerprints && len(e.Key) == 8 {
						es = append(es, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if err := d.Load(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
			if d.clock != tc.want || d.logged != tc.want {
				t.Errorf("clock %s logged %s, want %s", time.Unix(0, d.clock).UTC(), time.Unix(0, d.logged).UTC(), time.Unix(0, tc.want).UTC())
			}
		})
	}
}
