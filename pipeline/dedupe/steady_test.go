package dedupe

import (
	"context"
	"fmt"
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
	most := func() (int, int) { return cap(d.mem.stories), cap(d.idx.keys) }
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
		{"first", len(d.idx.first), cap(d.idx.first), 1},
		{"vals", len(d.idx.vals), cap(d.idx.vals), d.idx.k},
		{"chk", len(d.idx.chk), cap(d.idx.chk), d.idx.bands * d.idx.checks},
	} {
		if a.cap > (peak*9/8+2)*a.width {
			t.Errorf("signature array %s: capacity %d slots, want at most %d", a.name, a.cap/a.width, peak*9/8+2)
		}
	}
}
