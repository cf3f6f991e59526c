package kafkagroup

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/segmentio/kafka-go"
)

// stickyProtocol names the balancer in JoinGroup. Every member of a group must offer it for
// the coordinator to pick it; a member built without it makes the group fall back to range.
const stickyProtocol = "wirestream-sticky-v1"

// sticky is a kafka-go GroupBalancer that keeps partitions where they are. Each member sends
// what it owns (and of which generation) as its user data; the leader lets every member keep
// what it owns up to its fair share and deals out only the rest. With kafka-go's built-in
// range balancer a joining member reshuffles nearly every partition, and the active processor
// of a one-partition topic is whichever member id sorts first — a new standby could take the
// partition from a healthy active one. Balance is still exact: shares differ by at most one.
type sticky struct {
	mu    sync.Mutex
	gen   int32
	owned map[string][]int
	// missing are the topics the members subscribe to that had no partition when this member,
	// as the leader, last dealt them (takeMissing).
	missing []string
}

// takeMissing returns, and forgets, the topics that had no partition at this member's last
// assignment as the group's leader: the generation it made deals none of them, and kafka-go
// rebalances when a topic's partition count changes only if its watcher saw the count before
// the change — a topic created between the assignment and the watcher's first look (a topic
// deleted and created again, a broker back on an empty data dir) stayed undealt for ever.
func (s *sticky) takeMissing() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.missing
	s.missing = nil
	return m
}

// own records what this member holds now, for its next JoinGroup.
func (s *sticky) own(gen int32, owned map[string][]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen, s.owned = gen, owned
}

func (s *sticky) ProtocolName() string { return stickyProtocol }

// userData is what a member tells the leader, as JSON: small, and readable in a dump.
type userData struct {
	V     int              `json:"v"`
	Gen   int32            `json:"gen"`
	Owned map[string][]int `json:"owned,omitempty"`
}

func (s *sticky) UserData() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return json.Marshal(userData{V: 1, Gen: s.gen, Owned: s.owned})
}

// decodeUserData reads a member's claim. Bad or foreign data is no claim: the member is dealt
// partitions as if it were new, which is always safe.
func decodeUserData(b []byte) (userData, error) {
	var u userData
	if len(b) == 0 {
		return u, nil
	}
	if err := json.Unmarshal(b, &u); err != nil {
		return userData{}, fmt.Errorf("sticky balancer: member user data: %w", err)
	}
	if u.V != 1 {
		return userData{}, fmt.Errorf("sticky balancer: member user data version %d, want 1", u.V)
	}
	return u, nil
}

func (s *sticky) AssignGroups(members []kafka.GroupMember, partitions []kafka.Partition) kafka.GroupMemberAssignments {
	out := make(kafka.GroupMemberAssignments, len(members))
	claims := make(map[string]userData, len(members))
	for _, m := range members {
		out[m.ID] = map[string][]int{}
		u, _ := decodeUserData(m.UserData) // a bad claim is no claim
		claims[m.ID] = u
	}
	byTopic := map[string][]int{}
	for _, p := range partitions {
		byTopic[p.Topic] = append(byTopic[p.Topic], p.ID)
	}
	var missing []string
	for _, m := range members {
		for _, topic := range m.Topics {
			if len(byTopic[topic]) == 0 && !slices.Contains(missing, topic) {
				missing = append(missing, topic)
			}
		}
	}
	slices.Sort(missing)
	s.mu.Lock()
	s.missing = missing
	s.mu.Unlock()
	for topic, parts := range byTopic {
		var subscribed []string
		for _, m := range members {
			if slices.Contains(m.Topics, topic) {
				subscribed = append(subscribed, m.ID)
			}
		}
		for id, ps := range assignTopic(topic, parts, subscribed, claims) {
			if len(ps) > 0 {
				out[id][topic] = ps
			}
		}
	}
	return out
}

// assignTopic deals one topic's partitions to the members subscribed to it: each keeps what it
// claims up to its share, then the rest go to those below their share. A partition two members
// claim (one of them a zombie that missed a generation) stays with the newer claim.
func assignTopic(topic string, parts []int, members []string, claims map[string]userData) map[string][]int {
	if len(members) == 0 {
		return nil
	}
	slices.Sort(members)
	exists := make(map[int]bool, len(parts))
	for _, p := range parts {
		exists[p] = true
	}
	// Who may keep each partition: the member with the highest generation among its claimants.
	holder := map[int]string{}
	for _, id := range members {
		for _, p := range claims[id].Owned[topic] {
			if !exists[p] {
				continue
			}
			if cur, ok := holder[p]; !ok || claims[id].Gen > claims[cur].Gen ||
				claims[id].Gen == claims[cur].Gen && id < cur {
				holder[p] = id
			}
		}
	}
	kept := make(map[string][]int, len(members))
	for p, id := range holder {
		kept[id] = append(kept[id], p)
	}

	// Shares: len(parts)/len(members) each, one more for the first len(parts)%len(members)
	// members when sorted by how much they keep, so the extra ones go to who has them already.
	order := slices.Clone(members)
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(len(kept[b]), len(kept[a])) })
	base, extra := len(parts)/len(members), len(parts)%len(members)
	share := make(map[string]int, len(members))
	for i, id := range order {
		share[id] = base
		if i < extra {
			share[id]++
		}
	}

	out := make(map[string][]int, len(members))
	taken := make(map[int]bool, len(parts))
	for _, id := range members {
		ps := kept[id]
		slices.Sort(ps)
		if len(ps) > share[id] {
			ps = ps[:share[id]]
		}
		out[id] = ps
		for _, p := range ps {
			taken[p] = true
		}
	}
	free := make([]int, 0, len(parts))
	for _, p := range parts {
		if !taken[p] {
			free = append(free, p)
		}
	}
	slices.Sort(free)
	for _, id := range order {
		for len(out[id]) < share[id] && len(free) > 0 {
			out[id] = append(out[id], free[0])
			free = free[1:]
		}
		slices.Sort(out[id])
	}
	return out
}
