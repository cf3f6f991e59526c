package entities

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A word noted in the shared word table reads the sets recognition asks
// of its Lower from its entry, as the maps say them: every word of the
// sets and words of none.
func TestNotedWordsHaveTheirSetsBits(t *testing.T) {
	var words []string
	for w := range baseSets {
		words = append(words, w)
	}
	for w := range cueSets {
		words = append(words, w)
	}
	words = append(words, "Zelensky", "meets", "drones", "O'Brien", "l'Élysée", "U.S.", "the")
	ts := tokens.Split(strings.Join(words, " "))
	wordtable.Note(ts)
	for _, tok := range ts {
		checkNotedSets(t, tok, tok.Text)
	}
}

// checkNotedSets fails t unless tok was noted and reads from its entry
// the base and cue sets the maps say of its Lower; what names tok in the
// messages.
func checkNotedSets(t *testing.T, tok tokens.Token, what string) {
	t.Helper()
	if tok.Word == 0 {
		t.Fatalf("%q: not noted", what)
	}
	if got, want := baseSetsTok(tok), baseSetsOf(tok.Lower); got != want {
		t.Errorf("%q: base sets %b, the map says %b", tok.Lower, got, want)
	}
	if got, want := entitySets(&tok).cuesOf(&tok), cueSets[tok.Lower]; got != want {
		t.Errorf("%q: cue sets %b, the map says %b", tok.Lower, got, want)
	}
}

// Recognition reads the same words noted or not: the mentions of a story
// are those of its words read from the maps.
func TestRecognizeReadsNotedWordsAsTheMaps(t *testing.T) {
	// one extractor each: Resolve learns surnames from what it reads
	plain, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	noted, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct{ title, body string }{
		{"Zelensky meets Starmer in London as EU weighs sanctions", "President Volodymyr Zelensky met Prime Minister Keir Starmer at Downing Street on Monday."},
		{"L'Élysée dément: Macron ne se rendra pas à Bruxelles", "Le président Emmanuel Macron ne se rendra pas au sommet de l'Union européenne."},
		{"Fed's Powell says rate cuts may wait, U.S. stocks slip", "Federal Reserve Chair Jerome Powell told the Senate Banking Committee on Tuesday that the central bank is in no hurry."},
		{"Man City beat Arsenal 2-1 in Premier League title race", "Manchester City came from behind to beat Arsenal at the Etihad Stadium, Erling Haaland scoring the winner."},
	} {
		checkNotedReadsAsPlain(t, plain, noted, s.title, s.body, "en", "fr")
	}
}

// checkNotedReadsAsPlain fails t unless title and body, their words
// noted in the word table, give noted the entities plain gives them read
// from the maps, in each of langs. One extractor each: Resolve learns
// surnames from what it reads.
func checkNotedReadsAsPlain(t *testing.T, plain, noted *Extractor, title, body string, langs ...string) {
	t.Helper()
	notedT, notedB := tokens.NewField(title), tokens.NewField(body)
	wordtable.Note(notedT.Tokens)
	wordtable.Note(notedB.Tokens)
	for _, lang := range langs {
		want := plain.Resolve(plain.Recognize(tokens.NewField(title), tokens.NewField(body), lang))
		got := noted.Resolve(noted.Recognize(notedT, notedB, lang))
		if !slices.Equal(got, want) {
			t.Fatalf("%q / %q (%s): noted %v, plain %v", title, body, lang, got, want)
		}
	}
}

// wordTableSeeds are words whose lower case is unusual (Turkish dotted
// and dotless I, ß, full-width and ligature letters, typographic
// apostrophes, elisions) and words of the lists in several languages.
var wordTableSeeds = []string{
	"İstanbul", "ISPARTA", "ıslak", "Straße", "STRASSE", "ẞ", "ＡＢＣ", "ｔｈｅ", "ﬁnance",
	"l'Élysée", "d’Italia", "L’Express", "dell'Unione", "O'Brien", "Obama's", "U.S.",
	"der", "Die", "und", "les", "DE", "la", "el", "los", "ve", "için", "и", "the", "of", "",
	"President", "Minister", "FC", "Inc", "Ltd", "party", "ministry",
}

// FuzzNotedWordsReadAsTheMaps: any word, as Split lowers it or as given,
// reads from its word table entry what the maps say of its Lower — the
// stopword languages and recognition's base and cue sets.
func FuzzNotedWordsReadAsTheMaps(f *testing.F) {
	for _, w := range wordTableSeeds {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		ts := append(tokens.Split(w), tokens.Token{Text: w, Lower: w}, tokens.Token{Text: w, Lower: strings.ToLower(w)})
		wordtable.Note(ts)
		for _, tok := range ts {
			checkNotedSets(t, tok, tok.Lower)
			if got, want := wordtable.Of(tok).Stop, stopwords.Langs(tok.Lower); got != want {
				t.Errorf("%q: stopword languages %b, the lists say %b", tok.Lower, got, want)
			}
		}
	})
}

// FuzzRecognizeNotedIsPlain: any title and body recognised from words
// noted in the word table give the mentions and entities of the same
// words read from the maps, in the languages whose elisions differ.
func FuzzRecognizeNotedIsPlain(f *testing.F) {
	plain, noted := newX(f), newX(f) // one each: Resolve learns from what it reads
	for _, s := range [][2]string{
		{"L'Élysée dément: Macron ne se rendra pas à Bruxelles", "Le président Emmanuel Macron ne se rendra pas au sommet de l'Union européenne, a dit l’Élysée."},
		{"Merz trifft Erdoğan in İstanbul", "Bundeskanzler Friedrich Merz trifft den Präsidenten der Türkei in der Straße des 17. Juni."},
		{"El Gobierno de España y la UE", "El presidente Pedro Sánchez se reunió con la Comisión Europea en Bruselas."},
		{"ＡＢＣ ｎｅｗｓ: Ｔｈｅ Ｆｅｄ", "ＴＨＥ ＦＥＤ said İSTANBUL and ISTANBUL."},
		{"D'Alema e dell'Unione europea", "Massimo D'Alema ha parlato dell’Italia."},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		checkNotedReadsAsPlain(t, plain, noted, title, body, "en", "fr", "de", "es", "it")
	})
}
