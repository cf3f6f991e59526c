package entities

import (
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Release hands back a slab holding no name (a pooled slab must keep no
// story's text alive), and stories recognized on released slabs resolve
// as on fresh ones.
func TestReleasedMentionsKeepNoNameAndChangeNoResult(t *testing.T) {
	x := newX(t)
	texts := []string{
		"Fed's Plosser sees high bar for change in pace of tapering",
		"Angela Merkel meets Barack Obama in Berlin as Siemens shares fall",
		"Hello",
		"",
		"Toledo Jeep assembly plant hiring 1000 part-time workers",
	}
	fresh := make([]string, len(texts))
	for i, s := range texts {
		fresh[i] = fmt.Sprint(x.Resolve(x.Recognize(tokens.NewField(s), tokens.Field{}, "en")))
	}
	for round := range 3 {
		for i, s := range texts {
			m := x.Recognize(tokens.NewField(s), tokens.Field{}, "en")
			if got := fmt.Sprint(x.Resolve(m)); got != fresh[i] {
				t.Fatalf("round %d, %q: on a released slab %s, fresh %s", round, s, got, fresh[i])
			}
			buf := m.buf
			x.Release(m)
			if buf == nil {
				t.Fatalf("%q: Recognize gave no pooled slab", s)
			}
			for j, kept := range (*buf)[:cap(*buf)] {
				if kept.name != "" || kept.toks != nil || kept.e != nil {
					t.Fatalf("%q: released slab keeps mention %d: %+v", s, j, kept)
				}
			}
		}
	}
}
