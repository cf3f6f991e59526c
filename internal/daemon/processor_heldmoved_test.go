package daemon

import (
	"context"
	"testing"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A processor that discarded its pipeline after a failed batch holds the
// batches' event records and alerts for its next pipeline to supersede
// and retract. If the partition moves first, its next owner does that
// from the changelog's notes; held on, they went to this processor's next
// pipeline, perhaps of another partition, which retracted an event id or
// an alert its own partition holds (before round 33). A processor that
// keeps the partition keeps them.
func TestAProcessorForgetsWhatItHeldForAPartitionThatMoved(t *testing.T) {
	for _, tc := range []struct {
		name string
		lost []int
		keep bool
	}{
		{"the partition moved", []int{0}, false},
		{"another topic's partition moved", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Processor{topic: "items"}
			p.superseded = []*record.Event{{ID: "e1", Revision: 2}}
			p.retracted = []*record.Alert{{ID: "acme@x/firing", Term: "acme", State: record.AlertFiring}}
			p.assigned(context.Background(), kafkagroup.Assignment{Lost: map[string][]int{"items": tc.lost, "other": {3}}})
			if held := len(p.superseded) > 0 && len(p.retracted) > 0; held != tc.keep {
				t.Errorf("held %d event records and %d alerts, want them kept: %t", len(p.superseded), len(p.retracted), tc.keep)
			}
		})
	}
}
