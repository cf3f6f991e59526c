package events

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// topCounts keeps a running top n; it must return what sorting every key
// by count (ties by key) and keeping n returns.
func TestTopCountsIsTheHeadOfTheFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for trial := range 500 {
		m := map[string]int{}
		for range r.IntN(300) {
			m[fmt.Sprintf("k%d", r.IntN(400))] = r.IntN(6)
		}
		n := r.IntN(12)
		keys := slices.Collect(maps.Keys(m))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
		want := keys[:min(len(keys), n)]
		got := topCounts(m, n)
		if len(m) == 0 {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: topCounts(%d of %d keys) = %q, want %q", trial, n, len(m), got, want)
		}
	}
}

func TestTrimMarksIsTrimOfTheMarks(t *testing.T) {
	for _, w := range []string{"", "'", "’", "'’.,", "word", "'word'", "’tis’", ".,word.,", "o'neill", "3.5", "..’x’..", "’’", "é’"} {
		if got, want := trimMarks(w), strings.Trim(w, "'’.,"); got != want {
			t.Errorf("trimMarks(%q) = %q, strings.Trim gives %q", w, got, want)
		}
	}
}
