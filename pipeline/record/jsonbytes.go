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
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r == '\u2028', r == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}
