package dedupe

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// Forget takes a new story out with its signature and aliases, so its item
// is new again and no copy finds it; a revision keeps its id, first-seen
// time and version, so its item is a revision again, numbered after the
// version remembered. Its entries, committed, restore the same memory,
// and a story it was not given stays.
func TestForgetDecidesAWritesStoriesAgain(t *testing.T) {
	dir := t.TempDir()
	ecb := item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire}
	ecbRevised := item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB holds rates", wire}
	flood := item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/flood", "Floods", other}
	copyOfFlood := item{"https://c.example/rss", "s_c1", "c-1", "https://b.example/flood", "Floods", other} // the same canonical URL
	check := func(d *Deduper, it item, at time.Time) (Kind, int) {
		t.Helper()
		tx := d.Begin()
		defer tx.Release()
		s, text := story(it)
		dec, err := tx.Check(s, text, at)
		if err != nil {
			t.Fatal(err)
		}
		return dec.Kind, s.Version
	}

	d, st := fileDeduper(t, dir)
	for _, it := range []item{ecb, ecbRevised, flood} {
		tx := d.Begin()
		s, text := story(it)
		if _, err := tx.Check(s, text, t0); err != nil {
			t.Fatal(err)
		}
		commit(t, tx, st)
	}
	stories, _, sigs := d.Remembered()
	if stories != 2 || sigs != 2 {
		t.Fatalf("remembered %d stories, %d signatures, want 2 and 2", stories, sigs)
	}

	if k, _ := check(d, copyOfFlood, t0.Add(time.Minute)); k != KindDuplicate {
		t.Fatalf("a copy of the remembered story: %v, want a duplicate", k)
	}
	if k, _ := check(d, ecbRevised, t0.Add(time.Minute)); k != KindUnchanged {
		t.Fatalf("the remembered revision: %v, want unchanged", k)
	}

	es := d.Forget([]Carried{{ID: "s_b1", Version: 1}, {ID: "s_a1", Version: 2}})
	tables := map[state.Table]int{}
	for _, e := range es {
		if e.Value == nil {
			tables[e.Table]++
		}
	}
	if tables[state.Stories] != 1 || tables[state.Fingerprints] != 1 || tables[state.Aliases] < 2 {
		t.Fatalf("tombstones by table %v, want s_b1's story, its signature and its aliases (GUID, URL, body)", tables)
	}
	if len(es) != tables[state.Stories]+tables[state.Fingerprints]+tables[state.Aliases]+1 {
		t.Fatalf("%d entries, want the tombstones and s_a1's story", len(es))
	}
	want := func(d *Deduper, when string) {
		t.Helper()
		if k, _ := check(d, flood, t0.Add(time.Minute)); k != KindNew {
			t.Errorf("%s: the forgotten new story: %v, want new", when, k)
		}
		if k, _ := check(d, copyOfFlood, t0.Add(time.Minute)); k != KindNew {
			t.Errorf("%s: a copy of the forgotten story: %v, want new (no alias or signature finds it)", when, k)
		}
		if k, v := check(d, ecbRevised, t0.Add(time.Minute)); k != KindRevision || v != 3 {
			t.Errorf("%s: the forgotten revision: %v v%d, want a revision, v3", when, k, v)
		}
		if stories, _, sigs := d.Remembered(); stories != 1 || sigs != 1 {
			t.Errorf("%s: remembered %d stories, %d signatures, want 1 and 1", when, stories, sigs)
		}
	}
	want(d, "after Forget")

	if err := st.Commit(context.Background(), es, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	d2, _ := fileDeduper(t, dir) // a restart after the entries were committed
	want(d2, "restored")
}

// A note of a first version that outlived its commit, while the log holds
// a later version of the story, forgets nothing: the story is a revision
// above the version held, not a new story below it.
func TestForgetOfAStaleFirstVersionNoteKeepsTheLaterVersion(t *testing.T) {
	dir := t.TempDir()
	ecb := item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire}
	ecbRevised := item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB holds rates", wire}
	d, st := fileDeduper(t, dir)
	for _, it := range []item{ecb, ecbRevised} {
		tx := d.Begin()
		s, text := story(it)
		if _, err := tx.Check(s, text, t0); err != nil {
			t.Fatal(err)
		}
		commit(t, tx, st)
	}
	if got := d.Holds("s_a1"); got != 2 {
		t.Fatalf("Holds = %d, want 2", got)
	}
	d.Forget([]Carried{{ID: "s_a1", Version: 1}})
	tx := d.Begin()
	defer tx.Release()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB holds rates again", wire})
	dec, err := tx.Check(s, text, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if dec.Kind != KindRevision || s.Version != 3 {
		t.Errorf("%v v%d, want a revision at v3", dec.Kind, s.Version)
	}
}
