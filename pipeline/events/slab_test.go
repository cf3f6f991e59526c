package events

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/wirestream/wirestream/internal/textorder"
)

// A slab's strings keep their text however many follow them: across
// the change to a new array, and for a string longer than any array.
func TestSlabStringsAreNeverWrittenOver(t *testing.T) {
	var sl slab
	var want, got []string
	for i := range 3000 {
		s := fmt.Sprintf("key %d of the event", i)
		if i%500 == 7 {
			s = strings.Repeat("long ", maxSlab/4) // over maxSlab
		}
		want, got = append(want, s), append(got, sl.str(s))
	}
	if sl.str("") != "" {
		t.Error(`str("") is not empty`)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("string %d is %q, want %q", i, got[i], want[i])
		}
	}
}

// inSlab reports whether s's bytes lie in the slab's current array.
func inSlab(s string, sl *slab) bool {
	if s == "" || len(sl.b) == 0 {
		return s == ""
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(&sl.b[0]))
	return lo <= p && p+uintptr(len(s)) <= lo+uintptr(len(sl.b))
}

// An event read back from the state log (a restart, a snapshot) holds its
// publishers, entities and keywords in its slab as the live one did: the
// long-lived events a restore brings back are those whose every write
// reads them all.
func TestARestoredEventKeepsItsStringsInItsSlab(t *testing.T) {
	c := New(DefaultConfig(), nil)
	var id string
	for i, s := range fedStories() {
		s.Keywords = []string{"interest rates", "federal reserve", fmt.Sprintf("keyword %d", i)}
		id = c.Assign(s)
	}
	var ids []textorder.Keyed[int32]
	for _, from := range []string{"live", "restored"} {
		ev := c.events[id]
		if from == "restored" {
			var err error
			if ev, err = decodeEvent(id, encodeEvent(nil, ev, &ids, c.terms), newDict()); err != nil {
				t.Fatal(err)
			}
		}
		if len(ev.pubs) != 3 || len(ev.entities) != 2 || len(ev.keywords) != 5 {
			t.Fatalf("%s: publishers %v, entities %v, keywords %v; want 3, 2 and 5", from, ev.pubs, ev.entities, ev.keywords)
		}
		for _, p := range ev.pubs {
			if !inSlab(p, &ev.strs) {
				t.Errorf("%s: publisher %q is not in the event's slab", from, p)
			}
		}
		for _, en := range ev.entities {
			if !inSlab(en.Key, &ev.strs) || !inSlab(en.Name, &ev.strs) {
				t.Errorf("%s: entity %q (%q) is not in the event's slab", from, en.Key, en.Name)
			}
		}
		for _, kc := range ev.keywords {
			if !inSlab(kc.key, &ev.strs) {
				t.Errorf("%s: keyword %q is not in the event's slab", from, kc.key)
			}
		}
	}
}
