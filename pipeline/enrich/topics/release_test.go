package topics

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Evidence's storage is pooled (Release): a Score after a released one
// starts from no evidence, whatever the last story left in the buffer.
func TestScoreAfterAReleasedEvidenceStartsFromNone(t *testing.T) {
	c := newC(t)
	busy := func() Evidence {
		return c.Score(tokens.NewField("Election: parliament votes as stocks fall and the team wins the cup"), tokens.Field{}, tokens.Field{}, nil, "en")
	}
	ev := busy()
	if sum(ev.raw) == 0 {
		t.Fatal("the busy headline gave no evidence: pick one with cues")
	}
	want := c.Rank(busy(), nil)
	for range 20 { // a sync.Pool may hand back any released buffer, or none
		c.Release(ev)
		empty := c.Score(tokens.NewField("xyzzy plugh"), tokens.Field{}, tokens.Field{}, nil, "en")
		for i := range empty.raw {
			if empty.raw[i] != 0 || empty.weak[i] != 0 || empty.distinct[i] != 0 || empty.strongest[i] != 0 || empty.first[i] != 0 {
				t.Fatalf("topic %d: evidence %v %v %v %v %v carried over from a released Score", i,
					empty.raw[i], empty.weak[i], empty.distinct[i], empty.strongest[i], empty.first[i])
			}
		}
		c.Release(empty)
		ev = busy()
		if got := c.Rank(ev, nil); len(got) != len(want) || got[0] != want[0] {
			t.Fatalf("after reuse %v, want %v", got, want)
		}
	}
}
