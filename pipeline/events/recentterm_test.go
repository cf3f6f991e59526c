package events

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// A hit in the dictionary's cache of recent texts compares the word with
// bytes the entry holds itself — no pointer to a text elsewhere in the
// heap to follow — and an entry is half a cache line, so a hit is one
// line read (BENCHMARKS.md, round 46: evcpu46). A string field here
// would bring back the miss a hit used to cost.
func TestARecentEntryHoldsItsTextInHalfACacheLine(t *testing.T) {
	var r recentTerm
	if size := unsafe.Sizeof(r); size != 32 {
		t.Errorf("a recent entry is %d bytes, want 32 (two to a cache line)", size)
	}
	f, ok := reflect.TypeOf(r).FieldByName("text")
	if !ok || f.Type.Kind() != reflect.Array || f.Type.Elem().Kind() != reflect.Uint8 {
		t.Fatalf("a recent entry's text is %v, want bytes held in the entry", f.Type)
	}
	if f.Type.Len() < 20 {
		t.Errorf("a recent entry holds texts of up to %d bytes: most words and keys would not fit", f.Type.Len())
	}
}

// internBytes answers from its cache with the dictionary's id for texts of
// every length — inline, at the inline limit and past it (compared through
// the dictionary's copy) — and never takes a text that is a prefix of the
// one cached, or that the cached one is a prefix of, for it.
func TestInternBytesIsTheDictionarysIDAtEveryLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(46, 2))
	d := newDict()
	held := map[termID]int{}
	word := func() []byte {
		n := rng.IntN(3 * recentSize)
		w := fmt.Sprintf("w%d", n)
		switch rng.IntN(4) {
		case 0: // exactly at the limit, or one past it
			w = (w + strings.Repeat("x", recentInline))[:recentInline+rng.IntN(2)]
		case 1: // long: an entity key, say
			w = entityPrefix + "organization:" + strings.Repeat("long_name_", 1+n%3) + w
		}
		return []byte(w)
	}
	for step := range 200_000 {
		w := word()
		id := d.internBytes(w)
		if got, ok := d.lookup(string(w)); !ok || got != id || d.term(id) != string(w) {
			t.Fatalf("step %d: internBytes(%q) = %d (text %q), the index has %d (%v)", step, w, id, d.term(id), got, ok)
		}
		if rng.IntN(2) == 0 {
			d.acquire(id)
			held[id]++
		}
		if rng.IntN(3) == 0 && len(held) > 0 {
			for h := range held { // release one held id
				d.release(h)
				if held[h]--; held[h] == 0 {
					delete(held, h)
				}
				break
			}
		}
		if step%97 == 0 {
			d.sweep()
		}
	}
	for _, w := range []string{"a", "ab", "abc", "ab", "a"} {
		id := d.internBytes([]byte(w))
		if d.term(id) != w {
			t.Fatalf("internBytes(%q) = the id of %q", w, d.term(id))
		}
	}
}
