package normalize

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"github.com/wirestream/wirestream/pipeline/record"
)

// maxDecodeDepth bounds how many layers of entity escaping are undone:
// feeds double-escape often, triple rarely, and a bound keeps hostile input
// from looping.
const maxDecodeDepth = 4

// markupRe recognizes text that is HTML rather than prose containing a '<':
// a start or end tag, a comment or a CDATA section.
var markupRe = regexp.MustCompile(`(?i)<(?:/?[a-z][a-z0-9-]*(?:[\s/>]|$)|!--|!\[cdata\[)`)

// entityRe finds an HTML character reference left in decoded text.
var entityRe = regexp.MustCompile(`&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});`)

// htmlSource returns the HTML that s really carries: s itself when it is
// markup, or s with entity escaping undone when a feed escaped its HTML
// once more than it should ("&lt;p&gt;Hello&lt;/p&gt;"). ok is false when
// s is plain text at every level.
func htmlSource(s string) (src string, ok bool) {
	for range maxDecodeDepth {
		// Every markup form starts with '<': text without one (most
		// titles, names and plain descriptions) skips the regexp.
		if hasMarkup(s) {
			return s, true
		}
		if !strings.Contains(s, "&") {
			return "", false
		}
		d := html.UnescapeString(s)
		if d == s {
			return "", false
		}
		s = d
	}
	return "", false
}

// hasMarkup reports whether s contains a tag, comment or CDATA section.
func hasMarkup(s string) bool {
	return strings.IndexByte(s, '<') >= 0 && markupRe.MatchString(s)
}

// field is a feed field read once for both consumers of its HTML, the
// text extraction (ToText) and the sanitizer (sanitizeHTML): valid UTF-8
// with CDATA markers removed, and the HTML it carries, if any.
type field struct {
	s      string // the field, valid UTF-8, CDATA markers removed
	src    string // the HTML s carries (see htmlSource), when isHTML
	isHTML bool
}

func prepareField(s string) field {
	if s == "" {
		return field{}
	}
	f := field{s: stripCDATA(validUTF8(s))}
	f.src, f.isHTML = htmlSource(f.s)
	return f
}

// validUTF8 is s with each run of invalid bytes replaced by U+FFFD.
// strings.ToValidUTF8 decodes every rune of valid text to find that
// nothing needs replacing; utf8.ValidString tells it faster.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// ToText converts a feed field (HTML or plain text) to clean plain text:
// paragraphs separated by "\n\n", line breaks by "\n", everything else
// collapsed to single spaces. See the package doc for the rules.
func ToText(s string) string {
	if s == "" {
		return ""
	}
	return prepareField(s).text()
}

// text is ToText of the field.
func (f field) text() string {
	if f.s == "" {
		return ""
	}
	t := f.s
	if f.isHTML {
		t = htmlToText(f.src)
		// What the tokenizer decoded may itself be markup (escaped HTML
		// inside HTML); strip it the same way, a bounded number of times.
		for i := 0; i < maxDecodeDepth && hasMarkup(t); i++ {
			t = htmlToText(strings.ReplaceAll(t, "\n", "<br>"))
		}
	}
	return cleanText(decodeEntities(t))
}

// ToLine is ToText folded onto one line, for titles, names and captions.
func ToLine(s string) string {
	t := ToText(s)
	if strings.IndexByte(t, '\n') < 0 {
		return t
	}
	return strings.Join(strings.Fields(t), " ")
}

func stripCDATA(s string) string {
	if !strings.Contains(s, "<![CDATA[") {
		return s
	}
	return strings.NewReplacer("<![CDATA[", "", "]]>", "").Replace(s)
}

// decodeEntities undoes leftover escaping ("&amp;amp;" decodes to "&amp;"
// in the tokenizer, and to "&" here).
func decodeEntities(s string) string {
	for range maxDecodeDepth {
		if !strings.Contains(s, "&") || !entityRe.MatchString(s) {
			return s
		}
		d := html.UnescapeString(s)
		if d == s {
			return s
		}
		s = d
	}
	return s
}

// skipped elements contribute no text: code, styling, embedded documents
// and form controls are never prose.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Select: true, atom.Textarea: true,
	atom.Button: true, atom.Head: true, atom.Title: true, atom.Frameset: true, atom.Noframes: true,
	atom.Noembed: true, atom.Xmp: true,
	// Captions describe a photo, which republishers swap; Media keeps them.
	atom.Figcaption: true,
}

// blocks start and end paragraphs.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Blockquote: true,
	atom.Pre: true, atom.Table: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Hr: true, atom.Address: true,
	atom.Aside: true, atom.Main: true, atom.Nav: true, atom.Details: true, atom.Summary: true,
	atom.Fieldset: true, atom.Form: true, atom.Center: true, atom.Body: true, atom.Html: true,
}

// lines start and end lines within a paragraph.
var lines = map[atom.Atom]bool{atom.Li: true, atom.Tr: true, atom.Dt: true, atom.Dd: true, atom.Caption: true}

// Pending separators between two pieces of text, in increasing strength.
const (
	sepNone = iota
	sepSpace
	sepLine
	sepPara
)

// textWriter joins text runs with the strongest separator requested
// between them, so "</p>  <p>" yields one paragraph break, not three.
type textWriter struct {
	b   strings.Builder
	sep int
}

func (w *textWriter) want(sep int) { w.sep = max(w.sep, sep) }

// lineBreak is a <br>: a line break, or a paragraph break when a line
// break is already pending ("<br><br>").
func (w *textWriter) lineBreak() {
	if w.sep >= sepLine {
		w.want(sepPara)
	} else {
		w.want(sepLine)
	}
}

func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	w.separate()
	w.b.WriteString(s)
}

// writeBytes is write for the tokenizer's text, which need not become a
// string first.
func (w *textWriter) writeBytes(s []byte) {
	if len(s) == 0 {
		return
	}
	w.separate()
	w.b.Write(s)
}

// separate writes the pending separator before a run of text.
func (w *textWriter) separate() {
	if w.b.Len() > 0 {
		switch w.sep {
		case sepSpace:
			w.b.WriteByte(' ')
		case sepLine:
			w.b.WriteByte('\n')
		case sepPara:
			w.b.WriteString("\n\n")
		}
	}
	w.sep = sepNone
}

// htmlToText returns the text of the markup s: plainText's when s is made
// only of the plain tags and references, tokenText's otherwise.
func htmlToText(s string) string {
	if t, ok := plainText(s); ok {
		return t
	}
	return tokenText(s)
}

// tokenText walks the token stream rather than building a DOM: it is
// faster, allocates less, and a broken document cannot make it lose text
// the way tree repair can.
func tokenText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var w textWriter
	w.b.Grow(len(s) / 2)
	skip, pre := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return w.b.String()
		case xhtml.TextToken:
			if skip > 0 {
				continue
			}
			if pre > 0 {
				writePre(&w, string(z.Text()))
				continue
			}
			writeFlow(&w, z.Text())
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt != xhtml.EndTagToken
			switch {
			case skipped[a]:
				if tt == xhtml.StartTagToken {
					skip++
				} else if tt == xhtml.EndTagToken && skip > 0 {
					skip--
				}
			case a == atom.Br:
				w.lineBreak()
			case blocks[a]:
				w.want(sepPara)
				if a == atom.Pre && tt != xhtml.SelfClosingTagToken {
					if start {
						pre++
					} else if pre > 0 {
						pre--
					}
				}
			case lines[a]:
				w.want(sepLine)
			case a == atom.Td || a == atom.Th:
				w.want(sepSpace)
			case a == atom.Img || a == atom.Wbr:
				// No alt text: "image", "photo" and file names are noise.
			}
		}
	}
}

// plainText is tokenText for markup made only of plainTags, plainEntities
// and text (sanitizePlain's input), found by a byte scan: the tokenizer
// and its 4 KB buffer per field cost more than the text they find in a
// feed's paragraphs. The tags map as tokenText maps them (p, ul, ol and
// blockquote break paragraphs, li lines, br by its rule, the inline ones
// nothing), a reference is its character, and whitespace is one space. It
// returns false, for the tokenizer to decide, on anything else: another
// tag, '<' or reference, a CR (the tokenizer turns it into LF) or a NUL.
// checkShortcuts holds it against tokenText.
func plainText(s string) (string, bool) {
	var w textWriter
	w.b.Grow(len(s)) // the text of plain markup is never longer than it
	for i := 0; i < len(s); {
		j := i
		for j < len(s) {
			if !textSpecial[s[j]] {
				j++
			} else if s[j] == ' ' && j > i && j+1 < len(s) && !textSpecial[s[j+1]] {
				j += 2 // one space between words is written as it is
			} else {
				break
			}
		}
		w.write(s[i:j])
		if j == len(s) {
			break
		}
		rest := s[j:]
		switch c := s[j]; c {
		case '<':
			n := prefixIn(rest, plainTags)
			if n == 0 {
				return "", false
			}
			switch strings.Trim(rest[:n], "</>") {
			case "p", "ul", "ol", "blockquote":
				w.want(sepPara)
			case "li":
				w.want(sepLine)
			case "br":
				w.lineBreak()
			}
			i = j + n
			continue
		case '&':
			k := prefixAt(rest, plainEntities)
			if k < 0 {
				return "", false
			}
			w.write(plainEntityText[k])
			i = j + len(plainEntities[k])
			continue
		case '\r', 0:
			return "", false
		default: // HTML whitespace
			w.want(sepSpace)
		}
		i = j + 1
	}
	return w.b.String(), true
}

// textSpecial marks the bytes plainText must look at.
var textSpecial = [256]bool{'<': true, '&': true, '\r': true, 0: true, ' ': true, '\t': true, '\n': true, '\f': true}

// plainEntityText is what each of plainEntities stands for.
var plainEntityText = []string{"&", "<", ">", "'", `"`}

// writeFlow writes normal HTML text: any run of whitespace is one space.
func writeFlow(w *textWriter, s []byte) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !isHTMLSpace(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w.writeBytes(s[start:i])
			start = -1
		}
		if i < len(s) {
			w.want(sepSpace)
		}
	}
}

// writePre keeps the line structure of preformatted text.
func writePre(w *textWriter, s string) {
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.want(sepLine)
		}
		w.write(strings.TrimRight(line, " \t\r"))
	}
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// Rune classes for cleanText.
const (
	keepRune = iota
	spaceRune
	lineRune
	dropRune
)

func classify(r rune) int {
	switch {
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		// A lone "\r" (old Mac line ends) is a line break too.
		return lineRune
	case r == ' ' || r == '\t' || r == '\u00a0' || r == '\u1680' || (r >= '\u2000' && r <= '\u200a') ||
		r == '\u202f' || r == '\u205f' || r == '\u3000' || r == '\u0085':
		return spaceRune
	case r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' || r == '\u180e':
		// Zero-width space, word joiner, BOM, soft hyphen: invisible, and
		// they split words for every later comparison.
		return dropRune
	case r < ' ' || (r >= 0x7f && r < 0xa0):
		// Control characters.
		return dropRune
	case isBidiControl(r):
		return dropRune
	}
	return keepRune
}

// isBidiControl reports the explicit bidirectional embeddings, overrides
// and isolates (U+202A–U+202E, U+2066–U+2069). They reorder the text
// after them, so a headline can display something else than it says
// ("Invoice\u202Egnp.exe" shows as "Invoiceexe.png"): the "Trojan
// Source" spoof. Text in right-to-left scripts displays correctly without
// them; the marks (U+200E, U+200F, U+061C), which cannot reorder a run,
// are kept.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// cleanText is the last step for all text, in one pass: repair mojibake,
// turn exotic spaces into spaces, drop invisible and control characters,
// trim lines, collapse runs of spaces to one and of blank lines to one
// paragraph break ("\n\n"); then NFC.
func cleanText(s string) string {
	s = repairMojibake(s)
	if !isClean(s) {
		s = cleanRunes(s)
	}
	if d := disarmScript(s); d != s {
		// The "<" it takes out can leave the space after it leading or
		// doubled ("&lt sCript…" came out " sCript…", fuzz): clean again.
		s = d
		if !isClean(s) {
			s = cleanRunes(s)
		}
	}
	if !isNFC(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// isNFC is norm.NFC.IsNormalString, which allocates on every call (its
// input escapes into a closure), asked only when the quick check that
// allocates nothing cannot tell: QuickSpanString(s) == len(s) means s is
// NFC.
func isNFC(s string) bool {
	return norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s)
}

// isClean reports whether cleanRunes would return s unchanged: no
// leading or trailing separator, every separator a single space, "\n" or
// "\n\n", and every other rune kept as it is (no invalid byte, control,
// invisible or exotic space). Titles, names and the text of plain markup
// mostly are, and skip cleanRunes' copy.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	sep := true // a separator here would be a leading one
	for i := 0; i < len(s); {
		c := s[i]
		if ' ' < c && c < 0x7f {
			sep = false
			i++
			continue
		}
		switch c {
		case ' ':
			if sep || i+1 == len(s) {
				return false
			}
			sep = true
			i++
			continue
		case '\n':
			if sep || i+1 == len(s) {
				return false
			}
			sep = true
			i++
			if s[i] == '\n' {
				i++
			}
			if i == len(s) {
				return false
			}
			continue
		}
		if c < utf8.RuneSelf {
			return false // a control character or DEL
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || classify(r) != keepRune {
			return false
		}
		sep = false
		i += size
	}
	return true
}

// cleanRunes is cleanText's pass over the runes (see there), without
// mojibake repair, script disarming and NFC.
func cleanRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, newlines := false, 0
	for i := 0; i < len(s); {
		c := s[i]
		if ' ' < c && c < 0x7f {
			// A run of printable ASCII is kept whole, as the rune loop
			// below would keep it byte by byte, and so is one space
			// between two such bytes, which it would write back as the
			// separator: a paragraph is then one write, not one a word.
			j := i + 1
			for j < len(s) {
				if ' ' < s[j] && s[j] < 0x7f {
					j++
				} else if s[j] == ' ' && j+1 < len(s) && ' ' < s[j+1] && s[j+1] < 0x7f {
					j += 2
				} else {
					break
				}
			}
			if b.Len() > 0 {
				b.WriteString(separator(space, newlines))
			}
			space, newlines = false, 0
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch classify(r) {
		case lineRune:
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			newlines++
			continue
		case spaceRune:
			space = true
			continue
		case dropRune:
			continue
		}
		if b.Len() > 0 {
			b.WriteString(separator(space, newlines))
		}
		space, newlines = false, 0
		switch {
		case size == 1 && c < utf8.RuneSelf:
			b.WriteByte(c)
		case r == utf8.RuneError && size == 1:
			b.WriteString("\uFFFD")
		default:
			b.WriteString(s[i-size : i])
		}
	}
	return b.String()
}

// separator is what cleanText writes between two kept runs: a
// paragraph break after two line breaks or more, a line break after one,
// else a space after spaces.
func separator(space bool, newlines int) string {
	switch {
	case newlines > 1:
		return "\n\n"
	case newlines == 1:
		return "\n"
	case space:
		return " "
	}
	return ""
}

var scriptRe = regexp.MustCompile(`(?i)<(/?\s*script)`)

// disarmScript removes the '<' of any "<script" left in plain text, which
// can only survive as a deliberate attack (text is decoded until no markup
// remains), so consumers that mistakenly render text as HTML stay safe.
func disarmScript(s string) string {
	if !strings.Contains(s, "<") || !strings.Contains(asciiLower(s), "script") {
		return s
	}
	return scriptRe.ReplaceAllString(s, "$1")
}

// cutSentences returns the leading sentences of s that fit in about n
// bytes: it stops after the last sentence end (". ", "! ", "? ") within n,
// or at the last word boundary when there is none, marking the cut "…".
func cutSentences(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	head := record.Prefix(s, n)
	end := -1
	for i := 0; i+1 < len(head); i++ {
		if (head[i] == '.' || head[i] == '!' || head[i] == '?') && head[i+1] == ' ' {
			end = i + 1
		}
	}
	if end >= len(head)/3 {
		return head[:end]
	}
	if i := strings.LastIndexByte(head, ' '); i > 0 {
		head = head[:i]
	}
	return strings.TrimRight(head, " ,;:-–—") + "…"
}
