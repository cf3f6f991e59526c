package entities

import (
	"slices"
	"strings"
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
	// every word of every set asked, capitalised, possessive and dotted
	var words []string
	for _, c := range append(lowerSets, foldSets...) {
		for w := range c.set {
			words = append(words, w, strings.ToUpper(w[:1])+w[1:]+"'s", strings.ToUpper(w)+".")
		}
	}
	texts := []string{strings.Join(words, " "),
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
		w, _ := x.readWords(f, &sports, nil)
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
		want := slices.Clone(f.Tokens)
		unElideWords(want, x.gaz)
		if len(w.ts) != len(want) {
			t.Fatalf("%.60q: %d words; want %d", s, len(w.ts), len(want))
		}
		for k, u := range want {
			got := w.ts[k]
			fact := got.Facts
			if got.Facts = 0; got != u {
				t.Fatalf("%.60q: word %d is %+v; unElideWords gives %+v", s, k, got, u)
			}
			if f.Tokens[k].Facts != 0 {
				t.Fatalf("%.60q: word %d of the field has facts %b", s, k, f.Tokens[k].Facts)
			}
			if fact&wRead == 0 {
				t.Fatalf("%q: not marked read", u.Text)
			}
			// what a rule asks through the facts is what it asked before
			g := got
			g.Facts = fact
			if coreTitleTok(g) != isCoreTitle(foldTok(u)) || coreTitleTok(u) != isCoreTitle(foldTok(u)) {
				t.Fatalf("%q: core title %v; want %v", u.Text, coreTitleTok(g), isCoreTitle(foldTok(u)))
			}
			if foldTok(g) != foldTok(u) {
				t.Fatalf("%q: fold %q; want %q", u.Text, foldTok(g), foldTok(u))
			}
			if n, ok := startLenFact(g); ok && n != x.gaz.startLenOf(foldTok(u)) {
				t.Fatalf("%q: start length %d; want %d", u.Text, n, x.gaz.startLenOf(foldTok(u)))
			}
			if u.Capitalized() || nameLike(u) || caseless(u) {
				if fact&wFolded == 0 {
					t.Fatalf("%q: a word that may be a name's is not folded", u.Text)
				}
			}
			for n, c := range lowerSets {
				if inSet(g, c.bit) != c.set[u.Lower] || inSet(u, c.bit) != c.set[u.Lower] {
					t.Fatalf("%q: lowerSets[%d] says %v; the set %v", u.Text, n, !c.set[u.Lower], c.set[u.Lower])
				}
			}
			for n, c := range foldSets {
				if inFoldSet(g, c.bit) != c.set[foldTok(u)] || inFoldSet(u, c.bit) != c.set[foldTok(u)] {
					t.Fatalf("%q: foldSets[%d] says %v; the set %v", u.Text, n, !c.set[foldTok(u)], c.set[foldTok(u)])
				}
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
				if got := fact&c.bit != 0; got != c.want {
					t.Fatalf("%q: fact %b is %v; want %v", u.Text, c.bit, got, c.want)
				}
			}
		}
	}
}

// TestDottedStatesAreFourBytes: chunk asks dottedStates only of a word of
// four bytes, the length of every key.
func TestDottedStatesAreFourBytes(t *testing.T) {
	for k := range dottedStates {
		if len(k) != 4 {
			t.Errorf("%q is no four bytes", k)
		}
	}
}

// readWords tells most words' shape by their first byte (shapeFacts): the
// facts must be what the general tests say of every kind of word — plain
// lower case, a particle's name, a contraction, a capital, a caseless
// script, a letter outside ASCII, a mixed case.
func TestShapeFactsAreTheGeneralTests(t *testing.T) {
	text := `the al-Qaeda al-qaeda bin-Laden ibn-Saud abu- el-Sisi ash-Sham at-Tawhid eBay iPhone don't al-Qa'ida's ` +
		`Obama OBAMA Édith élan über Über 北京 東京都 مصر Москва москва 'quoted' 1999 $5 -dash ẞtraße ǅemal`
	f := tokens.NewField(text)
	for _, tok := range f.Tokens {
		got, capitalized := shapeFacts(&tok)
		var want wordFact
		if nameLike(tok) {
			want |= wNameLike
		}
		if caseless(tok) {
			want |= wCaseless
		}
		if s := tok.Text; s != "" && 'a' <= s[0] && s[0] <= 'z' && !upperASCII(s[1:]) {
			want |= wPlainLower
		}
		if got != want || capitalized != tok.Capitalized() {
			t.Errorf("%q: shapeFacts = %b, %v; the general tests say %b, %v", tok.Text, got, capitalized, want, tok.Capitalized())
		}
	}
}
