package main

import (
	"slices"
	"testing"
)

// --seeds takes numbers and low-high ranges, so held-out shuffles (6-15)
// are one flag; a backwards or unbounded range is refused, not looped.
func TestParseSeeds(t *testing.T) {
	got, err := parseSeeds("6-9, 20140310,1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{6, 7, 8, 9, 20140310, 1}; !slices.Equal(got, want) {
		t.Errorf("seeds = %v, want %v", got, want)
	}
	if got, err := parseSeeds(""); got != nil || err != nil {
		t.Errorf(`parseSeeds("") = %v, %v; want the default (nil)`, got, err)
	}
	for _, bad := range []string{"9-6", "x", "1-", "0-100000", "1,,2"} {
		if _, err := parseSeeds(bad); err == nil {
			t.Errorf("parseSeeds(%q) took it", bad)
		}
	}
}
