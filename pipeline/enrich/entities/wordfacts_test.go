package entities

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// TestReadWordsAnswersAsTheTests: every fact readWords keeps of a word is
// what the test or set it stands for says of the word recognize reads
// (elisions undone), and the story's football nouns and US-league cue
// are counted over the words as written, as footballStory counted them
// before the pass — over every WikiRef220 article and elided French text
// ("l'Allemagne", "d'Ivoire"), where the two differ.
func TestReadWordsAnswersAsTheTests(t *testing.T) {
	x := newX(t)
	texts := []string{
		"Le match de l'Allemagne contre la Côte d'Ivoire: l'équipe de l'OM au stade l'NBA.",
		"He said the l'Match, l'League and a goal in the NBA playoffs ended at al Jazeera's studio.",
		"", "eBay", "Salon.com said", "ÉLYSÉE l'Élysée ˈstress 中国",
	}
	for _, d := range shareddata.WikiRef(t) {
		texts = append(texts, d.Item.Title, d.Text)
	}
	for _, s := range texts {
		f := tokens.NewField(s)
		var sports footballStory
		w := x.readWords(f, &sports)
		nouns, us := 0, false
		for _, t := range f.Tokens {
			if footballNouns[t.Lower] {
				nouns++
			}
			us = us || usLeagueCues[t.Lower]
		}
		if sports.nouns != nouns || sports.us != us {
			t.Fatalf("%.60q: counted %d football nouns, US league %v; the words as written have %d, %v", s, sports.nouns, sports.us, nouns, us)
		}
		want := unElideAll(f.Tokens, x.gaz)
		if len(w.ts) != len(want) || len(w.facts) != len(want) {
			t.Fatalf("%.60q: %d words, %d facts; want %d", s, len(w.ts), len(w.facts), len(want))
		}
		for k, u := range want {
			if w.ts[k] != u {
				t.Fatalf("%.60q: word %d is %+v; unElideAll gives %+v", s, k, w.ts[k], u)
			}
			plain := u.Text != "" && 'a' <= u.Text[0] && u.Text[0] <= 'z' && !upperASCII(u.Text[1:])
			if _, ok := x.siteOrCamelOrg(u, false); ok && plain {
				t.Fatalf("%q: a plain lower-case word that siteOrCamelOrg reads", u.Text)
			}
			for _, c := range []struct {
				bit  wordFact
				want bool
			}{
				{wNameLike, nameLike(u)}, {wCaseless, caseless(u)}, {wPlainLower, plain},
				{wConnector, connectors[u.Lower]}, {wSpacedParticle, spacedParticles[u.Lower]},
				{wFootball, footballNouns[u.Lower]}, {wUSLeague, usLeagueCues[u.Lower]},
			} {
				if got := w.facts[k]&c.bit != 0; got != c.want {
					t.Fatalf("%q: fact %b is %v; want %v", u.Text, c.bit, got, c.want)
				}
			}
		}
	}
}
