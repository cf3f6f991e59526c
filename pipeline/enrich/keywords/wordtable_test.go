package keywords

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// The keyword column gives back every word's facts: a word of wordTable
// read from its bits and its stopword languages is the word's wordFacts.
func TestFactBitsRoundTripEveryListedWord(t *testing.T) {
	for w, f := range wordTable() {
		if got := factsOfBits(f.stop, factBits(f)); got != f {
			t.Errorf("%q: %+v from the bits, the table says %+v", w, got, f)
		}
	}
}

// A word noted in the shared word table reads the facts collect asks of
// it as wordTable says them: every listed word, as written and with the
// possessives and edge marks normalize cuts, and words of no list.
func TestNotedWordsHaveTheirKeywordFacts(t *testing.T) {
	var words []string
	for w := range wordTable() {
		words = append(words, w, w+"'s", "'"+w+".", "-"+w)
	}
	words = append(words, "May", "WILL", "Won't", "NOT", "never.", "De", "Theresa", "Zelensky", "meets", "drones", "O'Brien", "l'Élysée", "U.S.", "the", "The", "THE", "it's", "&")
	ts := tokens.Split(strings.Join(words, " "))
	wordtable.Note(ts)
	for _, tok := range ts {
		checkNotedFacts(t, tok)
	}
}

// checkNotedFacts fails t unless tok was noted and factsTok reads the
// facts of its normalized word as the map does.
func checkNotedFacts(t *testing.T, tok tokens.Token) {
	t.Helper()
	if tok.Word == 0 {
		t.Fatalf("%q: not noted", tok.Text)
	}
	w := normalize(tok.Lower)
	if got, want := factsTok(tok, w, wordTable(), wordShapes()), wordTable()[w]; got != want {
		t.Errorf("%q (%q): %+v from the table, the map says %+v", tok.Lower, w, got, want)
	}
	for _, list := range []struct {
		name string
		bit  uint32
		set  map[string]bool
	}{{"modals", bitModal, modals}, {"modalNegations", bitModalNeg, modalNegations}} {
		if got, want := tokenIs(&tok, list.bit, list.set), list.set[tok.Lower]; got != want {
			t.Errorf("%q: in %s %v from the table, the list says %v", tok.Lower, list.name, got, want)
		}
	}
}

// Seeds of the fuzz targets: every language the lists hold, elisions,
// possessives, edge marks, case that folds in more than one way.
var keywordTableSeeds = []string{
	"Fed's Powell says rate cuts loom as inflation eases",
	"Ukraine tensions escalate; copper and oil fall after the U.S. jobs report",
	"Men's Wearhouse secures deal to buy Jos. A. Bank",
	"L'Élysée dément: le président reçoit les dirigeants d'Europe",
	"Bundeskanzler Merz trifft Erdoğan in İstanbul, die Regierung plant strengere Regeln",
	"El Gobierno de España y la UE: ¿qué pasa?",
	"ＡＢＣ ｎｅｗｓ: Ｔｈｅ Ｆｅｄ — 'quoted' -dashed- &amp; more...",
	"Straße STRASSE ß ẞ ﬁnance İ ı",
}

// FuzzNotedKeywordFactsReadAsTheMap: any word, noted, reads the facts
// collect asks of it as the map says them.
func FuzzNotedKeywordFactsReadAsTheMap(f *testing.F) {
	for _, s := range keywordTableSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts := append(tokens.Split(s), tokens.Token{Text: s, Lower: s}, tokens.Token{Text: s, Lower: strings.ToLower(s)})
		wordtable.Note(ts)
		for _, tok := range ts {
			checkNotedFacts(t, tok)
		}
	})
}

// FuzzCollectNotedIsPlain: any title, summary and body collected from
// words noted in the word table give the terms of the same words read
// from the map, in English (the rules that read most facts) and in the
// languages with rules of their own, and the same keywords once picked.
func FuzzCollectNotedIsPlain(f *testing.F) {
	for i, s := range keywordTableSeeds {
		f.Add(s, keywordTableSeeds[(i+1)%len(keywordTableSeeds)], keywordTableSeeds[(i+2)%len(keywordTableSeeds)])
	}
	plain, noted := New(100, 8), New(100, 8) // one each: Pick teaches its corpus
	f.Fuzz(func(t *testing.T, title, summary, body string) {
		checkCollectNotedIsPlain(t, plain, noted, title, summary, body)
	})
}

// The labelled kinds of text collect reads, noted and plain, collect the
// same terms.
func TestCollectNotedIsPlain(t *testing.T) {
	plain, noted := New(100, 8), New(100, 8)
	for i, s := range keywordTableSeeds {
		checkCollectNotedIsPlain(t, plain, noted, s, keywordTableSeeds[(i+1)%len(keywordTableSeeds)], strings.Repeat(keywordTableSeeds[(i+2)%len(keywordTableSeeds)]+" ", 40))
		checkCollectNotedIsPlain(t, plain, noted, s, "", "")
	}
}

func checkCollectNotedIsPlain(t *testing.T, plain, noted *Extractor, title, summary, body string) {
	t.Helper()
	fields := func(note bool) (f [3]tokens.Field) {
		for i, s := range []string{title, summary, body} {
			f[i] = tokens.Field{Text: s, Tokens: tokens.Split(s)}
			if note {
				wordtable.Note(f[i].Tokens)
			}
		}
		return f
	}
	p, n := fields(false), fields(true)
	for _, lang := range []string{"en", "", "de", "fr", "es"} {
		for _, english := range []bool{true, false} {
			// (compared by their elements: a pooled set's slices are empty, a new one's nil)
			want, got := collect(p[0], p[1], p[2], lang, english), collect(n[0], n[1], n[2], lang, english)
			if !slices.Equal(got.terms, want.terms) || !slices.Equal(got.learn, want.learn) ||
				got.hasText != want.hasText || got.article != want.article {
				t.Errorf("%s, english %v, %q / %q / %q: noted terms\n%+v\nlearn %q, plain\n%+v\nlearn %q",
					lang, english, title, summary, body, got.terms, got.learn, want.terms, want.learn)
			}
			got.release()
			want.release()
		}
		want := plain.ExtractFields(p[0], p[1], p[2], lang, nil)
		got := noted.ExtractFields(n[0], n[1], n[2], lang, nil)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s, %q / %q / %q: noted keywords %q, plain %q", lang, title, summary, body, got, want)
		}
	}
}
