package daemon

import (
	"testing"

	"github.com/wirestream/wirestream/internal/kafkagroup"
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
