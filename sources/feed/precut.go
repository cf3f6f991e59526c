package feed

import (
	"bytes"
	"fmt"
	"math"
)

// cutEntries leaves out of an RSS, RDF or Atom document its entries — the
// <item> and <entry> elements not inside another one — between the first
// keep and the last keep, so that gofeed never builds them. poller.max_items
// used to be applied to the items gofeed had built: a document of 100,000
// tiny items (5.3 MB, under max_body_bytes) cost 301 MB of allocation and
// 6 s of CPU to keep 500 of them (BENCHMARKS, round 18). Both ends stay
// because Limit keeps the newest items, and a feed lists its newest first
// or, an archive or a podcast, last; only the middle is left out.
//
// It returns the body without those entries, and how many it left out;
// the body itself, untouched, when it holds at most 2×keep of them. What
// is between entries (channel elements after the items, closing tags)
// stays, so the cut document is as well formed as the whole one. The body
// is scanned twice (eachEntry): once to count the entries, once to cut.
func cutEntries(body []byte, keep int) ([]byte, int) {
	if keep <= 0 || len(body) == 0 || body[0] != '<' {
		return body, 0
	}
	total := 0
	eachEntry(body, func(int, int) { total++ })
	if total-keep <= keep { // at most 2×keep; 2*keep may overflow
		return body, 0
	}
	var (
		out    []byte
		copied int // body[:copied] is in out or left out
		k      int // entries seen
		left   int // entries left out
	)
	eachEntry(body, func(start, end int) {
		if k >= keep && k < total-keep {
			out = append(out, body[copied:start]...)
			copied = end
			left++
		}
		k++
	})
	return append(out, body[copied:]...), left
}

// eachEntry calls fn with the byte range [start, end) of each entry of an
// RSS, RDF or Atom document — an <item> or <entry> element not inside
// another one —, in document order. Only unprefixed names count, as
// gofeed reads a prefixed <x:item> as an extension; names are matched
// without case, as gofeed does. The scan reads each byte about once: it
// looks at the name after each '<', and skips comments, CDATA sections,
// processing instructions and a DOCTYPE, whose text is no element. Where
// it cannot read on (a tag that never ends), it stops; an entry that
// never ends is not reported.
func eachEntry(body []byte, fn func(start, end int)) {
	var (
		depth int // entry elements open
		from  int // where the open entry at depth 0 began
	)
	for i := 0; i < len(body); {
		j := bytes.IndexByte(body[i:], '<')
		if j < 0 {
			return
		}
		i += j
		rest := body[i:]
		if len(rest) > 1 && (rest[1] == '!' || rest[1] == '?') {
			skip := markupLen(rest)
			if skip < 0 {
				return
			}
			i += skip
			continue
		}
		closing := len(rest) > 1 && rest[1] == '/'
		name := rest[1:]
		if closing {
			name = rest[2:]
		}
		if !isEntryName(name) {
			// Any other tag is passed by its '<' alone: an attribute value
			// holds no '<' in a document gofeed reads (encoding/xml refuses
			// one), so the next '<' begins markup. Reading each tag to its
			// end cost an ordinary feed's parse 2 %.
			i++
			continue
		}
		end := tagEnd(rest)
		if end < 0 {
			return
		}
		empty := !closing && rest[end-1] == '/'
		switch {
		case closing && depth > 0:
			depth--
			if depth == 0 {
				fn(from, i+end+1)
			}
		case closing:
			// A stray end tag: gofeed's lenient decoder decides.
		case depth == 0 && empty:
			fn(i, i+end+1)
		case depth == 0:
			from = i
			depth++
		case !empty:
			depth++
		}
		i += end + 1
	}
}

// markupLen is the length of the comment, CDATA section, processing
// instruction or declaration that b begins with; 0 when b begins a tag,
// and -1 when the markup never ends.
func markupLen(b []byte) int {
	var open, close string
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		open, close = "<!--", "-->"
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		open, close = "<![CDATA[", "]]>"
	case bytes.HasPrefix(b, []byte("<?")):
		open, close = "<?", "?>"
	case bytes.HasPrefix(b, []byte("<!")):
		return declLen(b)
	default:
		return 0
	}
	k := bytes.Index(b[len(open):], []byte(close))
	if k < 0 {
		return -1
	}
	return len(open) + k + len(close)
}

// declLen is the length of a <!DOCTYPE …> or other declaration, read as
// encoding/xml reads one: the byte after "<!" is its first, whatever it
// is; then, outside quotes, '<' opens a level (a "<!--" comment skipped
// to its "-->") and '>' closes one or, at the outer level, ends it, so an
// internal subset's <!ENTITY …> declarations are inside. -1 when it never
// ends.
func declLen(b []byte) int {
	depth := 0
	var quote byte
	for k := 3; k < len(b); k++ {
		c := b[k]
		switch {
		case quote == 0 && c == '>' && depth == 0:
			return k + 1
		case c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			depth--
		case c == '<' && bytes.HasPrefix(b[k+1:], []byte("!--")):
			e := bytes.Index(b[k+4:], []byte("-->"))
			if e < 0 {
				return -1
			}
			k += 4 + e + 2
		case c == '<':
			depth++
		}
	}
	return -1
}

// tagEnd is the index of the '>' that ends the tag b begins with, past
// quoted attribute values; -1 when there is none.
func tagEnd(b []byte) int { return closingAngle(b, 1) }

// closingAngle is the index of the first '>' in b from from on that is
// outside quotes; -1 when none is.
func closingAngle(b []byte, from int) int {
	var quote byte
	for k := from; k < len(b); k++ {
		c := b[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k
		}
	}
	return -1
}

// isEntryName reports whether b, the text after '<' or '</', begins with
// the unprefixed name item or entry, in any case.
func isEntryName(b []byte) bool {
	if len(b) < 4 || (b[0]|0x20 != 'i' && b[0]|0x20 != 'e') {
		return false // most tags, at the cost of one byte
	}
	for _, name := range [...]string{"item", "entry"} {
		n := len(name)
		if len(b) >= n && bytes.EqualFold(b[:n], []byte(name)) && (len(b) == n || isNameEnd(b[n])) {
			return true
		}
	}
	return false
}

// nameLen is the length of the name b begins with.
func nameLen(b []byte) int {
	n := 0
	for n < len(b) && !isNameEnd(b[n]) {
		n++
	}
	return n
}

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'
}

// maxXMLDepth bounds how deep a document's elements may nest, as
// encoding/xml bounds Unmarshal: a feed nests a dozen levels, XHTML
// content a few dozen more.
const maxXMLDepth = 10000

// xmlTooCostly is the error for a document gofeed's pull parser (goxpp)
// would spend far more on than its size, nil for one it would not: one
// whose elements nest deeper than maxXMLDepth, whose namespace
// declarations cost it more than namespaceCopiesFor its size, or that
// holds more elements than elementsFor its size.
//
// Depth: the parser holds every open level (its name, its namespaces):
// 10 MiB of "<x>", under the default poller.max_body_bytes, took 1.4 GB
// and 18 s to parse, where the same bytes of sibling elements take 140 MB.
//
// The scan passes text with IndexByte, skips comments, CDATA, processing
// instructions and declarations as eachEntry does, reads a tag to its end
// only to tell <x/> from <x> and to count the namespaces it declares, and
// closes elements as gofeed's lenient decoder does: an end tag closes
// every element opened after the one it names (an unclosed <br> in a
// description is closed by the </p> after it, not counted for ever). It
// allocates only the open elements' names, slices of body, and their
// namespace counts.
func xmlTooCostly(body []byte) error {
	limit := namespaceCopiesFor(len(body))
	s := scanXML(body, maxXMLDepth, limit)
	switch {
	case s.deepAt >= 0:
		return fmt.Errorf("XML elements nested deeper than %d, at byte %d of %d: not read", maxXMLDepth, s.deepAt, len(body))
	case s.nsOverAt >= 0:
		return fmt.Errorf("XML namespaces the parser would copy more than %d times, at byte %d of %d: "+
			"it copies every namespace in scope at each element, and %d elements to there had up to %d in scope: not read",
			limit, s.nsOverAt, len(body), s.elements, s.maxScope)
	case s.maxScope > maxNamespacesInScope:
		return fmt.Errorf("XML declaring %d namespaces in scope at once, at byte %d of %d, more than %d: not read",
			s.maxScope, s.maxScopeAt, len(body), maxNamespacesInScope)
	case s.elements+(prefixedWeight-1)*s.prefixed > elementsFor(len(body)):
		prefixed := ""
		if s.prefixed > 0 {
			prefixed = fmt.Sprintf(" (%d of them prefixed, which count %d each)", s.prefixed, prefixedWeight)
		}
		return fmt.Errorf("XML of %d elements%s in %d bytes, more than %d (%d and one for every %d bytes): not read",
			s.elements, prefixed, len(body), elementsFor(len(body)), maxXMLElements, bytesPerElement)
	}
	return nil
}

// maxNamespacesInScope bounds the namespaces in scope at one element: a
// real feed declares a few to twenty, and goxpp copies them all at each
// element, into a map that 280,000 declarations on one item (8.5 MB) made
// 320 MB, four elements after it.
const maxNamespacesInScope = 1000

// maxXMLElements and bytesPerElement bound how many elements a document
// may hold: the parser allocates for each (its token, its namespaces, and
// for a prefixed one an extension with two maps), so 10 MiB of empty
// sibling elements took 3–7 s and 150 MB, and of empty prefixed ones
// 9 s and 560 MB. Real feeds spend 40–100 bytes on an element (the
// fixtures; a WordPress archive 64; dense XHTML content 20 or so): a
// document may hold 256 Ki elements, and one more for every 16 bytes. A
// prefixed element (dc:creator, or any extension gofeed keeps) counts
// prefixedWeight: each cost the parser 320–480 bytes, 6–8 times an
// unprefixed one (10 MiB of <x:a>t</x:a>, 873 K elements, 5 s and
// 420 MB), and real feeds spend 100 bytes and more on one.
const (
	maxXMLElements  = 256 << 10
	bytesPerElement = 16
	prefixedWeight  = 4
)

// elementsFor is how many elements a document of n bytes may hold.
func elementsFor(n int) int { return maxXMLElements + n/bytesPerElement }

// maxNamespaceCopies and namespaceCopiesPerByte bound nsCopies, what a
// document's namespace declarations cost goxpp: at every start tag it
// copies each namespace prefix in scope into a map of its own, so k
// prefixes declared on the channel cost k insertions for every element
// after. 16,000 of them over 16,000 elements (410 KB) took 86 s of CPU in
// `wirestream process`, and 10 MiB of empty elements under a WordPress
// feed's 10 declarations 15 s. Real feeds cost 0.03–0.06 copies a byte
// (the fixtures: 2–4 prefixes over elements of 40–100 bytes), a
// WordPress archive's short elements under 10 prefixes about 0.2: a
// document may cost 4 M copies, and one a byte for every 4 beyond, so
// an archive `process` reads whole (up to 256 MiB) is never refused for
// its size.
const (
	maxNamespaceCopies     = 4 << 20
	namespaceCopiesPerByte = 0.25
)

// namespaceCopiesFor is the namespace copies a document of n bytes may
// cost the parser.
func namespaceCopiesFor(n int) int64 {
	return maxNamespaceCopies + int64(float64(n)*namespaceCopiesPerByte)
}

// xmlShape is what scanXML found.
type xmlShape struct {
	deepAt   int // the byte that opens an element deeper than the limit; -1: none
	nsOverAt int // the byte of the start tag whose namespaces passed the bound; -1: none
	elements int // start tags read, up to where the scan stopped
	prefixed int // of those, the ones whose name has a prefix
	maxScope int // most namespace declarations in scope at one element
	// maxScopeAt is the byte of the first start tag with maxScope in scope.
	maxScopeAt int
	nsCopies   int64 // Σ over the elements read of the declarations in scope at each
}

// openPast is the byte at which body opens an element deeper than limit,
// -1 when it opens none (see xmlTooCostly).
func openPast(body []byte, limit int) int {
	return scanXML(body, limit, math.MaxInt64).deepAt
}

// scanXML reads body's elements (see xmlTooCostly) until one opens deeper
// than depthLimit or the namespace copies pass nsLimit. The declarations
// in scope at an element are its own and its open ancestors' (a prefix
// declared again counts again: an upper bound of what goxpp copies).
func scanXML(body []byte, depthLimit int, nsLimit int64) xmlShape {
	s := xmlShape{deepAt: -1, nsOverAt: -1}
	open := make([][]byte, 0, 32) // local names of the open elements
	scope := make([]int, 0, 32)   // namespace declarations in scope at each open element
	for i := 0; i < len(body); {
		j := bytes.IndexByte(body[i:], '<')
		if j < 0 {
			return s
		}
		i += j
		rest := body[i:]
		if len(rest) < 2 {
			return s
		}
		switch rest[1] {
		case '!', '?':
			skip := markupLen(rest)
			if skip <= 0 {
				return s // never ends: the parser says so
			}
			i += skip
			continue
		case '/':
			name := localName(rest[2:])
			for len(open) > 0 {
				top := open[len(open)-1]
				open, scope = open[:len(open)-1], scope[:len(scope)-1]
				if bytes.Equal(top, name) {
					break
				}
			}
			i += 2
			continue
		}
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return s
		}
		if bytes.IndexAny(rest[:end], `"'`) >= 0 {
			// A quoted attribute value may hold '>'.
			if end = tagEnd(rest); end < 0 {
				return s
			}
		}
		selfClosing := rest[end-1] == '/'
		if !selfClosing && len(open) == depthLimit {
			s.deepAt = i
			return s
		}
		here := nsDeclared(rest[:end])
		if len(scope) > 0 {
			here += scope[len(scope)-1]
		}
		s.elements++
		name := rest[1:end]
		name = name[:nameLen(name)]
		colon := bytes.IndexByte(name, ':')
		if colon >= 0 {
			s.prefixed++
		}
		if here > s.maxScope {
			s.maxScope, s.maxScopeAt = here, i
		}
		if s.nsCopies += int64(here); s.nsCopies > nsLimit {
			s.nsOverAt = i
			return s
		}
		if !selfClosing {
			open = append(open, name[colon+1:]) // its localName
			scope = append(scope, here)
		}
		i += end + 1
	}
	return s
}

// nsDeclared is how many namespaces the start tag declares: attributes
// named xmlns or xmlns:prefix, after white space or, as encoding/xml
// reads them, right after the quote that ends the attribute before. A
// quoted value that reads so counts too: the count is never under.
func nsDeclared(tag []byte) int {
	n := 0
	for k := 0; ; {
		at := bytes.Index(tag[k:], []byte("xmlns"))
		if at < 0 {
			return n
		}
		at += k
		k = at + len("xmlns")
		if at > 0 && (isSpace(tag[at-1]) || tag[at-1] == '"' || tag[at-1] == '\'') && k < len(tag) && (tag[k] == ':' || tag[k] == '=' || isSpace(tag[k])) {
			n++
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// localName is the name b begins with, without its prefix: as encoding/xml
// matches an end tag to its start.
func localName(b []byte) []byte {
	name := b[:nameLen(b)]
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return name
}
