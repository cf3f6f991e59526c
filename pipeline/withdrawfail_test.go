package pipeline

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
)

// landingSink stores every Write's records and then fails the Writes
// that fail names (counted from 1): a write whose records reached the
// topic but whose acknowledgement was lost, as when a produce request
// times out after the broker appended it.
type landingSink struct {
	mu   sync.Mutex
	n    int
	fail map[int]bool
	recs []record.Record
}

var errAckLost = errors.New("injected: the write landed but its acknowledgement was lost")

func (s *landingSink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	s.recs = append(s.recs, recs...)
	if s.fail[s.n] {
		return errAckLost
	}
	return nil
}

// An event's revision never goes back on the sink, also when the batch
// that superseded it fails without publishing anything of it. Withdraw
// publishes nothing for an event whose last record on the sink is
// already its retraction: it only raises the id's floor, in the failing
// batch's state, which the rewind drops. The record Withdraw was given
// must then be superseded again by the next batch, or the event's
// founding story, read again, founds the id at revision 1 below the
// retraction on the topic (CI's seed 11 of
// TestRoleAllInFlightFailuresKeepTheCountsTrue, round 21).
func TestAFailedBatchThatSupersededAnEventLeavesItsRevisionFloor(t *testing.T) {
	polls := archive.Polls()
	storm, ecb, museum := polls[0], polls[2], polls[12]
	// 1: the ECB event founded at revision 1 lands, the batch fails;
	// 2: its retraction (revision 2) lands, the batch fails;
	// 3: Withdraw sees the retraction: floor 3, nothing to publish; the
	//    batch fails;
	// 4: the ECB poll read again founds the event above the floor.
	sink := &landingSink{fail: map[int]bool{1: true, 2: true, 3: true}}
	p := durablePipeline(t, t.TempDir(), sink)
	for i, poll := range []archive.Poll{ecb, storm, museum, ecb, storm, museum} {
		err := p.Process(context.Background(), poll.Batch())
		if failed := err != nil; failed != sink.fail[i+1] {
			t.Fatalf("poll %d (%s): Process returned %v; the sink failed it: %v", i+1, poll.Feed, err, sink.fail[i+1])
		}
	}
	var ecbRevs []int
	ecbID := ""
	for _, r := range sink.recs {
		if ev, ok := r.(*record.Event); ok && ev.Title == "ECB holds rates as inflation eases slowly" {
			if ecbID != "" && ev.ID != ecbID {
				t.Fatalf("the ECB poll founded two event ids, %s and %s: the test no longer follows one id", ecbID, ev.ID)
			}
			ecbID = ev.ID
			ecbRevs = append(ecbRevs, ev.Revision)
		}
	}
	if len(ecbRevs) < 3 {
		t.Fatalf("the ECB event's records on the sink have revisions %v; want its founding, its retraction and its founding again", ecbRevs)
	}
	archive.RequireRevisionsRise(t, sink.recs)
}
