package record

import "unicode/utf8"

// JSONBytes is how many bytes s takes inside a JSON string of a story record, which is written
// HTML-safe, as json.Marshal writes it (sinks/encode): '<', '>', '&', U+2028, U+2029, control
// characters and each byte of invalid UTF-8 as a six-byte escape, '"', '\\', '\b', '\f', '\n',
// '\r' and '\t' as two. A bound that is there for the record's size counts a field so: a
// name of '&'-joined letters ("AT&T") takes up to six times its length in the record.
func JSONBytes(s string) int {
	n := 0
	for i := 0; i < len(s); {
		w, size := jsonRuneBytes(s, i)
		n += w
		i += size
	}
	return n
}

// JSONPrefix returns the longest prefix of s, cut at a rune boundary, whose JSON encoding
// (JSONBytes) fits in n bytes.
func JSONPrefix(s string, n int) string {
	used := 0
	for i := 0; i < len(s); {
		w, size := jsonRuneBytes(s, i)
		if used+w > n {
			return s[:i]
		}
		used += w
		i += size
	}
	return s
}

// jsonRuneBytes is what the character at s[i] takes in a JSON string (w) and in s (size).
func jsonRuneBytes(s string, i int) (w, size int) {
	if c := s[i]; c < utf8.RuneSelf {
		switch {
		case c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t':
			return 2, 1
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			return 6, 1
		}
		return 1, 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
		return 6, size
	}
	return size, size
}
