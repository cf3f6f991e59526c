package entities

import (
	"strings"
	"testing"
)

// commonWord answers for exactly the lines of the list: every word, and
// neither a word cut short nor one run on into the next line.
func TestCommonWordIsTheList(t *testing.T) {
	words := strings.Split(strings.TrimSpace(commonEnText), "\n")
	for _, w := range words {
		if !commonWord(w) {
			t.Fatalf("commonWord(%q) = false; it is in the list", w)
		}
	}
	for _, w := range []string{"", "aardvar", "aardvarkz", "aardvark\naardvarks", "zygotesx", "Aardvark", "qxzv", words[0] + words[1]} {
		if commonWord(w) {
			t.Errorf("commonWord(%q) = true; it is no line of the list", w)
		}
	}
}

// A slot's tag only skips other words' slots: every word one letter
// short of a listed one, or one letter past it, answers as a plain set of
// the list's lines does (most of them are no word, and their probes pass
// slots whose tags differ); so do strings no line can be: empty, several
// lines, non-ASCII, a NUL.
func TestCommonWordAnswersAsASetOfTheLines(t *testing.T) {
	words := strings.Split(strings.TrimSpace(commonEnText), "\n")
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	ask := func(v string) {
		if got := commonWord(v); got != set[v] {
			t.Fatalf("commonWord(%q) = %v; the list's lines say %v", v, got, set[v])
		}
	}
	for _, v := range []string{"", "\n", "a\nb", words[0] + "\n" + words[1], "é", "naïve", "straße", "İstanbul", "\x00"} {
		ask(v)
	}
	for _, w := range words {
		for _, v := range []string{w[:len(w)-1], w + "s", w + "q", "x" + w} {
			ask(v)
		}
	}
}
