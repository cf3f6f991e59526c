package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Caps on the text of a story, in bytes of the field's JSON encoding
// (quotes excluded): what a record actually weighs on the broker, since
// escaping can make "<" six bytes. A feed is outside input; one with a
// 1 MB headline must not make its story, its duplicates and its event
// exceed the broker's message limit or sit in event memory. Body and HTML
// are capped by Config.MaxTextBytes; everything else here. A field cut to
// its cap is named in Story.Truncated and counted in
// wirestream_normalize_truncated_total.
//
// With every field at its cap, enrichment at its own caps, and body and
// HTML at the largest MaxTextBytes allowed, a story encodes to 993 kB:
// under 1,000,000 bytes, Kafka's default message.max.bytes
// (TestAStoryAtEveryCapFitsInAKafkaMessage).
const (
	maxTitleBytes   = 1 << 10 // a headline is rarely over 200
	maxGUIDBytes    = 1 << 10 // longer: a prefix and a hash of the whole, still unique
	maxURLBytes     = 8 << 10 // as much as web servers accept in a request line
	maxNameBytes    = 256     // publisher, feed title, each author, category and subject name, a subject's URI
	maxCodeBytes    = 64      // a subject's literal code and rel
	maxRawDateBytes = 256
	maxMediaURL     = 2 << 10 // a longer media URL is dropped: it cannot be cut
	maxMediaText    = 256     // media title, credit, caption
)

// preCutFactor bounds the raw input read for a capped line field: 64
// times its cap leaves room for any markup and escaping a real feed puts
// around its text, while a hostile megabyte is not parsed as HTML, decoded
// and cleaned only for all but a kilobyte of it to be thrown away.
const preCutFactor = 64

// preCut shortens the raw line fields of it to preCutFactor times their
// caps before they are cleaned, noting each field it shortened in cut.
func preCut(it *record.Item, cut *truncations) {
	one := func(s *string, n int, field string) {
		if len(*s) > preCutFactor*n {
			*s = record.Prefix(*s, preCutFactor*n)
			cut.add(field, true)
		}
	}
	one(&it.Title, maxTitleBytes, record.FieldTitle)
	one(&it.Publisher, maxNameBytes, record.FieldPublisher)
	one(&it.Feed.Title, maxNameBytes, record.FieldFeedTitle)
	list := func(in []string, field string) []string {
		var out []string
		for i, a := range in {
			if len(a) > preCutFactor*maxNameBytes {
				if out == nil {
					out = slices.Clone(in)
				}
				out[i] = record.Prefix(a, preCutFactor*maxNameBytes)
				cut.add(field, true)
			}
		}
		if out == nil {
			return in
		}
		return out
	}
	it.Authors = list(it.Authors, record.FieldAuthors)
	it.Categories = list(it.Categories, record.FieldCategories)
	if slices.ContainsFunc(it.Subjects, func(s record.Subject) bool { return len(s.Name) > preCutFactor*maxNameBytes }) {
		it.Subjects = slices.Clone(it.Subjects)
		for i := range it.Subjects {
			it.Subjects[i].Name = record.Prefix(it.Subjects[i].Name, preCutFactor*maxNameBytes)
		}
		cut.add(record.FieldSubjects, true)
	}
	long := func(m record.Media) bool {
		return len(m.Title)+len(m.Credit)+len(m.Captions) > 3*preCutFactor*maxMediaText
	}
	if slices.ContainsFunc(it.Media, long) {
		it.Media = slices.Clone(it.Media) // the caller's item stays as it was
		for i := range it.Media {
			m := &it.Media[i]
			for _, f := range []*string{&m.Title, &m.Credit, &m.Captions} {
				*f = record.Prefix(*f, preCutFactor*maxMediaText)
			}
		}
		cut.add(record.FieldMedia, true)
	}
}

// jsonFits reports whether s encoded as a JSON string fits in n bytes:
// no character encodes to more than six, so most strings are known to fit
// from their length, without record.JSONBytes's walk of every byte (URLs, titles
// and names, checked on every story).
func jsonFits(s string, n int) bool {
	return len(s) <= n/6 || record.JSONBytes(s) <= n
}

// capLine fits one line of text (a title, a name) in n JSON bytes: cut at
// the last space in the second half of what fits, else mid-word, and
// marked "…". cut reports whether anything was removed.
func capLine(s string, n int) (_ string, cut bool) {
	if jsonFits(s, n) {
		return s, false
	}
	head := record.JSONPrefix(s, n-len("…"))
	if i := strings.LastIndexByte(head, ' '); i >= len(head)/2 {
		head = head[:i]
	}
	return strings.TrimRightFunc(strings.TrimRight(head, " ,;:-–—"), unicode.IsSpace) + "…", true
}

// capText fits text in n JSON bytes, cut at a paragraph, line or word
// boundary in the second half of what fits, else at a rune boundary.
func capText(s string, n int) (_ string, cut bool) {
	if jsonFits(s, n) {
		return s, false
	}
	head := record.JSONPrefix(s, n)
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i >= len(head)/2 {
			return strings.TrimRightFunc(head[:i], unicode.IsSpace), true
		}
	}
	return head, true
}

// capGUID keeps an over-long GUID unique and stable: its start, "…", and
// 16 hex digits of the SHA-256 of the whole. The story id is derived from
// the whole GUID before this cut.
func capGUID(g string) (_ string, cut bool) {
	if jsonFits(g, maxGUIDBytes) {
		return g, false
	}
	sum := sha256.Sum256([]byte(g))
	tail := "…" + hex.EncodeToString(sum[:8])
	return record.JSONPrefix(g, maxGUIDBytes-len(tail)) + tail, true
}

// truncations collects the fields cut while a story is built, in the
// order they were cut, each once.
type truncations []string

func (t *truncations) add(field string, cut bool) {
	if cut && !t.has(field) {
		*t = append(*t, field)
	}
}

func (t truncations) has(field string) bool {
	for _, f := range t {
		if f == field {
			return true
		}
	}
	return false
}

// capField cuts *s to n JSON bytes with capLine and records field when it
// did.
func (t *truncations) capField(s *string, n int, field string) {
	var cut bool
	*s, cut = capLine(*s, n)
	t.add(field, cut)
}

// sortedFields returns t in the order of record's Field constants, so the
// same cuts always read the same.
func (t truncations) sortedFields() []string {
	if len(t) == 0 {
		return nil
	}
	var out []string
	for _, f := range fieldOrder {
		if t.has(f) {
			out = append(out, f)
		}
	}
	return out
}

var fieldOrder = []string{
	record.FieldTitle, record.FieldBody, record.FieldHTML, record.FieldGUID, record.FieldURL,
	record.FieldPublisher, record.FieldFeedTitle, record.FieldAuthors, record.FieldCategories,
	record.FieldSubjects, record.FieldMedia, record.FieldPublishedRaw, record.FieldUpdatedRaw,
}
