package events

import (
	"math/rand/v2"
	"testing"
)

// TestStopShapesCoverStopwords: the shape filter in front of the
// stopwords map must never turn a stopword away, and must answer as the
// map does for any other word.
func TestStopShapesCoverStopwords(t *testing.T) {
	for w := range stopwords {
		if !isStopword([]byte(w)) {
			t.Errorf("isStopword(%q) = false for a stopword", w)
		}
	}
	rng := rand.New(rand.NewPCG(12, 3))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz'’0123456789éß")
	for range 200000 {
		r := make([]rune, 1+rng.IntN(12))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		w := string(r)
		if _, want := stopwords[w]; isStopword([]byte(w)) != want {
			t.Fatalf("isStopword(%q) = %v, the map says %v", w, !want, want)
		}
	}
	if isStopword(nil) {
		t.Error(`isStopword("") = true`)
	}
}
