package normalize

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// policy is built once: bluemonday policies are safe for concurrent use
// once configured, and building one compiles dozens of regexps.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	// UGCPolicy allows formatting, links, images, lists and tables, and
	// strips scripts, styles, iframes, forms, on* handlers and
	// non-http(s)/mailto URLs. On top: every link is rel="nofollow" (a
	// republished feed must not pass ranking to whatever it links), a
	// stripped tag leaves a space so words do not run together, and the
	// content of code-bearing elements goes with them.
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddSpaceWhenStrippingTag(true)
	p.SkipElementsContent("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
	return p
})

// sanitizeHTML returns a safe HTML rendering of a feed field, or "" when
// the field is plain text (there is nothing to render that Body lacks) or
// the result's JSON would exceed max bytes (a cut in the middle of markup
// would leave broken HTML; the plain body survives): dropped reports the
// latter. Bidi controls are removed as from text (see classify).
func sanitizeHTML(f field, max int) (_ string, dropped bool) {
	if !f.isHTML {
		return "", false
	}
	out := strings.TrimSpace(sanitize(f.src))
	if hasBidiControl(out) {
		out = strings.Map(func(r rune) rune {
			if isBidiControl(r) {
				return -1
			}
			return r
		}, out)
	}
	if out == "" {
		return "", false
	}
	// JSON escaping at most sextuples a byte: most articles need no count.
	if !jsonFits(out, max) {
		return "", true
	}
	return out, false
}

// sanitizeBuffers keeps the sanitizer's output buffers between stories:
// Policy.Sanitize grows a new one from empty for every field, copying a
// 5 KB article several times on the way.
var sanitizeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps an outsized story's buffer out of the pool.
const maxPooledBuffer = 1 << 20

// sanitize is policy().Sanitize(src) for markup (a non-blank src),
// written into a pooled buffer grown once to about the input's size.
func sanitize(src string) string {
	buf := sanitizeBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	buf.Grow(len(src) + len(src)/8)
	if !sanitizePlain(buf, src) {
		buf.Reset()
		if policy().SanitizeReaderToWriter(strings.NewReader(src), buf) != nil {
			buf.Reset() // Sanitize's result on error is "" too
		}
	}
	out := buf.String()
	if buf.Cap() <= maxPooledBuffer {
		sanitizeBuffers.Put(buf)
	}
	return out
}

// hasBidiControl is strings.ContainsFunc(s, isBidiControl) that looks only
// where one can be: every bidi control is encoded starting with 0xE2.
func hasBidiControl(s string) bool {
	for {
		i := strings.IndexByte(s, 0xE2)
		if i < 0 {
			return false
		}
		s = s[i:]
		r, size := utf8.DecodeRuneInString(s)
		if isBidiControl(r) {
			return true
		}
		s = s[size:]
	}
}

// plainTags are the tags, spelled exactly so, that the policy keeps as they
// are: allowed without attributes, and none switches the tokenizer into a
// raw-text mode. Feeds' full text is mostly paragraphs of these.
var plainTags = []string{
	"<p>", "</p>", "<br>", "<br/>", "<b>", "</b>", "<i>", "</i>", "<em>", "</em>",
	"<strong>", "</strong>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>",
	"<blockquote>", "</blockquote>",
}

// plainEntities are the references the tokenizer's escaping writes back as
// they were (html.EscapeString's and x/net/html's forms of & < > ' ").
var plainEntities = []string{"&amp;", "&lt;", "&gt;", "&#39;", "&#34;"}

// sanitizePlain writes to b (sanitize's pooled buffer, so a fallback
// costs no allocation) what policy().Sanitize returns for markup made
// only of plainTags, plainEntities and text, without tokenizing it:
// bluemonday writes such tags back unchanged and re-escapes the text,
// which leaves those references as they are and turns a bare ' " > into
// &#39; &#34; &gt;. It returns false, for the policy to decide, on
// anything else: another tag, comment or '<', another reference, a CR
// (the tokenizer turns it into LF) or a NUL. checkShortcuts holds it
// against Sanitize.
func sanitizePlain(b *bytes.Buffer, src string) bool {
	for i := 0; i < len(src); {
		j := i
		for j < len(src) && !plainSpecial[src[j]] {
			j++
		}
		b.WriteString(src[i:j])
		if j == len(src) {
			break
		}
		rest := src[j:]
		switch c := src[j]; c {
		case '<', '&':
			lits := plainTags
			if c == '&' {
				lits = plainEntities
			}
			n := prefixIn(rest, lits)
			if n == 0 {
				return false
			}
			b.WriteString(rest[:n])
			i = j + n
			continue
		case '\'':
			b.WriteString("&#39;")
		case '"':
			b.WriteString("&#34;")
		case '>':
			b.WriteString("&gt;")
		default: // '\r', 0
			return false
		}
		i = j + 1
	}
	return true
}

// plainSpecial marks the bytes sanitizePlain must look at.
var plainSpecial = [256]bool{'<': true, '&': true, '\'': true, '"': true, '>': true, '\r': true, 0: true}

// prefixIn returns the length of the literal of lits that s starts with, or 0.
func prefixIn(s string, lits []string) int {
	if k := prefixAt(s, lits); k >= 0 {
		return len(lits[k])
	}
	return 0
}

// prefixAt returns the index of the first of lits that s starts with, or -1.
func prefixAt(s string, lits []string) int {
	for k, l := range lits {
		if strings.HasPrefix(s, l) {
			return k
		}
	}
	return -1
}
