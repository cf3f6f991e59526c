package spikes

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A watched word counts every story whose text says it, whether or not
// the keyword picker chose it among a story's few keywords: of the demo's
// first 25 stories, 4 said "strike" and none carried it as a keyword, so
// `watch: [strike]` — what a newcomer writes to alert on a keyword spike
// — never fired. It counts under the keyword's own key ("strike"), so the
// stories that do carry the keyword count under the same term.
func TestAWatchedWordCountsTheStoriesWhoseTextSaysIt(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Watch = []string{"Strike", "person:keir_starmer", "port of  Rotterdam"} // two spaces, as typed
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(7, 8)))
	texts := []struct{ title, body string }{
		{"Dockworkers walk out", "The STRIKE began at dawn."},
		{"Port at a standstill", "Unions said the strike would go on."},
		{"Strike!", ""},
		{"Strikers gather", "Hundreds of strikers marched."},                // no whole word
		{"Starmer speaks", "Keir Starmer and person:keir_starmer..."},       // a key is not searched in the text
		{"Ships wait", "Ships queue outside the Port of  Rotterdam today."}, // phrases match across spaces
		{"Ships wait again", "The port of Rotterdam is closed."},
		{"Port of Rotterdam shut", ""},
	}
	for i, tx := range texts {
		s := f.story(fmt.Sprintf("outlet-%d", i))
		s.Title, s.Body = tx.title, tx.body
		if i == 1 {
			s.Keywords = []string{"strike"} // the picker's keyword: the same term
		}
		f.add(s)
	}
	got := map[string]*record.Alert{}
	for _, a := range f.tick() {
		got[a.Term] = a
	}
	a := got["strike"]
	if a == nil {
		t.Fatalf("no alert for the watched word; alerts %v", terms(f.alerts))
	}
	if a.Stories != 3 || !a.Watched || a.TermKind != "keyword" || a.TermName != "Strike" {
		t.Errorf("alert %+v: want 3 stories (not the strikers'), watched, a keyword named as the list writes it", a)
	}
	if p := got["port of rotterdam"]; p == nil || p.Stories != 3 || !p.Watched {
		t.Errorf("alert for the watched phrase: %+v, want 3 stories, watched", p)
	}
	if got["person:keir_starmer"] != nil {
		t.Errorf("a watched entity key was searched in the text: %+v", got["person:keir_starmer"])
	}
}

func TestContainsWordsMatchesWholeWordsAcrossAnySeparators(t *testing.T) {
	for _, c := range []struct {
		text, watch string
		want        bool
	}{
		{"zelensky's visit", "Zelensky", true},
		{"selenskyj's visit", "Zelensky", false},
		{"strikers marched; the strike", "strike", true},
		{"strikers marched", "strike", false},
		{"a port-of rotterdam sign", "port of Rotterdam", true},
		{"port of rotterdamers", "port of Rotterdam", false},
		{"covid-19 cases", "COVID 19", true},
		{"über-strike", "strike", true},
		{"ästrike", "strike", false},
		{"\xff\xfestrike", "strike", true}, // broken UTF-8 before it is no letter
	} {
		ws := textWatches([]string{c.watch})
		if got := ws[0].saidIn([]string{c.text}); got != c.want {
			t.Errorf("%q in %q = %v, want %v", c.watch, c.text, got, c.want)
		}
	}
}

// An entry typed with two spaces is the term of one: before, a burst whose
// first story carried the picked keyword ("port of rotterdam") was judged
// at the default bars, the entry matching neither its key nor its name.
func TestAWatchEntryTypedWithTwoSpacesIsWatched(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Watch = []string{"port of  Rotterdam"}
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(9, 10)))
	for i := range 3 {
		f.observe(fmt.Sprintf("outlet-%d", i), "port of rotterdam")
	}
	var got *record.Alert
	for _, a := range f.tick() {
		if a.Term == "port of rotterdam" {
			got = a
		}
	}
	if got == nil || !got.Watched {
		t.Fatalf("alert %+v, want one at the watch bars", got)
	}
}
