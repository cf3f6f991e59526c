package topics

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Vocabulary is every single word some lexicon has an entry for (sorted):
// the words a tokens.Dict must number for ReadByWord's tables to answer
// as the lexicons' maps.
func (c *Classifier) Vocabulary() []string {
	seen := map[string]bool{}
	for _, lx := range c.lexicons() {
		for w := range lx.words {
			if !strings.Contains(w, " ") {
				seen[w] = true
			}
		}
	}
	ws := make([]string, 0, len(seen))
	for w := range seen {
		ws = append(ws, w)
	}
	slices.Sort(ws)
	return ws
}

func (c *Classifier) lexicons() []*lexicon {
	lxs := []*lexicon{c.general}
	for _, lx := range c.byLang {
		if lx != c.general {
			lxs = append(lxs, lx)
		}
	}
	return lxs
}

// ReadByWord has c read a word's entry by its number in d, for the fields
// d marked: one array load where Score probed the lexicon's map. d must
// number every word of Vocabulary: a word it misses has no entry.
func (c *Classifier) ReadByWord(d *tokens.Dict) {
	for _, lx := range c.lexicons() {
		lx.byWord = make([]*entry, d.Len())
		for id := uint32(2); id < uint32(d.Len()); id++ {
			lx.byWord[id] = lx.words[d.Word(id)]
		}
	}
	c.dict = d
}

// entryOf is lx.words[bare], bare the word of token t Score looks up:
// by t's number when byWord is lx's table for the Dict that marked t and
// bare is t's Key (no elided article dropped from it).
func (lx *lexicon) entryOf(byWord []*entry, t *tokens.Token, bare string) *entry {
	if byWord != nil && t.Word != tokens.Unmarked && len(bare) == len(t.Key()) {
		return byWord[t.Word]
	}
	return lx.words[bare]
}

// tableFor is lx's table by word number for f's tokens, or nil when the
// Dict that marked them (if any) is not the one c's tables are numbered by.
func (c *Classifier) tableFor(lx *lexicon, f tokens.Field) []*entry {
	if c.dict == nil || f.Dict != c.dict {
		return nil
	}
	return lx.byWord
}
