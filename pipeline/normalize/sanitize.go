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
// the result would exceed max bytes (a cut in the middle of markup would
// leave broken HTML; the plain body survives).
func sanitizeHTML(s string, max int) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	src, ok := htmlSource(stripCDATA(s))
	if !ok {
		return ""
	}
	out := strings.TrimSpace(policy().Sanitize(src))
	if out == "" || len(out) > max {
		return ""
	}
	return out
}
