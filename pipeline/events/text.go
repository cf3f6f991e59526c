package events

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	langstop "github.com/wirestream/wirestream/pipeline/enrich/stopwords"
)

// wordScanner yields the normalized words of a text one at a time:
// lower-cased runs of letters and digits (a number is one token, written
// one way: see number), English stopwords and those of the story's
// language dropped, a light plural and possessive strip applied. Another
// language's function words would fill a French story's vector with "la"
// and "ses" and keep it from the English and German stories of its event,
// which it shares names and numbers with.
//
// Each word is built in word, a buffer kept from word to word and story
// to story, and features interns it from there (dict.internBytes): no
// lower-cased copy of the whole text and no string per word, which a 5 KB
// body paid on every story (round 22).
type wordScanner struct {
	text, lang string
	i          int  // the next byte to read
	start      int  // where the current word began, -1 outside one
	prev       rune // the rune before i
	word       []byte
}

func (sc *wordScanner) reset(text, lang string) {
	sc.text, sc.lang, sc.i, sc.start, sc.prev = text, lang, 0, -1, 0
}

// next moves to the next word, in sc.word until the following call; false
// at the end of the text.
func (sc *wordScanner) next() bool {
	// the position, the word's start and the rune before in locals, kept
	// back in sc only when a word is handed out
	text, i, start, prev := sc.text, sc.i, sc.start, sc.prev
	for i < len(text) {
		at := i
		r := rune(text[i])
		if r < utf8.RuneSelf {
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
		}
		p := prev
		prev = r
		switch {
		case isTermRune(r):
			if start < 0 {
				start = at
			}
			continue
		case (r == '.' || r == ',') && unicode.IsDigit(p) && start >= 0 && at+1 < len(text) && text[at+1] >= '0' && text[at+1] <= '9':
			continue // a decimal or thousands separator inside a number
		case (r == '\'' || r == '’') && start >= 0 && at+1 < len(text) && (text[at+1] == 's' || text[at+1] == 't'):
			continue // possessive or contraction: keep the word whole, stripped in normalize
		case r == '-' && start >= 0 && joinsHyphen(text, start, at):
			continue // a name with a one-letter part (T-Mobile, Jay-Z, G-20): kept whole
		}
		if start >= 0 {
			w := text[start:at]
			start = -1
			if sc.normalize(w) {
				sc.i, sc.start, sc.prev = i, start, prev
				return true
			}
		}
	}
	sc.i, sc.start, sc.prev = i, -1, prev
	return start >= 0 && sc.normalize(text[start:])
}

// normalize lower-cases the word raw into sc.word, strips it and reports
// whether it is kept.
func (sc *wordScanner) normalize(raw string) bool {
	w := slices.Grow(sc.word[:0], len(raw))[:len(raw)]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= utf8.RuneSelf {
			// a word is valid UTF-8: rune by rune, as the whole text's would be
			w = append(w[:0], strings.ToLower(raw)...)
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		w[i] = c
	}
	sc.word = w // keep the grown buffer
	w = trimSuffix(w, "'s")
	w = trimSuffix(w, "’s")
	w = trimMarks(w)
	if len(w) < 2 && !(len(w) == 1 && w[0] >= '0' && w[0] <= '9') {
		return false
	}
	if isStopword(w) {
		return false
	}
	if sc.lang != "" && sc.lang != "en" && langstop.IsBytes(sc.lang, w) {
		return false // the story's own function words: "la", "ses", "die"
	}
	if w[0] >= '0' && w[0] <= '9' {
		sc.word = number(w)
	} else {
		sc.word = stem(w)
	}
	return true
}

func trimSuffix(w []byte, suffix string) []byte {
	if len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix {
		return w[:len(w)-len(suffix)]
	}
	return w
}

// isTermRune: letters, digits and combining marks make a word.
func isTermRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiTerm[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

var asciiTerm = func() (t [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		t[r] = unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return t
}()

// trimMarks is strings.Trim(w, "'’.,") without building the cut set on
// every word.
func trimMarks[S ~string | ~[]byte](w S) S {
	const apos = "’"
	for {
		switch {
		case len(w) > 0 && (w[0] == '\'' || w[0] == '.' || w[0] == ','):
			w = w[1:]
		case len(w) >= len(apos) && string(w[:len(apos)]) == apos:
			w = w[len(apos):]
		default:
			for {
				switch n := len(w); {
				case n > 0 && (w[n-1] == '\'' || w[n-1] == '.' || w[n-1] == ','):
					w = w[:n-1]
				case n >= len(apos) && string(w[n-len(apos):]) == apos:
					w = w[:n-len(apos)]
				default:
					return w
				}
			}
		}
	}
}

// number writes a number one way whatever the language's separators, so
// "6.2" and "6,2", "37,000" and "37.000" meet: a separator followed by
// exactly three digits is a thousands separator and goes, any other is
// the decimal point. It rewrites w in place.
func number(w []byte) []byte {
	out := w[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '.' || c == ',' {
			j := i + 1
			for j < len(w) && w[j] >= '0' && w[j] <= '9' {
				j++
			}
			if j-i-1 == 3 && (j == len(w) || w[j] == '.' || w[j] == ',') {
				continue // thousands
			}
			c = '.'
		}
		out = append(out, c)
	}
	return out
}

// stem strips English plural endings so "stocks"/"stock" and
// "recalls"/"recall" meet. It is conservative on purpose: a wrong merge
// costs more than a missed one, since the centroid vote tolerates misses.
// It rewrites w in place.
func stem(w []byte) []byte {
	n := len(w)
	if n <= 3 || w[n-1] != 's' {
		return w
	}
	has := func(suffix string) bool { return n >= len(suffix) && string(w[n-len(suffix):]) == suffix }
	switch {
	case has("ies") && n > 4:
		return append(w[:n-3], 'y')
	case has("ss"), has("us"), has("is"):
		return w
	case has("sses"), has("shes"), has("ches"), has("xes"):
		return w[:n-2]
	case w[n-2] == '-':
		return w // "ȼ-s", "gp-s": the hyphen kept a one-letter part, which is no plural ending
	}
	return w[:n-1]
}

// isStopword is w in stopwords, the map asked only when a stopword has
// w's length and first and last letters: most of a body's words have no
// such stopword, and tokens asks for every word.
func isStopword(w []byte) bool {
	n := len(w)
	if n == 0 || n >= len(stopShapes) || w[0] >= utf8.RuneSelf || stopShapes[n][w[0]&31]&(1<<(w[n-1]&31)) == 0 {
		return false
	}
	_, stop := stopwords[string(w)]
	return stop
}

// stopShapes[len][first&31] has bit last&31 set for each stopword: a
// filter with no false negatives (every stopword is ASCII and shorter
// than 16 bytes; TestStopShapesCoverStopwords).
var stopShapes = func() (t [16][32]uint32) {
	for w := range stopwords {
		t[len(w)][w[0]&31] |= 1 << (w[len(w)-1] & 31)
	}
	return t
}()

// stopwords are English function words, and the names of months and
// weekdays: a dateline ("Stock Market News for March 10", "TV Talk Shows:
// Wednesday, March 12") says when, not what, yet in a stream of a few
// days' headlines the date was rare enough to join unrelated roundups
// into one event (17 headlines of 12 stories in one shuffle of uci-dev).
var stopwords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are aren't as at
		be because been before being below between both but by can can't cannot could couldn't
		did didn't do does doesn't doing don't down during each few for from further had hadn't has
		hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
		how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
		myself no nor not of off on once only or other ought our ours ourselves out over own same shan't
		she she'd she'll she's should shouldn't so some such than that that's the their theirs them
		themselves then there there's these they they'd they'll they're they've this those through to
		too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
		when's where where's which while who who's whom why why's will with won't would wouldn't you
		you'd you'll you're you've your yours yourself yourselves says said say just get gets may
		via amp
		january february march april june july august september october november december
		monday tuesday wednesday thursday friday saturday sunday`) {
		m[w] = struct{}{}
	}
	return m
}()

// joinsHyphen reports whether the hyphen at text[i], inside the word that
// began at start, joins a one-letter part to the word: a capital letter
// before or after it, a lower-case letter that opens the hyphenated word
// before a part of two letters or more ("e-reading"), or a letter that
// ends it ("plan-b"). Split, the letter is too short to be a word and
// goes, and the other part is left to stand for the name: "T-Mobile"
// became "mobile" and met every headline about mobile devices (uci-dev's
// parents-and-smartphones story inside the Sprint / T-Mobile event).
// Kept whole, the name is a term of its own. A lower-case letter inside a
// phrase ("two-and-a-half", "once-in-a-lifetime", "40,000-a-year", French
// "a-t-il") joins nothing: the words around it stay the words they are.
// A one-digit part is a word already (a score, "2-1", stays two numbers).
func joinsHyphen(text string, start, i int) bool {
	if i+1 >= len(text) || !isASCIITerm(text[i+1]) {
		return false
	}
	next := i + 1
	for next < len(text) && isASCIITerm(text[next]) {
		next++
	}
	nextLen := next - (i + 1)
	prev := text[start:i]
	opens := start == 0 || text[start-1] != '-'
	if j := strings.LastIndexByte(prev, '-'); j >= 0 {
		prev, opens = prev[j+1:], false
	}
	if len(prev) == 1 && isASCIILetter(prev[0]) {
		return isUpper(prev[0]) || opens && nextLen >= 2
	}
	if nextLen != 1 || !isASCIILetter(text[i+1]) {
		return false
	}
	ends := next == len(text) || text[next] != '-' && (text[next] >= utf8.RuneSelf || !asciiTerm[text[next]])
	return ends && (isUpper(text[i+1]) || opens)
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }

func isASCIITerm(b byte) bool { return b < utf8.RuneSelf && asciiTerm[b] }

func isASCIILetter(b byte) bool { b |= 0x20; return b >= 'a' && b <= 'z' }
