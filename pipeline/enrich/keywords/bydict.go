package keywords

import (
	"slices"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Vocabulary is every word collect has facts about (sorted): the words a
// tokens.Dict must number for ReadByWord's table to answer as wordTable.
func Vocabulary() []string {
	ws := make([]string, 0, len(wordTable()))
	for w := range wordTable() {
		ws = append(ws, w)
	}
	slices.Sort(ws)
	return ws
}

// ReadByWord has x read a word's facts by its number in d, for the
// fields d marked: one array load where collect probed wordTable. d must
// number every word of Vocabulary; a word d misses has no facts, as in
// wordTable.
func (x *Extractor) ReadByWord(d *tokens.Dict) {
	t := make([]wordFacts, d.Len())
	for id := uint32(2); id < uint32(d.Len()); id++ {
		t[id] = wordTable()[d.Word(id)]
	}
	x.dict, x.byWord = d, t
}

// factsTable answers what collect asks of a word: by the token's number
// when the field was marked by the table's Dict and the word is the
// token's Key (normalize trimmed no edge punctuation), else by wordTable.
type factsTable struct {
	m      map[string]wordFacts
	byWord []wordFacts // nil: every word by m
}

func (x *Extractor) factsFor(f tokens.Field) factsTable {
	ft := factsTable{m: wordTable()}
	if x.dict != nil && f.Dict == x.dict {
		ft.byWord = x.byWord
	}
	return ft
}

// of is the facts of w, normalize(t.Lower). Miss reads the zero facts
// (byWord[Miss] is never set).
func (ft *factsTable) of(t *tokens.Token, w string) wordFacts {
	// normalize only trims t's Key, so w is the Key when the lengths agree
	if ft.byWord != nil && t.Word != tokens.Unmarked && len(w) == len(t.Key()) {
		return ft.byWord[t.Word]
	}
	return ft.m[w]
}
