package entities

import (
	"slices"
	"sync"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// storyWords remembers, for one field of the story being recognized, what
// the gazetteer made of each of its words: the word folded, the most words
// of a form it starts, and what each window of words from it names. The
// rules ask the gazetteer about the same words again and again — a chunk
// is looked up whole, then stripped of its title and looked up again, then
// word by word from each position, and each lookup folded every word of
// the window and probed the large maps afresh (≈ 4 % of an article's CPU).
//
// Everything remembered is a function of the words' Text alone (foldTok
// reads Lower only where it is Text lower-cased, startLen reads the fold,
// a form's alias the folded key), so a token is matched to the word it
// stands for by where it starts and by its Text: a token the rules built
// ("Allemagne" from "l'Allemagne", a hyphen's head) or one of another
// field matches only a word of the same Text, which folds and names the
// same, or none, and is then folded and looked up as before. What the
// gazetteer answers is the same with or without this table.
type storyWords struct {
	ts []tokens.Token
	// at is the index in ts of the word starting at each byte offset of
	// the field; where none does it holds anything (an earlier field's
	// index), which index checks against the word itself: nothing is
	// cleared between fields.
	at    []int32
	words []storyWord
	// gen tells this field's words from an earlier field's: a word whose
	// gen is another holds nothing yet.
	gen uint32
	// windows holds, for each word that starts a form, what the windows
	// of 1 to startLen words from it name: storyWord.windows is 1 + the
	// offset of the window of one word.
	windows []window
	view    gazetteer // the gazetteer seen through this table
}

type storyWord struct {
	gen     uint32
	fold    string
	folded  bool
	starts  int32 // 1 + startLen, 0 before it is asked
	windows int32
}

// window is what a window's folded key names in the gazetteer.
type window struct {
	a     alias
	asked bool
	found bool
}

var storyWordsPool = sync.Pool{New: func() any { return new(storyWords) }}

// storyView is a gazetteer that remembers the words of fields read with
// it; release gives its table back.
func (g *gazetteer) storyView() *storyWords {
	w := storyWordsPool.Get().(*storyWords)
	w.view = gazetteer{gazTables: g.gazTables, words: w}
	return w
}

func (w *storyWords) release() {
	w.ts = nil
	w.view = gazetteer{}
	storyWordsPool.Put(w)
}

// read makes the table the field's: ts are its tokens.
func (w *storyWords) read(ts []tokens.Token) {
	w.ts = ts
	size := 0
	if len(ts) > 0 {
		size = ts[len(ts)-1].Start + 1
	}
	w.at = grow(w.at, size)
	for i := len(ts) - 1; i >= 0; i-- {
		if s := ts[i].Start; s >= 0 && s < size {
			w.at[s] = int32(i) // the first of two starting together
		}
	}
	w.words = grow(w.words, len(ts))
	w.gen++
	if w.gen == 0 { // wrapped: a word may hold this gen from long ago
		clear(w.words[:cap(w.words)])
		w.gen = 1
	}
	w.windows = w.windows[:0]
}

// grow gives s n elements, reusing its array (and what it holds) when it
// can.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// index is the index in the field of the word t stands for, or -1.
func (w *storyWords) index(t tokens.Token) int {
	if w == nil || t.Start < 0 || t.Start >= len(w.at) {
		return -1
	}
	i := int(w.at[t.Start])
	if i < 0 || i >= len(w.ts) || w.ts[i].Start != t.Start || w.ts[i].Text != t.Text {
		return -1
	}
	return i
}

// word is what the table holds for t's word, nil for a token it does not
// hold.
func (w *storyWords) word(t tokens.Token) *storyWord {
	if i := w.index(t); i >= 0 {
		return w.wordAt(i)
	}
	return nil
}

// wordAt is what the table holds for the field's i-th word.
func (w *storyWords) wordAt(i int) *storyWord {
	sw := &w.words[i]
	if sw.gen != w.gen {
		*sw = storyWord{gen: w.gen}
	}
	return sw
}

// aliasOf is g.aliasOfKey(key) for the window ts, whose folded key is
// key, answered once per window of the field's words.
func (w *storyWords) aliasOf(g *gazTables, ts []tokens.Token, key []byte) (alias, bool) {
	i := w.index(ts[0])
	if i < 0 || i+len(ts) > len(w.ts) {
		return g.aliasOfKey(key)
	}
	for k := 1; k < len(ts); k++ {
		if ts[k].Text != w.ts[i+k].Text {
			return g.aliasOfKey(key) // not the field's run of words
		}
	}
	sw := w.wordAt(i)
	if sw.starts == 0 {
		if !sw.folded {
			sw.fold, sw.folded = foldTok(ts[0]), true
		}
		sw.starts = int32(g.startLenOf(sw.fold)) + 1
	}
	n := int(sw.starts - 1)
	if len(ts) > n {
		return g.aliasOfKey(key) // no form is that long: asked by no caller that asked startLen
	}
	if sw.windows == 0 {
		off := len(w.windows)
		sw.windows = int32(off + 1)
		w.windows = slices.Grow(w.windows, n)[:off+n]
		clear(w.windows[off:])
	}
	win := &w.windows[int(sw.windows)-1+len(ts)-1]
	if !win.asked {
		win.a, win.found = g.aliasOfKey(key)
		win.asked = true
	}
	return win.a, win.found
}
