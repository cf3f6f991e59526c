package entities

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestTypographicApostropheReadsAsStraight: a name written with ’ is read
// as the same name written with '. The tokenizer folds ’ to ' in Lower,
// where it is one byte, not three; unElide cut Text at Lower's offset, so
// "l’Allemagne" kept its article (no Germany) while "l'Allemagne" lost it.
func TestTypographicApostropheReadsAsStraight(t *testing.T) {
	x := newX(t)
	for _, c := range []struct{ body, want string }{
		{"Merkel a rencontré Hollande en l'Allemagne.", "place:de"},
		{"Shares of L'Oréal fell on Monday.", "organization:l_oreal"},
		{"L'Oréal said profits rose.", "organization:l_oreal"},
		{"Shares of Macy's fell on Monday.", "organization:macy"},
		{"Conan O'Brien said so.", "person:conan_o_brien"},
	} {
		curly := strings.ReplaceAll(c.body, "'", "’")
		straight, typographic := keys(x.Extract("News", c.body, "en")), keys(x.Extract("News", curly, "en"))
		if _, ok := straight[c.want]; !ok {
			t.Errorf("%q: want %s, got %v", c.body, c.want, slices.Sorted(maps.Keys(straight)))
		}
		if !slices.Equal(slices.Sorted(maps.Keys(straight)), slices.Sorted(maps.Keys(typographic))) {
			t.Errorf("%q read %v, written with ’ %v", c.body, slices.Sorted(maps.Keys(straight)), slices.Sorted(maps.Keys(typographic)))
		}
	}
}

// TestElisionInsideANameStays: "d'" right after a capitalised word is part
// of the name ("Côte d'Ivoire", "Saint-Pierre d'Uccle"); dropping it left
// "Côte Ivoire", an unknown two-word run read as a person.
func TestElisionInsideANameStays(t *testing.T) {
	x := newX(t)
	for _, body := range []string{"Troops left Côte d'Ivoire on Monday.", "Troops left Côte d’Ivoire on Monday.",
		"He studied at Saint-Pierre d'Uccle, a school."} {
		for k := range keys(x.Extract("News", body, "en")) {
			if strings.HasPrefix(k, "person:") {
				t.Errorf("%q: a person %s", body, k)
			}
		}
	}
}
