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
	if len(out) > max/6 && jsonLen(out) > max {
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
	var out string
	if err := policy().SanitizeReaderToWriter(strings.NewReader(src), buf); err == nil {
		out = buf.String() // Sanitize's result on error is "" too
	}
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
