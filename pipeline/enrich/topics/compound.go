package topics

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
)

// German writes a compound as one word whose last part says what it is:
// "Finanzminister" is a minister, "Bundestagswahl" an election,
// "Mietpreise" prices. A German word of a headline or summary with no cue of its own is read by
// its longest tail that is a cue of four runes or more, after a head of
// three runes or more that is not a particle ("Beispiel" is no game:
// "bei" is a stopword) or a verb's prefix, and not inside a "-schaft"
// ending ("Gesellschaft" holds no custody, "haft"). A weak cue is no
// evidence there, nor the few cues that as a last part more often end a
// word of another sense (compoundOther); either still stops the search,
// so a shorter tail cannot speak for the word ("Baustellen" is no
// labour, nor its "-tellen").
const (
	compoundHead = 3 // runes, at least, before the tail
	compoundTail = 4 // runes, at least, of the tail and of its cue
)

// compoundOther are cues that end more German compounds of another
// sense than of theirs: "Baustellen", "Haltestellen" (stellen*: jobs),
// "Hausmeister" (meister*: a champion), "Vereinbarung" (verein*: a
// club), "Hauptquartier" (tier*: an animal), "Produktionsprozess"
// (prozess*: a trial).
var compoundOther = map[string]bool{"stellen": true, "meister": true, "verein": true, "tier": true, "prozess": true}

// germanPrefixes are verbs' inseparable prefixes, heads of no compound.
var germanPrefixes = map[string]bool{"be": true, "ge": true, "er": true, "ver": true, "zer": true, "ent": true, "emp": true, "miss": true}

// matchCompound calls f for the cues of w's longest tail that has one
// (see compoundHead), as lexicon.match would for the tail.
func (lx *lexicon) matchCompound(w string, f func(key string, prefix bool, c cue)) {
	if len(w) < 2*compoundTail { // bytes: fewer than compoundHead+compoundTail runes cannot split
		return
	}
	end := len(w) // a tail starting at or past end is inside a "-schaft" ending
	for _, s := range []string{"schaften", "schaft"} {
		if strings.HasSuffix(w, s) {
			end = len(w) - len(s) + 1
			break
		}
	}
	left := utf8.RuneCountInString(w) // runes from i to the end
	runes := 0                        // runes before i
	for i := range w {
		if runes >= compoundHead {
			if left < compoundTail || i >= end {
				return
			}
			tail := w[i:]
			if lx.mayStartCue(tail) && lx.matchTail(w[:i], tail, f) {
				return // the longest tail with a cue says what the word is
			}
		}
		runes++
		left--
	}
}

// startsUpper reports whether s starts with a capital letter.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// matchTail calls f for the cues of the compound's tail after head, and
// reports whether it has any (counted or not: see matchCompound).
func (lx *lexicon) matchTail(head, tail string, f func(key string, prefix bool, c cue)) bool {
	var keys [4]found // a tail has few cues: kept here until its head is known
	n, some := 0, false
	lx.match(tail, lx.words[tail], func(key string, prefix bool, k cue) {
		if utf8.RuneCountInString(key) < compoundTail {
			return
		}
		some = true
		if k.weight != weakWeight && !compoundOther[key] && n < len(keys) {
			keys[n] = found{key: key, prefix: prefix, k: k}
			n++
		}
	})
	if !some || germanPrefixes[head] || stopwords.Is("de", head) {
		return false
	}
	for _, k := range keys[:n] {
		f(k.key, k.prefix, k.k)
	}
	return true
}

// markCueHead notes that the word or prefix w is a cue a compound's tail
// may start with (see cueHeads).
func (lx *lexicon) markCueHead(w string) {
	if utf8.RuneCountInString(w) < compoundTail {
		return
	}
	b := headBit(w, min(len(w), 5))
	lx.cueHeads[b/64] |= 1 << (b % 64)
}

// mayStartCue reports whether a cue of compoundTail runes or more may
// start as w (of four bytes or more) does.
func (lx *lexicon) mayStartCue(w string) bool {
	b := headBit(w, 4)
	if lx.cueHeads[b/64]&(1<<(b%64)) != 0 {
		return true
	}
	if len(w) < 5 {
		return false
	}
	b = headBit(w, 5)
	return lx.cueHeads[b/64]&(1<<(b%64)) != 0
}

// headBits is the size of a lexicon's cueHeads: a few hundred cues' heads
// in it leave about 1 % of other heads a false hit, a needless lookup.
const headBits = 1 << 16

// headBit numbers the first n (4 or 5) bytes of w in cueHeads.
func headBit(w string, n int) uint32 {
	h := uint32(w[0]) | uint32(w[1])<<8 | uint32(w[2])<<16 | uint32(w[3])<<24
	if n == 5 {
		h ^= uint32(w[4]) * 0x85ebca6b
	}
	h = (h ^ uint32(n)) * 0x9e3779b1
	return h >> (32 - 16)
}
