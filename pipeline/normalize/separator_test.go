package normalize

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// hasSpacedSeparator skips the words after a space that start with no
// separator's first byte; it answers as the comparison of every separator
// at every place after a space (spacedSeparatorByEveryCompare) does, on
// headlines with each separator, spaced or not, and random strings of
// separators' bytes, spaces and letters.
func TestHasSpacedSeparatorAnswersAsEveryComparison(t *testing.T) {
	cases := []string{"", " ", "a - b", "a -b", "a- b", "Covid-19 cases", "Watch: the game", "Rates on hold – Reuters",
		"Rates on hold — The Guardian", "x | y", "x :: y", "x : y", "a · b", "a • b", "a \u2013b", "a\t-\tb", "end -", " - start",
		"a \xe2\x80 b", "a \xc2 b", "a ::b", "a :: ", "Fed's Plosser: Taper pace may be too slow - MarketWatch"}
	pieces := append(append([]string{}, titleSeparators...), " ", "\t", "a", "Z", "\xe2", "\xc2", "\x80", ":")
	r := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		if got, want := hasSpacedSeparator(c), spacedSeparatorByEveryCompare(c); got != want {
			t.Fatalf("hasSpacedSeparator(%q) = %v, want %v", c, got, want)
		}
	}
}

// spacedSeparatorByEveryCompare is hasSpacedSeparator as it was before
// the first-byte table: the reference.
func spacedSeparatorByEveryCompare(t string) bool {
	for i := 1; i < len(t); i++ {
		if !isASCIISpace(t[i-1]) {
			continue
		}
		for _, sep := range titleSeparators {
			if end := i + len(sep); end < len(t) && t[i:end] == sep && isASCIISpace(t[end]) {
				return true
			}
		}
	}
	return false
}
