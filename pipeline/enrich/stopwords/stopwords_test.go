package stopwords

import (
	"strings"
	"testing"
)

func TestLists(t *testing.T) {
	for _, l := range []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "ar", "pl", "sv", "tr"} {
		if !contains(Languages(), l) {
			t.Errorf("no list for %s", l)
		}
	}
	tests := []struct {
		lang, word string
		want       bool
	}{
		{"en", "the", true}, {"de", "und", true}, {"fr", "les", true}, {"ru", "который", true},
		{"en", "bitcoin", false}, {"xx", "the", false}, {"en", "The", false}, // lists are lowercase: callers lowercase first
	}
	for _, tt := range tests {
		if got := Is(tt.lang, tt.word); got != tt.want {
			t.Errorf("Is(%q, %q) = %v, want %v", tt.lang, tt.word, got, tt.want)
		}
	}
	if !IsAny("und") || IsAny("bitcoin") {
		t.Error("IsAny wrong")
	}
	if o := Owners("de"); !contains(o, "es") || !contains(o, "fr") {
		t.Errorf("Owners(de) = %v, want es, fr, pt, ...", o)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestLangsAgreesWithIs(t *testing.T) {
	words := strings.Fields("the and der die la le de och и і في of und et y e a is ist est said monday zzz")
	for _, l := range append(Languages(), "xx", "") {
		for _, w := range words {
			if got, want := Langs(w)&Bit(l) != 0, Is(l, w); got != want {
				t.Errorf("Langs(%q)&Bit(%q) != 0 is %v, Is says %v", w, l, got, want)
			}
		}
	}
}
