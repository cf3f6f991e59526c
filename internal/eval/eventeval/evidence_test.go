package eventeval

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/events"
)

// Two words share a stem when they differ only in an ending, not when
// they are the same word or merely begin alike.
func TestSameStemIsAChangedEnding(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"china", "chinese", true},
		{"merger", "merge", true},
		{"russia", "russian", true},
		{"china", "china", false},
		{"china", "chip", false},
		{"interest", "internet", false},
		{"car", "cars", false}, // under four letters in common
	} {
		if got := sameStem(c.a, c.b); got != c.want {
			t.Errorf("sameStem(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// Associations come from the stories read before, never the story's own
// terms: a term seen with another in at least assocMin stories and half
// of its own is associated with it.
func TestAssociationsAreLearnedFromEarlierStories(t *testing.T) {
	w := func(ws ...string) []events.TermText {
		var out []events.TermText
		for _, x := range ws {
			out = append(out, events.TermText{Text: x, Kind: 'w'})
		}
		return out
	}
	a := newAssoc()
	if got := a.of(w("iphone")); len(got) != 0 {
		t.Errorf("nothing read yet: %v, want no association", got)
	}
	for range assocMin {
		a.learn(w("apple", "iphone", "sales"))
	}
	a.learn(w("iphone", "screen"))
	a.learn(w("apple", "orchard"))
	got := a.of(w("iphone", "sales"))
	if !got["w:apple"] {
		t.Errorf("associated with iphone: %v, want apple (%d of %d stories)", got, assocMin, assocMin+1)
	}
	if got["w:sales"] || got["w:iphone"] {
		t.Errorf("associated: %v, want none of the story's own terms", got)
	}
	if got["w:screen"] || got["w:orchard"] {
		t.Errorf("associated: %v, want no term seen together once", got)
	}
}
