package entities

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/wirestream/wirestream/internal/newstext"
)

// keyByConcat is Key as it was built before it took one buffer: the kind,
// a colon and the slug concatenated, the slug by a strings.Builder.
func keyByConcat(kind, id string) string {
	f, _ := foldForm(id)
	var b strings.Builder
	for _, r := range f {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\'':
			b.WriteByte('_')
		}
	}
	return kind + ":" + strings.Trim(b.String(), "_")
}

var keyCases = []string{
	"", " ", "-", "'", "_", "Keir Starmer", "U.S.", "François Hollande", "Côte d'Ivoire", "São Paulo",
	"Jean-Luc  Picard", " - Leading and trailing - ", "O'Brien's", "AT&T", "Москва", "北京", "Ελλάδα",
	"İstanbul", "ǅemal", "a--b", "--x--", "x'", "'x", "Straße", "ﬁnance", "Ǆ", "e\u0301cole", "\xff\xfe",
	strings.Repeat("Long Name ", 20),
}

// Key builds in one buffer what concatenating the kind, a colon and the
// slug built: for every name and form the gazetteer holds, word pairs of
// the harness's news text and odd forms (separators at the ends and in runs, other scripts,
// letters whose case or folding changes their length, invalid UTF-8).
func TestKeyIsTheConcatenatedKey(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := append([]string(nil), keyCases...)
	for _, e := range x.gaz.byKey {
		names = append(names, e.name)
	}
	for form := range x.gaz.byForm {
		names = append(names, form)
	}
	m, r := newstext.New(1), rand.New(rand.NewPCG(1, 2))
	for range 200 {
		s := m.Story(r, 120)
		ws := strings.Fields(s.Title + " " + s.Body())
		for i := 1; i < len(ws); i++ {
			names = append(names, ws[i-1]+" "+ws[i])
		}
	}
	if len(names) < 10_000 {
		t.Fatalf("only %d names", len(names))
	}
	for _, n := range names {
		for _, kind := range []string{Person, Organization, Place} {
			if got, want := Key(kind, n), keyByConcat(kind, n); got != want {
				t.Fatalf("Key(%q, %q) = %q, want %q", kind, n, got, want)
			}
		}
		f, _ := foldForm(n)
		if got, want := slugFolded(f), strings.TrimPrefix(keyByConcat("", n), ":"); got != want {
			t.Fatalf("slugFolded(%q) = %q, want %q", f, got, want)
		}
	}
}

func FuzzKeyIsTheConcatenatedKey(f *testing.F) {
	for _, c := range keyCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Key(Person, s), keyByConcat(Person, s); got != want {
			t.Fatalf("Key(%q) = %q, want %q", s, got, want)
		}
	})
}

// Key of a capitalised plain name ("Keir Starmer", most names a story
// keys) allocates its key and nothing else: the name is slugged straight
// into the key's buffer, not folded into a string first (round 39: two
// allocations before, ≈ 5 % of `process`'s allocations an article).
func TestKeyOfAPlainNameAllocatesOnlyTheKey(t *testing.T) {
	for _, name := range []string{"Keir Starmer", "NATO", "Ursula von der Leyen", "G7"} {
		if n := testing.AllocsPerRun(100, func() { _ = Key(Person, name) }); n != 1 {
			t.Errorf("Key(%q): %.0f allocations, want 1", name, n)
		}
	}
}

// isPlainForm is foldPlain's test of a form, without the fold.
func TestIsPlainFormIsFoldPlainsTest(t *testing.T) {
	forms := append([]string{"a", "A b", "a  b", " a", "a ", "a-b", "a.b", "É", "a\tb", "12 3"}, keyCases...)
	for _, s := range forms {
		if _, _, ok := foldPlain(s); ok != isPlainForm(s) {
			t.Errorf("isPlainForm(%q) = %v, foldPlain's ok %v", s, isPlainForm(s), ok)
		}
	}
}

func FuzzIsPlainFormIsFoldPlainsTest(f *testing.F) {
	for _, c := range keyCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, _, ok := foldPlain(s); ok != isPlainForm(s) {
			t.Fatalf("isPlainForm(%q) = %v, foldPlain's ok %v", s, isPlainForm(s), ok)
		}
	})
}

// appendFold appends Fold's string; foldIs and sameFold compare it.
func TestAppendFoldIsFold(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := append([]string(nil), keyCases...)
	for form := range x.gaz.byForm {
		names = append(names, form)
	}
	for i, n := range names {
		if got := string(appendFold([]byte("prefix"), n)); got != "prefix"+Fold(n) {
			t.Fatalf("appendFold(%q) = %q, want %q", n, got, "prefix"+Fold(n))
		}
		if !foldIs(n, Fold(n)) || foldIs(n, Fold(n)+"x") {
			t.Fatalf("foldIs(%q) does not tell its fold", n)
		}
		m := names[(i*7919)%len(names)]
		if sameFold(n, m) != (Fold(n) == Fold(m)) || !sameFold(n, strings.ToUpper(n)) && Fold(n) == Fold(strings.ToUpper(n)) {
			t.Fatalf("sameFold(%q, %q) = %v", n, m, sameFold(n, m))
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = foldIs("Keir Starmer", "keir starmer") }); n != 0 {
		t.Errorf("foldIs of a plain name: %.0f allocations, want 0", n)
	}
}

func FuzzAppendFoldIsFold(f *testing.F) {
	for _, c := range keyCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := string(appendFold(nil, s)); got != Fold(s) {
			t.Fatalf("appendFold(%q) = %q, want %q", s, got, Fold(s))
		}
	})
}
