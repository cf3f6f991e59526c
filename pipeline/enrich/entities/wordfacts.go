package entities

import (
	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// wordFact holds what recognition asks of one word of a story, again and
// again, as bits computed in one pass over the story's words (readWords):
// its shape (nameLike, caseless, a plain lower-case word) and which of the
// word sets asked of every word it belongs to, found by one lookup of its
// Lower. The per-token loop of recognize and runEnd read the bits by the
// word's index instead of repeating the tests and the set lookups.
type wordFact uint8

const (
	// wNameLike: nameLike(t).
	wNameLike wordFact = 1 << iota
	// wCaseless: caseless(t).
	wCaseless
	// wPlainLower: t.Text opens with an ASCII lower-case letter and holds
	// no ASCII capital, so siteOrCamelOrg reads nothing in it.
	wPlainLower
	// wConnector: connectors[t.Lower].
	wConnector
	// wSpacedParticle: spacedParticles[t.Lower].
	wSpacedParticle
	// wFootball: footballNouns[t.Lower].
	wFootball
	// wUSLeague: usLeagueCues[t.Lower].
	wUSLeague
)

// wordSets is every set a word's Lower is looked up in by readWords, as
// the word's bits: one lookup for all of them.
var wordSets = func() map[string]wordFact {
	m := map[string]wordFact{}
	for _, s := range []struct {
		set map[string]bool
		bit wordFact
	}{{connectors, wConnector}, {spacedParticles, wSpacedParticle}, {footballNouns, wFootball}, {usLeagueCues, wUSLeague}} {
		for w, in := range s.set {
			if in {
				m[w] |= s.bit
			}
		}
	}
	return m
}()

// wordSetShapes holds the shape of every word of wordSets: most of a
// story's words are in none of the sets, told without the map.
var wordSetShapes = func() *shapes.Set {
	s := new(shapes.Set)
	for w := range wordSets {
		s.Add(w)
	}
	return s
}()

// wordSetsOf is wordSets[w].
func wordSetsOf(w string) wordFact {
	if !wordSetShapes.MayHold(w) {
		return 0
	}
	return wordSets[w]
}

// storyWords is a field's words as recognize reads them — elisions undone
// (unElideAll) — with each word's facts at its index.
type storyWords struct {
	ts    []tokens.Token
	facts []wordFact
}

// readWords undoes the field's elisions and reads each word's facts in
// one pass; it also counts the story's football nouns and tells whether
// a US league's cue is among its words, over the field's words as
// written (footballStory counted them so).
func (x *Extractor) readWords(f tokens.Field, sports *footballStory) storyWords {
	ts := unElideAll(f.Tokens, x.gaz)
	// ts is the field's own slice unless an elision was undone
	elided := len(ts) > 0 && &ts[0] != &f.Tokens[0]
	facts := make([]wordFact, len(ts))
	for k := range ts {
		t := &ts[k]
		b := wordSetsOf(t.Lower)
		if elided && t.Lower != f.Tokens[k].Lower {
			// the word as written is what the story's counts read
			w := wordSetsOf(f.Tokens[k].Lower)
			sports.count(w)
		} else {
			sports.count(b)
		}
		if nameLike(*t) {
			b |= wNameLike
		}
		if caseless(*t) {
			b |= wCaseless
		}
		if s := t.Text; s != "" && 'a' <= s[0] && s[0] <= 'z' && !upperASCII(s[1:]) {
			b |= wPlainLower
		}
		facts[k] = b
	}
	return storyWords{ts, facts}
}
