package encode

import (
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

// appendStory appends the story's native JSON record to b without
// reflection: encoding/json by reflection was 6 % of `process`, the
// story being most of the bytes written. The output is byte for byte
// what json.Marshal writes for a *record.Story — field order and names
// from its tags, omitempty, HTML-safe string escapes, time.Time's
// RFC 3339 form, encoding/json's float form (storyjson_test.go compares
// the two on the golden records, on every field filled at random, and
// under FuzzStoryJSON). ok is false where json.Marshal would fail (a
// year outside 0–9999, a zone offset of a day or more, a NaN or
// infinite score): the caller falls back to json.Marshal for its error.
func appendStory(b []byte, s *record.Story) (_ []byte, ok bool) {
	w := jsonWriter{b: b, ok: true}
	w.b = append(w.b, '{')
	w.str("type", string(s.Type))
	w.str("id", s.ID)
	w.int("version", int64(s.Version))
	w.str("schema_version", s.SchemaVersion)
	w.key("feed")
	w.feed(s.Feed)
	w.str("publisher", s.Publisher)
	w.str("url", s.URL)
	w.str("canonical_url", s.CanonicalURL)
	w.strOmit("guid", s.GUID)
	w.str("title", s.Title)
	w.strOmit("summary", s.Summary)
	w.strOmit("body", s.Body)
	w.strOmit("html", s.HTML)
	w.strs("authors", s.Authors)
	w.strs("categories", s.Categories)
	objects(&w, "subjects", s.Subjects, (*jsonWriter).subject)
	w.strOmit("language", s.Language)
	w.strOmit("published_raw", s.PublishedRaw)
	w.time("published", s.Published)
	w.strOmit("updated_raw", s.UpdatedRaw)
	if s.Updated != nil {
		w.time("updated", *s.Updated)
	}
	w.strs("date_flags", s.DateFlags)
	w.strs("truncated", s.Truncated)
	w.time("first_seen", s.FirstSeen)
	w.time("fetched_at", s.FetchedAt)
	objects(&w, "media", s.Media, (*jsonWriter).media)
	w.str("fingerprint", s.Fingerprint)
	w.str("content_hash", s.ContentHash)
	w.strOmit("event_id", s.EventID)
	objects(&w, "entities", s.Entities, func(w *jsonWriter, e record.Entity) {
		w.str("key", e.Key)
		w.str("name", e.Name)
		w.str("kind", e.Kind)
		w.strOmit("iso", e.ISO)
		w.int("mentions", int64(e.Mentions))
		w.trueOmit("in_title", e.InTitle)
	})
	w.strs("keywords", s.Keywords)
	objects(&w, "topics", s.Topics, func(w *jsonWriter, t record.Topic) {
		w.str("code", t.Code)
		w.str("name", t.Name)
		w.float("score", t.Score)
	})
	w.b = append(w.b, '}')
	return w.b, w.ok
}

// recordBuffers are the scratch buffers stories and events are encoded
// into: the record is then copied out at its exact size, one allocation
// without growth and without clearing memory it overwrites.
var recordBuffers = sync.Pool{New: func() any { return new([]byte) }}

// encodeRecord returns r's native JSON record as appendTo writes it
// (appendStory, appendEvent), encoded in a pooled buffer.
func encodeRecord[R any](r R, appendTo func([]byte, R) ([]byte, bool)) ([]byte, bool) {
	buf := recordBuffers.Get().(*[]byte)
	b, ok := appendTo((*buf)[:0], r)
	out := append([]byte(nil), b...)
	if cap(b) <= 1<<20 { // a giant record's buffer is not kept
		*buf = b
		recordBuffers.Put(buf)
	}
	return out, ok
}

// jsonWriter appends JSON objects' members to b; ok turns false where
// json.Marshal would have returned an error.
type jsonWriter struct {
	b  []byte
	ok bool
	// noHTML leaves '<', '>' and '&' unescaped, as a json.Encoder with
	// SetEscapeHTML(false) does; else strings are HTML-safe, as
	// json.Marshal writes them.
	noHTML bool
}

// quote appends s as a JSON string, escaped as w's noHTML says.
func (w *jsonWriter) quote(s string) {
	plain := &jsonPlain
	if w.noHTML {
		plain = &jsonPlainNoHTML
	}
	w.b = appendQuoted(w.b, s, plain)
}

// key writes `,"k":` (no comma after an opening brace or bracket). Keys
// are this file's constants: plain ASCII that needs no escape.
func (w *jsonWriter) key(k string) {
	if c := w.b[len(w.b)-1]; c != '{' && c != '[' {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

// elem opens the i-th element of an array whose key was just written.
func (w *jsonWriter) elem(i int) {
	if i == 0 {
		w.b = append(w.b, '[')
	} else {
		w.b = append(w.b, ',')
	}
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.quote(v)
}

func (w *jsonWriter) strOmit(k, v string) {
	if v != "" {
		w.str(k, v)
	}
}

func (w *jsonWriter) int(k string, v int64) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonWriter) intOmit(k string, v int64) {
	if v != 0 {
		w.int(k, v)
	}
}

// strsOrNull writes a []string without omitempty: null when nil.
func (w *jsonWriter) strsOrNull(k string, v []string) {
	if v == nil {
		w.key(k)
		w.b = append(w.b, "null"...)
		return
	}
	if len(v) == 0 {
		w.key(k)
		w.b = append(w.b, '[', ']')
		return
	}
	w.strs(k, v)
}

// strs writes a []string with omitempty.
func (w *jsonWriter) strs(k string, v []string) {
	if len(v) == 0 {
		return
	}
	w.key(k)
	for i, s := range v {
		w.elem(i)
		w.quote(s)
	}
	w.b = append(w.b, ']')
}

func (w *jsonWriter) feed(f record.FeedRef) {
	w.b = append(w.b, '{')
	w.str("url", f.URL)
	w.strOmit("title", f.Title)
	w.strs("tags", f.Tags)
	w.strOmit("site", f.Site)
	w.b = append(w.b, '}')
}

// objects writes v, with omitempty, as an array of objects, each
// object's members written by members.
func objects[T any](w *jsonWriter, k string, v []T, members func(*jsonWriter, T)) {
	if len(v) == 0 {
		return
	}
	w.key(k)
	for i, e := range v {
		w.elem(i)
		w.b = append(w.b, '{')
		members(w, e)
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}

// trueOmit writes a bool with omitempty.
func (w *jsonWriter) trueOmit(k string, v bool) {
	if v {
		w.key(k)
		w.b = append(w.b, "true"...)
	}
}

func (w *jsonWriter) subject(sub record.Subject) {
	w.strOmit("name", sub.Name)
	w.strOmit("uri", sub.URI)
	w.strOmit("literal", sub.Literal)
	w.strOmit("rel", sub.Rel)
}

func (w *jsonWriter) media(m record.Media) {
	w.str("url", m.URL)
	w.strOmit("type", m.Type)
	w.strOmit("medium", m.Medium)
	w.intOmit("width", int64(m.Width))
	w.intOmit("height", int64(m.Height))
	w.strOmit("title", m.Title)
	w.trueOmit("thumbnail", m.Thumb)
	w.intOmit("length", m.Length)
	w.strOmit("credit", m.Credit)
	w.strOmit("caption", m.Captions)
}

// time writes t as time.Time's MarshalJSON does: RFC 3339 with
// nanoseconds as needed, refusing what RFC 3339 cannot say.
func (w *jsonWriter) time(k string, t time.Time) {
	w.key(k)
	w.b = append(w.b, '"')
	n0 := len(w.b)
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	if w.b[n0+4] != '-' { // the year is not four digits
		w.ok = false
	} else if n := len(w.b); w.b[n-1] != 'Z' {
		h := w.b[n-5 : n-3]
		if isDigit(w.b[n-6]) || (h[0]-'0')*10+h[1]-'0' >= 24 {
			w.ok = false
		}
	}
	w.b = append(w.b, '"')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// float writes f as encoding/json does: the shortest decimal that reads
// back as f, in exponent form below 1e-6 and from 1e21 up, with the
// exponent's leading zero dropped ("1e-07" is written "1e-7").
func (w *jsonWriter) float(k string, f float64) {
	w.key(k)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.ok = false
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, f, format, -1, 64)
	if n := len(w.b); format == 'e' && n >= 4 && w.b[n-4] == 'e' && w.b[n-3] == '-' && w.b[n-2] == '0' {
		w.b[n-2] = w.b[n-1]
		w.b = w.b[:n-1]
	}
}

const hexDigits = "0123456789abcdef"

// jsonPlain marks the ASCII bytes a JSON string holds as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	t = jsonPlainNoHTML
	t['<'], t['>'], t['&'] = false, false, false
	return t
}()

// jsonPlainNoHTML is jsonPlain for json.Encoder's SetEscapeHTML(false):
// '<', '>' and '&' as they are.
var jsonPlainNoHTML = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendQuoted appends s quoted as encoding/json quotes it: '"' and
// '\\' backslashed; \b \f \n \r \t by name; other control bytes, and
// '<', '>', '&' unless plain holds them (jsonPlainNoHTML), as \u00XX;
// U+2028 and U+2029 as \u2028 and \u2029; each invalid UTF-8 byte as
// \ufffd.
func appendQuoted(b []byte, s string, plain *[utf8.RuneSelf]bool) []byte {
	b = append(b, '"')
	at := 0 // s[at:i] is still to be copied
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[at:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			at = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[at:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[at:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		at = i
	}
	b = append(b, s[at:]...)
	return append(b, '"')
}
