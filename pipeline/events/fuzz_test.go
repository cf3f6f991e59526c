package events

import (
	"encoding/binary"
	"math"
	"slices"
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
	// a halved state's counts and clock carry an epoch (a trailing uvarint)
	h := New(tightConfig(), nil)
	h.TrackChanges(true)
	halvingStream(h, 0, 60, func(es []state.Entry) {
		for _, e := range es {
			if e.Key[0] == 'd' || e.Key[0] == 'c' {
				f.Add(e.Key, e.Value)
			}
		}
	})
	f.Fuzz(func(t *testing.T, key, value []byte) {
		c := New(DefaultConfig(), nil)
		_ = c.Load(state.Entry{Table: state.Events, Key: key, Value: value})
		_ = c.Restored()
	})
}

// FuzzRestoreAHalvedCount restores one term's count and the clock, each
// value arbitrary (cut short, a hostile epoch, trailing bytes), so that
// the restore ages the count by the epochs the two carry: Load and
// Restored return an error or a table whose every count is 1 or more and
// whose document count is what the clock said; they never panic.
func FuzzRestoreAHalvedCount(f *testing.F) {
	one := binary.LittleEndian.AppendUint64(nil, math.Float64bits(1))
	clock := func(epoch []byte) []byte {
		b := state.AppendTime(nil, t0)
		b = binary.AppendUvarint(binary.AppendUvarint(b, 3), 4)
		return append(state.AppendFloat(b, 10), epoch...)
	}
	f.Add(append(slices.Clone(one), 1), clock([]byte{3}))
	f.Add(state.AppendFloat(nil, 1e300), clock(binary.AppendUvarint(nil, math.MaxUint64)))
	f.Add(append(state.AppendFloat(nil, 5), binary.AppendUvarint(nil, math.MaxUint64)...), clock([]byte{1}))
	f.Add(append(slices.Clone(one), 0x80), clock([]byte{0x80}))
	f.Add(append(slices.Clone(one), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), clock(nil))
	f.Add(append(slices.Clone(one), 2, 0), clock([]byte{2, 0}))
	f.Add(one[:5], clock(nil)[:3])
	f.Fuzz(func(t *testing.T, count, clockValue []byte) {
		c := New(DefaultConfig(), nil)
		c.TrackChanges(true)
		if c.Load(state.Entry{Table: state.Events, Key: []byte("dword"), Value: count}) != nil {
			return
		}
		if c.Load(state.Entry{Table: state.Events, Key: []byte("c"), Value: clockValue}) != nil {
			return
		}
		if c.Restored() != nil {
			return
		}
		for term, n := range docFreqs(c) {
			if term != "" && !(n >= 1) {
				t.Fatalf("term %q restored with count %v", term, n)
			}
		}
		_ = c.Changes()
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
