package stopwords

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
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
		{"fr", "à", true}, {"pt", "à", true}, // French's most common preposition after de (round 29)
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

// The table of word shapes only ever spares a lookup that would
// have missed: every function answers as its map does, for every listed
// word, the same with a letter more or less, and the words of news-like
// text.
func TestShapeTableAnswersAsTheMaps(t *testing.T) {
	once.Do(load)
	words := []string{"", "a", "é", "ß", strings.Repeat("x", 70), strings.Repeat("d", 64)}
	for w := range owners {
		words = append(words, w, w+"s", w[:len(w)-1], "x"+w)
	}
	m, r := newstext.New(2), rand.New(rand.NewPCG(2, 3))
	spared, news := 0, 0
	for range 200 {
		s := m.Story(r, 120)
		for _, tok := range tokens.Split(s.Title + " " + s.Body()) {
			words = append(words, tok.Lower)
			news++
			if !listedShapes.MayHold(tok.Lower) {
				spared++
			}
		}
	}
	for _, w := range words {
		if got, want := Owners(w), owners[w]; !slices.Equal(got, want) {
			t.Fatalf("Owners(%q) = %v, map %v", w, got, want)
		}
		if got, want := Langs(w), masks[w]; got != want {
			t.Fatalf("Langs(%q) = %v, map %v", w, got, want)
		}
		if got, want := IsAny(w), len(owners[w]) > 0; got != want {
			t.Fatalf("IsAny(%q) = %t, map %t", w, got, want)
		}
		for lang, set := range byLang {
			_, want := set[w]
			if Is(lang, w) != want || IsBytes(lang, []byte(w)) != want {
				t.Fatalf("Is(%s, %q) = %t, IsBytes %t, map %t", lang, w, Is(lang, w), IsBytes(lang, []byte(w)), want)
			}
		}
	}
	t.Logf("%d of %d words of news-like text (%.0f %%) answered by the table alone", spared, news, 100*float64(spared)/float64(news))
}
