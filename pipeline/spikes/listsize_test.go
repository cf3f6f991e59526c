package spikes

import (
	"reflect"
	"testing"
	"unsafe"
)

// A count of two stories or more keeps a countLists: at the 10k-feed
// cold start's bucket some 57k of them (7.3 MB at round 40's peak). It
// must fit the 64-byte size class (round 40: 128, a pubSet of two slices
// and three string slices; round 41: 80, its samples and events in
// slices of their own).
func TestACountsListsFitSixtyFourBytes(t *testing.T) {
	if n := unsafe.Sizeof(countLists{}); n > 64 {
		t.Errorf("countLists is %d bytes, want at most 64", n)
	}
}

// A count's sample stories and events name the bucket's stories by
// number (4 bytes), not by a string of their own (16 bytes a sample, 32
// an event with its story: at round 41's 10k + 1M peak 16 MB of the
// spikes stage's 57 were those arrays).
func TestACountsListsHoldNoStrings(t *testing.T) {
	var holdsString func(reflect.Type) bool
	holdsString = func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.String:
			return true
		case reflect.Slice, reflect.Array, reflect.Pointer:
			return holdsString(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if holdsString(t.Field(i).Type) {
					return true
				}
			}
		}
		return false
	}
	tl := reflect.TypeFor[countLists]()
	for i := range tl.NumField() {
		if f := tl.Field(i); holdsString(f.Type) {
			t.Errorf("countLists.%s (%s) holds strings: a story is its number among the bucket's", f.Name, f.Type)
		}
	}
}
