package spikes

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// Load reads a whole entry before it changes anything: an entry it
// refuses — cut short, or with bytes after its value — leaves the
// detector exactly as it was (state.UnreadableEntryError: the log skips
// it), and the error names what the entry was and its key. Before round
// 38 a seen story, a baseline, the clock, a bucket's count, story list
// and folded mark, and an observation were stored before the bytes left
// over were found.
func TestAnUnreadableEntryLeavesTheDetectorAsItWas(t *testing.T) {
	// a detector with state of every kind, as a restore part-way has it
	src := newFeed(DefaultConfig())
	src.d.TrackChanges(true)
	for range 3 {
		src.observe("AP", "acme", "person:zelensky")
		src.observe("BBC", "acme", "port")
	}
	src.tick()
	src.observe("AP", "acme", "quake")
	var snap []state.Entry
	if err := src.d.Snapshot(func(e state.Entry) error { snap = append(snap, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	snap = append(snap, src.d.Changes()...) // an observation ('o') among them
	loaded := func() *Detector {
		d := New(DefaultConfig(), nil)
		d.m = src.d.m // metrics are no memory of the detector's: the same, to compare the rest
		for _, e := range snap {
			if err := d.Load(e); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	kinds := map[byte]string{'k': "seen story", 'o': "observation", 't': "baseline", 'g': "clock", 'b': "count", 'l': "story list", 'a': "folded"}
	tried := map[byte]bool{}
	for _, e := range snap {
		if e.Value == nil || tried[e.Key[0]] {
			continue
		}
		tried[e.Key[0]] = true
		for _, bad := range []struct {
			name  string
			value []byte
		}{
			{"a trailing byte", append(append([]byte(nil), e.Value...), 0x2a)},
			{"cut short", e.Value[:len(e.Value)-1]},
		} {
			if e.Key[0] == 'l' && bad.name == "cut short" {
				bad.value = append(append([]byte(nil), e.Value...), 1, 2, 3) // not a whole key
			}
			if e.Key[0] == 'a' && bad.name == "cut short" {
				bad.value = []byte{0x80} // a number cut short
			}
			d, want := loaded(), loaded()
			err := d.Load(state.Entry{Table: state.Spikes, Key: e.Key, Value: bad.value})
			if err == nil {
				t.Errorf("%s entry %q, %s: loaded", kinds[e.Key[0]], e.Key, bad.name)
				continue
			}
			if !strings.Contains(err.Error(), kinds[e.Key[0]]) || !strings.Contains(err.Error(), whereOf(e.Key)) {
				t.Errorf("%s entry %q, %s: error %q names neither what nor where (%s)", kinds[e.Key[0]], e.Key, bad.name, err, whereOf(e.Key))
			}
			if !reflect.DeepEqual(d, want) {
				t.Errorf("%s entry %q, %s: the detector's memory changed", kinds[e.Key[0]], e.Key, bad.name)
			}
		}
	}
	if len(tried) != len(kinds) {
		t.Fatalf("the entries tried are of kinds %v, want all of %v", tried, kinds)
	}
	// a detector that loaded nothing yet has nothing to rebuild after a refusal
	d := New(DefaultConfig(), nil)
	if err := d.Load(state.Entry{Table: state.Spikes, Key: []byte{'g'}, Value: []byte{1}}); err == nil || d.restore != nil || d.started {
		t.Errorf("a clock cut short on a fresh detector: err %v, restore %v, started %v", err, d.restore, d.started)
	}
}

// whereOf is what an error about the entry of key must say to find it:
// the term, the bucket, or the story key in hex.
func whereOf(key []byte) string {
	switch key[0] {
	case 't':
		return strconv.Quote(string(key[1:]))
	case 'b':
		return fmt.Sprintf("%q in bucket %d", key[9:], binary.BigEndian.Uint64(key[1:9]))
	case 'l':
		return fmt.Sprintf("bucket %d", binary.BigEndian.Uint64(key[1:9]))
	case 'k', 'o':
		return fmt.Sprintf("%016x", binary.LittleEndian.Uint64(key[1:]))
	}
	return ""
}
