package feed

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// One invalid byte in a UTF-8 feed used to make the whole body be read as
// Windows-1252, garbling every non-ASCII character of every item ("Łódź"
// → "Å\u0081ódź"). Only the broken byte is repaired now. (Issue 13,
// point 3.)
func TestParseRepairsOnlyTheBrokenBytes(t *testing.T) {
	body := []byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gazeta</title><link>https://gazeta.example/</link>` +
		`<item><title>Łódź: nowy tramwaj na Piotrkowskiej</title><link>https://gazeta.example/lodz</link></item>` +
		`<item><title>Kraków — Zürich — São Paulo — 東京</title><link>https://gazeta.example/world</link></item>` +
		"<item><title>Caf\xe9 de la Paix rouvre \x93bient\xf4t\x94</title><link>https://gazeta.example/cafe</link></item>" +
		`</channel></rss>`)
	if utf8.Valid(body) {
		t.Fatal("the test needs a body with invalid bytes")
	}
	doc, err := Parse(body, "application/rss+xml; charset=utf-8", "https://gazeta.example/rss", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Łódź: nowy tramwaj na Piotrkowskiej", "Kraków — Zürich — São Paulo — 東京", "Café de la Paix rouvre “bientôt”"}
	for i, w := range want {
		if got := doc.Items[i].Title; got != w {
			t.Errorf("item %d title = %q, want %q", i+1, got, w)
		}
	}
	if doc.Charset != "utf-8" {
		t.Errorf("charset = %q, want utf-8 (with its broken bytes repaired)", doc.Charset)
	}
}

// FuzzRepairUTF8: whatever the bytes, the result is valid UTF-8, a valid
// body is kept as it is, and every run of valid multi-byte UTF-8 in the
// input survives verbatim: a repair never reaches text that was not
// broken.
func FuzzRepairUTF8(f *testing.F) {
	f.Add([]byte("Łódź \xe9 東京"))
	f.Add([]byte("caf\xe9 \x93quoted\x94"))
	f.Add([]byte("\xc3\xa9\xff\xfe\xc3"))
	f.Add([]byte(`<?xml version="1.0" encoding="latin1"?><a>Łódź</a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		out, _ := repairUTF8(body)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", body, out)
		}
		if xmlDecl.Match(body) {
			return // the declaration is rewritten; the rest is checked without one
		}
		if utf8.Valid(body) && !bytes.Equal(out, body) {
			t.Fatalf("a valid body changed: %q → %q", body, out)
		}
		if !hasValidMultiByte(body) {
			return // read as Windows-1252 whole
		}
		for _, run := range validRuns(body) {
			if !bytes.Contains(out, run) {
				t.Fatalf("valid run %q of %q is not in %q", run, body, out)
			}
		}
	})
}

// validRuns splits b at its invalid bytes and returns the pieces that
// hold a multi-byte character.
func validRuns(b []byte) [][]byte {
	var out [][]byte
	start := 0
	flush := func(end int) {
		if hasValidMultiByte(b[start:end]) {
			out = append(out, b[start:end])
		}
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			flush(i)
			start = i + 1
		}
		i += size
	}
	flush(len(b))
	return out
}
