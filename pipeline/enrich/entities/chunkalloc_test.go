package entities

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// chunk and unknown append their mentions to the slice they are given
// (recognize's own) instead of returning a new one each that recognize
// then copies: a bare capitalised word the gazetteer does not know cost
// three allocations (unknown's slice, chunk's, its toks) and now costs
// its toks alone, with the shared slice's growth.
func TestChunkAppendsToTheStorysMentions(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("allocation count: the race detector's instrumentation moves values to the heap")
	}
	x := newX(t)
	title := tokens.NewField("")
	body := func(n int) tokens.Field {
		var b strings.Builder
		for i := range n {
			// made-up names, none in the gazetteer: "Officials met Zarvok."
			fmt.Fprintf(&b, "Officials met Zar%cv%cok on Monday. ", 'a'+i%26, 'a'+i/26)
		}
		return tokens.NewField(b.String())
	}
	small, large := body(20), body(60)
	if got := len(x.Recognize(title, large, "en").ms); got < 60 {
		t.Fatalf("%d mentions in 60 sentences of a bare name each: the case reads no names", got)
	}
	a := testing.AllocsPerRun(20, func() { x.Recognize(title, small, "en") })
	b := testing.AllocsPerRun(20, func() { x.Recognize(title, large, "en") })
	perName := (b - a) / 40
	t.Logf("Recognize: %.0f allocations for 20 names, %.0f for 60: %.2f a name", a, b, perName)
	if perName > 1.5 {
		t.Errorf("a bare name costs %.2f allocations, want at most 1.5 (its toks and the slice's growth)", perName)
	}
}
