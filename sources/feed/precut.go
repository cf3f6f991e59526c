package feed

import (
	"bytes"
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

// declLen is the length of a <!DOCTYPE …> or other declaration, whose
// internal subset in brackets may hold '>'; -1 when it never ends.
func declLen(b []byte) int {
	if k := closingAngle(b, 2, true); k >= 0 {
		return k + 1
	}
	return -1
}

// tagEnd is the index of the '>' that ends the tag b begins with, past
// quoted attribute values; -1 when there is none.
func tagEnd(b []byte) int { return closingAngle(b, 1, false) }

// closingAngle is the index of the first '>' in b from from on that is
// outside quotes and, with brackets, outside a [ ] subset; -1 when none is.
func closingAngle(b []byte, from int, brackets bool) int {
	depth := 0
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
		case brackets && c == '[':
			depth++
		case brackets && c == ']':
			depth--
		case c == '>' && depth <= 0:
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

func isNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'
}
