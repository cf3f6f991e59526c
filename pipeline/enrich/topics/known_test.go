package topics

import (
	"fmt"
	"testing"
)

// cuesOf, a story's memo of the lexicon's answers, answers each word as
// lx.word and lx.match do, on its first reading and on every later one,
// and after the lexicon read changes (categories fall back to the merged
// one): every key and prefix of every lexicon, their plurals and
// possessive-less forms, words no cue starts, and short words.
func TestCuesOfIsWordAndMatch(t *testing.T) {
	c := newC(t)
	var words []string
	for _, lx := range c.byLang {
		for w := range lx.words {
			words = append(words, w, w+"s", w+"ing")
		}
		for p := range lx.prefixes {
			words = append(words, p, p+"x", p[:len(p)-1])
		}
	}
	words = append(words, "", "a", "of", "é", "éé", "ééé", "123", "zzzqx", "l'inflation", "war's")
	direct := func(lx *lexicon, w string) string {
		e := lx.word(w)
		s := fmt.Sprintf("%p", e)
		lx.match(w, e, func(key string, prefix bool, k cue) { s += fmt.Sprintf("|%s %v %+v", key, prefix, k) })
		return s
	}
	memo := func(sc *scratch, lx *lexicon, w string) string {
		e, cues := sc.cuesOf(lx, w)
		s := fmt.Sprintf("%p", e)
		for _, f := range cues {
			s += fmt.Sprintf("|%s %v %+v", f.key, f.prefix, f.k)
		}
		return s
	}
	sc := scratches.Get().(*scratch)
	defer sc.release()
	lexicons := []*lexicon{c.byLang["en"], c.general, c.byLang["de"], c.byLang["en"]}
	for _, lx := range lexicons {
		for round := range 2 { // the first reading fills the memo, the second reads it
			for _, w := range words {
				if got, want := memo(sc, lx, w), direct(lx, w); got != want {
					t.Fatalf("round %d, %q: memo %s, lexicon %s", round, w, got, want)
				}
			}
		}
	}
	if len(sc.known) == 0 {
		t.Fatal("nothing memoised: the test reads no cue")
	}
}
