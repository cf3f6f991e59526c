package entities

import (
	"io/fs"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/tsv"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// foldPlain is a shortcut of foldSplit for plain ASCII forms: it must fold
// every form exactly as the tokenizer path does, or say it cannot.
func TestFoldPlainMatchesTokenPath(t *testing.T) {
	forms := []string{"", " ", "a", "A", "Keir Starmer", "  Two  Spaces ", "AB Download Manager",
		"6th of October City", "A-Frame", "U.S.", "O'Brien", "Ärzte", "trailing ", " leading", "x  y"}
	err := fs.WalkDir(gazFiles, "gazetteer", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := gazFiles.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return tsv.Each(f, func(_ int, cols []string) error {
			forms = append(forms, cols...)
			if len(cols) > 4 {
				forms = append(forms, strings.Split(cols[4], "|")...)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	plain := 0
	for _, s := range forms {
		f, n, ok := foldPlain(s)
		if !ok {
			continue
		}
		plain++
		if wf, wn := foldSplit(s); f != wf || n != wn {
			t.Errorf("foldPlain(%q) = %q, %d; the token path gives %q, %d", s, f, n, wf, wn)
		}
	}
	if plain < len(forms)/2 {
		t.Errorf("only %d of %d forms took the shortcut", plain, len(forms))
	}
}

func FuzzFoldPlainMatchesTokenPath(f *testing.F) {
	for _, s := range []string{"Keir Starmer", "a b", " x", "A-B", "NATO"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if fp, n, ok := foldPlain(s); ok {
			if wf, wn := foldSplit(s); fp != wf || n != wn {
				t.Errorf("foldPlain(%q) = %q, %d; the token path gives %q, %d", s, fp, n, wf, wn)
			}
		}
	})
}

// IsGivenName folds w as a token whose Lower is its Text: that must be
// foldToken(w) for any w, lower case or not.
func TestFoldSelfTokenIsFoldToken(t *testing.T) {
	for _, w := range []string{"", "mike", "Mike", "mike's", "mike'", "u.s.", "U.S.", "jean-luc", "josé", "JOSÉ", "o’brien", "o'brien's", "'s", "...", "ß"} {
		checkFoldSelf(t, w)
	}
}

func FuzzFoldSelfTokenIsFoldToken(f *testing.F) {
	for _, w := range []string{"mike", "Mike's", "u.s.", "josé"} {
		f.Add(w)
	}
	f.Fuzz(checkFoldSelf)
}

func checkFoldSelf(t *testing.T, w string) {
	if got, want := foldTok(tokens.Token{Text: w, Lower: w}), foldToken(w); got != want {
		t.Errorf("foldTok of %q as its own Lower = %q, foldToken = %q", w, got, want)
	}
}

// caseless answers ASCII without the Unicode tables: as they would.
func TestCaselessASCII(t *testing.T) {
	for c := range rune(utf8.RuneSelf) {
		want := unicode.IsLetter(c) && !unicode.IsUpper(c) && !unicode.IsLower(c)
		if got := caseless(tokens.Token{Text: string(c)}); got != want {
			t.Errorf("caseless(%q) = %v, the Unicode tables say %v", c, got, want)
		}
	}
}
