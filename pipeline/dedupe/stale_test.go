package dedupe

import (
	"testing"
)

// A batch whose decisions read what an earlier, still pending batch
// decided is stale once that batch is released (not committed), and only
// then: the pipeline fails it rather than commit a copy of a story that
// was never committed.
func TestATxnThatReadAPendingTxnIsStaleOnceThatOneIsReleased(t *testing.T) {
	orig := item{feed: "https://a.example/rss", id: "s_a1", guid: "a-1", url: "https://a.example/ecb", title: "ECB holds rates", text: wire}
	copied := item{"https://b.example/feed", "s_b1", "b-1", "https://b.example/x", "Rates on hold", wire}
	unrelated := item{"https://c.example/feed", "s_c2", "c-2", "https://c.example/z", "Floods in Brazil", other}
	for _, tc := range []struct {
		name      string
		later     item
		commit    bool // the first batch is committed, else released
		wantStale bool
	}{
		{"a copy of a story whose batch is released", copied, false, true},
		{"a copy of a story whose batch is committed", copied, true, false},
		{"an unrelated story, the other batch released", unrelated, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, st := newDeduper(t, nil)
			first, second := d.Begin(), d.Begin()
			s, text := story(orig)
			if dec, err := first.Check(s, text, t0); err != nil || dec.Kind != KindNew {
				t.Fatalf("first batch: %v %v", dec.Kind, err)
			}
			s2, text2 := story(tc.later)
			if _, err := second.Check(s2, text2, t0); err != nil {
				t.Fatal(err)
			}
			if second.Stale() {
				t.Fatal("stale while the batch it read is still pending")
			}
			if tc.commit {
				commit(t, first, st)
			} else {
				first.Release()
			}
			if got := second.Stale(); got != tc.wantStale {
				t.Errorf("Stale() = %t, want %t", got, tc.wantStale)
			}
		})
	}
}
