package events

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/state"
)

// hostileCounts are n counts of keys in descending order, the order that
// makes counts.add insert each at the front: a restore that takes them
// all moves every count held for each one, n²/2 moves.
func hostileCounts(prefix string, n int) counts {
	c := make(counts, n)
	for i := range c {
		c[i] = keyCount{fmt.Sprintf("%s%06d", prefix, n-i), 1}
	}
	return c
}

// An event entry of a damaged or foreign log with thousands of keyword,
// topic and evidence counts (a live event keeps at most
// maxTrackedKeywords keywords, and its topics and evidence are the
// classifier's few names) restores at most what a live event could hold
// — the first keys, as counts.add takes them — so that the work of its
// restore is bounded by the entry's size times that bound, not by its
// square. Before round 40 it held all 20,000 of each.
func TestAnEventsRestoredCountsAreBoundedAsLiveOnes(t *testing.T) {
	const topicsBound = 256 // far above the 17 IPTC names a live event's topics come from
	live := wordy(t, DefaultConfig(), 1)
	if len(live.events) != 1 {
		t.Fatalf("%d events, want 1", len(live.events))
	}
	var ev *event
	for _, e := range live.events {
		ev = e
	}
	const n = 20000
	ev.keywords, ev.topics, ev.evidence = hostileCounts("k", n), hostileCounts("t", n), hostileCounts("v", n)
	var ids []textorder.Keyed[int32]
	v := encodeEvent(nil, ev, &ids, live.terms)

	c := New(DefaultConfig(), nil)
	if err := c.Load(state.Entry{Table: state.Events, Key: eventKey(ev.id), Value: v}); err != nil {
		t.Fatal(err)
	}
	if err := c.Restored(); err != nil {
		t.Fatal(err)
	}
	got := c.events[ev.id]
	if got == nil {
		t.Fatal("the event was not restored")
	}
	for _, l := range []struct {
		name string
		c    counts
		most int
		key  string
	}{{"keywords", got.keywords, maxTrackedKeywords, "k"}, {"topics", got.topics, topicsBound, "t"}, {"evidence", got.evidence, topicsBound, "v"}} {
		if len(l.c) > l.most {
			t.Errorf("%s: restored %d counts, a live event holds at most %d", l.name, len(l.c), l.most)
		}
		if _, ok := l.c.find(fmt.Sprintf("%s%06d", l.key, n)); !ok {
			t.Errorf("%s: the first key of the entry was not kept", l.name)
		}
		if !slices.IsSortedFunc(l.c, func(a, b keyCount) int { return strings.Compare(a.key, b.key) }) {
			t.Errorf("%s: not in key order", l.name)
		}
	}
}

// A clock entry whose document count no live clusterer holds (NaN,
// negative or infinite: the count starts at 0, grows by 1 a story and is
// halved) is refused and changes nothing. Read as it was before round 40,
// a NaN count made every term's idf NaN, so no story ever joined an event
// again (every similarity NaN), and the count was written back as NaN.
func TestLoadRefusesADocumentCountNoLiveClustererHolds(t *testing.T) {
	c := wordy(t, DefaultConfig(), 20)
	before := c.encodeGlobal()
	for _, n := range []float64{math.NaN(), -1, math.Inf(1)} {
		w := wordy(t, DefaultConfig(), 1)
		w.df.n = n
		if err := c.Load(state.Entry{Table: state.Events, Key: []byte{'c'}, Value: w.encodeGlobal()}); err == nil {
			t.Errorf("document count %v: loaded", n)
		}
		if after := c.encodeGlobal(); !bytes.Equal(after, before) {
			t.Errorf("document count %v: the clock entry reads %x after the refused one, want %x as before", n, after, before)
		}
	}
}

// A term's document frequency of +Inf (live counts are finite: 1 a story,
// halved) is refused: its idf was -Inf, and halvings never forgot it.
func TestLoadRefusesAnInfiniteDocumentFrequency(t *testing.T) {
	c := New(DefaultConfig(), nil)
	if err := c.Load(state.Entry{Table: state.Events, Key: []byte("dinflation"), Value: state.AppendFloat(nil, math.Inf(1))}); err == nil {
		t.Error("loaded")
	}
	if n, ok := c.docFreq("inflation"); ok {
		t.Errorf("the term holds %v", n)
	}
}
