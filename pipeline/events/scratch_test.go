package events

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// scratchBytes is what the record of changes keeps between batches.
func scratchBytes(l *changes) int {
	return cap(l.buf) + 24*cap(l.spans) + 8*cap(l.events) + 16*cap(l.members) + 24*cap(l.dfTerms) +
		40*cap(l.closed) + 16*cap(l.floors) + 24*cap(l.uniq)
}

// A cold start's first batches hold thousands of stories: the record of
// changes must give that capacity back once batches are small again, not
// keep it for good (round 31: ≈ 58 MB in the 10k-feed harness), and keep
// what a steady load of one size uses, so it does not allocate anew.
func TestTheRecordOfChangesGivesBackALargeBatchsCapacity(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	_, text := benchWords(r)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	seq := 0
	batch := func(n int) {
		for range n {
			seq++
			c.Assign(&record.Story{ID: fmt.Sprintf("s_%022d", seq), Title: text(10), Body: text(60), Language: "en",
				Publisher: "pub", FirstSeen: t0.Add(time.Duration(seq) * time.Second)})
		}
		c.Changes()
	}
	batch(8)
	small := scratchBytes(&c.log)
	batch(4000)
	large := scratchBytes(&c.log)
	if large < 16*keepScratch {
		t.Fatalf("a batch of 4,000 stories left %d bytes of scratch: too few to tell", large)
	}
	batch(8)
	after := scratchBytes(&c.log)
	if after > max(2*small, 8*keepScratch) {
		t.Errorf("scratch: %d bytes after 8 stories, %d after 4,000, still %d after 8 again", small, large, after)
	}
	for i, ev := range c.log.events[:cap(c.log.events)] {
		if ev != nil {
			t.Fatalf("the record keeps event %d (%s) after Changes", i, ev.id)
		}
	}
	batch(4000)
	buf := &c.log.buf[:1][0]
	batch(4000)
	if &c.log.buf[:1][0] != buf {
		t.Errorf("two batches of 4,000 stories: the second allocated its buffer anew")
	}
}
