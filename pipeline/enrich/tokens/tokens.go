// Package tokens splits news text into word tokens with their byte
// offsets, case and sentence position: the one tokenizer every enrichment
// step shares, so that entity spans, keywords and topic cues agree on what
// a word is.
//
// A word is a run of letters and digits, with inner apostrophes, hyphens and
// periods kept when a letter follows ("O'Brien", "Jean-Luc", "U.S.").
// Nothing here allocates per rune; the text is never modified.
package tokens

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of the text.
type Token struct {
	Text  string // as written
	Lower string // lowercased, typographic apostrophes folded to '
	Start int    // byte offset in the text
	End   int
	// SentStart is true for the first word of a sentence (or of the text),
	// where capitalisation says nothing about being a name.
	SentStart bool
	// Break is true when punctuation other than a space separates this token
	// from the previous one (a comma, colon, quote, dash): names never span it.
	Break bool
	// Word numbers the word's entry in the enrichment's shared word table
	// (enrich/internal/wordtable), noted once a story so that the stages
	// read what its lists say of the word instead of each probing its own
	// maps; 0 when not noted (Split leaves it so, and a reader that
	// changes Lower must clear it). It fits in the padding after Break.
	Word uint16
	// Facts is free for one reader's own facts of the word, kept on its
	// own copy of the words: the entity recognizer notes there, once a
	// story, what its rules ask of each word again and again (which of
	// its word lists hold it, its fold's shape). Split leaves it zero. It
	// fits in the struct's padding: a Token is 56 bytes with or without it.
	Facts uint32
}

// Capitalized reports whether the token starts with an upper-case letter.
func (t Token) Capitalized() bool {
	if t.Text != "" && t.Text[0] < utf8.RuneSelf {
		return 'A' <= t.Text[0] && t.Text[0] <= 'Z' // most words: no table
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsUpper(r)
}

// AllCaps reports whether every letter is upper case and there are at
// least two ("NATO", "U.S.").
func (t Token) AllCaps() bool {
	n := 0
	for _, r := range t.Text {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// asciiWord is isWordRune for ASCII: the letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		t[r] = unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return t
}()

// Lower is lowerAligned for other packages' tokenizers: when ok, any
// slice of s holding whole runes lower-cases to the same slice of lower.
func Lower(s string) (lower string, ok bool) { return lowerAligned(s) }

// lowerAligned returns s lower-cased rune by rune as strings.ToLower
// lower-cases each word, when every rune keeps its length in UTF-8 (bytes
// that are not UTF-8 are kept as they are: no word holds them), so a
// word's lower case is the same slice of the result: one copy of the text
// instead of one per capitalised word. ok is false when some rune changes
// length.
func lowerAligned(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			upper = true
			break
		}
	}
	if !upper {
		return s, true // ASCII without capitals: already lower case
	}
	// A chunk at a time through a stack buffer: strings.Builder written a
	// byte at a time cost as much as the whole tokenizer, and a []byte
	// converted at the end is a second copy of the text.
	var b strings.Builder
	b.Grow(len(s))
	var chunk [512]byte
	n := 0
	for i := 0; i < len(s); {
		if n > len(chunk)-utf8.UTFMax {
			b.Write(chunk[:n])
			n = 0
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			chunk[n] = c
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			chunk[n] = c
			n++
			i++
			continue
		}
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != size {
			return "", false
		}
		n += utf8.EncodeRune(chunk[n:], l)
		i += size
	}
	b.Write(chunk[:n])
	return b.String(), true
}

func isJoiner(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == '.' || r == '‑' || r == '&'
}

// abbrev are title abbreviations written with a period.
var abbrev = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "sen": true,
	"rep": true, "gov": true, "lt": true, "col": true, "capt": true, "sgt": true, "prof": true,
	"jr": true, "sr": true, "no": true, "vs": true, "mt": true, "ft": true, "rev": true,
	"hon": true, "pres": true, "maj": true, "adm": true, "cmdr": true, "supt": true,
}

// givenAbbrev are given names abbreviated with a period, as older company
// names keep their founder's ("Jos. A. Bank", "Wm. Wrigley").
var givenAbbrev = map[string]bool{"jos": true, "wm": true, "chas": true, "thos": true, "geo": true, "jas": true}

// GivenAbbrev reports whether lower, a lower-case word, is a given name's
// abbreviation ("jos" of "Jos. A. Bank").
func GivenAbbrev(lower string) bool { return givenAbbrev[lower] }

// nextInitial reports whether the next word of s, after spaces, is an
// initial: one capital letter and a period ("A." of "Jos. A. Bank").
func nextInitial(s string) bool {
	s = strings.TrimLeft(s, " ")
	r, n := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) && len(s) > n && s[n] == '.'
}

// initial reports whether w is one capital letter.
func initial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && unicode.IsUpper(r)
}

// nextCapitalized reports whether the next word of s, after spaces,
// starts with a capital: what follows an initial.
func nextCapitalized(s string) bool {
	s = strings.TrimLeft(s, " ")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// Split returns the words of s in order.
func Split(s string) []Token {
	return AppendSplit(make([]Token, 0, len(s)/6+1), s)
}

// AppendSplit appends the words of s to out, as Split returns them: for
// callers that reuse a buffer from story to story.
func AppendSplit(out []Token, s string) []Token {
	base := len(out)
	lowered, aligned := lowerAligned(s)
	sentStart := true
	brk := false
	i := 0
	for i < len(s) {
		if s[i] == ' ' { // the commonest separator, which sets no flag
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch {
			case r == '.' && len(out) > base && out[len(out)-1].End == i && abbrev[out[len(out)-1].Lower]:
				// "Mr. Smith", "Gen. Ali": the period closes an abbreviation, not a sentence.
			case r == '.' && len(out) > base && out[len(out)-1].End == i && givenAbbrev[out[len(out)-1].Lower] && nextInitial(s[i+n:]):
				// "Jos. A. Bank", "Wm. H. Gates": a given name's abbreviation
				// before an initial; "in Jos. Police said" ends a sentence.
			case r == '.' && len(out) > base && out[len(out)-1].End == i && initial(out[len(out)-1].Text) && nextCapitalized(s[i+n:]):
				// "Donald J. Trump", "Jane Q. Doe": a middle initial, not a sentence end.
			case r == '.' || r == '!' || r == '?' || r == '\n' || r == '…' || r == '।' || r == '؟':
				sentStart = true
			case r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r == ':' || r == ';' || r == '(' || r == ')' || r == ',' || r == '–' || r == '—' || r == '|' || r == '-' || r == '\'' || r == '‘' || r == '’':
				brk = true
			}
			if r == '"' || r == '“' || r == '«' || r == '(' || r == '‘' || r == ':' {
				// A quote or colon often starts a new clause: "Starmer: We will ..."
				// keeps its capitalised first word ambiguous, like a sentence start.
				sentStart = sentStart || r == ':' || r == '“' || r == '«' || r == '"'
			}
			i += n
			continue
		}
		start := i
		curly := false // a typographic apostrophe joined the word
		for i < len(s) {
			r, n = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[i:])
			}
			if isWordRune(r) {
				i += n
				continue
			}
			if isJoiner(r) && i+n < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[i+n:])
				if unicode.IsLetter(r2) || (r == '.' && unicode.IsDigit(r2)) {
					curly = curly || r == '’'
					i += n
					continue
				}
			}
			break
		}
		end := i
		// "U.S." and "U.K.": keep the final period of a dotted abbreviation.
		if end < len(s) && s[end] == '.' && strings.Count(s[start:end], ".") >= 1 && end-start <= 6 {
			end++
			i = end
		}
		text := s[start:end]
		var lower string
		if aligned {
			lower = lowered[start:end]
		} else {
			lower = strings.ToLower(text)
		}
		if curly {
			lower = strings.ReplaceAll(lower, "’", "'")
		}
		out = append(out, Token{Text: text, Lower: lower, Start: start, End: end, SentStart: sentStart, Break: brk})
		sentStart = false
		brk = false
		// An abbreviation's final period ("U.S.") does not end the sentence
		// for our purposes: a name after it is still a name.
	}
	return out
}

// Words returns the lowercase words of s, for callers that need no offsets.
func Words(s string) []string {
	ts := Split(s)
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Lower
	}
	return out
}

// Prefix returns Split(s[:cut]) from ts = Split(s), so a stage that reads
// only the start of a text can share the tokens of the whole: the tokens
// that end by cut, the last words re-split as the shorter text would have
// them when the cut goes through a word or changes a word's flags. ts is not modified; the result shares its
// array unless a cut word had to be appended.
func Prefix(s string, ts []Token, cut int) []Token {
	head, tail := PrefixParts(s, ts, cut)
	if len(tail) == 0 {
		return head
	}
	return append(head, tail...)
}

// PrefixParts is Prefix in two parts, which read one after the other are
// Prefix's tokens: head, a slice of ts, and tail, the last words as Prefix
// re-splits them (nil when the cut falls between words and no word's flags
// change). For a reader that can take two slices: Prefix copies head to
// append tail, most of a long article's first 8 KB of tokens.
func PrefixParts(s string, ts []Token, cut int) (head, tail []Token) {
	if cut >= len(s) {
		return ts, nil
	}
	k := 0
	for k < len(ts) && ts[k].End <= cut {
		k++
	}
	through := k < len(ts) && ts[k].Start < cut
	if !through && (k == 0 || ts[k-1].End < cut || utf8.RuneCountInString(ts[k-1].Text) > 1) {
		// No word touches the cut, or the one that ends at it is longer
		// than a letter: Split looks past a period no further than the
		// next word's first letter and the byte after it, so only a
		// one-letter word's flags can hang on the bytes past it.
		return ts[:k:k], nil
	}
	// A word that touches the cut may split otherwise in the shorter text
	// (the cut goes through it), or, one letter long, have other flags:
	// a period before an initial ends no sentence when another period
	// follows the initial ("Jos. A. Bank"), which "Jos. A" lacks. So the
	// text is re-split from the word before it, whose flags hang only on
	// bytes before the cut. The first piece keeps the flags the text
	// before it set.
	last := k // the word that touches the cut
	if !through {
		last = k - 1
	}
	from := max(last-1, 0)
	if !through {
		// Usually the flags are the same: then the tokens are shared.
		var buf [2]Token
		if frag := resplit(buf[:0], s, ts[from], cut); sameSplit(frag, ts[from:k]) {
			return ts[:k:k], nil
		}
	}
	return ts[:from:from], resplit(nil, s, ts[from], cut)
}

// sameSplit reports whether a and b are the same words with the same
// flags, whatever word table entries b's were noted with (a re-split word
// has none).
func sameSplit(a, b []Token) bool {
	return slices.EqualFunc(a, b, func(x, y Token) bool {
		x.Word, y.Word = 0, 0
		return x == y
	})
}

// resplit appends to out the words of s from first's start to cut, with
// their offsets in s, the first keeping first's flags.
func resplit(out []Token, s string, first Token, cut int) []Token {
	out = AppendSplit(out, s[first.Start:cut])
	for i := range out {
		out[i].Start += first.Start
		out[i].End += first.Start
	}
	if len(out) > 0 {
		out[0].SentStart, out[0].Break = first.SentStart, first.Break
	}
	return out
}

// Field is a text with its tokens, split once and read by every
// enrichment step.
type Field struct {
	Text   string
	Tokens []Token
}

// NewField splits s.
func NewField(s string) Field { return Field{Text: s, Tokens: Split(s)} }

// Prefix is the field cut to its first cut bytes, tokens as Split would
// give them for the shorter text (see Prefix).
func (f Field) Prefix(cut int) Field {
	if cut >= len(f.Text) {
		return f
	}
	return Field{Text: f.Text[:cut], Tokens: Prefix(f.Text, f.Tokens, cut)}
}

// PrefixParts is PrefixParts of the field's text and tokens.
func (f Field) PrefixParts(cut int) (head, tail []Token) {
	return PrefixParts(f.Text, f.Tokens, cut)
}
