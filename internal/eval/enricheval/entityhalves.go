package enricheval

import (
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"text/tabwriter"
)

// EntityHalves are one kind's F1 on each random half of the labelled
// articles, one pair per seed.
type EntityHalves struct {
	Kind string
	A, B []float64 // F1 of the first and the second half, per seed
}

// ScoreEntityHalves pools the articles of every labelled set, development
// and held-out alike, splits them by seed into two random halves, and
// scores each half per kind. Eleven held-out articles are few: which ones
// a set happens to hold moves its F1 by more than most changes to the
// recognizer do, so a change should help both halves on every seed, not
// one fixed set.
func ScoreEntityHalves(sets []EntityScores, seeds []uint64) []EntityHalves {
	byArticle := wholeArticles(sets)
	ids := slices.Sorted(maps.Keys(byArticle))
	out := make([]EntityHalves, len(Kinds))
	for i, k := range Kinds {
		out[i].Kind = k
	}
	for _, seed := range seeds {
		shuffled := slices.Clone(ids)
		rng := rand.New(rand.NewPCG(seed, 0xe171e5))
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		half := len(shuffled) / 2
		for i, k := range Kinds {
			var a, b PRF
			for _, id := range shuffled[:half] {
				a.add(byArticle[id][k])
			}
			for _, id := range shuffled[half:] {
				b.add(byArticle[id][k])
			}
			out[i].A = append(out[i].A, a.F1())
			out[i].B = append(out[i].B, b.F1())
		}
	}
	return out
}

// wholeArticles pools the sets' counts by article, leaving out passages
// (passages.go): the halves were drawn over whole articles since round 5,
// and a 300-word passage pooled with them would both weigh as an article
// and move every seed's draw, so no earlier round's halves could be read
// against a later one. Headlines (sets 31-43) are left out for the same reason.
func wholeArticles(sets []EntityScores) map[string]map[string]PRF {
	out := map[string]map[string]PRF{}
	for _, s := range sets {
		for id, byKind := range s.ByArticle {
			if !strings.Contains(id, passageMark) && !strings.HasPrefix(id, headlineMark) {
				out[id] = byKind
			}
		}
	}
	return out
}

// writeEntityHalves prints ScoreEntityHalves as mean ± sd over seeds.
func writeEntityHalves(w io.Writer, sets []EntityScores, seeds []uint64) error {
	n := len(wholeArticles(sets))
	fmt.Fprintf(w, "entities — all %d labelled articles split into random halves, %d seeds (F1, mean ± sd)\n", n, len(seeds))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "kind\thalf A\thalf B\tboth\t\n")
	for _, h := range ScoreEntityHalves(sets, seeds) {
		am, asd := meanSD(h.A)
		bm, bsd := meanSD(h.B)
		m, sd := meanSD(append(slices.Clone(h.A), h.B...))
		fmt.Fprintf(tw, "%s\t%.3f ± %.3f\t%.3f ± %.3f\t%.3f ± %.3f\t\n", h.Kind, am, asd, bm, bsd, m, sd)
	}
	return tw.Flush()
}
