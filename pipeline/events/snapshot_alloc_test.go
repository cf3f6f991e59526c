package events

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"

	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A compaction's snapshot of the events hands its entries to an emit that
// copies what it keeps (state.Owner's contract), so one array of a chunk's
// bytes serves every chunk: before, each 64 KB of entries was a fresh array
// and a compaction allocated the whole encoded state again (≈ 28 MB in the
// 10k-feed + 1M-story run, round 38). What a snapshot must still allocate
// is its lists in order — the events by recency, the terms and floors by
// text — and a chunk's entries; at a state whose entries are many times
// that, the bytes allocated must stay within those lists plus 1 MiB.
func TestASnapshotAllocatesAChunkNotTheState(t *testing.T) {
	if raceEnabled {
		// 6,000 events under the race detector outlast the package's
		// 10-minute timeout on a loaded box; the allocations are the
		// plain build's to guard
		t.Skip("an allocation figure of the plain build")
	}
	c := unrelated(6000)
	m := statetest.MeasureSnapshot(t, c.Snapshot) // the first grows any scratch a snapshot keeps
	emitted := uint64(m.Emitted)
	if m.Emitted != m.WarmEmitted {
		t.Fatalf("the second snapshot emitted %d bytes, the first %d", m.Emitted, m.WarmEmitted)
	}
	if emitted < 8<<20 {
		t.Fatalf("the state emits only %d bytes: too small to tell a chunk from the state", emitted)
	}
	lists := uint64(len(c.events))*uint64(unsafe.Sizeof((*event)(nil))) +
		uint64(c.df.size)*uint64(unsafe.Sizeof(textorder.Keyed[termID]{})) +
		uint64(len(c.floors.byID))*uint64(unsafe.Sizeof(textorder.Keyed[*floorEntry]{}))
	allocated := m.Allocated
	if allocated > lists+1<<20 {
		t.Errorf("a snapshot of %d bytes of entries allocated %d bytes; its sorted lists are %d, want ≤ lists + 1 MiB", emitted, allocated, lists)
	}
	t.Logf("%d events, %d terms: %d bytes emitted, %d allocated, %d of them the sorted lists", len(c.events), c.df.size, emitted, allocated, lists)
}

// unrelated is a clusterer that has taken n stories of unrelated texts a
// second apart (BenchmarkLiveEventMemory's stream): nearly every story
// founds its own event and none has expired, so the state is n events of
// full centroids, entities and keywords.
func unrelated(n int) *Clusterer {
	r := rand.New(rand.NewPCG(1, 2))
	vocab, text := benchWords(r)
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	for i := range n {
		c.AddStory(unrelatedStory(r, vocab[:5000], text, i, t0))
		if i%10 == 9 {
			c.Changes()
		}
	}
	c.Changes()
	return c
}

// unrelatedStory is the i-th story of the unrelated stream that starts at
// start, a second apart: a title of 10 words and a body of 120 from text,
// and 8 people and 8 keywords drawn from names.
func unrelatedStory(r *rand.Rand, names []string, text func(words int) string, i int, start time.Time) *record.Story {
	s := &record.Story{ID: fmt.Sprintf("s_%022d", i), Title: text(10), Body: text(120), Language: "en",
		Publisher: fmt.Sprintf("pub%d", i%100), FirstSeen: start.Add(time.Duration(i) * time.Second)}
	for range 8 {
		s.Entities = append(s.Entities, record.Entity{Key: "person:" + names[r.IntN(len(names))], Name: "X", Kind: "person"})
		s.Keywords = append(s.Keywords, names[r.IntN(len(names))])
	}
	return s
}
