package dedupe

import (
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// TestARestoreDemotesStoriesOlderThanTheNearWindow: a log whose
// signatures reach further back than dedupe.window at its own clock (one
// written under a longer window, or whose last prune came before the
// last batches) restores every story's exact keys, but indexes only the
// signatures inside the window: the older ones would decide nothing
// (decisions ignore them) and only held their values, check bytes and
// band cells until the first prune. That prune still writes their
// tombstones, so the log (and a changelog topic) forgets them as it did
// before, and decisions are the same as without the demotion.
func TestARestoreDemotesStoriesOlderThanTheNearWindow(t *testing.T) {
	dir := t.TempDir()
	long := DefaultConfig()
	long.Window = 7 * 24 * time.Hour
	g := newStreamGen(42)
	texts := make([]string, 10)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * 12 * time.Hour) }
	url := func(i int) string { return fmt.Sprintf("https://a.example/%d", i) }
	{
		l, err := state.OpenFile(dir, state.DefaultConfig(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, st := newDeduperUnder(t, long, l)
		for i := range texts { // one story every 12 hours: 4.5 days
			texts[i] = g.text(60)
			tx := d.Begin()
			s, text := story(item{"https://a.example/rss", fmt.Sprintf("s_a%d", i), fmt.Sprintf("a-%d", i), url(i), "t", texts[i]})
			s.Published = at(i)
			if dec, err := tx.Check(s, text, at(i)); err != nil || dec.Kind != KindNew {
				t.Fatalf("story %d: %v %v", i, dec.Kind, err)
			}
			commit(t, tx, st)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}

	// Restored under the default 72-hour window: its clock is story 9's
	// time, so stories 0–2 (108–84 hours before it) are older than it.
	d, st := openOnFileLog(t, dir, DefaultConfig())
	if got := d.Count(state.Stories); got != 10 {
		t.Fatalf("%d stories restored, want all 10 (their exact keys outlive the window)", got)
	}
	if got := d.Count(state.Fingerprints); got != 7 {
		t.Fatalf("%d signatures indexed after the restore, want the 7 inside the window", got)
	}
	if got := d.idx.slots(); got != 7 {
		t.Fatalf("the index holds %d slots after the restore, want 7 (no dead slot kept)", got)
	}

	// The first prune writes the demoted signatures' tombstones, and only
	// theirs: the log forgets them as it did when the prune dropped them.
	tombs, ps, ok := d.Prune()
	if !ok || ps.Fingerprints != 3 {
		t.Fatalf("the first prune dropped %d fingerprints (ok %v), want the 3 demoted", ps.Fingerprints, ok)
	}
	got := map[string]bool{}
	for _, e := range tombs {
		if e.Table == state.Fingerprints {
			got[string(e.Key)] = true
		}
	}
	for i := range texts {
		k := string(keyBytes(hkey(fmt.Sprintf("s_a%d", i))))
		if got[k] != (i < 3) {
			t.Errorf("story %d: fingerprint tombstone %v, want %v", i, got[k], i < 3)
		}
	}
	if _, ps, _ := d.Prune(); ps.Fingerprints != 0 {
		t.Fatalf("a second prune dropped %d fingerprints again", ps.Fingerprints)
	}

	// Decisions: an old story's URL still finds it; a near copy of it is
	// new (it was before: the window ignores it); a young story's near
	// copy is a near duplicate.
	check := func(name, u, text string, want Kind, method string) {
		t.Helper()
		tx := d.Begin()
		defer tx.Release()
		s, txt := story(item{"https://b.example/rss", "s_" + name, name, u, "t", text})
		s.Published = at(9)
		dec, err := tx.Check(s, txt, at(9))
		if err != nil || dec.Kind != want || (method != "" && dec.Duplicate.Method != method) {
			t.Errorf("%s: %v %v, want %v by %q", name, dec.Kind, err, want, method)
		}
	}
	check("url-of-old", url(0), g.text(60), KindDuplicate, MethodURL)
	check("near-of-old", "https://b.example/old", edit(texts[0]), KindNew, "")
	check("near-of-young", "https://b.example/young", edit(texts[8]), KindDuplicate, MethodNear)
	_ = st
}
