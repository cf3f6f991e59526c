package pipeline

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// refusingSink appends every record of a Write but the one refuse picks
// (the first it picks, once), and fails that Write: the broker refused one
// message of a produce request and appended the others, as a per-message
// kafka.WriteErrors reports. The lost Writes after it append all their
// records and fail (their acknowledgement lost).
type refusingSink struct {
	mu      sync.Mutex
	refuse  func(r record.Record) bool
	refused record.Record
	lost    int
	recs    []record.Record
}

func (s *refusingSink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused != nil && s.lost > 0 {
		s.lost--
		s.recs = append(s.recs, recs...)
		return errAckLost
	}
	failed := false
	for _, r := range recs {
		if s.refused == nil && s.refuse(r) {
			s.refused, failed = r, true
			continue
		}
		s.recs = append(s.recs, r)
	}
	if failed {
		return errRefused
	}
	return nil
}

func (s *refusingSink) Records() []record.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recs)
}

// memoryPipeline is durablePipeline without a state log: every stage's
// state in memory only, as a run without a data directory keeps it.
func memoryPipeline(t testing.TB, sink Sink) *Pipeline {
	t.Helper()
	return pipelineOnLog(t, nil, state.DefaultConfig(), sink, DefaultConfig(), nil)
}

// compacted is what a compacted topic keeps of recs, in the order they
// were published: each event's last record, without the wall-clock
// fields (archive.OutcomeOf keeps the highest revision instead).
func compacted(recs []record.Record) archive.Outcome {
	out := archive.OutcomeOf(recs)
	for _, r := range recs {
		if ev, ok := r.(*record.Event); ok {
			e := *ev
			e.FirstSeen, e.LastSeen = time.Time{}, time.Time{}
			out.Final[ev.ID] = &e
		}
	}
	return out
}

// A record the sink refuses fails its batch: the batch is read again and
// what the refused record said must reach the topic, while what the
// write's other records said — appended, but of a batch never committed —
// must not outlast the truth. Whatever one message of a write the broker
// refuses — an event's close, a merge's end, an event's revision — the
// events topic, compacted, ends as a run whose writes never failed ends:
// each event's last record is its true state (live, closed, merged), no
// story is held by two events, every count is the same, and revisions
// rise. With a state log that replays (the file log) and without one
// (state in memory only) alike.
func TestARefusedRecordOfAWriteIsNotLostNorOutlastedByItsBatch(t *testing.T) {
	polls := archive.Polls()
	ecbDay1 := archive.StoryID("herald", "ecb-herald")
	storm := archive.StoryID("wire", "storm-wire")
	flood := []record.Item{
		heraldItem("a", "Rivers burst their banks in southern Brazil", "<p>Heavy rain flooded towns along the Taquari valley as rivers burst their banks and families left their homes.</p>", 0),
		heraldItem("b", "Governor asks for emergency funds and troops", "<p>The governor asked the federal government for emergency funds and troops to clear roads and restore power.</p>", time.Minute),
		heraldItem("c", "Brazil floods: governor asks for troops as rivers burst banks", "<p>Heavy rain flooded towns along the Taquari valley; the governor asked for emergency funds and troops as rivers burst their banks.</p>", 2*time.Minute),
	}
	var floodPolls []record.Batch // one story a poll: the third merges the first two's events
	for _, it := range flood {
		floodPolls = append(floodPolls, record.Batch{Feed: record.FeedRef{URL: heraldFeed}, Items: []record.Item{it}})
	}
	var archiveBatches []record.Batch
	for _, p := range polls {
		archiveBatches = append(archiveBatches, p.Batch())
	}
	lists := func(id string) func(*record.Event) bool {
		return func(ev *record.Event) bool { return slices.Contains(ev.StoryIDs, id) }
	}
	tests := []struct {
		name     string
		batches  []record.Batch
		refuse   func(ev *record.Event) bool
		withCopy bool // the refused write carries a copy (a duplicate) of a story
		lost     int  // the writes after the refused one that land without an ack
	}{
		{"the close of an event", archiveBatches, func(ev *record.Event) bool {
			return ev.Expired && !ev.Retracted && lists(ecbDay1)(ev)
		}, false, 0},
		{"the close of an event, its batch's next write landing without an ack", archiveBatches, func(ev *record.Event) bool {
			return ev.Expired && !ev.Retracted && lists(ecbDay1)(ev)
		}, false, 1},
		{"a revision of an event", archiveBatches, func(ev *record.Event) bool {
			return !ev.Expired && ev.Revision > 1 && lists(ecbDay1)(ev)
		}, false, 0},
		{"a revision of an event that a copy in the same write counts", archiveBatches, func(ev *record.Event) bool {
			return !ev.Expired && ev.Revision > 1 && lists(storm)(ev)
		}, true, 0},
		{"the end of an event merged into another", floodPolls, func(ev *record.Event) bool {
			return ev.MergedInto != ""
		}, false, 0},
		{"the end of an event merged into another, its batch's next write landing without an ack", floodPolls, func(ev *record.Event) bool {
			return ev.MergedInto != ""
		}, false, 1},
	}
	modes := []struct {
		name string
		new  func(t testing.TB, sink Sink) *Pipeline
	}{
		{"file log", func(t testing.TB, sink Sink) *Pipeline { return durablePipeline(t.(*testing.T), t.TempDir(), sink) }},
		{"memory only", memoryPipeline},
	}
	for _, tc := range tests {
		for _, mode := range modes {
			t.Run(tc.name+", "+mode.name, func(t *testing.T) {
				ctx := context.Background()
				ref := &memSink{}
				pr := mode.new(t, ref)
				for i, b := range tc.batches {
					if err := pr.Process(ctx, b); err != nil {
						t.Fatalf("reference run, batch %d: %v", i+1, err)
					}
				}
				sink := &refusingSink{lost: tc.lost, refuse: func(r record.Record) bool {
					ev, ok := r.(*record.Event)
					return ok && tc.refuse(ev)
				}}
				p := mode.new(t, sink)
				for i, b := range tc.batches {
					var err error
					for range 3 { // the source reads a failed batch again
						if err = p.Process(ctx, b); err == nil {
							break
						}
					}
					if err != nil {
						t.Fatalf("batch %d failed three times: %v", i+1, err)
					}
				}
				if sink.refused == nil {
					t.Fatal("no record was refused: the test no longer refuses what it names")
				}
				refused := sink.refused.(*record.Event)
				t.Logf("refused %s r%d (expired %v, merged into %q)", refused.ID, refused.Revision, refused.Expired, refused.MergedInto)
				recs := sink.Records()
				archive.RequireRevisionsRise(t, recs)
				want, got := compacted(ref.recs), compacted(recs)
				archive.RequireSameButRevisions(t, "clean", want, "refused", got)
				if ev := got.Final[refused.ID]; ev == nil || fmt.Sprint(ev.Expired, ev.MergedInto) != fmt.Sprint(want.Final[refused.ID].Expired, want.Final[refused.ID].MergedInto) {
					t.Errorf("event %s's last record on the topic is %+v; the refused record was %+v", refused.ID, ev, *refused)
				}
			})
		}
	}
}
