package entities

import (
	"strings"
	"testing"
	"unsafe"
)

// The surname map outlives the stories it learns from: the surname, key
// and name it keeps are its own copies, never slices of a story's text,
// which would keep the whole text in memory (≈ 8 MB of 39 at 20k stories
// of the harness's news text, BenchmarkResidentAfterStories).
func TestTheSurnameMapKeepsNoSliceOfAStorysText(t *testing.T) {
	text := "Keir Starmer said person:keir_starmer " + strings.Repeat("x", 4096)
	inText := func(s string) bool {
		p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
		return p >= start && p < start+uintptr(len(text))
	}
	a := NewAliasMap(10)
	a.Observe(text[5:12], text[18:37], text[0:12])
	for last, s := range a.m {
		if inText(last) {
			t.Errorf("surname %q is a slice of the story's text", last)
		}
		for _, f := range s.names {
			if inText(f.key) || inText(f.name) {
				t.Errorf("key %q / name %q is a slice of the story's text", f.key, f.name)
			}
		}
	}
}
