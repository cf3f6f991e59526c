package topics

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

func TestQuotesAWork(t *testing.T) {
	for _, tt := range []struct {
		headline string
		want     bool
	}{
		{"Zac Efron's 'Neighbors' tops the box office", true},
		{"First look at the ‘Mean Girls’ reunion", true},
		{"Critics split over \"The Lord of the Rings\" stage version", true},
		{"'Breaking Bad' star joins new drama", true},
		// a headline in title case capitalises every quoted phrase
		{"Sprint Chairman Vows 'Price War' If Deal Approved", false},
		// speech and scare quotes
		{"Minister says deal is 'dead in the water'", false},
		{"Lohan says she wants 'integrity'", false},
		{"Fans told: 'We will be back!'", false},
		// an apostrophe in a word opens no quote
		{"Zac's neighbours can't sleep", false},
		{"Markets fall as rates rise", false},
	} {
		if got := quotesAWork(tt.headline); got != tt.want {
			t.Errorf("quotesAWork(%q) = %v, want %v", tt.headline, got, tt.want)
		}
	}
}

func TestAQuotedWorkIsArts(t *testing.T) {
	c := newC(t)
	got := c.Classify("Everyone is still talking about 'Mean Girls'", "", "", nil, "en", nil)
	if got[0].Code != Code("01000000") {
		t.Errorf("%v, want arts and entertainment first", got)
	}
	// a capitalised quote is as often a slogan, a law or a project: alone
	// it is a guess, and beside a plain cue it adds nothing
	if got := c.Classify("Drivers warned about 'Smart Motorway' dangers", "", "", nil, "en", nil); !Guess(got) {
		t.Errorf("a lone quote: %v, want a guess", got)
	}
	got = c.Classify("Senate passes 'Inflation Reduction Act' after long debate", "", "", nil, "en", nil)
	for _, tp := range got {
		if tp.Code == Code("01000000") {
			t.Errorf("a quoted law beside politics: %v, want no arts", got)
		}
	}
	// only English headlines follow the convention (a German one names no
	// entertainer here: a name is an arts cue in every language)
	if got := c.Classify("Der Titel 'Neighbors' ist wieder vorn", "", "", nil, "de", nil); !NoEvidence(got) {
		t.Errorf("German: %v, want the no-evidence fallback", got)
	}
}

// quotedSpan is what quotedSpans replaced: the reference it is held to.
var quotedSpan = regexp.MustCompile(`(?:^|[\s:(\[])['‘"“]([^'‘’"“”]{1,60}?)['’"”](?:$|[\s,.:;!?)\]])`)

// refQuotesAWork is quotesAWork over the regexp: the reference it is
// held to.
func refQuotesAWork(headline string) bool {
	if !sentenceCase(quotedSpan.ReplaceAllString(headline, " ")) {
		return false
	}
	for _, m := range quotedSpan.FindAllStringSubmatch(headline, -1) {
		if titleCase(m[1]) {
			return true
		}
	}
	return false
}

// TestQuotesAWorkMatchesReference holds quotesAWork and quotedSpans to
// the references on every uci-news headline, and checks that real
// headlines have quoted spans, with and without a work in quotes.
func TestQuotesAWorkMatchesReference(t *testing.T) {
	gated, works := 0, 0
	for _, d := range shareddata.UCI(t) {
		h := d.Item.Title
		got := quotesAWork(h)
		if want := refQuotesAWork(h); got != want {
			t.Fatalf("quotesAWork(%q) = %v, the reference %v", h, got, want)
		}
		checkQuotedSpans(t, h)
		if len(quotedSpans(h, nil)) > 0 {
			gated++
		}
		if got {
			works++
		}
	}
	if gated == 0 || works == 0 {
		t.Fatalf("%d headlines with a quoted span, %d quoting a work: the comparison tested nothing", gated, works)
	}
}

// FuzzQuotesAWorkMatchesReference spells headlines in pieces of what
// quotedSpan and the sentence-case test look at (quotes of each kind, the
// characters before an opening one, capitalised, small and lowercase
// words, punctuation), and holds quotesAWork to the reference on them and
// on the raw input.
func FuzzQuotesAWorkMatchesReference(f *testing.F) {
	alphabet := []string{"'", "\"", "‘", "’", "“", "”", " ", "\t", "\n", "\v", "\u00a0", ":", "(", ")", "[", "]", ",", ".", "!", "?",
		"Mean", "Girls", "of", "the", "Rings", "tops", "office", "says", "it", "2024", "É", "élan", "s", "x", "\xe2", "\xe2\x80", "\xff",
		";", "\f", "\r", "abcdefghijklmnopqrstuvwxyz0123456789", "ééééééééééééééééééééééééé"}
	f.Add("Zac Efron's 'Neighbors' tops the box office", []byte{})
	f.Add("", []byte{20, 6, 0, 20, 6, 21, 0, 6, 27, 22})
	f.Fuzz(func(t *testing.T, raw string, spelling []byte) {
		var b strings.Builder
		for _, c := range spelling {
			b.WriteString(alphabet[int(c)%len(alphabet)])
		}
		for _, h := range []string{raw, b.String()} {
			checkQuotedSpans(t, h)
			if got, want := quotesAWork(h), refQuotesAWork(h); got != want {
				t.Fatalf("quotesAWork(%q) = %v, the reference %v", h, got, want)
			}
		}
	})
}

// checkQuotedSpans fails the test when quotedSpans and the regexp find
// different spans in h.
func checkQuotedSpans(t *testing.T, h string) {
	t.Helper()
	var got [][]int
	for _, q := range quotedSpans(h, nil) {
		got = append(got, []int{q.start, q.end, q.from, q.to})
	}
	if want := quotedSpan.FindAllStringSubmatchIndex(h, -1); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("quotedSpans(%q) = %v, the regexp %v", h, got, want)
	}
}

func TestQuotedSpansMatchTheRegexpAtTheEdges(t *testing.T) {
	sixty := strings.Repeat("é", 60)
	for _, h := range []string{
		"'" + sixty + "' x", "'" + sixty + "é' x", " '" + sixty + "'", "'A'", "'A", "''", "' '", "'A'x", "'A'.",
		"'A' 'B' 'C'", "'A'  'B'", "x:'A';(“B”)[‘C’]", "‘A’ “B” 'C\" \"D'", "'A‘B' x", "\xe2\x80\x98A\xe2\x80\x99",
		"a 'b\nc' d", "'\xff' x", "\v'A' x", "x\u00a0'A' y", "(('A'))", "'A'\t'B'\r\n",
	} {
		checkQuotedSpans(t, h)
		if got, want := quotesAWork(h), refQuotesAWork(h); got != want {
			t.Errorf("quotesAWork(%q) = %v, the reference %v", h, got, want)
		}
	}
}

// BenchmarkQuotesAWork runs quotesAWork and the regexp reference over all
// uci-news headlines, one pass per op.
func BenchmarkQuotesAWork(b *testing.B) {
	var hs []string
	for _, d := range shareddata.UCI(b) {
		hs = append(hs, d.Item.Title)
	}
	for _, c := range []struct {
		name string
		f    func(string) bool
	}{{"scanner", quotesAWork}, {"regexp", refQuotesAWork}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, h := range hs {
					c.f(h)
				}
			}
		})
	}
}
