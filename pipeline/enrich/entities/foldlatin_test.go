package entities

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// foldLatin is a shortcut of foldTokenNorm: it must fold every word it
// takes exactly as normalization does.
func checkFoldLatin(t *testing.T, s string) bool {
	t.Helper()
	f, ok := foldLatin(s)
	if ok {
		if want := foldTokenNorm(s); f != want {
			t.Errorf("foldLatin(%q) = %q, normalization gives %q", s, f, want)
		}
	}
	return ok
}

func TestFoldLatinMatchesNormalizationForEveryLatinRune(t *testing.T) {
	// each rune alone and where a possessive, a period or an apostrophe
	// around it changes what is trimmed
	affixes := [][2]string{{"", ""}, {"x", ""}, {"", "x"}, {"O'", "'s"}, {"", "’s"}, {"", "'S"}, {"", "’"},
		{"U.", "."}, {"'", ""}, {"x'", ""}, {"X’", ""}, {"", "s"}, {"''", "'s'"}}
	taken := 0
	for r := rune(0); r < latinEnd+0x40; r++ {
		for _, a := range affixes {
			if checkFoldLatin(t, a[0]+string(r)+a[1]) {
				taken++
			}
		}
	}
	for _, s := range []string{"", "'", "’", "'s", "’s", "'ś", "x'ś", "Erdoğan’s", "BEYONCÉ'S", "İstanbul", "Ærø", "Łódź", "straße",
		"e\u0301", strings.Repeat("é", 40), "\xff", "Ⱥ"} {
		checkFoldLatin(t, s)
	}
	if taken < 150*len(affixes) {
		t.Errorf("only %d words took the shortcut", taken)
	}
	// the shortcut must be taken where it pays: words of English news
	for _, s := range []string{"Beyoncé", "Erdoğan", "Obama’s", "François", "SÃO", "Zürich’s"} {
		if _, ok := foldLatin(s); !ok {
			t.Errorf("foldLatin(%q) not taken", s)
		}
	}
}

func TestFoldLatinMatchesNormalizationOnRandomWords(t *testing.T) {
	alphabet := []rune("aAsS'’.-xZ0éÉüÜşŞİıßøŁłĳǅǈȺ\u0301ɐ")
	for r := rune(0xC0); r < latinEnd; r += 7 {
		alphabet = append(alphabet, r)
	}
	rng := rand.New(rand.NewPCG(15, 3))
	for range 200_000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		checkFoldLatin(t, b.String())
	}
}

func FuzzFoldLatinMatchesNormalization(f *testing.F) {
	for _, s := range []string{"Beyoncé", "Obama’s", "'ś", "İ", "U.S.’s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFoldLatin(t, s) })
}

// Every word of the labelled news, as the recognizer folds it.
func TestFoldTokMatchesNormalizationOnTheNews(t *testing.T) {
	nonASCII := 0
	for _, d := range append(shareddata.WikiRef(t), shareddata.UCI(t)...) {
		for _, text := range []string{d.Item.Title, d.Item.Description, d.Text} {
			for _, tk := range tokens.Split(text) {
				if got, want := foldTok(tk), foldTokenNorm(tk.Text); got != want {
					t.Errorf("foldTok(%q) = %q, normalization gives %q", tk.Text, got, want)
				}
				for i := 0; i < len(tk.Text); i++ {
					if tk.Text[i] >= utf8.RuneSelf {
						nonASCII++
						break
					}
				}
			}
		}
	}
	if nonASCII == 0 {
		t.Fatal("no word outside ASCII in the data")
	}
}

// A Latin name with a diacritic or a typographic possessive folds in one
// allocation (its result), not through two normalizations: such words
// are folded again at every lookup that spans them.
func TestFoldingALatinNameAllocatesOnlyItsResult(t *testing.T) {
	for _, w := range []string{"Beyoncé", "Obama’s", "Erdoğan"} {
		tk := tokens.Split(w)[0]
		if n := testing.AllocsPerRun(100, func() { _ = foldTok(tk) }); n > 1 {
			t.Errorf("folding %q: %.0f allocations, want at most 1", w, n)
		}
	}
}
