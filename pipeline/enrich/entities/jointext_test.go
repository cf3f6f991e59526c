package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// joinTextByConcatenation is joinText as it was before it built its
// string once: the answer joinText must keep.
func joinTextByConcatenation(c []tokens.Token) string {
	n := len(c)
	out := ""
	for i, t := range c {
		w := t.Text
		if i == n-1 {
			w = stripPossessive(w)
		}
		if i > 0 {
			out += " "
		}
		out += w
	}
	return out
}

func TestJoinTextIsTheConcatenation(t *testing.T) {
	for _, text := range []string{
		"Bank of England Governor Mark Carney's speech in São Paulo",
		"Président François Hollande’s visit to Côte d'Ivoire; the Jones' house",
		"A s' ' ’ 's ’s x",
		"",
	} {
		ts := tokens.NewField(text).Tokens
		for i := 0; i <= len(ts); i++ {
			for j := i; j <= len(ts); j++ {
				if got, want := joinText(ts[i:j]), joinTextByConcatenation(ts[i:j]); got != want {
					t.Errorf("joinText(%q) = %q, want %q", text, got, want)
				}
			}
		}
	}
	if testing.Short() || raceOn {
		return
	}
	run := tokens.NewField("Governor Mark Carney's").Tokens
	if n := testing.AllocsPerRun(50, func() { joinText(run) }); n > 1 {
		t.Errorf("joinText of three words allocates %.0f times, want 1", n)
	}
}
