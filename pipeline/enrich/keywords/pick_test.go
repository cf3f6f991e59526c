package keywords

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// TestPickAllocations: choosing a story's keywords allocates its output;
// the terms scored, their texts and their idf are scratch kept with the
// pooled term set, the chosen terms are read from the output, not a set,
// and the scored terms are ordered in place, not copied (Collect and Pick
// together: 9 and 12 allocations on main e9eb822 for these two stories).
func TestPickAllocations(t *testing.T) {
	if raceOn {
		t.Skip("the race detector empties the pool of term sets at random")
	}
	x := New(1000, 10)
	background(x, 50)
	title := tokens.NewField("Fed's Plosser says stimulus should end as economy recovers")
	body := tokens.NewField("")
	for _, tc := range []struct {
		name string
		ents []record.Entity
		max  float64
	}{
		{"no entities", nil, 5},
		{"a person", []record.Entity{{Key: "person:charles_plosser", Name: "Charles Plosser", Kind: "person", Mentions: 1}}, 8},
	} {
		got := testing.AllocsPerRun(200, func() {
			x.Pick(x.Collect(title, body, body, "en"), tc.ents)
		})
		if got > tc.max {
			t.Errorf("%s: %.1f allocations per Pick, want at most %.0f", tc.name, got, tc.max)
		}
	}
}

// TestChosenSliceIsTheSet: coveredBy and overlapsChosen read the chosen terms
// as a slice; they answer as the set they replaced did, on random terms
// of a small vocabulary (so that words and phrases overlap often).
func TestChosenSliceIsTheSet(t *testing.T) {
	words := []string{"a", "ab", "b", "ba", "keir", "starmer", "keir starmer", "bank", "banks", "uk"}
	r := rand.New(rand.NewPCG(1, 2))
	term := func() string {
		n := 1 + r.IntN(3)
		ps := make([]string, n)
		for i := range ps {
			ps[i] = strings.Fields(words[r.IntN(len(words))])[0]
		}
		return strings.Join(ps, " ")
	}
	refCovered := func(w string, chosen map[string]bool) bool {
		for c := range chosen {
			for _, p := range strings.Split(c, " ") {
				if strings.Contains(c, " ") && p == w {
					return true
				}
			}
		}
		return false
	}
	refOverlaps := func(phrase string, chosen map[string]bool) bool {
		pw := strings.Split(phrase, " ")
		for c := range chosen {
			cw := strings.Split(c, " ")
			if len(cw) == 1 {
				if slices.Contains(pw, cw[0]) {
					return true
				}
				continue
			}
			if cw[0] == pw[len(pw)-1] || cw[len(cw)-1] == pw[0] {
				return true
			}
			for i := 0; len(cw) > len(pw) && i+len(pw) <= len(cw); i++ {
				if slices.Equal(cw[i:i+len(pw)], pw) {
					return true
				}
			}
		}
		return false
	}
	for range 20000 {
		var chosen []string
		set := map[string]bool{}
		for range r.IntN(8) {
			c := term()
			if !set[c] {
				set[c] = true
				chosen = append(chosen, c)
			}
		}
		w, p := term(), term()
		if got, want := coveredBy(w, chosen), refCovered(w, set); got != want {
			t.Fatalf("coveredBy(%q, %q) = %v, want %v", w, chosen, got, want)
		}
		if !strings.Contains(p, " ") {
			continue // overlapsChosen is asked of phrases only
		}
		if got, want := overlapsChosen(p, chosen), refOverlaps(p, set); got != want {
			t.Fatalf("overlapsChosen(%q, %q) = %v, want %v", p, chosen, got, want)
		}
	}
}

func BenchmarkPickHeadline(b *testing.B) {
	x := New(1000, 10)
	background(x, 50)
	title := tokens.NewField("Fed's Plosser says stimulus should end as economy recovers")
	body := tokens.NewField("")
	b.ReportAllocs()
	for b.Loop() {
		x.Pick(x.Collect(title, body, body, "en"), nil)
	}
}

// BenchmarkPickArticle is Collect and Pick of a 5 KB article, the body's
// phrases and runs included.
func BenchmarkPickArticle(b *testing.B) {
	x := New(1000, 10)
	background(x, 50)
	title := tokens.NewField(`Halcyon teases "Aurora" launch as AI chip race heats up`)
	body := tokens.NewField(strings.Repeat("Halcyon Semiconductor has sent invitations for a launch event with a single word on them. "+
		"The company, which is based in San Jose and builds most of its chips at its own factory, declined to comment ahead of the event. "+
		"Analysts expect a second-generation AI accelerator as the chip race heats up among the largest cloud providers. ", 20)[:5120])
	b.SetBytes(int64(len(title.Text) + len(body.Text)))
	b.ReportAllocs()
	for b.Loop() {
		x.Pick(x.Collect(title, tokens.Field{}, body, "en"), nil)
	}
}

// pluralOf is the concatenation it spares: p == w+"s" || p == w+"es".
func TestPluralOfIsTheConcatenation(t *testing.T) {
	words := []string{"", "s", "es", "ses", "pick", "picks", "pickes", "picking", "bus", "buses", "buss", "e", "box", "boxes", "boxs", "ss"}
	for _, p := range words {
		for _, w := range words {
			if got, want := pluralOf(p, w), p == w+"s" || p == w+"es"; got != want {
				t.Errorf("pluralOf(%q, %q) = %v, want %v", p, w, got, want)
			}
		}
	}
}
