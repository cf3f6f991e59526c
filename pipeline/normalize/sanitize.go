package normalize

import (
	"strings"
	"sync"

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
func sanitizeHTML(s string, max int) (_ string, dropped bool) {
	if s == "" {
		return "", false
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	src, ok := htmlSource(stripCDATA(s))
	if !ok {
		return "", false
	}
	out := strings.TrimSpace(policy().Sanitize(src))
	if strings.ContainsFunc(out, isBidiControl) {
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
	if jsonLen(out) > max {
		return "", true
	}
	return out, false
}
