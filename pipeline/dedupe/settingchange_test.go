package dedupe

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restart under another minhashes/bands setting (an operator's edit of
// the config, or a changed default) restores the stories, their aliases
// and the window, and drops the fingerprints made under the old setting
// (Load: they cannot be compared with the new ones): exact matches still
// work, near copies of a story remembered before the restart are not
// found until it ages out of the window, and stories after the restart
// are indexed under the new setting. No error, no wrong merge.
func TestARestartUnderAnotherSignatureSettingKeepsExactMatchesAndIndexesAnew(t *testing.T) {
	dir := t.TempDir()
	open := func(cfg Config) (*Deduper, *state.Store) {
		l, err := state.OpenFile(dir, state.DefaultConfig(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := New(cfg, BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := state.Open(context.Background(), l, state.Options{}, d)
		if err != nil {
			t.Fatalf("restore under minhashes %d, bands %d: %v", cfg.MinHashes, cfg.Bands, err)
		}
		t.Cleanup(func() { st.Close() })
		return d, st
	}
	d, st := open(DefaultConfig())
	tx := d.Begin()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	tx.Check(s, text, t0)
	commit(t, tx, st)
	st.Close()

	cfg := DefaultConfig()
	cfg.MinHashes, cfg.Bands = 48, 24
	d2, st2 := open(cfg) // a restart under a cheaper setting
	if n := d2.idx.live; n != 0 {
		t.Fatalf("%d fingerprints of the old setting restored into the new index", n)
	}
	tx = d2.Begin()
	same, stext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	if dec, _ := tx.Check(same, stext, t0.Add(time.Hour)); dec.Kind != KindUnchanged {
		t.Fatalf("the remembered story again after the restart: %v, want unchanged", dec.Kind)
	}
	c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", edit(wire)})
	if dec, _ := tx.Check(c, ctext, t0.Add(time.Hour)); dec.Kind != KindNew {
		t.Fatalf("a near copy of a story remembered under the old setting: %v, want new (its fingerprint was dropped)", dec.Kind)
	}
	commit(t, tx, st2)
	tx = d2.Begin()
	e, etext := story(item{"https://e.example/feed", "s_e1", "e-1", "https://e.example/z", "Rates", "PARIS (AFP) " + edit(wire) + " Markets barely moved."})
	if dec, _ := tx.Check(e, etext, t0.Add(2*time.Hour)); dec.Kind != KindDuplicate || dec.Duplicate.Method != MethodNear || dec.Duplicate.DuplicateOf != "s_c1" {
		t.Fatalf("a copy of a story seen after the restart: %v, want a near duplicate of s_c1", dec)
	}
	tx.Release()
}
