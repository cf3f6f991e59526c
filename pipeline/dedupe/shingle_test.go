package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// refWords is appendWords as it was: every rune decoded by range and
// asked of the unicode tables.
func refWords(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, lowerASCII(text[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, lowerASCII(text[start:]))
	}
	return out
}

// refBodyHash is BodyHash as it was: a sha256 Write per word and space.
func refBodyHash(words []string) string {
	h := sha256.New()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

var wordPieces = []string{"", "a", "Z", "0", "9", " ", "-", "_", "'", "’", "—", "é", "É", "ß", "İ", "ǅ", "٣", "½", "\u0301",
	"\xff", "\xc3", "\xe2\x80", "日本", "rates", "Rise", "2024", "\t", "\n", "@", "`", "{", "/", ":"}

func checkWords(t *testing.T, text string) {
	t.Helper()
	got, want := appendWords(nil, text), refWords(text)
	if !slices.Equal(got, want) {
		t.Fatalf("words of %q: %q, want %q", text, got, want)
	}
	if h, _ := bodyHash([]byte("left over"), got); string(h[:]) != refBodyHash(want) || BodyHash(got) != string(h[:]) {
		t.Fatalf("body hash of %q differs from the streamed one", text)
	}
}

// The byte scanner splits as the rune loop did, on every ASCII byte and
// on pieces of Unicode letters, digits, marks and invalid UTF-8.
func TestWordsMatchReference(t *testing.T) {
	for c := range 256 {
		checkWords(t, "ab"+string(rune(c))+"cd")
		checkWords(t, "ab"+string([]byte{byte(c)})+"cd")
	}
	for _, a := range wordPieces {
		for _, b := range wordPieces {
			for _, c := range wordPieces {
				checkWords(t, a+b+c)
				checkWords(t, "x"+a+"y"+b+c+"z")
			}
		}
	}
	checkWords(t, strings.Repeat("Rates rise — as inflation cools; l'été 2024 ", 50))
}

func FuzzWordsMatchReference(f *testing.F) {
	for _, p := range wordPieces {
		f.Add(p + " and " + p)
	}
	f.Fuzz(func(t *testing.T, text string) { checkWords(t, text) })
}
