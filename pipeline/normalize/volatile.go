package normalize

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Volatile fragments are text that changes on every poll while the story
// stays the same: relative times ("updated 5 minutes ago", "vor 3
// Stunden", "il y a 2 heures"), "last updated" stamps, view, share and
// comment counters, and query strings on URLs in the text (cache busters
// such as "?v=1712345678"). Live blogs, social and video feeds render
// them into their items. They are left in the story's text for readers,
// but removed from what decides whether a story changed (ContentHash) or
// copies another (FingerprintText, TitleKey): otherwise every poll of
// such an item would be a new version.
//
// Each pattern is anchored on words that must be present (a unit and
// "ago", a counter noun, "updated" and a time), so prose such as "the
// index fell 3 points", "sold 5m shares" or "founded 30 years ago" is not
// touched: a change there is a change of the story. Relative times count
// only in seconds to days, the units that change from poll to poll.
var (
	// relativeTimeRe: "5 minutes ago", "updated an hour ago", "about 2
	// hrs ago", "vor 5 Minuten", "il y a 3 heures", "hace 2 días",
	// "just now", "moments ago".
	relativeTimeRe = regexp.MustCompile(`(?i)(?:\b(?:last\s+)?(?:updated|modified|edited|posted|published|submitted|aktualisiert|mis\s+à\s+jour|actualizado)\s*:?\s*)?(?:` +
		`\b(?:about|over|almost|nearly|less\s+than|around)?\s*(?:\d+|an?|one|a\s+few|few|several)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s+ago\b` +
		`|\bvor\s+(?:\d+|einer?|wenigen|ein\s+paar)\s+(?:sek(?:\.|unden?)?|min(?:\.|uten?)?|std\.?|stunden?|tag(?:en)?)\b` +
		`|\bil\s+y\s+a\s+(?:\d+|une?|quelques)\s+(?:s|sec(?:ondes?)?|min(?:utes?)?|h|heures?|jours?)\b` +
		`|\bhace\s+(?:\d+|una?|unos?|unas|pocos?)\s+(?:seg(?:undos?)?|min(?:utos?)?|horas?|d[ií]as?)\b` +
		`|\b(?:just\s+now|moments?\s+ago|a\s+moment\s+ago|gerade\s+eben|à\s+l'instant)` +
		`)`)
	// updatedStampRe: "Last updated: 14:32 GMT", "Updated at 9.15am",
	// "Updated 5 March 2024, 10:45 BST", "Updated today at 10:45".
	updatedStampRe = regexp.MustCompile(`(?i)\b(?:last\s+)?(?:updated|modified|aktualisiert|mis\s+à\s+jour)(?:\s+(?:at|on|am|le|à))?\s*:?` +
		`(?:[\s,]*(?:\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?|\d{1,4}(?:st|nd|rd|th|\.)?|today|yesterday|heute|gestern|aujourd'hui|` +
		`jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|` +
		`gmt|utc|bst|cet|cest|est|edt|cst|cdt|pst|pdt|ist|jst|aest|aedt)\b){1,6}`)
	// counterRe: "1,234 views", "345 comments", "12K likes", "Views:
	// 1,234", hnrss's "Points: 123" and "# Comments: 45". Likes, reads and
	// plays only with a K suffix, points only as a label, and shares
	// never: "sold 5m shares" and "fell 3 points" are news.
	counterRe = regexp.MustCompile(`(?i)\b\d[\d,.]*\s*[km]?\s*(?:views?|listens?|comments?|reactions?|upvotes?|retweets?|reposts?|aufrufe|vues)\b` +
		`|\b\d[\d,.]*\s*k\s*(?:likes?|reads?|plays?)\b` +
		`|(?:\bviews?|\bcomments?|\bpoints?|\baufrufe|\bvues|#\s*comments?)\s*:\s*\d[\d,.]*[km]?\b`)
)

// volatilePattern is a regexp and the lowercase words (anchors) one of
// which every match contains, with how far before and after an anchor a
// match can reach. The regexp runs only on a window around each anchor
// found: Go's regexps scan slowly where no literal starts the pattern, and
// most text has no anchor at all.
type volatilePattern struct {
	re            *regexp.Regexp
	anchors       []volatileAnchor
	before, after int
	digit         bool // every match holds a digit
}

// volatileAnchor is an anchor and what its pattern allows right before
// it. Most anchors are also found inside other words ("view" in
// "interview", "ago" in "Chicago", "points" in "appoints"), where no
// match can hold them; the byte before tells, and the regexp is not run.
type volatileAnchor struct {
	text string
	prev func(c byte) bool
	// fits, when set, is asked too, with the lowercased text and the
	// anchor's offset: whether the text around the anchor can hold a
	// match at all.
	fits func(low []byte, i int) bool
}

// Bytes the patterns allow before an anchor: white space (`\s+ago`), a
// non-word byte (a `\b` before the word, which any non-ASCII byte is as
// well), and for counters also a digit or a k/m suffix ("12kviews",
// "3views", "1.2m views").
func prevSpace(c byte) bool   { return isASCIISpace(c) }
func prevNonWord(c byte) bool { return !isWordByte(c) }
func prevCount(c byte) bool   { return !isWordByte(c) || isDigit(c) || c == 'k' || c == 'm' }
func prevNumber(c byte) bool  { return !isWordByte(c) || isDigit(c) }

func anchors(prev func(byte) bool, texts ...string) []volatileAnchor {
	out := make([]volatileAnchor, len(texts))
	for i, t := range texts {
		out[i] = volatileAnchor{text: t, prev: prev}
	}
	return out
}

// colonAfterPoints reports whether "points" at low[i:] is a label, as
// counterRe takes it: a colon after it, past white space ("Points: 123").
func colonAfterPoints(low []byte, i int) bool {
	rest := bytes.TrimLeft(low[i+len("points"):], asciiSpace)
	return len(rest) > 0 && rest[0] == ':'
}

// agoUnits are the units relativeTimeRe takes before "ago".
var agoUnits = []string{"s", "sec", "secs", "second", "seconds", "m", "min", "mins", "minute", "minutes",
	"h", "hr", "hrs", "hour", "hours", "d", "day", "days"}

// mayEndAgo reports whether the text before the "ago" at low[i:] can end
// a match of relativeTimeRe: "moment(s)", or a unit after a count (a
// digit, or "a", "an", "one", "few", "several", whose last letters are
// a, n, e, w, l). "years ago" and "long ago" in prose cannot, and the
// regexp, ~50 µs on its window, is not run for them. A long s ('ſ', which
// (?i) takes for 's') near sends it to the regexp.
func mayEndAgo(low []byte, i int) bool {
	w := bytes.TrimRight(low[:i], asciiSpace)
	if bytes.HasSuffix(w, []byte("moment")) || bytes.HasSuffix(w, []byte("moments")) ||
		bytes.Contains(low[max(0, i-80):i], []byte("ſ")) {
		return true
	}
	for _, u := range agoUnits {
		if !bytes.HasSuffix(w, []byte(u)) {
			continue
		}
		c := bytes.TrimRight(w[:len(w)-len(u)], asciiSpace)
		if len(c) > 0 && (isDigit(c[len(c)-1]) || strings.IndexByte("anewl", c[len(c)-1]) >= 0) {
			return true
		}
	}
	return false
}

var volatilePatterns = []volatilePattern{
	{relativeTimeRe, slices.Concat([]volatileAnchor{{text: "ago", prev: prevSpace, fits: mayEndAgo}}, anchors(prevSpace, "l'instant"),
		anchors(prevNonWord, "vor ", "il y a", "hace ", "just now", "gerade eben")), 64, 48, false},
	{updatedStampRe, anchors(prevNonWord, "updated", "modified", "aktualisiert", "mis à jour"), 8, 96, false},
	{counterRe, slices.Concat(anchors(prevCount, "view", "listen", "comment", "reaction", "upvote", "retweet", "repost", "aufrufe", "vues"),
		[]volatileAnchor{{text: "points", prev: prevNonWord, fits: colonAfterPoints}}, anchors(prevNumber, "k like", "klike", "k read", "kread", "k play", "kplay")), 24, 24, true},
}

// stripVolatile removes volatile fragments from s (see above), replacing
// each with a space. It reads the text once, looking for anchors only
// where one can stand (see volatileAnchor): a 5 KB article held 27
// substring searches, one per anchor, before.
func stripVolatile(s string) string {
	buf := textBufs.Get().(*[]byte)
	defer putTextBuf(buf)
	*buf = appendASCIILower((*buf)[:0], s)
	return stripVolatileLow(s, *buf)
}

// stripVolatileLow is stripVolatile given s lowercased (asciiLower).
func stripVolatileLow(s string, low []byte) string {
	var cuts [][2]int
	if len(low) > 0 && anchorFirst[low[0]] {
		cuts = anchorCutsAt(s, low, 0, cuts)
	}
	for i := 1; i < len(low); i++ {
		// One bit, by the byte and the one before it, rules out most
		// bytes: no anchor starts with it, or it is inside a word, where
		// no anchor's pattern allows one.
		if k := uint(low[i-1])<<8 | uint(low[i]); anchorPairs[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		cuts = anchorCutsAt(s, low, i, cuts)
	}
	return applyCuts(s, append(cuts, urlQueries(s, low)...))
}

// anchorCutsAt appends the cuts of every anchor that stands at low[i:].
func anchorCutsAt(s string, low []byte, i int, cuts [][2]int) [][2]int {
	for _, r := range anchorsByFirst[low[i]] {
		if len(low)-i >= len(r.a.text) && string(low[i:i+len(r.a.text)]) == r.a.text && (i == 0 || r.a.prev(low[i-1])) &&
			(r.a.fits == nil || r.a.fits(low, i)) {
			cuts = r.p.cutsAt(s, i, i+len(r.a.text), cuts)
		}
	}
	return cuts
}

// textBufs holds buffers for a story's text while it is lowercased or
// hashed: a copy per story of the whole text was garbage at once.
var textBufs = sync.Pool{New: func() any { return new([]byte) }}

// putTextBuf returns buf to textBufs unless an outsized story grew it past
// maxPooledBuffer: the pool would otherwise hold that story's size for
// every later one.
func putTextBuf(buf *[]byte) {
	if cap(*buf) <= maxPooledBuffer {
		textBufs.Put(buf)
	}
}

// anchorRef is an anchor with its pattern.
type anchorRef struct {
	p *volatilePattern
	a volatileAnchor
}

// anchorsByFirst lists the anchors by their first byte.
var anchorsByFirst = func() (t [256][]anchorRef) {
	for i := range volatilePatterns {
		for _, a := range volatilePatterns[i].anchors {
			t[a.text[0]] = append(t[a.text[0]], anchorRef{&volatilePatterns[i], a})
		}
	}
	return t
}()

// anchorFirst marks the bytes an anchor starts with; anchorAfter the
// bytes any anchor may follow: not a word byte, or a digit, k or m (a
// count and its suffix, see prevCount).
var anchorFirst, anchorAfter = func() (first, after [256]bool) {
	for c := range 256 {
		b := byte(c)
		first[c] = len(anchorsByFirst[c]) > 0
		after[c] = !isWordByte(b) || isDigit(b) || b == 'k' || b == 'm'
	}
	return first, after
}()

// anchorPairs is anchorFirst and anchorAfter as one bit per pair of
// bytes, indexed by the byte before a position and the byte at it
// (prev<<8 | c): set where c starts an anchor and prev may precede one.
// The scan reads one bit a byte where the two tables cost two branches
// that a word's letters kept mispredicting.
var anchorPairs = func() (t [1 << 16 / 64]uint64) {
	for prev := range 256 {
		for c := range 256 {
			if anchorFirst[c] && anchorAfter[prev] {
				k := uint(prev)<<8 | uint(c)
				t[k/64] |= 1 << (k % 64)
			}
		}
	}
	return t
}()

// cutsAt appends the matches of p around the anchor at s[i:end] that
// hold the whole anchor.
func (p *volatilePattern) cutsAt(s string, i, end int, cuts [][2]int) [][2]int {
	lo, hi := runeFloor(s, i-p.before), runeFloor(s, min(len(s), end+p.after))
	if p.digit && !strings.ContainsAny(s[lo:hi], "0123456789") {
		return cuts // counters: "comments" and "points" in prose, no number near
	}
	return p.regexpCutsAt(s, i, end, cuts)
}

// regexpCutsAt is cutsAt without the digit check.
func (p *volatilePattern) regexpCutsAt(s string, i, end int, cuts [][2]int) [][2]int {
	lo, hi := runeFloor(s, i-p.before), runeFloor(s, min(len(s), end+p.after))
	for _, m := range p.re.FindAllStringIndex(s[lo:hi], -1) {
		if lo+m[0] <= i && lo+m[1] >= end {
			cuts = append(cuts, [2]int{lo + m[0], lo + m[1]})
		}
	}
	return cuts
}

// applyCuts replaces each cut of s, merged where they overlap, with a
// space. Cuts are never empty, so their order among equal starts does not
// matter.
func applyCuts(s string, cuts [][2]int) string {
	if len(cuts) == 0 {
		return s
	}
	slices.SortFunc(cuts, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for _, c := range cuts {
		if c[1] <= at {
			continue
		}
		if c[0] > at {
			b.WriteString(s[at:c[0]])
		}
		if c[0] >= at {
			b.WriteByte(' ')
		}
		at = c[1]
	}
	b.WriteString(s[at:])
	return b.String()
}

// urlQueries finds the query strings of http(s) URLs written in the text:
// from the '?' to the end of the URL (white space, a quote or an angle
// bracket) or its fragment.
func urlQueries(s string, low []byte) [][2]int {
	var out [][2]int
	for from := 0; ; {
		i := bytes.Index(low[from:], []byte("http"))
		if i < 0 {
			return out
		}
		i += from
		from = i + 4
		if !bytes.HasPrefix(low[i:], []byte("http://")) && !bytes.HasPrefix(low[i:], []byte("https://")) {
			continue
		}
		end := i + strings.IndexFunc(s[i:]+" ", func(r rune) bool {
			return r == ' ' || r == '\n' || r == '\t' || r == '"' || r == '\'' || r == '<' || r == '>'
		})
		url := s[i:end]
		if q := strings.IndexByte(url, '?'); q >= 0 {
			stop := len(url)
			if f := strings.IndexByte(url[q:], '#'); f >= 0 {
				stop = q + f
			}
			out = append(out, [2]int{i + q, i + stop})
		}
		from = max(from, end)
	}
}

// runeFloor moves i back to the start of the rune it falls in (0 at least).
func runeFloor(s string, i int) int {
	i = max(i, 0)
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}
