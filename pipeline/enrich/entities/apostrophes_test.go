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

// TestAPluralPossessiveInsideABodysName: a plural noun's possessive with
// a capital opens a body's name when the capitalised words after it end
// in a body's word ("Ladies' Home Journal", "the Workers' Party", "the
// Farmers' Union of Wales"): the apostrophe is inside the name, as in
// "Airline Pilots' Association"; a plural possessive before a person or
// a place still ends the run.
func TestAPluralPossessiveInsideABodysName(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She was named by Ladies' Home Journal in 2008.", want: []string{"organization:ladies_home_journal"}, absent: []string{"organization:home_journal"}},
		{body: "Leaders of the Workers' Party said no.", want: []string{"organization:workers_party"}},
		{body: "The Farmers' Union of Wales said the price fell.", want: []string{"organization:farmers_union_of_wales"}, absent: []string{"organization:union_of_wales"}},
		{body: "The Beatles' John Lennon wrote it.", want: []string{"person:john_lennon"}},
	})
}
