package spikes

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// FuzzLoad restores arbitrary entries, as a damaged or foreign state log
// would hold: Load returns an error or applies them, and never panics.
func FuzzLoad(f *testing.F) {
	o := &observation{seq: 1, bucket: 5, id: "s-1", pub: "p", eventID: "e", terms: []obsTerm{{key: "k", name: "K"}}}
	f.Add(key8('o', 1), encodeObservation(nil, o))
	f.Add([]byte{'g'}, []byte{1, 2, 4, 6, 8})
	f.Add([]byte("tacme"), []byte{3, 1, 'a', 1, 'b'})
	f.Add(bucketKey('b', 5, "acme"), encodeCount(&count{name: "Acme", kind: "entity", stories: 2, pubs: map[string]struct{}{"p": {}}}))
	f.Fuzz(func(t *testing.T, key, value []byte) {
		d := New(DefaultConfig(), nil)
		_ = d.Load(state.Entry{Table: state.Spikes, Key: key, Value: value})
		_ = d.Restored()
	})
}
