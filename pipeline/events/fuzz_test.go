package events

import (
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
