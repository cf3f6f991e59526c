package normalize

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// readMoreRe is what trimReadMore replaced: the oracle it must agree with.
var readMoreRe = regexp.MustCompile(`(?i)\s*(?:continue reading|read more|read the full (?:story|article)|keep reading|full story)\s*(?:\.\.\.|…|»|→|>+)?\s*$`)

func readMoreByRegexp(s string) string { return strings.TrimSpace(readMoreRe.ReplaceAllString(s, "")) }

func TestTrimReadMore(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"a link with an ellipsis goes", "The council met on Tuesday. Continue reading...", "The council met on Tuesday."},
		{"a link with a guillemet goes", "Rates held. Read more »", "Rates held."},
		{"repeated arrows go", "Rates held. Read more >>>", "Rates held."},
		{"the longer phrase goes whole", "Storm hits. Read the full story →", "Storm hits."},
		{"case does not matter", "Storm hits. READ MORE", "Storm hits."},
		{"the Kelvin sign folds to k", "Storm hits. \u212aeep reading", "Storm hits."},
		{"the long s folds to s", "Storm hits. Full \u017ftory", "Storm hits."},
		{"a phrase inside the text stays", "Read more about it in the report.", "Read more about it in the report."},
		{"two markers are not one", "Storm hits. Read more>...", "Storm hits. Read more>..."},
		{"a fourth dot is no marker", "Storm hits. Read more....", "Storm hits. Read more...."},
		{"only the last link goes", "Read more read more", "Read more"},
		{"text without a link is only trimmed", "  Just news.\n", "Just news."},
		{"a link alone leaves nothing", "Continue reading…", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := trimReadMore(tt.in); got != tt.want {
				t.Errorf("trimReadMore(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := readMoreByRegexp(tt.in); got != tt.want {
				t.Errorf("the regular expression gives %q for %q, the table says %q", got, tt.in, tt.want)
			}
		})
	}
}

// Random texts built from the pieces the pattern cares about agree with
// the regular expression it replaced.
func TestTrimReadMoreAgreesWithTheRegexp(t *testing.T) {
	pieces := []string{"read more", "READ MORE", "Read the full story", "full story", "full \u017ftory", "\u212aeep reading",
		"continue reading", "read the full article", "...", "…", "»", "→", ">", ">>", " ", "\t", "\n", "\u00a0", "x", "news.", "\xff", "é"}
	r := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		in := b.String()
		if got, want := trimReadMore(in), readMoreByRegexp(in); got != want {
			t.Fatalf("trimReadMore(%q) = %q, the regular expression gives %q", in, got, want)
		}
	}
}

func FuzzTrimReadMore(f *testing.F) {
	f.Add("Storm hits. Read more »")
	f.Add("read the full story\u2192 \t")
	f.Add("\u212aEEP READING>>>")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimReadMore(s), readMoreByRegexp(s); got != want {
			t.Fatalf("trimReadMore(%q) = %q, the regular expression gives %q", s, got, want)
		}
	})
}

func TestIsASCIISpaceIsTheSetOfBackslashS(t *testing.T) {
	for c := range 256 {
		if got, want := isASCIISpace(byte(c)), strings.IndexByte(asciiSpace, byte(c)) >= 0; got != want {
			t.Errorf("isASCIISpace(%#x) = %v, want %v", c, got, want)
		}
	}
}
