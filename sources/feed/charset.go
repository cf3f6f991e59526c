package feed

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// xmlDecl matches the XML declaration's encoding pseudo-attribute.
var xmlDecl = regexp.MustCompile(`^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])([A-Za-z0-9._:-]*)(["'])`)

// toUTF8 returns body as UTF-8, with any XML encoding declaration rewritten
// to "UTF-8" so the XML parser does not decode a second time.
//
// The declared charset (BOM, then XML declaration, then the Content-Type
// header) is used when it fits the bytes. Two real-world lies are repaired:
// a single-byte charset declared for a body that is valid multi-byte UTF-8
// (the bytes win), and UTF-8 declared for bytes that are not UTF-8 (see
// repairUTF8). It never fails; the name of the charset used is returned.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return repairUTF8(body[3:])
	}
	if bytes.HasPrefix(body, []byte("\xff\xfe")) || bytes.HasPrefix(body, []byte("\xfe\xff")) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		if out, err := dec.NewDecoder().Bytes(body); err == nil {
			return rewriteDecl(out), "utf-16"
		}
	}
	if order, ok := utf16Order(body); ok {
		if out, err := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(body); err == nil {
			return rewriteDecl(out), "utf-16"
		}
	}
	label := declaredEncoding(body)
	if label == "" {
		label = contentTypeCharset(contentType)
	}
	enc, name := lookupCharset(label)
	// A UTF-16 label inside an ASCII-readable declaration is a lie: real
	// UTF-16 would have made the declaration unreadable without a BOM.
	if enc == nil || name == "utf-8" || strings.HasPrefix(name, "utf-16") {
		return repairUTF8(body)
	}
	// A single-byte charset cannot tell us it is wrong; valid UTF-8 with
	// multi-byte sequences almost never occurs by accident in such text.
	if isSingleByte(name) && utf8.Valid(body) && hasMultiByte(body) {
		return rewriteDecl(body), "utf-8"
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return repairUTF8(body)
	}
	return rewriteDecl(out), name
}

// utf16Order tells UTF-16 without a byte order mark by its first two
// characters, as XML (appendix F) and JSON (RFC 4627) detect it: ASCII
// that opens a document ("<", "{", "[" or white space), each with a zero
// byte on the same side. A Windows export or a .NET CMS writing
// Encoding.Unicode sends it so; read as bytes, it is no document at all.
func utf16Order(b []byte) (unicode.Endianness, bool) {
	if len(b) < 4 {
		return unicode.BigEndian, false
	}
	opens := func(c byte) bool { return strings.IndexByte("<{[ \t\r\n", c) >= 0 }
	switch {
	case opens(b[0]) && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.LittleEndian, true
	case b[0] == 0 && opens(b[1]) && b[2] == 0 && b[3] != 0:
		return unicode.BigEndian, true
	}
	return unicode.BigEndian, false
}

// repairUTF8 reads a body declared (or taken to be) UTF-8. Bytes that are
// not UTF-8 are read as Windows-1252, the superset of ISO-8859-1 that
// mislabelled feeds nearly always are — but only those bytes: a body whose
// other text is valid UTF-8 keeps it, so one stray Latin-1 byte (a CMS
// pasting one description from elsewhere) does not turn every "Łódź" of
// every item into "Å\u0081ódź". A body with no valid multi-byte sequence
// at all is Windows-1252 through and through, and is named so.
func repairUTF8(body []byte) ([]byte, string) {
	if utf8.Valid(body) {
		return rewriteDecl(body), "utf-8"
	}
	if !hasValidMultiByte(body) {
		if out, err := charmap.Windows1252.NewDecoder().Bytes(body); err == nil {
			return rewriteDecl(out), "windows-1252"
		}
	}
	out := make([]byte, 0, len(body)+len(body)/8)
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(body[i]))
		} else {
			out = append(out, body[i:i+size]...)
		}
		i += size
	}
	return rewriteDecl(out), "utf-8"
}

// hasValidMultiByte reports whether b holds at least one valid UTF-8
// sequence of two or more bytes.
func hasValidMultiByte(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i += size
	}
	return false
}

func lookupCharset(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	enc, name := charset.Lookup(label)
	return enc, name
}

func declaredEncoding(body []byte) string {
	head := body
	if len(head) > 512 {
		head = head[:512]
	}
	m := xmlDecl.FindSubmatch(head)
	if m == nil {
		return ""
	}
	return string(m[3])
}

func contentTypeCharset(ct string) string {
	if ct == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

func rewriteDecl(body []byte) []byte {
	loc := xmlDecl.FindSubmatchIndex(body)
	if loc == nil || loc[0] > 0 && len(bytes.TrimSpace(body[:loc[0]])) > 0 {
		return body
	}
	// loc[6]:loc[7] is the encoding value.
	if strings.EqualFold(string(body[loc[6]:loc[7]]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body)+8)
	out = append(out, body[:loc[6]]...)
	out = append(out, "UTF-8"...)
	out = append(out, body[loc[7]:]...)
	return out
}

// isSingleByte reports whether a WHATWG encoding name is a legacy
// single-byte charset (every byte is a character, so nothing is invalid).
func isSingleByte(name string) bool {
	for _, p := range []string{"windows-", "iso-8859-", "koi8-", "ibm866", "macintosh", "x-mac-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func hasMultiByte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
