package entities

import (
	"math/bits"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/shapes"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// wordFact holds what recognition asks of one word of a story, again and
// again, as bits computed in one pass over the story's words (readWords)
// and kept in the word's own Facts, on recognition's copy of the words:
// its shape (nameLike, caseless, a plain lower-case word), which of the
// word sets the rules ask most it belongs to, found by one lookup of its
// Lower in each of two maps (the cue sets' for the words around a name's
// only, see wCues), and, for a word that may be part of a name, its
// fold's place in its Lower and how many words a gazetteer form opened by
// it has. Rules read
// the bits where they asked the tests and the maps again; a word made
// elsewhere (a rule's own token, a word split from a name) has no wRead
// and is asked as before.
type wordFact = uint32

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
	// wRead: readWords read the word; the bits above are its.
	wRead
	// wFolded: the word may be part of a name (capitalised, nameLike or
	// caseless), so readWords folded it: wFoldPrefix and the start length
	// below are its.
	wFolded
	// wFoldPrefix: foldTok(t) is t.Lower less its last foldCut bytes
	// ("obama's" → "obama"), no new string.
	wFoldPrefix

	// Membership of t.Lower in the sets the rules ask most (see
	// lowerSets), each by inSet.
	wPartyWord
	wGovHead
	wMemberRole
	wLowerHead
	wPlacePrep
	wStateAfterNoun
	wTitle
	wRoleNoun
	wDeterminer
	wFamilyNoun
	wOrgNoun

	// Membership of foldTok(t) in the sets the rules ask by the fold (see
	// foldSets), each by inFoldSet; read for a wFolded word only.
	wCapStop
	wOrgSuffix
	wIndustryNoun
	wHonorific
	// wCoreTitle: the fold is a word of coreTitles, titles or roleNouns,
	// what isCoreTitle asks before hyphenTitle (see coreTitleTok).
	wCoreTitle
	// wCues: readWords read the word's cue sets, the lowerSets after the
	// first four (cueSets): it does for a word that may be a name's and
	// the two words on each side of one, which the rules ask of; a word
	// further from any is asked by its maps (inSet), as few rules look
	// there and looking every word up cost more than they did.
	wCues
)

// The fold's cut (0 to 3 bytes) and the gazetteer's start length of the
// fold (startLenOf, 0 to startLenMax; startLenMax means "that many or
// more: ask the map") sit in the top bits.
const (
	foldCutShift  = 27
	startLenShift = 29
	startLenMax   = 1<<(32-startLenShift) - 1
)

// The set bits end below the fold's cut: a set added to lowerSets or
// foldSets whose bit reached foldCutShift would read as a cut of the fold
// (foldOf) and a start length, and so disagree with its map. This
// constant does not compile then (it would be negative).
const _ wordFact = 1<<foldCutShift - wCues<<1

// lowerSets are the sets whose membership of a word's Lower readWords
// notes, each as its bit: the ones the rules ask most of the same words
// (round 31's profile), where a map lookup each time was most of what
// the rule cost.
var lowerSets = []struct {
	set map[string]bool
	bit wordFact
}{
	{connectors, wConnector}, {spacedParticles, wSpacedParticle}, {footballNouns, wFootball}, {usLeagueCues, wUSLeague},
	{partyWords, wPartyWord}, {govHeads, wGovHead}, {memberRoles, wMemberRole}, {lowerHeads, wLowerHead},
	{placePreps, wPlacePrep}, {stateAfterNouns, wStateAfterNoun}, {titles, wTitle}, {roleNouns, wRoleNoun},
	{determiners, wDeterminer}, {familyNouns, wFamilyNoun}, {orgNouns, wOrgNoun},
}

// foldSets are the sets whose membership of a word's fold readWords
// notes, for a word that may be part of a name (wFolded).
var foldSets = []struct {
	set map[string]bool
	bit wordFact
}{
	{capStop, wCapStop}, {orgSuffixes, wOrgSuffix}, {industryNouns, wIndustryNoun}, {honorifics, wHonorific},
	{coreTitleWords, wCoreTitle},
}

// coreTitleWords are the sets isCoreTitle asks, as one.
var coreTitleWords = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range []map[string]bool{coreTitles, titles, roleNouns} {
		for w, in := range s {
			m[w] = m[w] || in
		}
	}
	return m
}()

// coreTitleTok is isCoreTitle(foldTok(t)), its sets from t's facts.
func coreTitleTok(t tokens.Token) bool {
	if t.Facts&wFolded == 0 {
		return isCoreTitle(foldTok(t))
	}
	return t.Facts&wCoreTitle != 0 || hyphenTitle(foldTok(t))
}

// foldBits are the bits of foldSets.
const foldBits = wCapStop | wOrgSuffix | wIndustryNoun | wHonorific | wCoreTitle

// setOfBit is each bit's set, of lowerSets and foldSets, by the bit's
// place.
var setOfBit = func() (a [32]map[string]bool) {
	for _, s := range append(lowerSets[:len(lowerSets):len(lowerSets)], foldSets...) {
		a[bits.TrailingZeros32(s.bit)] = s.set
	}
	return a
}()

// inSet is whether bit's set (lowerSets) holds t.Lower, from t's facts
// when readWords read them.
func inSet(t tokens.Token, bit wordFact) bool {
	read := wRead // the first four sets: every word
	if bit&baseBits == 0 {
		read = wCues
	}
	if t.Facts&read != 0 {
		return t.Facts&bit != 0
	}
	return setOfBit[bits.TrailingZeros32(bit)][t.Lower]
}

// inFoldSet is whether bit's set (foldSets) holds foldTok(t), from t's
// facts when readWords folded it.
func inFoldSet(t tokens.Token, bit wordFact) bool {
	if t.Facts&wFolded != 0 {
		return t.Facts&bit != 0
	}
	return setOfBit[bits.TrailingZeros32(bit)][foldTok(t)]
}

// foldOf is foldTok(t), from its facts when readWords read them.
func foldOf(t tokens.Token) (string, bool) {
	if t.Facts&wFoldPrefix == 0 {
		return "", false
	}
	return t.Lower[:len(t.Lower)-int(t.Facts>>foldCutShift&3)], true
}

// startLenFact is g.startLenOf(foldTok(t)) when readWords noted it.
func startLenFact(t tokens.Token) (int, bool) {
	if t.Facts&wFolded == 0 {
		return 0, false
	}
	n := int(t.Facts >> startLenShift)
	return n, n < startLenMax
}

// baseBits are the first four lowerSets', looked up for every word (the
// story's football counts read two of them); the rest are cue sets.
const baseBits = wConnector | wSpacedParticle | wFootball | wUSLeague

// baseSets and cueSets are lowerSets' and foldSets' words with their bits,
// of the base sets and of the rest: one lookup a word for each kind. A
// word's Lower reads the lowerSets' bits of it, its fold the foldSets'.
var baseSets, cueSets = func() (base, cues map[string]wordFact) {
	base, cues = map[string]wordFact{}, map[string]wordFact{}
	for _, s := range append(lowerSets[:len(lowerSets):len(lowerSets)], foldSets...) {
		m := cues
		if s.bit&baseBits != 0 {
			m = base
		}
		for w, in := range s.set {
			if in {
				m[w] |= s.bit
			}
		}
	}
	return base, cues
}()

// baseSetShapes holds the shape of every word of baseSets: most of a
// story's words are in none of the sets, told without the map.
var baseSetShapes = func() *shapes.Set {
	s := new(shapes.Set)
	for w := range baseSets {
		s.Add(w)
	}
	return s
}()

// baseSetsOf is baseSets[w].
func baseSetsOf(w string) wordFact {
	if !baseSetShapes.MayHold(w) {
		return 0
	}
	return baseSets[w]
}

// baseSetsTok is baseSetsOf(t.Lower), from the shared word table when t
// was noted there (every word of a story is, once, before recognition
// reads it): one lookup a word for the stages that ask of it. It is
// entitySets' base, which reads both sets from one lookup.
func baseSetsTok(t tokens.Token) wordFact { return entitySets(&t).base }

// The entity column of the shared word table is baseSets and cueSets in
// one: their bits do not overlap (baseBits are baseSets' alone).
func init() {
	wordtable.ProvideEntity(func() map[string]uint32 {
		m := make(map[string]uint32, len(baseSets)+len(cueSets))
		for w, b := range baseSets {
			m[w] |= b
		}
		for w, b := range cueSets {
			m[w] |= b
		}
		return m
	})
}

// wordSets are a word's base and cue sets (baseSetsOf, cueSets) as
// readWords reads them: a noted word's from one read of its table entry
// (the entry's cache line is the cost, and readWords asked it twice);
// an unnoted word's base sets at once and its cue sets, a map probe, only
// when asked (cuesOf), as most words' never are.
type wordSets struct {
	base, cues wordFact
	noted      bool
}

// entitySets reads t's sets; t by pointer, as for every word of a story.
func entitySets(t *tokens.Token) wordSets {
	if t.Word != 0 {
		e := wordtable.Of(*t).Entity
		return wordSets{base: e & baseBits, cues: e &^ baseBits, noted: true}
	}
	return wordSets{base: baseSetsOf(t.Lower)}
}

// cuesOf is cueSets[t.Lower], from the word table when t was noted.
func (s wordSets) cuesOf(t *tokens.Token) wordFact {
	if s.noted {
		return s.cues
	}
	return cueSets[t.Lower]
}

// shapeFacts are t's wNameLike, wCaseless and wPlainLower, and whether it
// is capitalised: what readWords asks of every word's shape. Most words
// are plain lower-case ASCII, which is neither caseless nor capitalised
// and a name's word only as a particle's ("al-Mohammed"): those are told
// by their first byte without the three general tests (nameLike, caseless,
// Capitalized), each a call that copied the 56-byte word.
func shapeFacts(t *tokens.Token) (b wordFact, capitalized bool) {
	s := t.Text
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		if !upperASCII(s[1:]) {
			b = wPlainLower
		}
		if particleNameText(s) && !contraction(*t) {
			b |= wNameLike
		}
		return b, false
	}
	if nameLike(*t) {
		b |= wNameLike
	}
	if caseless(*t) {
		b |= wCaseless
	}
	return b, t.Capitalized()
}

// storyWords is a field's words as recognize reads them — elisions undone
// (unElideWords) — with each word's facts in its Facts.
type storyWords struct {
	ts []tokens.Token
}

// readWords copies the field's words to buf's end, undoes their elisions
// and reads each word's facts in one pass; it also counts the story's
// football nouns and tells whether a US league's cue is among its words,
// over the field's words as written (footballStory counted them so). It
// returns the words and buf grown by them.
func (x *Extractor) readWords(f tokens.Field, sports *footballStory, buf []tokens.Token) (storyWords, []tokens.Token) {
	from := len(buf)
	buf = append(buf, f.Tokens...)
	ts := buf[from:len(buf):len(buf)]
	unElideWords(ts, x.gaz)
	lastName := -3 // the last word that may be a name's
	for k := range ts {
		t := &ts[k]
		t.Facts = 0 // the caller's, if any, are no facts of recognition's
		unElided := t.Lower != f.Tokens[k].Lower
		if unElided {
			t.Word = 0 // the table's entry was the word as written
		}
		sets := entitySets(t)
		b := sets.base | wRead
		if unElided {
			// the word as written is what the story's counts read
			sports.count(baseSetsTok(f.Tokens[k]))
		} else {
			sports.count(b)
		}
		shape, capitalized := shapeFacts(t)
		b |= shape
		if b&(wNameLike|wCaseless) != 0 || capitalized {
			cues := sets.cuesOf(t)
			b |= cues&^foldBits | wCues | x.foldFacts(t, cues)
			// the two words before it, where they were not read
			for n := max(k-2, lastName+3, 0); n < k; n++ {
				ts[n].Facts |= entitySets(&ts[n]).cuesOf(&ts[n])&^foldBits | wCues
			}
			lastName = k
		} else if k-lastName <= 2 {
			b |= sets.cuesOf(t)&^foldBits | wCues
		}
		t.Facts = b
	}
	return storyWords{ts}, buf
}

// foldFacts are the facts of t's fold: wFolded and the rest (see
// wordFact); sets are t.Lower's cueSets, which are its fold's when the
// two are one.
func (x *Extractor) foldFacts(t *tokens.Token, sets wordFact) wordFact {
	b := wFolded
	f := foldTok(*t)
	if cut := len(t.Lower) - len(f); cut >= 0 && cut <= 3 && t.Lower[:len(f)] == f {
		b |= wFoldPrefix | wordFact(cut)<<foldCutShift
	}
	if f != t.Lower {
		sets = cueSets[f]
	}
	b |= sets & foldBits
	return b | wordFact(min(x.gaz.startLenOf(f), startLenMax))<<startLenShift
}
