package daemon

import (
	"context"
	"errors"
	"testing"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Only the generation right after the one that ended, for the same
// member, with the partition still its own, carries the drain on: in
// every other case another member may have owned the partition (and
// appended to its changelog partition) in between.
func TestOnlyTheDirectContinuationCarriesTheDrainOn(t *testing.T) {
	const topic = "items"
	owns := func(gen int32, member string, parts ...int) kafkagroup.Assignment {
		a := kafkagroup.Assignment{Generation: gen, MemberID: member, Owned: map[string][]kafkagroup.Partition{}}
		for _, p := range parts {
			a.Owned[topic] = append(a.Owned[topic], kafkagroup.Partition{ID: p})
		}
		return a
	}
	prev := owns(7, "m-1", 0)
	for _, c := range []struct {
		name string
		next kafkagroup.Assignment
		want bool
	}{
		{"the next generation, same member, partition kept", owns(8, "m-1", 0), true},
		{"the next generation, same member, another partition gained too", owns(8, "m-1", 0, 1), true},
		{"the partition lost", owns(8, "m-1", 1), false},
		{"nothing owned", owns(8, "m-1"), false},
		{"a generation in between", owns(9, "m-1", 0), false},
		{"a new member id: the coordinator dropped the member", owns(8, "m-2", 0), false},
		{"no member id (revoked)", owns(8, "", 0), false},
		{"an older generation", owns(7, "m-1", 0), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := carries(prev, c.next, topic, 0); got != c.want {
				t.Errorf("carries(generation 7 of m-1, %+v) = %v, want %v", c.next, got, c.want)
			}
		})
	}
}

// recordingSink notes, for each write, whether the fence's admission was
// held while it was sent.
type recordingSink struct {
	held   *bool
	writes []bool
}

func (s *recordingSink) Write(context.Context, []record.Record) error {
	s.writes = append(s.writes, *s.held)
	return nil
}

// The pipeline's sink writes pass the processor's fence before they
// start: a refused write never reaches the sink, and an admitted one is
// not counted while it is sent (a sink write retrying through an outage
// must not hold the member's rejoin).
func TestASinkWritePassesTheFenceBeforeItStarts(t *testing.T) {
	held := false
	inner := &recordingSink{held: &held}
	refuse := errors.New("the next generation does not carry the drain on")
	verdict := error(nil)
	s := heldSink{sink: inner, hold: func(context.Context) (func(), error) {
		if verdict != nil {
			return nil, verdict
		}
		held = true
		return func() { held = false }, nil
	}}
	recs := []record.Record{&record.Story{ID: "s_1"}}
	if err := s.Write(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	if len(inner.writes) != 1 || inner.writes[0] || held {
		t.Fatalf("admitted write: sent with the admission still counted %v, counted after return %v", inner.writes, held)
	}
	verdict = refuse
	if err := s.Write(t.Context(), recs); !errors.Is(err, refuse) {
		t.Fatalf("refused write returned %v, want %v", err, refuse)
	}
	if len(inner.writes) != 1 {
		t.Fatalf("a refused write reached the sink (%d writes)", len(inner.writes))
	}
}
