package normalize

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

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
	if s == "" || plainLine(s) {
		return s
	}
	return prepareField(s).text()
}

// plainLine reports, in one pass over its bytes, whether s is already
// what ToText makes of it: printable ASCII, words apart by single spaces,
// nothing to trim, no markup or character reference ('<', '&'). Most
// titles and names are; ToText's steps (the UTF-8 check, CDATA, the
// markup and reference searches, mojibake, cleanRunes' check, "<script",
// NFC) each passed over such a title in turn to leave it as it was, ≈ 2 %
// of a headline's `process` CPU.
func plainLine(s string) bool {
	prev := byte(' ') // a space first would be a leading one
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prev == ' ' {
				return false // leading or doubled
			}
		case c < ' ' || c >= 0x7f || c == '<' || c == '&':
			return false
		}
		prev = c
	}
	return prev != ' ' // and not trailing
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
