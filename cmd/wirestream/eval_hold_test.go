package main

import (
	"slices"
	"testing"
	"time"
)

func TestParseHolds(t *testing.T) {
	got, err := parseHolds("0, 90s,4h")
	if err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{0, 90 * time.Second, 4 * time.Hour}; !slices.Equal(got, want) {
		t.Errorf("holds = %v, want %v", got, want)
	}
	if got, err := parseHolds(""); got != nil || err != nil {
		t.Errorf(`parseHolds("") = %v, %v; want none`, got, err)
	}
	for _, bad := range []string{"5", "-1m", "1m,,2m", "soon"} {
		if _, err := parseHolds(bad); err == nil {
			t.Errorf("parseHolds(%q) took it", bad)
		}
	}
}
