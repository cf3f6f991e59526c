package dedupe

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A window held at max_entries by a prune every prune interval frees as
// many slots as arrive. The story array and the signature arrays must then
// stay near the window (its stories, a prune interval's more, and the dead
// slots the band tables' next rebuild compacts), not grow by append's
// quarter each time they fill: at a million stories that quarter was
// +27 MB of signatures and +15 MB of stories (round 27, mem27).
func TestAWindowHeldAtItsBoundKeepsItsArraysNearIt(t *testing.T) {
	const bound, every, cycles = 3000, 300, 12
	d, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: bound}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), nil, state.Options{}, d)
	if err != nil {
		t.Fatal(err)
	}
	g := newStreamGen(28)
	feed := func(from, n int) {
		tx := d.Begin()
		for i := from; i < from+n; i++ {
			u := fmt.Sprintf("https://f%d.example/news/%d", i%20, i)
			s, text := story(item{feed: fmt.Sprintf("https://f%d.example/rss", i%20), id: "s" + u, guid: u, url: u, title: u, text: g.text(40)})
			if _, err := tx.Check(s, text, t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
			if i%50 == 49 {
				commit(t, tx, st)
				tx = d.Begin()
			}
		}
		commit(t, tx, st)
	}
	prune := func() {
		if err := st.Update(context.Background(), func() []state.Entry {
			es, _, ok := d.Prune()
			if !ok {
				t.Fatal("prune refused without a snapshot")
			}
			return es
		}); err != nil {
			t.Fatal(err)
		}
	}
	feed(0, bound)
	prune()
	most := func() (int, int) { return d.mem.stories.cap(), d.idx.keys.cap() }
	var stories, sigs int
	for c := 0; c < cycles; c++ {
		feed(bound+c*every, every)
		s, k := most()
		stories, sigs = max(stories, s), max(sigs, k)
		prune()
	}
	if n := d.idx.Len(); n != bound {
		t.Fatalf("%d signatures after the prunes, want the window's %d: the case tests nothing", n, bound)
	}
	// The story array compacts when full (dead slots are reused then): it
	// needs the window and a prune interval, and a growth step of 1/16.
	peak := bound + every
	if want := peak + peak/16 + 64; stories > want {
		t.Errorf("story array of %d slots for a window of %d and %d a prune interval, want at most %d", stories, bound, every, want)
	}
	// The signature arrays are compacted by the band tables' rebuild,
	// which comes when the slots fill 90 % of the cells, a quarter more
	// than the live slots at the rebuild before: at most 9/8 of them.
	if want := peak*9/8 + 2; sigs > want {
		t.Errorf("signature arrays of %d slots for a window of %d and %d a prune interval, want at most %d", sigs, bound, every, want)
	}
	for _, a := range []struct {
		name     string
		len, cap int
		width    int
	}{
		{"first", d.idx.first.len(), d.idx.first.allocated(), 1},
		{"vals", d.idx.vals.len(), d.idx.vals.allocated(), 1},
		{"chk", d.idx.chk.len(), d.idx.chk.allocated(), 1},
	} {
		if a.cap > (peak*9/8+2)*a.width {
			t.Errorf("signature array %s: capacity %d slots, want at most %d", a.name, a.cap/a.width, peak*9/8+2)
		}
	}
}

// A crash leaves the size hints up to 30 s stale (state's hintEvery): a
// restore then holds more than its hint reserved. Its arrays grow by a
// sixteenth at a time, not by append's quarter (+52 MB of peak at a
// million stories, round 27, mem27), and the restore decides as one run
// would.
func TestARestoreOverItsStaleHintGrowsItsArraysByASixteenth(t *testing.T) {
	one, oneSt := newDeduper(t, nil)
	feedStream(t, one, oneSt, newStreamGen(28), 0, 3000, t0)
	var entries []state.Entry
	err := one.Snapshot(func(e state.Entry) error {
		if e.Table != state.Stories || len(e.Key) != 0 { // not the snapshot's own hint: these entries stand for a tail past every hint
			entries = append(entries, copied(e))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := one.counts()
	stale := [4]int{c[0] * 9 / 10, c[1] * 9 / 10, c[2] * 9 / 10, c[3] * 9 / 10}
	d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Load(state.Entry{Table: state.Stories, Key: []byte{}, Value: encodeSizes(stale)}); err != nil {
		t.Fatal(err)
	}
	x := d.idx
	// The reserve rounds the capacities up to the allocator's size
	// classes: the bounds start from what it gave.
	arrays := func() [3]int {
		return [3]int{d.mem.stories.cap(), x.vals.cap(), x.chk.cap()}
	}
	reserved := arrays()
	for _, e := range entries {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	got := arrays() // before the restore ends: fit copies the arrays back to their length
	if got[0] <= reserved[0] || got[1] <= reserved[1] {
		t.Fatalf("%d stories and %d signatures fit the %v slots reserved: the case tests nothing", c[0], c[3], reserved)
	}
	for i, name := range []string{"story records", "signature values", "signature check bytes"} {
		need := []int{c[0], c[3], c[3]}[i]
		most := reserved[i]
		if i > 0 { // the signature arrays grow together, when the first of them fills
			most = min(reserved[1], reserved[2])
		}
		for most < need {
			most = grownSlots(most)
		}
		most = max(most, reserved[i])
		if got[i] > most {
			t.Errorf("%s: %d slots reserved, %d needed, grew to %d, want at most %d", name, reserved[i], need, got[i], most)
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshotOf(t, d), snapshotOf(t, one); got != want {
		t.Fatalf("restored memory differs:\n%.400s\nwant\n%.400s", got, want)
	}
}

// The size hints are saved every 30 s while the store commits, so after a
// crash a restore could hold up to 30 s of stories more than its hint
// said and grow its arrays (≈ +13 MB at a million, round 27, mem28). A
// hint is saved also when the counts pass the last one by more than half
// the room a restore reserves over it (withDeadRoom's 1/128): the hints a
// crash leaves behind then reserve every story and signature it restores.
func TestAfterACrashTheSizeHintStillReservesWhatTheRestoreHolds(t *testing.T) {
	dir := t.TempDir()
	d, st := fileDeduper(t, dir)
	feedStream(t, d, st, newStreamGen(28), 0, 3000, t0) // well within hintEvery
	c := d.counts()
	crashed := t.TempDir() // the files as a crash leaves them: no Close, no last save
	if err := os.CopyFS(crashed, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	l, err := state.OpenFile(crashed, state.DefaultConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var hint [4]int
	for _, e := range l.Hints(context.Background()) {
		if e.Table == state.Stories && len(e.Key) == 0 {
			for i, b := 0, e.Value; i < 4 && len(b) > 0; i++ {
				v, n := binary.Uvarint(b)
				hint[i], b = int(v), b[n:]
			}
		}
	}
	for i, name := range []string{"stories", "copies", "aliases", "signatures"} {
		if c[i] > hint[i]+hint[i]/256 {
			t.Errorf("%s: %d held, the hint a crash left says %d (a restore reserves %d)", name, c[i], hint[i], withDeadRoom(hint[i]))
		}
	}
}
