package tokens

import "testing"

// A Dict numbers each distinct word once, from 2, in the order given, and
// answers Miss for any other word; AppendMarked marks each token by its
// Key, and a nil Dict marks nothing.
func TestDictNumbersEachWordOnceAndMissesTheRest(t *testing.T) {
	d := NewDict([]string{"the", "bank", "the"}, []string{"rates", "bank", "u.s."})
	want := map[string]uint32{"the": 2, "bank": 3, "rates": 4, "u.s.": 5}
	if d.Len() != 6 {
		t.Fatalf("Len %d, want 6", d.Len())
	}
	for w, id := range want {
		if got := d.ID(w); got != id {
			t.Errorf("ID(%q) = %d, want %d", w, got, id)
		}
		if d.Word(id) != w {
			t.Errorf("Word(%d) = %q, want %q", id, d.Word(id), w)
		}
	}
	for _, w := range []string{"", "Bank", "banks", "ban", "the "} {
		if got := d.ID(w); got != Miss {
			t.Errorf("ID(%q) = %d, want Miss", w, got)
		}
	}
	ts := d.AppendMarked(nil, "The bank's rates rose in the U.S.")
	wantWords := []uint32{2, 3, 4, Miss, Miss, 2, 5}
	if len(ts) != len(wantWords) {
		t.Fatalf("%d tokens, want %d", len(ts), len(wantWords))
	}
	plain := Split("The bank's rates rose in the U.S.")
	for i, tok := range ts {
		if tok.Word != wantWords[i] {
			t.Errorf("token %q: Word %d, want %d", tok.Text, tok.Word, wantWords[i])
		}
		tok.Word = Unmarked
		if tok != plain[i] {
			t.Errorf("token %d: marked %+v, split %+v", i, tok, plain[i])
		}
	}
	for _, tok := range (*Dict)(nil).AppendMarked(nil, "the bank") {
		if tok.Word != Unmarked {
			t.Errorf("a nil Dict marked %q", tok.Text)
		}
	}
}

// A dictionary as large as the stages' keeps every word apart.
func TestDictKeepsManyWordsApart(t *testing.T) {
	var ws []string
	for i := range 50000 {
		ws = append(ws, string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676%26))+string(rune('0'+i/17576)))
	}
	d := NewDict(ws)
	for i, w := range ws {
		if got := d.ID(w); got != uint32(i+2) {
			t.Fatalf("ID(%q) = %d, want %d", w, got, i+2)
		}
	}
}
