package kafkagroup

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segmentio/kafka-go"
)

func member(id string, gen int32, owned map[string][]int, topics ...string) kafka.GroupMember {
	if len(topics) == 0 {
		topics = []string{"feeds"}
	}
	s := &sticky{}
	s.own(gen, owned)
	data, err := s.UserData()
	if err != nil {
		panic(err)
	}
	return kafka.GroupMember{ID: id, Topics: topics, UserData: data}
}

func parts(topic string, n int) []kafka.Partition {
	ps := make([]kafka.Partition, n)
	for i := range ps {
		ps[i] = kafka.Partition{Topic: topic, ID: i}
	}
	return ps
}

func TestStickyBalancerKeepsPartitionsWhereTheyAre(t *testing.T) {
	tests := []struct {
		name    string
		members []kafka.GroupMember
		parts   []kafka.Partition
		want    map[string][]int // member → partitions of "feeds"
	}{
		{
			name:    "new members share evenly",
			members: []kafka.GroupMember{member("a", 0, nil), member("b", 0, nil)},
			parts:   parts("feeds", 6),
			want:    map[string][]int{"a": {0, 1, 2}, "b": {3, 4, 5}},
		},
		{
			name: "a joining member takes only its share, from the others' surplus",
			members: []kafka.GroupMember{
				member("a", 4, map[string][]int{"feeds": {0, 1, 2}}),
				member("b", 4, map[string][]int{"feeds": {3, 4, 5}}),
				member("c", 0, nil),
			},
			parts: parts("feeds", 6),
			want:  map[string][]int{"a": {0, 1}, "b": {3, 4}, "c": {2, 5}},
		},
		{
			name: "a leaving member's partitions go to the rest, nothing else moves",
			members: []kafka.GroupMember{
				member("a", 7, map[string][]int{"feeds": {0, 1}}),
				member("c", 7, map[string][]int{"feeds": {2, 5}}),
			},
			parts: parts("feeds", 6),
			want:  map[string][]int{"a": {0, 1, 3}, "c": {2, 4, 5}},
		},
		{
			name: "the active member of a one-partition topic stays active when a standby joins",
			members: []kafka.GroupMember{
				member("z-active", 3, map[string][]int{"feeds": {0}}),
				member("a-standby", 0, nil),
			},
			parts: parts("feeds", 1),
			want:  map[string][]int{"z-active": {0}, "a-standby": nil},
		},
		{
			name: "of two claims to a partition the newer generation wins",
			members: []kafka.GroupMember{
				member("a", 5, map[string][]int{"feeds": {0, 1}}), // a zombie that missed generation 6
				member("b", 6, map[string][]int{"feeds": {1, 2, 3}}),
			},
			parts: parts("feeds", 4),
			want:  map[string][]int{"a": {0, 3}, "b": {1, 2}},
		},
		{
			name: "claims to partitions that no longer exist are dropped",
			members: []kafka.GroupMember{
				member("a", 2, map[string][]int{"feeds": {0, 7, 9}}),
				member("b", 2, map[string][]int{"feeds": {1}}),
			},
			parts: parts("feeds", 2),
			want:  map[string][]int{"a": {0}, "b": {1}},
		},
		{
			name: "a member with unreadable user data is dealt like a new one",
			members: []kafka.GroupMember{
				{ID: "a", Topics: []string{"feeds"}, UserData: []byte("not json")},
				member("b", 2, map[string][]int{"feeds": {0, 1, 2, 3}}),
			},
			parts: parts("feeds", 4),
			want:  map[string][]int{"a": {2, 3}, "b": {0, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&sticky{}).AssignGroups(tt.members, tt.parts)
			for id, want := range tt.want {
				if g := got[id]["feeds"]; !slices.Equal(g, want) {
					t.Errorf("%s gets %v, want %v (all: %v)", id, g, want, got)
				}
			}
			checkExactCover(t, got, "feeds", len(tt.parts), len(tt.members))
		})
	}
}

// checkExactCover fails unless every partition has exactly one owner and shares differ by at
// most one.
func checkExactCover(t *testing.T, got kafka.GroupMemberAssignments, topic string, n, members int) {
	t.Helper()
	owner := map[int]string{}
	lo, hi := n, 0
	for id, topics := range got {
		ps := topics[topic]
		lo, hi = min(lo, len(ps)), max(hi, len(ps))
		for _, p := range ps {
			if o, dup := owner[p]; dup {
				t.Errorf("partition %d given to %s and %s", p, o, id)
			}
			owner[p] = id
		}
	}
	if len(owner) != n {
		t.Errorf("%d of %d partitions assigned", len(owner), n)
	}
	if len(got) == members && hi-lo > 1 {
		t.Errorf("shares between %d and %d partitions: not balanced", lo, hi)
	}
}

// Over random groups: every partition has one owner, shares are balanced, and a member keeps
// every partition it claimed up to its share.
func TestStickyBalancerOverRandomGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		n, k := 1+rng.IntN(24), 1+rng.IntN(6)
		owned := map[int]string{}
		var members []kafka.GroupMember
		for m := range k {
			id := fmt.Sprintf("m%d", m)
			var claim []int
			for p := range n + 2 { // claims may name partitions that are gone
				if rng.IntN(k+1) == 0 {
					if _, taken := owned[p]; !taken {
						owned[p] = id
						claim = append(claim, p)
					}
				}
			}
			members = append(members, member(id, 3, map[string][]int{"feeds": claim}))
		}
		got := (&sticky{}).AssignGroups(members, parts("feeds", n))
		checkExactCover(t, got, "feeds", n, k)
		for _, m := range members {
			u, _ := decodeUserData(m.UserData)
			kept := 0
			for _, p := range u.Owned["feeds"] {
				if p < n && slices.Contains(got[m.ID]["feeds"], p) {
					kept++
				}
			}
			valid := 0
			for _, p := range u.Owned["feeds"] {
				if p < n {
					valid++
				}
			}
			if share := len(got[m.ID]["feeds"]); kept < min(valid, share) {
				t.Fatalf("case %d: %s claimed %v, kept %d of them with a share of %d: %v",
					i, m.ID, u.Owned["feeds"], kept, share, got)
			}
		}
		if t.Failed() {
			t.Fatalf("case %d: n=%d k=%d", i, n, k)
		}
	}
}

func TestStickyBalancerOnlyDealsTopicsAMemberSubscribed(t *testing.T) {
	members := []kafka.GroupMember{
		member("fetcher", 0, nil, "feeds"),
		member("processor", 0, nil, "items"),
	}
	got := (&sticky{}).AssignGroups(members, append(parts("feeds", 3), parts("items", 1)...))
	if !slices.Equal(got["fetcher"]["feeds"], []int{0, 1, 2}) || len(got["fetcher"]["items"]) != 0 ||
		!slices.Equal(got["processor"]["items"], []int{0}) || len(got["processor"]["feeds"]) != 0 {
		t.Errorf("assignments %v", got)
	}
}

func FuzzDecodeUserData(f *testing.F) {
	f.Add([]byte(`{"v":1,"gen":3,"owned":{"feeds":[0,2]}}`))
	f.Add([]byte(`{"v":2}`))
	f.Add([]byte(`{"v":1,"owned":{"feeds":[-1,99999999999]}}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := decodeUserData(data)
		if err != nil && (u.Gen != 0 || u.Owned != nil) {
			t.Fatalf("a refused claim came back with content: %+v", u)
		}
		// Whatever a member sends, the leader's assignment stays an exact, balanced cover.
		members := []kafka.GroupMember{{ID: "x", Topics: []string{"feeds"}, UserData: data}, member("y", 1, nil)}
		checkExactCover(t, (&sticky{}).AssignGroups(members, parts("feeds", 5)), "feeds", 5, 2)
	})
}

// A topic the members subscribe to that has no partition when the leader deals the group's (it
// was deleted, or lost with a broker's data dir, and is not created again yet) is noted, once,
// for the generation to wait for its partitions and rejoin (run.awaitPartitions): kafka-go's
// watcher rebalances only on a change of count it saw, and missed a topic created between the
// assignment and its first look (round 29: a processor group owned nothing for 3 minutes).
func TestStickyBalancerNotesATopicWithNoPartitionOnce(t *testing.T) {
	s := &sticky{}
	members := []kafka.GroupMember{member("fetcher", 0, nil, "feeds"), member("processor", 3, map[string][]int{"items": {0}}, "items")}
	got := s.AssignGroups(members, parts("feeds", 2))
	if len(got["processor"]["items"]) != 0 {
		t.Fatalf("a partition of a topic that has none was dealt: %v", got)
	}
	if m := s.takeMissing(); !slices.Equal(m, []string{"items"}) {
		t.Fatalf("topics without partitions at the assignment: %v, want [items]", m)
	}
	if m := s.takeMissing(); m != nil {
		t.Fatalf("taken twice: %v", m)
	}
	s.AssignGroups(members, append(parts("feeds", 2), parts("items", 1)...))
	if m := s.takeMissing(); m != nil {
		t.Fatalf("an assignment with every topic's partitions noted %v", m)
	}
}
