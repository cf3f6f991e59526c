package tokens

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestVocabIDIsTheWordsNumber: every word listed gets one ID, the same
// however often it is listed, that names it back; every other string —
// random words, prefixes and extensions of listed ones, longer ones —
// gets OutOfVocab.
func TestVocabIDIsTheWordsNumber(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyzé'-."[r.IntN(30)]
		}
		return string(b)
	}
	var a, b []string
	listed := map[string]bool{}
	for range 5000 {
		w := word()
		a = append(a, w)
		listed[w] = true
		if r.IntN(4) == 0 {
			b = append(b, w) // listed twice
		}
	}
	b = append(b, "", "the")
	listed[""], listed["the"] = true, true
	v := NewVocab(a, b)
	if v.Len() != len(listed)+2 {
		t.Fatalf("Len %d, want %d", v.Len(), len(listed)+2)
	}
	ids := map[uint32]string{}
	for w := range listed {
		id := v.ID(w)
		if id < 2 || v.Word(id) != w {
			t.Fatalf("ID(%q) = %d naming %q", w, id, v.Word(id))
		}
		if o, ok := ids[id]; ok {
			t.Fatalf("%q and %q share ID %d", w, o, id)
		}
		ids[id] = w
	}
	for range 200000 {
		w := word()
		switch r.IntN(3) {
		case 0:
			w = a[r.IntN(len(a))] + w // an extension
		case 1:
			if x := a[r.IntN(len(a))]; len(x) > 1 {
				w = x[:len(x)-1] // a prefix
			}
		}
		if got := v.ID(w); listed[w] != (got != OutOfVocab) || listed[w] && v.Word(got) != w {
			t.Fatalf("ID(%q) = %d, listed %v", w, got, listed[w])
		}
	}
}

// TestMarkNumbersEveryToken: Mark gives each token its Lower's ID and
// names the field's vocabulary; Prefix keeps it.
func TestMarkNumbersEveryToken(t *testing.T) {
	v := NewVocab([]string{"the", "minister", "said"})
	f := v.Mark(NewField("The Minister said the plan failed"))
	want := []uint32{v.ID("the"), v.ID("minister"), v.ID("said"), v.ID("the"), OutOfVocab, OutOfVocab}
	for i, tok := range f.Tokens {
		if tok.ID != want[i] {
			t.Errorf("token %d %q: ID %d, want %d", i, tok.Text, tok.ID, want[i])
		}
	}
	if f.Vocab != v || f.Prefix(10).Vocab != v {
		t.Error("the field does not name its vocabulary")
	}
	if NewField("the").Tokens[0].ID != NotMarked {
		t.Error("a token no vocabulary marked has an ID")
	}
}

// BenchmarkVocabID: Mark's lookup of a text's words against a Go map's
// probe of the same words in a map of the same words.
func BenchmarkVocabID(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var words []string
	for range 5000 {
		bs := make([]byte, 2+r.IntN(8))
		for i := range bs {
			bs[i] = byte('a' + r.IntN(26))
		}
		words = append(words, string(bs))
	}
	v := NewVocab(words)
	m := map[string]uint32{}
	for _, w := range words {
		m[w] = v.ID(w)
	}
	text := Split(strings.Repeat("The minister said on Tuesday that the government would not extend the programme beyond March, citing costs of 4.2 billion euros. ", 40))
	for i := range text {
		if i%3 == 0 {
			text[i].Lower = words[i%len(words)] // a third of the words held
		}
	}
	b.Run("vocab", func(b *testing.B) {
		n := uint32(0)
		for b.Loop() {
			for i := range text {
				n += v.ID(text[i].Lower)
			}
		}
		_ = n
	})
	b.Run("map", func(b *testing.B) {
		n := uint32(0)
		for b.Loop() {
			for i := range text {
				n += m[text[i].Lower]
			}
		}
		_ = n
	})
}
