package entities

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit"
)

// aliasStream is n observations shaped like the stream's: surnames of 4
// to 11 letters, most seen with one full name, some with two or three
// (Johnson), each full name's key its kind and underscored lower case.
type aliasObs struct{ last, key, name string }

func aliasStream(surnames, n int, seed uint64) []aliasObs {
	r := rand.New(rand.NewPCG(seed, 39))
	letters := "abcdefghijklmnopqrstuvwxyz"
	word := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteByte(letters[r.IntN(26)])
		}
		return b.String()
	}
	lasts := make([]string, surnames)
	givens := make([][]string, surnames)
	for i := range lasts {
		lasts[i] = word(4 + r.IntN(8))
		for range 1 + r.IntN(3)*r.IntN(2) {
			givens[i] = append(givens[i], word(3+r.IntN(6)))
		}
	}
	out := make([]aliasObs, n)
	for i := range out {
		s := i % surnames
		if i >= surnames {
			s = r.IntN(surnames)
		}
		g := givens[s][r.IntN(len(givens[s]))]
		name := strings.ToUpper(g[:1]) + g[1:] + " " + strings.ToUpper(lasts[s][:1]) + lasts[s][1:]
		kind := "person:"
		if r.IntN(20) == 0 {
			kind = "organization:"
		}
		out[i] = aliasObs{lasts[s], kind + g + "_" + lasts[s], name}
	}
	return out
}

// aliasBytesPerSurname is the live heap a surname map of n surnames
// holds per surname, after 3n observations of them.
func aliasBytesPerSurname(n int) float64 {
	obs := aliasStream(n, 3*n, uint64(n))
	base := testkit.LiveHeap()
	a := NewAliasMap(n + 1)
	for _, o := range obs {
		a.Observe(o.last, o.key, o.name)
	}
	live := testkit.LiveHeap()
	held := a.Len() // a few random surnames are alike
	runtime.KeepAlive(a)
	runtime.KeepAlive(obs) // or their bytes, freed, count against the map's
	return (float64(live) - float64(base)) / float64(held)
}

// BenchmarkAliasBytesPerSurname is the surname map's live heap per
// surname, at the run's capacity (alias_capacity 50000).
func BenchmarkAliasBytesPerSurname(b *testing.B) {
	for _, n := range []int{10_000, 50_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				b.ReportMetric(aliasBytesPerSurname(n), "B/surname")
			}
		})
	}
}

// The surname map holds a surname of the stream's shape (one full name,
// some two or three) in less than 256 bytes of live heap: a small Go map
// of full names and a pointer each was ≈ 430 B a surname, 11 MB of the
// 10k-feed run's peak (BENCHMARKS.md, round 38, peak38).
func TestTheSurnameMapHoldsASurnameInLessThan256Bytes(t *testing.T) {
	per := aliasBytesPerSurname(10_000)
	t.Logf("%.1f B a surname", per)
	if per >= 256 {
		t.Errorf("the surname map holds %.1f B a surname, want < 256", per)
	}
}
