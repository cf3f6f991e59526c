package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/enricheval"
)

// numberWord spells n (0–99) as eval's help does ("twenty-three").
func numberWord(n int) string {
	ones := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tens := []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	if n < 20 {
		return ones[n]
	}
	if n%10 == 0 {
		return tens[n/10]
	}
	return tens[n/10] + "-" + ones[n%10]
}

// eval --help says how many held-out entity sets `eval enrich` scores; each round's blind set
// is wired into enricheval.EntitySets, and the count in the help went stale when set 28 was
// added (it still said twenty-two of 23).
func TestEvalHelpCountsEveryHeldOutEntitySet(t *testing.T) {
	heldOut := len(enricheval.EntitySets) - 1 // the development set first
	usage := strings.Join(strings.Fields(evalCommand().usage), " ")
	m := regexp.MustCompile(`the development set, ([a-z-]+) held-out sets`).FindStringSubmatch(usage)
	if m == nil {
		t.Fatalf("eval --help no longer says how many held-out sets enrich scores:\n%s", usage)
	}
	if want := numberWord(heldOut); m[1] != want {
		t.Errorf("eval --help says %s held-out sets; enricheval.EntitySets has %s (%d)", m[1], want, heldOut)
	}
}
