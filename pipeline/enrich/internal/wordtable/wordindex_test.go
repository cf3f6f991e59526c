package wordtable

import (
	"strings"
	"testing"
)

// TestWordIndexFindsWhatTheMapFinds: the index Note probes answers every
// word as the table's map does — each key at its number, and every word
// that is no key (a key cut, grown, or one byte changed, at every length
// around the index's 8-byte head) not at all.
func TestWordIndexFindsWhatTheMapFinds(t *testing.T) {
	tb := build()
	tb.ids["a-word-longer-than-sixteen-bytes"] = tb.ids["the"] // a long key, whatever the lists hold
	tb.words = newWordIndex(tb.ids)
	check := func(w string) {
		t.Helper()
		want, wantOK := tb.ids[w]
		got, ok := tb.words.find(w)
		if ok != wantOK || got != want {
			t.Fatalf("find(%q) = %d, %v; the map has %d, %v", w, got, ok, want, wantOK)
		}
	}
	for w := range tb.ids {
		check(w)
		check(w + "s")
		check("x" + w)
		check(strings.ToUpper(w))
		for i := range len(w) {
			check(w[:i])
			b := []byte(w)
			b[i] ^= 1
			check(string(b))
		}
	}
	for _, w := range []string{"", "zzzzzzzzzz", "\x00", "\x00\x00\x00\x00\x00\x00\x00\x00\x00", "thethethe", "a-word-longer-than-sixteen-byteS"} {
		check(w)
	}
}
