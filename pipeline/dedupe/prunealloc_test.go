package dedupe

import (
	"context"
	"fmt"
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
