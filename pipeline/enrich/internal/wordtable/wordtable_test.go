package wordtable

import (
	"fmt"
	"strings"
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

// A Story gives two words of its fields one ID exactly when their Lower
// is one, and the entry Note gives; after Reset it numbers afresh.
func TestStoryNumbersEachDistinctWordOnce(t *testing.T) {
	fields := []string{
		"The Fed holds rates; THE fed's view",
		"Rates held as the Fed waits, l'économie",
		"the the The rates Rates économie",
		"", // the many words below: the table grows
	}
	var many strings.Builder
	for i := range 700 {
		fmt.Fprintf(&many, "w%d rates W%d ", i, i/2)
	}
	fields[3] = many.String()
	var s Story
	for round := range 2 {
		var all []tokens.Token
		for _, f := range fields {
			ts := tokens.Split(f)
			s.Note(ts)
			all = append(all, ts...)
		}
		want := tokens.Split(strings.Join(fields, "\n"))
		Note(want)
		byLower := map[string]uint32{}
		for i, tok := range all {
			if tok.ID == 0 {
				t.Fatalf("round %d: %q not numbered", round, tok.Text)
			}
			if tok.Word != want[i].Word {
				t.Errorf("round %d: %q: entry %d, Note gives %d", round, tok.Text, tok.Word, want[i].Word)
			}
			if id, ok := byLower[tok.Lower]; ok && id != tok.ID {
				t.Errorf("round %d: %q: ID %d, an earlier %q had %d", round, tok.Text, tok.ID, tok.Lower, id)
			}
			byLower[tok.Lower] = tok.ID
		}
		ids := map[uint32]string{}
		for w, id := range byLower {
			if other, ok := ids[id]; ok {
				t.Errorf("round %d: %q and %q share ID %d", round, w, other, id)
			}
			ids[id] = w
			if int(id) > len(byLower) {
				t.Errorf("round %d: %q: ID %d above the %d distinct words", round, w, id, len(byLower))
			}
		}
		s.Reset()
	}
}
