package lang

//go:generate go run ./internal/genprofiles

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// The trigram ranking is whatlanggo's (detectLangInProfiles and
// calculateConfidence), computed over tables built once instead of a map
// lookup per profile trigram per candidate language on every call:
// measured, that ranking was 11.7 % of `process` CPU. It returns what
// whatlanggo.DetectWithOptions returns for Latin and Cyrillic text —
// TestTrigramRankMatchesWhatlanggo holds the two side by side — except
// that two languages at exactly the same distance go to the earlier one in
// the profile order, where whatlanggo's map iteration picks either.

// profile is one language's trigrams, most frequent first, joined by "|".
type profile struct {
	lang whatlanggo.Lang
	tri  string
}

// maxTrigramDistance is whatlanggo's penalty for a profile trigram the
// text lacks.
const maxTrigramDistance = 300

type rank struct {
	lang uint8  // index into the family's profiles
	pos  uint16 // the trigram's rank in that profile
}

// trigramTable is a script family's profiles inverted: trigram → the
// profiles listing it and where.
type trigramTable struct {
	langs []whatlanggo.Lang
	base  []int // each profile's distance from a text sharing none of its trigrams
	// ranks is keyed by packTrigram: a uint64 key, where a [3]rune
	// went through the generic map hash.
	ranks *trigramIndex
}

func newTrigramTable(ps []profile) *trigramTable {
	if len(ps) > maxCandidates {
		// rankTrigrams keeps a family's distances in arrays of this size
		panic(fmt.Sprintf("lang: %d profiles in one script family; raise maxCandidates (%d)", len(ps), maxCandidates))
	}
	t := &trigramTable{}
	byKey := map[uint64][]rank{}
	for li, p := range ps {
		tris := strings.Split(p.tri, "|")
		t.langs = append(t.langs, p.lang)
		t.base = append(t.base, maxTrigramDistance*len(tris))
		for i, tri := range tris {
			rs := []rune(tri)
			if len(rs) != 3 {
				panic("lang: profile trigram " + tri + " is not three runes")
			}
			k := packTrigram(rs[0], rs[1], rs[2])
			byKey[k] = append(byKey[k], rank{uint8(li), uint16(i)})
		}
	}
	t.ranks = newTrigramIndex(byKey)
	return t
}

var (
	latinTrigrams    = newTrigramTable(latinProfiles)
	cyrillicTrigrams = newTrigramTable(cyrillicProfiles)
)

// detectScript is whatlanggo.DetectScript, answered for ASCII text without
// its walk of the script tables for every rune: there only letters count
// (digits, spaces, punctuation and symbols are its stop characters), and
// every ASCII letter is Latin.
func detectScript(text string) *unicode.RangeTable {
	letter := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= utf8.RuneSelf {
			return whatlanggo.DetectScript(text)
		}
		if lc := c | 0x20; 'a' <= lc && lc <= 'z' {
			letter = true
		}
	}
	if letter {
		return unicode.Latin
	}
	return whatlanggo.DetectScript(text)
}

// rankTrigrams is whatlanggo.DetectWithOptions(text, Options{Whitelist:
// allowed}) where the text's script is Latin or Cyrillic, and that call
// itself for any other script.
func rankTrigrams(text string, allowed map[whatlanggo.Lang]bool) (whatlanggo.Lang, float64) {
	return newTrigramWhitelist(allowed).rank(text)
}

// trigramWhitelist is a whitelist as rankTrigrams reads it: which profiles
// of each family's table it allows, worked out once per Detector, where
// every ranking asked the map of each of the ten Latin profiles again.
type trigramWhitelist struct {
	allowed         map[whatlanggo.Lang]bool // for a text of another script, which whatlanggo ranks
	latin, cyrillic profileSet
}

// profileSet is the profiles of one trigramTable a whitelist allows.
type profileSet struct {
	in [maxCandidates]bool // by index into the table's profiles
	n  int                 // how many are in
}

func newTrigramWhitelist(allowed map[whatlanggo.Lang]bool) *trigramWhitelist {
	w := &trigramWhitelist{allowed: allowed}
	for _, f := range []struct {
		t   *trigramTable
		set *profileSet
	}{{latinTrigrams, &w.latin}, {cyrillicTrigrams, &w.cyrillic}} {
		for i, l := range f.t.langs {
			if allowed[l] {
				f.set.in[i] = true
				f.set.n++
			}
		}
	}
	return w
}

// rank is rankTrigrams(text, w.allowed).
func (w *trigramWhitelist) rank(text string) (whatlanggo.Lang, float64) {
	var t *trigramTable
	var set *profileSet
	switch detectScript(text) {
	case nil:
		return -1, 0
	case unicode.Latin:
		t, set = latinTrigrams, &w.latin
	case unicode.Cyrillic:
		t, set = cyrillicTrigrams, &w.cyrillic
	default:
		info := whatlanggo.DetectWithOptions(text, whatlanggo.Options{Whitelist: w.allowed})
		return info.Lang, info.Confidence
	}
	in := &set.in
	switch set.n {
	case 0:
		return -1, 0
	case 1:
		for i := range t.langs {
			if in[i] {
				return t.langs[i], 1
			}
		}
	}
	var dist [maxCandidates]int // a family has at most maxCandidates profiles (newTrigramTable)
	for i := range t.langs {
		if in[i] {
			dist[i] = t.base[i]
		}
	}
	sc := trigramScratch.Get().(*trigramBufs)
	defer trigramScratch.Put(sc)
	tris := sc.textTrigrams(text)
	for pos, tri := range tris {
		for _, r := range t.ranks.lookup(tri) {
			if in[r.lang] {
				dist[r.lang] += abs(pos-int(r.pos)) - maxTrigramDistance
			}
		}
	}
	// the two nearest, ties to the earlier profile
	first, second := -1, -1
	for i := range t.langs {
		if !in[i] {
			continue
		}
		switch {
		case first < 0 || dist[i] < dist[first]:
			first, second = i, first
		case second < 0 || dist[i] < dist[second]:
			second = i
		}
	}
	const maxTotalDistance = 90000 // whatlanggo's
	score1, score2 := maxTotalDistance-dist[first], maxTotalDistance-dist[second]
	switch {
	case score1 == 0:
		return -1, 0
	case score2 == 0:
		return t.langs[first], min(float64(score1/500), 1) // whatlanggo divides integers here
	}
	rate := float64(score1-score2) / float64(score2)
	confidentRate := 12.0/float64(len(tris)) + 0.05
	if rate > confidentRate {
		return t.langs[first], 1
	}
	return t.langs[first], rate / confidentRate
}

// trigramBufs are textTrigrams' slices, kept between calls: they were
// four allocations per detection.
type trigramBufs struct {
	keys []uint64
	cs   []countedTrigram
	at   []int
	out  []uint64
}

type countedTrigram struct {
	key uint64
	n   int
}

var trigramScratch = sync.Pool{New: func() any { return new(trigramBufs) }}

// textTrigrams returns the text's distinct trigrams as whatlanggo counts
// them (letters lower-cased, punctuation, symbols, digits and spaces one
// space, no trigram of a lone space), packed (packTrigram), most frequent
// first, ties in descending order of their text: a trigram's index is its
// position. The result is sc's until its next call.
func (sc *trigramBufs) textTrigrams(text string) []uint64 {
	// Each trigram packed in a uint64, 21 bits a rune (every rune is
	// below 0x110000), orders as the runes in turn do, so a plain sort
	// groups them without a comparison function per step.
	keys := sc.keys[:0]
	r1, r2 := ' ', rune(-1)
	for _, r := range text {
		if r < utf8.RuneSelf {
			r = asciiTrigramChar[r]
		} else {
			r = unicode.ToLower(trigramChar(r))
		}
		if r2 >= 0 && !(r2 == ' ' && (r1 == ' ' || r == ' ')) {
			keys = append(keys, packTrigram(r1, r2, r))
		}
		if r2 >= 0 {
			r1 = r2
		}
		r2 = r
	}
	if r2 >= 0 && r2 != ' ' { // whatlanggo appends a space to the text
		keys = append(keys, packTrigram(r1, r2, ' '))
	}
	sc.keys = keys
	slices.Sort(keys)
	cs := sc.cs[:0]
	most := 0
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		cs = append(cs, countedTrigram{keys[i], j - i})
		most = max(most, j-i)
		i = j
	}
	sc.cs = cs
	// Most frequent first, ties in descending order of the trigram
	// (whatlanggo's order of strings: runes compare as their UTF-8
	// encodings do): a counting sort by count over cs taken from its end.
	at := append(sc.at[:0], make([]int, most+1)...) // where the trigrams seen n times start, at[most-n]
	sc.at = at
	for _, c := range cs {
		at[most-c.n]++
	}
	sum := 0
	for i, k := range at {
		at[i], sum = sum, sum+k
	}
	out := slices.Grow(sc.out[:0], len(cs))[:len(cs)]
	sc.out = out
	for i := len(cs) - 1; i >= 0; i-- {
		b := most - cs[i].n
		out[at[b]] = cs[i].key
		at[b]++
	}
	return out
}

func packTrigram(a, b, c rune) uint64 { return uint64(a)<<42 | uint64(b)<<21 | uint64(c) }

// trigramChar is whatlanggo's toTrigramChar: symbols, spaces, punctuation
// and digits count as a space.
func trigramChar(r rune) rune {
	if unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) {
		return ' '
	}
	return r
}

// asciiTrigramChar is unicode.ToLower(trigramChar(r)) for ASCII, without
// the four table walks per character.
var asciiTrigramChar = func() (t [utf8.RuneSelf]rune) {
	for r := range rune(utf8.RuneSelf) {
		t[r] = unicode.ToLower(trigramChar(r))
	}
	return t
}()

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
