package spikes

import (
	"strings"
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
	// the record of the text search's words (watchsince.go): its mark,
	// a word counted from the start, one from a bucket after it
	f.Add([]byte("t"+textMark), appendEvictedFiring(nil, 0))
	f.Add([]byte("t"+textWatchKey("strike")), appendEvictedFiring(nil, fromStart))
	f.Add([]byte("t"+textWatchKey("port strike")), appendEvictedFiring(nil, 5))
	f.Add(bucketKey('b', 5, "acme"), acmeCount())
	f.Fuzz(func(t *testing.T, key, value []byte) {
		d := New(DefaultConfig(), nil)
		err := d.Load(state.Entry{Table: state.Spikes, Key: key, Value: value})
		_ = d.Restored()
		if err != nil || value == nil {
			return
		}
		// A value it took, with one byte more, is not the same value.
		long := append(append([]byte(nil), value...), 0)
		if err := New(DefaultConfig(), nil).Load(state.Entry{Table: state.Spikes, Key: key, Value: long}); err == nil {
			t.Errorf("Load took %q with a trailing byte after its value %x", key, value)
		}
	})
}

func TestLoadRefusesBytesAfterTheValue(t *testing.T) {
	o := &observation{seq: 1, bucket: 5, id: "s-1", pub: "p", eventID: "e", terms: []obsTerm{{key: "k", name: "K"}}}
	for _, c := range []struct {
		name       string
		key, value []byte
	}{
		{"an observation", key8('o', 1), encodeObservation(nil, o)},
		{"a seen story", key8('k', 1), []byte{4}},
		{"the clock", []byte{'g'}, []byte{1, 2, 4, 6, 8}},
		{"a term's baseline", []byte("tacme"), func() []byte {
			d := New(DefaultConfig(), nil)
			d.terms.put(&termState{key: "acme", name: "Acme", kind: entityKind, watched: true, mean: 1.5, variance: 0.25, updated: 9})
			return d.encodeTerm("acme")
		}()},
		{"a bucket's count", bucketKey('b', 5, "acme"), acmeCount()},
		{"a bucket's story list", bucketKey('l', 5, ""), []byte{1, 0, 0, 0, 0, 0, 0, 0}},
		{"the folded mark", []byte{'a'}, []byte{7}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := New(DefaultConfig(), nil).Load(state.Entry{Table: state.Spikes, Key: c.key, Value: c.value}); err != nil {
				t.Fatalf("the well-formed value is refused: %v", err)
			}
			long := append(append([]byte(nil), c.value...), 0x2a)
			err := New(DefaultConfig(), nil).Load(state.Entry{Table: state.Spikes, Key: c.key, Value: long})
			if err == nil || !strings.Contains(err.Error(), "left over") {
				t.Errorf("a trailing byte: err = %v, want one saying bytes are left over", err)
			}
		})
	}
}

// acmeCount is the encoding of a bucket's count of Acme: two stories from
// one publisher.
func acmeCount() []byte {
	ob := newOpenBucket()
	ob.pubs.id("p")
	c := ob.counts.add("acme", "Acme")
	c.kind, c.stories, c.more = entityKind, 2, &countLists{pubs: pubSet{ids: []uint32{0}}}
	return encodeCount(ob, c)
}
