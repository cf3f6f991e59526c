package pipeline

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
)

// lossySink fails the Writes that land names after storing their records
// (a write whose acknowledgement was lost), and those that lose names
// without storing anything (a write the broker refused), counted from 1.
type lossySink struct {
	mu         sync.Mutex
	n          int
	land, lose map[int]bool
	recs       []record.Record
}

var errRefused = errors.New("injected: the broker refused the write")

func (s *lossySink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if s.lose[s.n] {
		return errRefused
	}
	s.recs = append(s.recs, recs...)
	if s.land[s.n] {
		return errAckLost
	}
	return nil
}

// A retraction that supersedes an event record of a batch not committed
// may itself never reach the sink: its batch failed too. The record it
// was to supersede then still lists stories on the topic, and must be
// superseded again: the next run cannot take the retraction it was handed
// for what the sink holds. Else the event stays live on a compacted
// topic holding stories the log placed in another event (CI's seed 12 of
// TestRoleAllInFlightFailuresKeepTheCountsTrue, round 25: the Acme recall
// story held by its own event and by the herald's retracted one).
func TestARetractionThatNeverLandedIsPublishedAgain(t *testing.T) {
	polls := archive.Polls()
	wire, herald := polls[7], polls[9]
	// 1: the herald founds its event; the write lands, the batch fails;
	// 2: the wire's run retracts the herald's event and founds its own;
	//    the write is refused: nothing of it lands;
	// 3: the wire read again: the herald's event must be retracted again;
	// 4: the herald read again joins the wire's event.
	sink := &lossySink{land: map[int]bool{1: true}, lose: map[int]bool{2: true}}
	p := durablePipeline(t, t.TempDir(), sink)
	for i, poll := range []archive.Poll{herald, wire, wire, herald} {
		err := p.Process(context.Background(), poll.Batch())
		if failed := err != nil; failed != (sink.land[i+1] || sink.lose[i+1]) {
			t.Fatalf("poll %d (%s): Process returned %v", i+1, poll.Feed, err)
		}
	}
	heraldStory := archive.StoryID(herald.Feed, "acme-herald")
	last := map[string]*record.Event{}
	for _, r := range sink.recs {
		if ev, ok := r.(*record.Event); ok {
			last[ev.ID] = ev
		}
	}
	var holders []string
	for id, ev := range last {
		if ev.MergedInto == "" && slices.Contains(ev.StoryIDs, heraldStory) {
			holders = append(holders, id)
		}
	}
	slices.Sort(holders)
	if len(holders) != 1 {
		t.Errorf("the herald's story is held by %d events on the topic: %v", len(holders), holders)
	}
	archive.RequireRevisionsRise(t, sink.recs)
}
