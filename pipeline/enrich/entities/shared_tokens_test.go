package entities

import (
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// TestRecognizeLeavesTheFieldsTokensAlone: recognition hands rules
// subslices of the story's tokens (chunk's unknown run is c[from:k], not a
// copy), so a rule that appended to or wrote into its run would overwrite
// the words after it, which enrichment's other stages read next.
func TestRecognizeLeavesTheFieldsTokensAlone(t *testing.T) {
	x := newX(t)
	texts := []string{
		"Zorblat Quenwick Paris Hilmar Tovas Microsoft Brandeau Lemaire visited Berlin.",
		"Acting President Xavi Morlan met Angela Merkel and Tim Cook of Apple in Paris on Monday.",
		"Russia-backed Grelmor Vasko Dunhill Partners said Tokyo Otsuka Yavrin Holdings and Quellbrook Bank would merge.",
		"The Zentrik Group, Samsung, Lenovo and Vortaxx Labs, based in Seoul, sued Deutsche Bank AG.",
		"MANCHESTER UNITED BEAT CARDIFF AS KORLAN DEVESH SCORES",
	}
	for _, s := range texts {
		for _, spare := range []int{0, 64} {
			ts := tokens.AppendSplit(make([]tokens.Token, 0, len(s)/6+spare), s)
			want := slices.Clone(ts[:cap(ts)])
			title := tokens.Field{Text: s, Tokens: ts}
			body := tokens.Field{Text: s, Tokens: slices.Clone(ts)}
			x.Recognize(title, body, "en")
			if got := ts[:cap(ts)]; !slices.Equal(got, want) {
				t.Errorf("%q (spare %d): tokens changed by Recognize", s, spare)
			}
		}
	}
}
