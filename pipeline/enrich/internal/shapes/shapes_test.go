package shapes

import (
	"fmt"
	"testing"
)

// Every word added is held; of words not added, most are not (the set
// spares their lookup), and the empty word is always "may hold".
func TestSetHoldsWhatWasAddedAndSparesMostOthers(t *testing.T) {
	var s Set
	if s.MayHold("a") || !s.MayHold("") {
		t.Fatal("the zero set holds a word, or not the empty one")
	}
	added := map[string]bool{}
	for i := range 5000 {
		w := fmt.Sprintf("w%dx", i*7919)
		s.Add(w)
		added[w] = true
	}
	for w := range added {
		if !s.MayHold(w) {
			t.Fatalf("%q added, not held", w)
		}
	}
	held := 0
	for i := range 20000 {
		if w := fmt.Sprintf("other%d", i); !added[w] && s.MayHold(w) {
			held++
		}
	}
	if held > 20000/4 {
		t.Errorf("%d of 20,000 words not added pass the filter", held)
	}
}
