package normalize

import "testing"

// appendASCIILower lowercases eight bytes at a time: every byte value at
// every offset of a word and in the tail, beside neighbours at the edges
// of the capitals' range and above ASCII, must come out as asciiLower
// has it.
func TestAppendASCIILowerEveryByte(t *testing.T) {
	for c := range 256 {
		for pos := range 17 {
			for _, fill := range []byte{'A', 'Z', 'a', 'z', '@', '[', 0, 0x7f, 0x80, 0xc3, 0xff} {
				s := make([]byte, 17)
				for i := range s {
					s[i] = fill
				}
				s[pos] = byte(c)
				if got, want := string(appendASCIILower([]byte("x"), string(s))), "x"+asciiLower(string(s)); got != want {
					t.Fatalf("appendASCIILower(%q) = %q, asciiLower %q", s, got[1:], want[1:])
				}
			}
		}
	}
}
