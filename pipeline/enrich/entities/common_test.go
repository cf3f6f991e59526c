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
