package entities

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
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
		if tok.Word == 0 {
			t.Fatalf("%q: not noted", tok.Text)
		}
		if got, want := baseSetsTok(tok), baseSetsOf(tok.Lower); got != want {
			t.Errorf("%q: base sets %b, the map says %b", tok.Lower, got, want)
		}
		if got, want := cueSetsOf(tok), cueSets[tok.Lower]; got != want {
			t.Errorf("%q: cue sets %b, the map says %b", tok.Lower, got, want)
		}
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
		plainT, plainB := tokens.NewField(s.title), tokens.NewField(s.body)
		notedT, notedB := tokens.NewField(s.title), tokens.NewField(s.body)
		wordtable.Note(notedT.Tokens)
		wordtable.Note(notedB.Tokens)
		for _, lang := range []string{"en", "fr"} {
			want := plain.Resolve(plain.Recognize(plainT, plainB, lang))
			got := noted.Resolve(noted.Recognize(notedT, notedB, lang))
			if !slices.Equal(got, want) {
				t.Fatalf("%q (%s): noted %v, plain %v", s.title, lang, got, want)
			}
		}
	}
}
