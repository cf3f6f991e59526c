package editdist

import "testing"

// The rule: the Levenshtein distance, capped at the limit.
func TestBoundedIsTheEditDistanceCappedAtTheLimit(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"timeout", "timeout", 3, 0},
		{"timout", "timeout", 3, 1},              // a deletion
		{"fetch_timeout", "fecth_timeout", 3, 2}, // a swap is two edits
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 3, 3}, // at the limit reads as the limit
		{"kitten", "sitting", 2, 2},
		{"a", "abcdef", 3, 3}, // lengths alone say it is far
		{"", "abc", 10, 3},
		{"abc", "", 10, 3},
	} {
		if got := Bounded(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Bounded(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
		if got := Bounded(tt.b, tt.a, tt.limit); got != tt.want {
			t.Errorf("Bounded(%q, %q, %d) = %d, want %d (not symmetric)", tt.b, tt.a, tt.limit, got, tt.want)
		}
	}
}

func TestClosestIsTheFirstNearestWithinTheLimit(t *testing.T) {
	names := []string{"title", "link", "guid", "links"}
	for _, c := range []struct{ name, want string }{
		{"titel", "title"}, // two edits
		{"lnk", "link"},    // one edit; "links" is two
		{"url", ""},        // three or more from every name
		{"guid", "guid"},
	} {
		if got := Closest(c.name, names, 3); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
