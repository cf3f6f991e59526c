package events

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/state"
)

// fedEvent is a clusterer holding fedStories' event, and its id.
func fedEvent() (*Clusterer, string) {
	c := New(DefaultConfig(), nil)
	var id string
	for _, s := range fedStories() {
		id = c.Assign(s)
	}
	return c, id
}

// A wide event's publisher index is not written: a restored event builds
// it from pubs. Restored at every width around fewPubs and up to the
// bound, it must answer as the live event's does, keep pubs in first-seen
// order, and take new publishers (and refuse repeats) exactly as the
// live event does after the restore.
func TestAWideEventsPublishersAnswerTheSameAfterARestore(t *testing.T) {
	c, id := fedEvent()
	r := rand.New(rand.NewPCG(37, 5))
	var ids []textorder.Keyed[int32]
	for _, width := range []int{fewPubs - 1, fewPubs, fewPubs + 1, fewPubs + 2, 100, maxTrackedPublishers - 1, maxTrackedPublishers} {
		live := c.events[id]
		live.pubs, live.pubOrder, live.pubCount = nil, nil, 0
		name := func() string { return fmt.Sprintf("pub %d%s", r.IntN(3*width), "x"[:r.IntN(2)]) }
		for len(live.pubs) < width {
			live.addPublisher(name())
		}
		got, err := decodeEvent(id, encodeEvent(nil, live, &ids, c.terms), newDict())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.pubs, live.pubs) {
			t.Fatalf("%d publishers: restored %q, live %q", width, got.pubs, live.pubs)
		}
		for range 4 * width {
			p := name()
			if a, b := got.hasPublisher(p), live.hasPublisher(p); a != b {
				t.Fatalf("%d publishers: restored hasPublisher(%q) = %v, live %v", width, p, a, b)
			}
			got.addPublisher(p)
			live.addPublisher(p)
		}
		if !slices.Equal(got.pubs, live.pubs) || got.pubCount != live.pubCount {
			t.Fatalf("%d publishers, then more: restored %d (count %d), live %d (count %d)", width, len(got.pubs), got.pubCount, len(live.pubs), live.pubCount)
		}
		for _, p := range live.pubs {
			if !got.hasPublisher(p) {
				t.Fatalf("%d publishers: the restored event lost %q", width, p)
			}
		}
	}
}

// The index holds 2-byte positions: a log entry listing more publishers
// than an event ever keeps (none written by any release has: the bound is
// maxTrackedPublishers since round 1) is refused as unreadable, not
// indexed by positions that wrap past 65,535 and then answer wrongly.
func TestAnEventWithMorePublishersThanAnEventKeepsIsRefused(t *testing.T) {
	c, id := fedEvent()
	live := c.events[id]
	live.pubs, live.pubOrder = nil, nil
	for i := range 1<<16 + 10 {
		live.pubs = append(live.pubs, fmt.Sprintf("p%06d", i))
	}
	var ids []textorder.Keyed[int32]
	value := encodeEvent(nil, live, &ids, c.terms)
	got, err := decodeEvent(id, value, newDict())
	if err == nil {
		t.Fatalf("an event of %d publishers restored (hasPublisher(%q) = %v), want it refused", len(got.pubs), live.pubs[1<<16+5], got.hasPublisher(live.pubs[1<<16+5]))
	}
	// refused by Load, it holds none of the terms it numbered
	c2 := New(DefaultConfig(), nil)
	held := func() (n int) {
		for _, r := range c2.terms.refs {
			n += int(max(r, 0))
		}
		return n
	}
	before := held()
	if err := c2.Load(state.Entry{Table: state.Events, Key: eventKey(id), Value: value}); err == nil {
		t.Fatal("Load took the event")
	}
	if after := held(); after != before {
		t.Errorf("the refused event holds %d references to terms, want %d", after, before)
	}
}

// Changes copies its entries out every spillBytes and goes on writing
// into the same buffer: no entry handed out — before a spill, after one,
// larger than a spill, or of an earlier batch — may share capacity with
// a later write, and each keeps its own bytes, in the order written.
func TestTheRecordOfChangesEntriesKeepTheirBytesAcrossSpillsAndBatches(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 6))
	var l changes
	type kept struct{ key, value []byte }
	var earlier [][]state.Entry
	var earlierWant [][]kept
	var handedOut [][]byte // every key and value handed out, appended to below
	for round := range 12 {
		l.buf, l.spans = l.buf[:0], l.spans[:0] // as Changes begins
		var want []kept
		for i := range 1 + r.IntN(400) {
			name := fmt.Sprintf("%d_%d", round, i)
			size := r.IntN(3000)
			switch r.IntN(20) {
			case 0:
				size = spillBytes + r.IntN(3*spillBytes) // larger than a spill
			case 1:
				size = -1 // a tombstone
			}
			var value []byte
			if size >= 0 {
				value = bytes.Repeat([]byte{byte(r.Uint32())}, size)
			}
			if r.IntN(3) == 0 {
				k := r.Uint64()
				var ev *event
				if value != nil {
					ev = &event{id: string(value)}
				}
				l.addMember(k, ev)
				want = append(want, kept{binary.LittleEndian.AppendUint64([]byte{'s'}, k), value})
				continue
			}
			l.add('e', name, func(b []byte) []byte {
				if value == nil {
					return nil
				}
				return append(b, value...)
			})
			want = append(want, kept{append([]byte{'e'}, name...), value})
		}
		es := l.entries()
		l.buf, l.spans = reuse(l.buf), reuse(l.spans) // as Changes ends
		if len(es) != len(want) {
			t.Fatalf("round %d: %d entries, want %d", round, len(es), len(want))
		}
		got := make([]kept, len(es))
		for i, e := range es {
			if !bytes.Equal(e.Key, want[i].key) {
				t.Fatalf("round %d, entry %d: key %q, want %q", round, i, e.Key, want[i].key)
			}
			if !bytes.Equal(e.Value, want[i].value) || (e.Value == nil) != (want[i].value == nil) {
				t.Fatalf("round %d, entry %d: a value of %d bytes, want %d", round, i, len(e.Value), len(want[i].value))
			}
			if cap(e.Key) != len(e.Key) || cap(e.Value) != len(e.Value) {
				t.Fatalf("round %d, entry %d: capacity past its end (key %d/%d, value %d/%d)", round, i, len(e.Key), cap(e.Key), len(e.Value), cap(e.Value))
			}
			got[i] = kept{bytes.Clone(e.Key), bytes.Clone(e.Value)}
			handedOut = append(handedOut, e.Key, e.Value)
		}
		// the caller appends to what it was given (its own capacity only)
		for i := range handedOut {
			if handedOut[i] != nil {
				handedOut[i] = append(handedOut[i], 0xee)
			}
		}
		for i, e := range es {
			if !bytes.Equal(e.Key, got[i].key) || !bytes.Equal(e.Value, got[i].value) {
				t.Fatalf("round %d, entry %d changed by an append to another entry", round, i)
			}
		}
		earlier, earlierWant = append(earlier, es), append(earlierWant, got)
		handedOut = handedOut[:0]
		// an earlier batch's entries are not written over by this one's
		for j, prev := range earlier {
			for i, e := range prev {
				if !bytes.Equal(e.Key, earlierWant[j][i].key) || !bytes.Equal(e.Value, earlierWant[j][i].value) {
					t.Fatalf("after round %d: round %d's entry %d changed", round, j, i)
				}
			}
		}
	}
}
