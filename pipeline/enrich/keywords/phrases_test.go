package keywords

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A story's phrases and its entities' names are held in its term set's slab, which the next story
// writes over: the keywords Pick returns are copies, and stay as they
// were however many stories come after.
func TestKeywordsOutliveTheirTermSet(t *testing.T) {
	x := New(1000, 8)
	m, r := newstext.New(30), rand.New(rand.NewPCG(30, 3))
	type kept struct{ got, want []string }
	var all []kept
	phrases := 0
	names := 0
	for i := range 300 {
		s := m.Story(r, 150)
		// an entity's name is lower-cased in the set's slab too
		name := fmt.Sprintf("Quorvex Talmid%c", 'A'+rune(i%26))
		got := x.Extract(s.Title, "", s.Body(), "en", []record.Entity{{Name: name, Kind: "person", Mentions: 3, InTitle: true}})
		if slices.Contains(got, strings.ToLower(name)) {
			names++
		}
		all = append(all, kept{got, slices.Clone(strings.Split(strings.Join(got, "\x00"), "\x00"))})
		for _, k := range got {
			if strings.Contains(k, " ") {
				phrases++
			}
		}
	}
	for i, k := range all {
		if !slices.Equal(k.got, k.want) {
			t.Fatalf("story %d's keywords changed after it: %q, were %q", i, k.got, k.want)
		}
	}
	if phrases < 100 || names < 100 {
		t.Fatalf("%d phrases and %d names among the keywords: the test tests too little", phrases, names)
	}
}
