package events

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// FuzzLoad restores arbitrary entries, as a damaged or foreign state log
// would hold: Load returns an error or applies them, and never panics.
func FuzzLoad(f *testing.F) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	s := story("s-1", "Pub", 0, "Storm hits the coast", "A storm hit the coast on Monday.", "place:GB")
	c.AddStory(s)
	for _, e := range c.Changes() {
		f.Add(e.Key, e.Value)
	}
	f.Add([]byte("e"), []byte{1, 0xff})
	f.Fuzz(func(t *testing.T, key, value []byte) {
		c := New(DefaultConfig(), nil)
		_ = c.Load(state.Entry{Table: state.Events, Key: key, Value: value})
		_ = c.Restored()
	})
}

// FuzzTokens splits arbitrary text, as a feed's headline or body may hold
// anything: tokens never panics, and a word is never empty nor begins or
// ends at a hyphen (a hyphen is only kept inside a word, next to a
// one-letter part).
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Sprint Vows Price War If T-Mobile Deal Approved", "Jay-Z at the G-20 in 3-D", "x-", "-x", "a--b", "é-x", "x-é", "Lashkar-e-Taiba"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, w := range tokens(nil, text, "en") {
			if w == "" || strings.HasPrefix(w, "-") || strings.HasSuffix(w, "-") {
				t.Fatalf("tokens(%q) has the word %q", text, w)
			}
		}
	})
}
