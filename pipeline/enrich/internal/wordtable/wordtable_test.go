package wordtable

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Every listed word is noted with its languages, every other word with
// the empty entry, and a word Split made is not noted until Note.
func TestNoteGivesEachWordItsListsEntry(t *testing.T) {
	var text []byte
	for w := range stopwords.All() {
		text = append(append(text, w...), ' ')
	}
	text = append(text, "Zelensky meets Starmer over drones, tariffs and the war's end"...)
	ts := tokens.Split(string(text))
	for _, tok := range ts {
		if tok.Word != 0 {
			t.Fatalf("%q: Split noted it (Word %d)", tok.Text, tok.Word)
		}
	}
	Note(ts)
	for _, tok := range ts {
		if tok.Word == 0 {
			t.Fatalf("%q: not noted", tok.Text)
		}
		if got, want := Of(tok).Stop, stopwords.Langs(tok.Lower); got != want {
			t.Errorf("%q: Stop %b, the lists say %b", tok.Lower, got, want)
		}
		if Of(tok).Entity != 0 {
			t.Errorf("%q: an entity column without entities' (this package's test links no stage)", tok.Lower)
		}
	}
}
