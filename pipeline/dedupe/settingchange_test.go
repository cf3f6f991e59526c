package dedupe

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restart under another minhashes/bands setting whose signatures are not
// a prefix of the old ones (here 48/24 → 64/32: values cannot be made
// up) restores the stories, their aliases
// and the window, and drops the fingerprints made under the old setting
// (Load: they cannot be compared with the new ones): exact matches still
// work, near copies of a story remembered before the restart are not
// found until it ages out of the window, and stories after the restart
// are indexed under the new setting. No error, no wrong merge.
func TestARestartUnderAnotherSignatureSettingKeepsExactMatchesAndIndexesAnew(t *testing.T) {
	dir := t.TempDir()
	small := DefaultConfig()
	small.MinHashes, small.Bands = 48, 24
	d, st := openOnFileLog(t, dir, small)
	tx := d.Begin()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	tx.Check(s, text, t0)
	commit(t, tx, st)
	st.Close()

	long := DefaultConfig()
	long.MinHashes, long.Bands = 64, 32
	d2, st2 := openOnFileLog(t, dir, long) // a restart under a longer signature
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

// A restart under a shorter signature with the same rows per band (64/32 →
// 48/24) converts the remembered fingerprints instead of dropping them:
// MinHash values are per hash function (the first 48 of 64 are the 48-value
// signature) and a band's check bytes depend only on its own rows and its
// index, so the first 24 bands' stored form is the 48/24 stored form. The
// converted index must hold exactly what a 48/24 index fed the same
// stories holds, and find a near copy of a story remembered before.
func TestARestartUnderAPrefixSettingConvertsTheRememberedFingerprints(t *testing.T) {
	dir := t.TempDir()
	small := DefaultConfig()
	small.MinHashes, small.Bands = 48, 24
	feed := func(d *Deduper, st *state.Store) {
		tx := d.Begin()
		s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
		tx.Check(s, text, t0)
		commit(t, tx, st)
	}
	long := DefaultConfig()
	long.MinHashes, long.Bands = 64, 32
	d, st := openOnFileLog(t, dir, long)
	feed(d, st)
	st.Close()
	fresh, fst := openOnFileLog(t, t.TempDir(), small)
	feed(fresh, fst)

	d2, _ := openOnFileLog(t, dir, small)
	if n := d2.idx.live; n != 1 {
		t.Fatalf("%d fingerprints restored, want the one remembered under 64/32 converted", n)
	}
	key := fresh.idx.key(0)
	s2, ok := d2.idx.byKey.get(key)
	if !ok {
		t.Fatal("the converted fingerprint is not under the story's key")
	}
	if got, want := d2.idx.slotVals(s2), fresh.idx.slotVals(0); string(got) != string(want) {
		t.Errorf("converted values differ from a 48/24 index's:\n%v\n%v", got, want)
	}
	if got, want := d2.idx.slotChk(s2), fresh.idx.slotChk(0); string(got) != string(want) {
		t.Errorf("converted check bytes differ from a 48/24 index's:\n%v\n%v", got, want)
	}
	tx := d2.Begin()
	c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", edit(wire)})
	if dec, _ := tx.Check(c, ctext, t0.Add(time.Hour)); dec.Kind != KindDuplicate || dec.Duplicate.Method != MethodNear || dec.Duplicate.DuplicateOf != "s_a1" {
		t.Fatalf("a near copy of a story remembered under 64/32: %v, want a near duplicate of s_a1", dec)
	}
	tx.Release()
}
