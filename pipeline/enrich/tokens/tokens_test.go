package tokens

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"inner apostrophes and hyphens stay", "O'Brien met Jean-Luc at Fifa's HQ", []string{"O'Brien", "met", "Jean-Luc", "at", "Fifa's", "HQ"}},
		{"dotted abbreviations keep their final period", "The U.S. and U.K. agreed.", []string{"The", "U.S.", "and", "U.K.", "agreed"}},
		{"decimals stay whole", "iOS 7.1 is out", []string{"iOS", "7.1", "is", "out"}},
		{"Cyrillic and Arabic are words", "Путин قال", []string{"Путин", "قال"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range Split(tt.in) {
				got = append(got, tk.Text)
				if tt.in[tk.Start:tk.End] != tk.Text {
					t.Errorf("offsets of %q wrong", tk.Text)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Split(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSentenceStartsAndBreaks(t *testing.T) {
	ts := Split(`Shares fell. Mr. Smith said: "Sell", then left`)
	byText := map[string]Token{}
	for _, tk := range ts {
		byText[tk.Text] = tk
	}
	if !byText["Shares"].SentStart {
		t.Error("first word not a sentence start")
	}
	if !byText["Mr"].SentStart || byText["Smith"].SentStart {
		t.Error("the period of Mr. must not start a sentence")
	}
	if !byText["Sell"].Break || !byText["then"].Break {
		t.Error("quotes and commas must mark breaks")
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"U.S.-led", "l'Allemagne", "\xff\xfe", "a.b.c.d.e.f.g", "’s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, tk := range Split(s) {
			if tk.Start < last || tk.End <= tk.Start || tk.End > len(s) || s[tk.Start:tk.End] != tk.Text {
				t.Fatalf("bad token %+v in %q", tk, s)
			}
			last = tk.End
		}
	})
}

// Prefix must give exactly what splitting the cut text gives, at every
// cut of texts that exercise joiners, abbreviations, initials and
// multi-byte runes.
func TestPrefixIsSplitOfTheCutText(t *testing.T) {
	texts := []string{
		`The U.S. and U.K. agreed. Mr. Smith met Jean-Luc O'Brien — "Sell", said Donald J. Trump; iOS 7.1 is out.`,
		"Путин встретился с Зеленским. قال الوزير. Ça va? L’Élysée a dit: «non». 3.5% of U.S.-led forces",
		"a.b.c.d.e.f.g.h U.S.A. x-y-z 's 'quoted' end.",
		// The period after "Jos" ends no sentence only when an initial and
		// its period follow, which a cut right after the initial hides.
		"Shares of Jos. A. Bank rose. Jos. A.B. Smith and Wm. H. Gates met in Jos. A. Bank",
	}
	for _, s := range texts {
		all := Split(s)
		for cut := 0; cut <= len(s); cut++ {
			got, want := Prefix(s, all, cut), Split(s[:cut])
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Prefix(%q, cut %d) = %+v, Split of the cut text = %+v", s, cut, got, want)
			}
		}
		if !reflect.DeepEqual(all, Split(s)) {
			t.Fatal("Prefix modified the tokens it was given")
		}
	}
}

// TestPrefixIsSplitOfTheCutTextOnRealNews checks Prefix at random cuts of
// real headlines and articles, and where a word's flags can hang on text
// past the cut, at the ends of one-letter words ("Jos. A| Bank": whether
// "A" opens a sentence depends on the period after it): all a headline's,
// a few of an article's.
func TestPrefixIsSplitOfTheCutTextOnRealNews(t *testing.T) {
	var texts []string
	for _, d := range shareddata.UCI(t) {
		texts = append(texts, d.Item.Title)
	}
	for _, d := range shareddata.WikiRef(t) {
		texts = append(texts, d.Text)
	}
	rng := rand.New(rand.NewPCG(29, 29))
	checked := 0
	for _, s := range texts {
		if s == "" {
			continue
		}
		all := Split(s)
		cuts := []int{rng.IntN(len(s) + 1), rng.IntN(len(s) + 1)}
		var ones []int // the ends of one-letter words, and a byte before
		for _, tk := range all {
			if tk.End < len(s) && len(tk.Text) == 1 {
				ones = append(ones, tk.End, tk.End-1)
			}
		}
		if len(s) > 1000 { // an article: a few of them, each cut costs a split
			rng.Shuffle(len(ones), func(i, j int) { ones[i], ones[j] = ones[j], ones[i] })
			ones = ones[:min(len(ones), 6)]
		}
		cuts = append(cuts, ones...)
		for _, cut := range cuts {
			checked++
			got, want := Prefix(s, all, cut), Split(s[:cut])
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Prefix(%q, cut %d) = %+v,\nSplit of the cut text = %+v", s, cut, got, want)
			}
		}
	}
	t.Logf("%d cuts of %d texts", checked, len(texts))
}

// FuzzPrefixIsSplitOfTheCutText: Prefix at any cut of any text.
func FuzzPrefixIsSplitOfTheCutText(f *testing.F) {
	f.Add("Shares of Jos. A. Bank rose", 16)
	f.Add("U.S.-led Mr. Smith, J. Doe", 5)
	f.Fuzz(func(t *testing.T, s string, cut int) {
		if cut < 0 || cut > len(s) {
			return
		}
		got, want := Prefix(s, Split(s), cut), Split(s[:cut])
		if (len(got) != 0 || len(want) != 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("Prefix(%q, cut %d) = %+v, Split of the cut text = %+v", s, cut, got, want)
		}
	})
}

// AppendSplit must split as Split does whatever the buffer already holds:
// a previous text's last token is no abbreviation or initial of this one.
func TestAppendSplitIgnoresWhatTheBufferHolds(t *testing.T) {
	prev := Split("Talks with Mr")
	s := ". Smith ended. J. Doe left"
	got := AppendSplit(slices.Clone(prev), s)
	if want := append(slices.Clone(prev), Split(s)...); !reflect.DeepEqual(got, want) {
		t.Fatalf("AppendSplit = %+v, want %+v", got[len(prev):], want[len(prev):])
	}
}

// Lower is cut from the text lower-cased once; it must be what
// lower-casing the word alone gives, typographic apostrophes folded, in
// texts whose runes keep their length and in one where a rune does not
// (then each word is lower-cased alone).
func TestLowerIsTheWordLowerCased(t *testing.T) {
	for _, s := range []string{
		"O’Brien MET Jean-Luc at FIFA’S HQ in ŁÓDŹ and ΑΘΉΝΑ; Ärger \xff über Öl",
		"İstanbul and ẞ and K (Kelvin) shift lengths: O’NEILL",
	} {
		for _, tk := range Split(s) {
			if want := strings.ReplaceAll(strings.ToLower(tk.Text), "’", "'"); tk.Lower != want {
				t.Errorf("%q: Lower = %q, want %q", tk.Text, tk.Lower, want)
			}
		}
	}
}

// FuzzLowerIsTheWordLowerCased: whatever the text, each token's Lower is
// its text lower-cased alone, typographic apostrophes folded.
func FuzzLowerIsTheWordLowerCased(f *testing.F) {
	f.Add("O’Brien MET Jean-Luc at FIFA’S HQ in ŁÓDŹ and ΑΘΉΝΑ; Ärger \xff über Öl")
	f.Add("İstanbul and ẞ and K (Kelvin) shift lengths")
	f.Add("plain lower case")
	f.Fuzz(func(t *testing.T, s string) {
		for _, tk := range Split(s) {
			if want := strings.ReplaceAll(strings.ToLower(tk.Text), "’", "'"); tk.Lower != want {
				t.Errorf("%q: Lower = %q, want %q", tk.Text, tk.Lower, want)
			}
		}
	})
}

// BenchmarkSplit is the tokenizer over a 5 KB wire article (capitals,
// abbreviations, quotes), into a reused buffer as enrichment splits.
func BenchmarkSplit(b *testing.B) {
	s := strings.Repeat(`French President Francois Hollande said on Saturday the attacks in Paris that killed 127 people were "an act of war" organized from abroad by Islamic State, with internal help. The U.S.-led coalition's air strikes, Mr. Obama said, would go on. `, 24)[:5120]
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	var buf []Token
	for b.Loop() {
		buf = AppendSplit(buf[:0], s)
	}
}

// Capitalized answers ASCII without the Unicode tables: as they would.
func TestCapitalizedASCII(t *testing.T) {
	for c := range rune(utf8.RuneSelf) {
		if got, want := (Token{Text: string(c) + "x"}).Capitalized(), unicode.IsUpper(c); got != want {
			t.Errorf("Capitalized(%q) = %v, unicode.IsUpper says %v", c, got, want)
		}
	}
}

// TestAGivenNamesAbbreviationBeforeAnInitialEndsNoSentence (issue 15,
// round 27): "Jos. A. Bank" is one company's name, its founder's
// abbreviated given name and an initial, where the period had ended a
// sentence and split it ("Jos" | "A Bank"); a town's name before a
// sentence's period still ends the sentence ("in Jos. Police said").
func TestAGivenNamesAbbreviationBeforeAnInitialEndsNoSentence(t *testing.T) {
	byText := map[string]Token{}
	for _, tok := range Split("Shares of Jos. A. Bank rose. Riots broke out in Jos. Police said so.") {
		if _, seen := byText[tok.Text]; !seen {
			byText[tok.Text] = tok
		}
	}
	if byText["A"].SentStart || byText["Bank"].SentStart {
		t.Errorf(`"Jos. A. Bank" split into sentences: A %+v, Bank %+v`, byText["A"], byText["Bank"])
	}
	if !byText["Police"].SentStart {
		t.Errorf(`"in Jos. Police said": Police should open a sentence: %+v`, byText["Police"])
	}
}

// A cut at the end of a word longer than a letter shares the tokens given
// and allocates nothing: the enricher reads a summary that opens the body
// from the body's tokens, once a story.
func TestPrefixAtAWordsEndAllocatesNothing(t *testing.T) {
	s := "Shares of Jos. A. Bank rose on Monday"
	all := Split(s)
	cut := strings.Index(s, " on")
	if n := testing.AllocsPerRun(100, func() { Prefix(s, all, cut) }); n != 0 {
		t.Fatalf("Prefix at a word's end: %v allocations, want 0", n)
	}
}

// TestFactsFitInTheTokensPadding: Facts costs no memory — a Token is the
// 56 bytes it was without it (on a 64-bit machine), so every stage's
// slices of words stay the size they were.
func TestFactsFitInTheTokensPadding(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("a 32-bit machine")
	}
	if n := unsafe.Sizeof(Token{}); n != 56 {
		t.Errorf("a Token is %d bytes; want 56", n)
	}
}

// A text's words numbered in a word table (Word) are still shared by a
// cut that ends on a one-letter word: the re-split that checks its flags
// has no numbers, and the words are the same.
func TestPrefixSharesNotedWords(t *testing.T) {
	s := "Shares of Plan B rose on Monday"
	cut := strings.Index(s, " rose") // "B" ends at the cut
	plain := Split(s)
	if _, tail := PrefixParts(s, plain, cut); tail != nil {
		t.Fatalf("the cut after %q re-split the words: %+v", s[:cut], tail)
	}
	noted := Split(s)
	for i := range noted {
		noted[i].Word = uint16(i + 2)
	}
	head, tail := PrefixParts(s, noted, cut)
	if tail != nil {
		t.Fatalf("noted words: the cut after %q re-split them: %+v", s[:cut], tail)
	}
	if len(head) == 0 || &head[0] != &noted[0] {
		t.Fatalf("noted words: the head is not the text's own words")
	}
}
