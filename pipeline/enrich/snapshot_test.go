package enrich

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// learned is an enricher that has read n news-like stories with change
// tracking on, and the 'w' entries its first Changes call returned: every
// term it learned, in term order, encoded by a path the snapshot does not
// share (the corpus's dirty set, looked up in the map one term at a time),
// as the snapshot encoded them before it sorted copied pairs into shared
// arrays.
func learned(t testing.TB, n int) (*Enricher, []state.Entry) {
	t.Helper()
	e := newE(t)
	e.TrackChanges(true)
	m := newstext.New(3)
	r := rand.New(rand.NewPCG(3, 4))
	for range n {
		s := m.Story(r, 120)
		e.Enrich(&record.Story{Title: s.Title, Body: s.Body()}, "en")
	}
	var terms []state.Entry
	for _, en := range e.Changes() {
		if en.Key[0] == 'w' && en.Value != nil {
			terms = append(terms, en)
		}
	}
	return e, terms
}

// The snapshot's terms are byte for byte the old encoding's (each cut
// from the one array the snapshot reuses, so emit keeps a copy, as
// state.Owner says) — in the corpus's slot order since round 44, not the
// old encoding's term order — and the snapshot restores the same
// enricher: a snapshot of the restored one is the same entries, in the
// same order (a restore fills the slots in the file's order).
func TestSnapshotTermsAreTheOldEncodingAndRestore(t *testing.T) {
	e, want := learned(t, 400)
	if len(want) < 10_000 {
		t.Fatalf("only %d terms learned: too few to span the snapshot's arrays", len(want))
	}
	var kept []state.Entry
	if err := e.Snapshot(func(en state.Entry) error {
		kept = append(kept, copied(en))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var got []state.Entry
	for _, en := range kept {
		if en.Key[0] == 'w' {
			got = append(got, en)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("snapshot holds %d terms, the corpus %d", len(got), len(want))
	}
	got = slices.SortedFunc(slices.Values(got), func(a, b state.Entry) int { return bytes.Compare(a.Key, b.Key) })
	for i := range want {
		if got[i].Table != want[i].Table || !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) {
			t.Fatalf("term %d: snapshot %q %x, old encoding %q %x", i, got[i].Key, got[i].Value, want[i].Key, want[i].Value)
		}
	}
	r := newE(t)
	for _, en := range kept {
		if err := r.Load(en); err != nil {
			t.Fatalf("load %q: %v", en.Key, err)
		}
	}
	again := snapshot(t, r)
	if len(again) != len(kept) {
		t.Fatalf("restored enricher snapshots %d entries, the original %d", len(again), len(kept))
	}
	for i := range kept {
		if !bytes.Equal(again[i].Key, kept[i].Key) || !bytes.Equal(again[i].Value, kept[i].Value) {
			t.Fatalf("entry %d restores as %q %x, was %q %x", i, again[i].Key, again[i].Value, kept[i].Key, kept[i].Value)
		}
	}
}

// BenchmarkSnapshot is the enricher's part of the state snapshot over the
// corpus of 3,000 news-like stories.
func BenchmarkSnapshot(b *testing.B) {
	e, _ := learned(b, 3000)
	b.ReportAllocs()
	cpu0 := cputime.Self() // on a shared box CPU time moves less than wall time
	for b.Loop() {
		if err := e.Snapshot(func(state.Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
}
