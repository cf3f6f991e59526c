package keywords

import "testing"

// An initialism keeps its full stop: "U.S. data" gives "u.s. data", not
// "u.s data" (round 28, kwresolve28).
func TestAnInitialismKeepsItsFullStop(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "u.s. data", title: "Wall Street falls after weak U.S. data",
			want: []string{"u.s. data"}, never: []string{"u.s data"}},
	})
	for w, want := range map[string]string{"u.s": "u.s.", "u.s data": "u.s. data", "u.s.a": "u.s.a.", "a.m.": "a.m.", "st. louis": "st. louis", "2.5": "2.5", "e.on": "e.on", "uk": "uk", "x.": "x."} {
		if got := fullStops(w); got != want {
			t.Errorf("fullStops(%q) = %q, want %q", w, got, want)
		}
	}
}
