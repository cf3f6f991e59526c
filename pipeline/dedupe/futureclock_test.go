package dedupe

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restored window clock (or a signature's time) far in the future of the
// wall clock — a damaged or foreign state record, a writer whose clock ran
// decades ahead — is cut back at Load: the clock only moves forward, so
// read as it was before round 40 every remembered signature fell outside
// the window until real time caught up (year 2100), and no copy was
// caught. Every other entry is kept: a near copy of the remembered story
// is still a duplicate after the restore.
func TestRestoredClockFarInTheFutureIsClampedToTheWallClock(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	live, st := newDeduper(t, nil)
	tx := live.Begin()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	s.Published = now.Add(-time.Hour)
	if dec, _ := tx.Check(s, text, now); dec.Kind != KindNew {
		t.Fatalf("original: %v", dec.Kind)
	}
	commit(t, tx, st)
	var entries []state.Entry
	if err := live.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// a foreign story's signature stamped 2100, then the clock at 2100
	var hostileSig state.Entry
	for _, e := range entries {
		if e.Table == state.Fingerprints && len(e.Key) == 8 {
			v := slices.Clone(e.Value)
			binary.LittleEndian.PutUint64(v, uint64(far))
			hostileSig = state.Entry{Table: state.Fingerprints, Key: binary.LittleEndian.AppendUint64(nil, 12345), Value: v}
		}
	}
	if hostileSig.Value == nil {
		t.Fatal("the snapshot holds no signature")
	}
	entries = append(entries, hostileSig, clockEntry(far))

	for _, order := range []string{"as logged", "clock first"} {
		t.Run(order, func(t *testing.T) {
			es := slices.Clone(entries)
			if order == "clock first" {
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
			if bound := time.Now().Add(RestoredClockSlack).UnixNano(); d.clock > bound || d.logged > bound {
				t.Errorf("window clock %s (logged %s) after the restore, want at most the wall clock + %s",
					time.Unix(0, d.clock).UTC(), time.Unix(0, d.logged).UTC(), RestoredClockSlack)
			}
			tx := d.Begin()
			defer tx.Release()
			c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates on hold", edit(wire)})
			c.Published = now
			if dec, _ := tx.Check(c, ctext, now.Add(time.Minute)); dec.Kind != KindDuplicate || dec.Duplicate.DuplicateOf != "s_a1" {
				t.Fatalf("a near copy of the remembered story after the restore: %v, want a duplicate of s_a1", dec.Kind)
			}
		})
	}
}

// A restored clock in the past of the wall clock (a replay of an archive,
// a test's made-up dates) is kept as it was: the bound caps only the
// future.
func TestRestoredClockInThePastIsKept(t *testing.T) {
	past := time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC).UnixNano()
	d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Load(clockEntry(past)); err != nil {
		t.Fatal(err)
	}
	if d.clock != past || d.logged != past {
		t.Errorf("clock %d logged %d, want %d", d.clock, d.logged, past)
	}
}
