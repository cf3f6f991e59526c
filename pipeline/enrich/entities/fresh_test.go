package entities

import (
	"slices"
	"testing"
)

// TestFreshReadsAsNew pins Fresh: an extractor that shares a used one's
// gazetteer reads each story as one from New does — the alias map the
// used one learned ("Keir Starmer" twice makes "Starmer" the person) is
// not shared.
func TestFreshReadsAsNew(t *testing.T) {
	used, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		used.Extract("", "Keir Starmer spoke in London on Monday.", "en")
	}
	if got := used.Extract("Starmer wins vote", "", "en"); len(got) == 0 || got[0].Key != "person:keir_starmer" {
		t.Fatalf("the used extractor should have learned the surname: %v", got)
	}
	stories := [][2]string{
		{"Starmer wins vote", ""},
		{"Quellmark shares fall", "Mark Jones, head of research at Capital Economics, said prices would fall."},
		{"", "Mrs. Obama took a job at what is now Sidley Austin, a corporate law firm."},
	}
	for _, s := range stories {
		fresh, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := fresh.Extract(s[0], s[1], "en")
		got := used.Fresh().Extract(s[0], s[1], "en")
		if !slices.Equal(got, want) {
			t.Errorf("%q: Fresh gave %v, New %v", s, got, want)
		}
	}
}
