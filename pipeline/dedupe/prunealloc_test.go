package dedupe

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A prune that finds nothing to forget still walks every alias to ask
// whether its story is remembered. It must ask without spelling the
// story's id: a string an alias, every prune, was at a million stories
// 72 MB of garbage a prune and most of a steady state's collections
// (round 29, gcscan29). What it allocates is a few growing slices, not
// anything per alias.
func TestAPruneAllocatesNothingPerAlias(t *testing.T) {
	const n = 600
	d, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 10 * n}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), nil, state.Options{}, d)
	if err != nil {
		t.Fatal(err)
	}
	g := newStreamGen(29)
	tx := d.Begin()
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("https://f%d.example/news/%d", i%20, i)
		s, text := story(item{feed: fmt.Sprintf("https://f%d.example/rss", i%20), id: normalize.StoryID(u, u, ""), guid: u, url: u, title: u, text: g.text(40)})
		if _, err := tx.Check(s, text, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	commit(t, tx, st)
	if _, ok := packID(normalize.StoryID("https://f0.example/news/0", "", "")); !ok {
		t.Fatal("the stories' ids do not pack: the test would not ask what a live run asks")
	}
	if got := d.mem.aliases.len(); got < 2*n {
		t.Fatalf("%d aliases for %d stories, want at least two a story", got, n)
	}
	allocs := testing.AllocsPerRun(5, func() {
		if _, ps, ok := d.Prune(); !ok || ps != (PruneStats{}) {
			t.Fatalf("prune: ok %t, %+v, want nothing forgotten", ok, ps)
		}
	})
	if allocs > n/10 {
		t.Fatalf("a prune of %d stories and %d aliases that forgot nothing allocated %.0f times, want at most %d", n, d.mem.aliases.len(), allocs, n/10)
	}
}

// A prune sweeps only the aliases of stories forgotten since the last
// sweep (or all of them, after an alias was put without its story, as a
// restore may): it must drop exactly what a sweep of every alias drops.
// After every prune, through evictions, Forget and a restart from the
// log, every alias left points to a remembered story, and some were
// dropped on the way.
func TestEveryAliasAPruneLeavesPointsToARememberedStory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() (*Deduper, *state.Store) {
		t.Helper()
		d, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 300}, nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := state.DefaultConfig()
		cfg.NoSync = true
		l, err := state.OpenFile(dir, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := state.Open(ctx, l, state.Options{}, d)
		if err != nil {
			t.Fatal(err)
		}
		return d, st
	}
	every := func(d *Deduper, when string) {
		t.Helper()
		d.mu.Lock()
		defer d.mu.Unlock()
		n := 0
		d.mem.eachAlias(func(k uint64, s uint32) bool {
			if !d.mem.liveSlot(s) && !d.mem.hasStory(d.mem.aliasStory(k, s)) {
				n++
			}
			return true
		})
		if n > 0 {
			t.Fatalf("%s: %d aliases point to stories not remembered", when, n)
		}
	}
	update := func(st *state.Store, f func() []state.Entry) {
		t.Helper()
		if err := st.Update(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	d, st := open()
	g := newStreamGen(29)
	dropped := 0
	prune := func(when string) {
		t.Helper()
		update(st, func() []state.Entry {
			es, ps, ok := d.Prune()
			if !ok {
				t.Fatal("prune refused without a snapshot")
			}
			dropped += ps.Aliases
			return es
		})
		every(d, when)
	}
	for round, i := 0, 0; round < 9; round++ {
		out := feedStream(t, d, st, g, i, 150, t0)
		i += 150
		if round%3 == 1 {
			var forget []Carried
			for _, line := range out {
				if f := strings.Fields(line); f[0] == "new" && len(forget) < 5 {
					forget = append(forget, Carried{ID: f[1], Version: 1})
				}
			}
			update(st, func() []state.Entry { return d.Forget(forget) })
			every(d, fmt.Sprintf("round %d, after Forget", round))
		}
		prune(fmt.Sprintf("round %d", round))
		if round == 4 {
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			d, st = open()
			every(d, "restored")
			prune("the first prune after the restore")
		}
	}
	st.Close()
	if dropped == 0 {
		t.Fatal("no prune dropped an alias: the sweep was not tried")
	}
}
