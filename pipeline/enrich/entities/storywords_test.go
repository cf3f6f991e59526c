package entities

import (
	"reflect"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// The story's view of the gazetteer (storyWords) remembers what each word
// and window gave: it must answer every question as the gazetteer does
// without it — for the field's own words, asked again, for tokens the
// rules build from them, and for another field's words.
func TestStoryViewAnswersAsTheGazetteer(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	view := x.gaz.storyView()
	defer view.release()
	g, v := x.gaz, &view.view
	remembered := 0
	check := func(field, other []tokens.Token) {
		view.read(field)
		built := unElideAll(field)
		for _, ts := range [][]tokens.Token{field, field, built, other, truncated(field)} {
			for i := range ts {
				if a, b := v.startLen(ts[i]), g.startLen(ts[i]); a != b {
					t.Fatalf("startLen(%q): %d through the view, %d without", ts[i].Text, a, b)
				}
				if a, b := v.fold(ts[i]), foldTok(ts[i]); a != b {
					t.Fatalf("fold(%q): %q through the view, foldTok %q", ts[i].Text, a, b)
				}
				n := min(len(ts)-i, g.startLen(ts[i])+1)
				for l := 1; l <= n; l++ {
					w := ts[i : i+l]
					for _, cl := range []bool{false, true} {
						if a, b := v.lookupStarted(w, cl), g.lookupStarted(w, cl); a != b {
							t.Fatalf("lookup %q (caseless %v): %v through the view, %v without", joinText(w), cl, a, b)
						}
					}
					if a, b := v.ordinaryForm(w), g.ordinaryForm(w); a != b {
						t.Fatalf("ordinaryForm %q: %v through the view, %v without", joinText(w), a, b)
					}
				}
			}
		}
		for _, w := range view.words {
			if w.windows > 0 {
				remembered++
			}
		}
	}
	docs := append(shareddata.WikiRef(t), shareddata.UCI(t)[:3000]...)
	for _, d := range docs {
		title, body := tokens.Split(d.Item.Title), tokens.Split(d.Text)
		check(title, body)
		check(body, title)
	}
	check(tokens.Split("L'Allemagne et l'Italie, d'Alembert à Zürich. Łódź’s Kapi'olani, Østfold and Beyoncé’s NATO's U.S.-led"), nil)
	if remembered == 0 {
		t.Fatal("no window was remembered: the view answered nothing itself")
	}
}

// truncated is ts with each word's last byte cut: tokens that start where
// the field's do but are other words.
func truncated(ts []tokens.Token) []tokens.Token {
	out := make([]tokens.Token, 0, len(ts))
	for _, t := range ts {
		if len(t.Text) > 1 && t.Text[len(t.Text)-1] < 0x80 {
			t.Text, t.Lower = t.Text[:len(t.Text)-1], t.Lower[:len(t.Lower)-1]
			out = append(out, t)
		}
	}
	return out
}

// Recognize reads a story through its view of the gazetteer: the mentions
// (and the story's definitions) are those the rules find without it.
func TestRecognizeThroughTheViewFindsTheSameMentions(t *testing.T) {
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	view := x.gaz.storyView()
	defer view.release()
	story := &Extractor{gaz: &view.view, aliases: x.aliases}
	docs := append(shareddata.WikiRef(t), shareddata.UCI(t)[:3000]...)
	for _, d := range docs {
		title, body := tokens.NewField(d.Item.Title), tokens.NewField(d.Text)
		for _, f := range []struct {
			field   tokens.Field
			inTitle bool
		}{{title, true}, {body, false}} {
			sports := &footballStory{title: title, body: body}
			defsWith, defsWithout := map[string]mention{}, map[string]mention{}
			view.read(f.field.Tokens)
			with := story.recognize(nil, f.field, f.inTitle, sports, "en", defsWith)
			without := x.recognize(nil, f.field, f.inTitle, sports, "en", defsWithout)
			if !reflect.DeepEqual(with, without) || !reflect.DeepEqual(defsWith, defsWithout) {
				t.Fatalf("%q: through the view %+v, without %+v", f.field.Text, with, without)
			}
		}
	}
}
