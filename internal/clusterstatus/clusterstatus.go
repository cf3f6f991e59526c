// Package clusterstatus tells, from what Kafka knows, which instance of a scaled-out
// deployment does what: which processor is active (owns the items partition) and which stand
// by, which fetcher owns which feed list partitions, which partitions nobody owns, and how far
// the active processor is behind the items topic; and which runs in role all there are (their
// group, which every such run joins to learn of another, says how many publish to the same
// topics), and from all of it whether the deployment needs a look (Assess).
//
// It owns reading the consumer groups' descriptions (DescribeGroups: members, their
// client ids and the partitions the group leader assigned them), the topics' partition counts
// (Metadata) and, for a group that commits offsets, the committed and end offsets.
//
// It promises:
//   - It only reads: it joins no group and commits nothing, so asking never moves a partition.
//   - An instance is named by its id (--instance), which every member puts in its Kafka client
//     id ("wirestream-<id>"); a member of another client shows its client id as it is.
//   - A group in a rebalance (PreparingRebalance, CompletingRebalance) is reported as such:
//     its members' assignments are the last generation's, not a verdict.
package clusterstatus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// clientIDPrefix is what a member's client id starts with before its instance id
// (sinks/kafka's client id and kafkagroup's "-<instance>").
const clientIDPrefix = "wirestream-"

// Group is one consumer group of the deployment to describe.
type Group struct {
	Role  string `json:"role"`  // Processors, Fetchers or RoleAll: how the report names it
	ID    string `json:"group"` // the consumer group id (topic_prefix + cluster.*_group)
	Topic string `json:"topic"` // the topic the group shares out
	// Offsets asks for the group's committed offsets and the topic's end offsets (the
	// processors commit the items they decided; the fetchers commit nothing).
	Offsets bool `json:"-"`
}

// Member is one member of a group and what it owns.
type Member struct {
	Instance   string `json:"instance"`
	ClientID   string `json:"client_id"`
	MemberID   string `json:"member_id"`
	Host       string `json:"host"`
	Partitions []int  `json:"partitions"`
}

// Partition is one partition of a group's topic with its owner (empty: nobody), and its
// offsets where the group commits offsets (nil otherwise).
type Partition struct {
	ID      int      `json:"partition"`
	Owner   string   `json:"owner,omitempty"`
	Offsets *Offsets `json:"offsets,omitempty"`
}

// Offsets are a partition's committed offset (-1: nothing committed yet), its end offset
// (the high watermark) and the records between them a consumer would be handed (Lag: the
// transaction markers of a producer writing with transactions are not counted, see
// countRecords).
type Offsets struct {
	Committed int64 `json:"committed"`
	End       int64 `json:"end"`
	Lag       int64 `json:"lag"`
	// LagIncludesMarkers is why the markers could not be counted (the fetch's error), Lag
	// then the offsets between them, markers included; empty when they were counted.
	LagIncludesMarkers string `json:"lag_includes_markers,omitempty"`
}

// countRecords sets o.Lag to the records of partition of topic after the committed offset
// that a consumer would be handed, less the transaction markers among the offsets
// (kafkatable.RecordsBetween, as the processor's lag gauge counts them): an idle processor
// behind a transactional producer has its committed offset one short of the end, the last
// marker, for ever, and said "1 to decide". A failed fetch keeps the offsets, markers
// included, and says why in LagIncludesMarkers.
func (o *Offsets) countRecords(ctx context.Context, cl *kafka.Client, topic string, partition int) {
	if o.End < 0 {
		return
	}
	n, err := kafkatable.RecordsBetween(ctx, cl, topic, partition, max(o.Committed, 0), o.End)
	o.Lag = n
	if err != nil {
		o.LagIncludesMarkers = err.Error()
	}
}

// lag is how many messages of the partition wait behind the committed offset: the whole
// log when nothing was committed yet (it counts from offset 0, which retention may have
// deleted: an upper bound then).
func (o Offsets) lag() int64 {
	if o.Committed < 0 {
		return o.End
	}
	return max(o.End-o.Committed, 0)
}

// GroupStatus is a group as the coordinator describes it.
type GroupStatus struct {
	Group
	State   string   `json:"state"` // Stable, PreparingRebalance, CompletingRebalance, Empty, Dead
	Members []Member `json:"members"`
	// Partitions are the topic's partitions, owned or not; nil when the topic does not exist.
	Partitions []Partition `json:"partitions"`
	// TopicMissing is set when the group's topic does not exist (nothing was ever started).
	TopicMissing bool `json:"topic_missing,omitempty"`
	// NeedsALook is what is wrong with the group as the whole deployment makes it (Assess),
	// a sentence, or empty.
	NeedsALook string `json:"needs_a_look,omitempty"`
}

// Rebalancing reports whether the group is between generations: assignments are the last
// generation's and may be about to change.
func (g GroupStatus) Rebalancing() bool {
	return g.State == "PreparingRebalance" || g.State == "CompletingRebalance"
}

// Unowned are the partitions no member owns.
func (g GroupStatus) Unowned() []int {
	var out []int
	for _, p := range g.Partitions {
		if p.Owner == "" {
			out = append(out, p.ID)
		}
	}
	return out
}

// Read describes groups at cn's brokers.
func Read(ctx context.Context, cn wkafka.Conn, groups []Group, log *slog.Logger) ([]GroupStatus, error) {
	topics := make([]string, 0, len(groups))
	ids := make([]string, 0, len(groups))
	for _, g := range groups {
		topics = append(topics, g.Topic)
		ids = append(ids, g.ID)
	}
	cl, md, done, err := cn.AdminClient(ctx, log, wkafka.AdminTimeout, topics...)
	if err != nil {
		return nil, err
	}
	defer done()
	counts := map[string]int{}
	for _, t := range md.Topics {
		if t.Error == nil {
			counts[t.Name] = len(t.Partitions)
		} else if !errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
			return nil, fmt.Errorf("metadata of %s: %w", t.Name, t.Error)
		}
	}
	var desc *kafka.DescribeGroupsResponse
	err = cn.Admin(ctx, log, wkafka.AdminTimeout, "describe groups "+strings.Join(ids, ","), topics, func(ctx context.Context) error {
		var err error
		desc, err = cl.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: ids})
		if err == nil {
			for _, g := range desc.Groups {
				if g.Error != nil {
					return fmt.Errorf("group %s: %w", g.GroupID, g.Error)
				}
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]GroupStatus, 0, len(groups))
	for _, g := range groups {
		st := GroupStatus{Group: g, State: "Dead"}
		for _, d := range desc.Groups {
			if d.GroupID == g.ID {
				st.State = d.GroupState
				st.Members = members(d, g.Topic)
			}
		}
		n, ok := counts[g.Topic]
		st.TopicMissing = !ok
		if ok {
			st.Partitions = make([]Partition, n)
			for i := range st.Partitions {
				st.Partitions[i] = Partition{ID: i}
			}
			for _, m := range st.Members {
				for _, p := range m.Partitions {
					if p >= 0 && p < n {
						st.Partitions[p].Owner = m.Instance
					}
				}
			}
			if g.Offsets && n > 0 {
				if err := offsets(ctx, cn, cl, &st, log); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// members are a described group's members with their partitions of topic, sorted by
// instance.
func members(d kafka.DescribeGroupsResponseGroup, topic string) []Member {
	out := make([]Member, 0, len(d.Members))
	for _, m := range d.Members {
		mm := Member{Instance: InstanceOf(m.ClientID), ClientID: m.ClientID, MemberID: m.MemberID,
			Host: strings.TrimPrefix(m.ClientHost, "/")}
		for _, t := range m.MemberAssignments.Topics {
			if t.Topic == topic {
				mm.Partitions = append(mm.Partitions, t.Partitions...)
			}
		}
		slices.Sort(mm.Partitions)
		out = append(out, mm)
	}
	slices.SortFunc(out, func(a, b Member) int {
		if c := strings.Compare(a.Instance, b.Instance); c != 0 {
			return c
		}
		return strings.Compare(a.MemberID, b.MemberID)
	})
	return out
}

// InstanceOf is the instance id in a member's client id: "wirestream-fetch-1" → "fetch-1".
// A client id of another client is returned as it is.
func InstanceOf(clientID string) string {
	if id, ok := strings.CutPrefix(clientID, clientIDPrefix); ok && id != "" {
		return id
	}
	return clientID
}

// offsets fills st's partitions' committed offsets (OffsetFetch), end offsets
// (ListOffsets, the high watermark) and the records between them (countRecords).
func offsets(ctx context.Context, cn wkafka.Conn, cl *kafka.Client, st *GroupStatus, log *slog.Logger) error {
	ids := make([]int, len(st.Partitions))
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for i := range st.Partitions {
		ids[i] = i
		req.Topics[st.Topic] = append(req.Topics[st.Topic], kafka.LastOffsetOf(i))
		st.Partitions[i].Offsets = &Offsets{Committed: -1, End: -1}
	}
	err := cn.Admin(ctx, log, wkafka.AdminTimeout, "offsets of group "+st.ID, []string{st.Topic}, func(ctx context.Context) error {
		of, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: st.ID, Topics: map[string][]int{st.Topic: ids}})
		if err == nil && of.Error != nil {
			err = of.Error
		}
		if err != nil {
			return fmt.Errorf("committed offsets of group %s: %w", st.ID, err)
		}
		for _, p := range of.Topics[st.Topic] {
			if p.Error == nil && p.Partition >= 0 && p.Partition < len(st.Partitions) {
				st.Partitions[p.Partition].Offsets.Committed = p.CommittedOffset
			}
		}
		lo, err := cl.ListOffsets(ctx, req)
		if err != nil {
			return fmt.Errorf("end offsets of %s: %w", st.Topic, err)
		}
		for _, p := range lo.Topics[st.Topic] {
			if p.Error != nil {
				return fmt.Errorf("end offset of %s:%d: %w", st.Topic, p.Partition, p.Error)
			}
			if p.Partition >= 0 && p.Partition < len(st.Partitions) {
				st.Partitions[p.Partition].Offsets.End = p.LastOffset
			}
		}
		return nil
	})
	for i, p := range st.Partitions {
		p.Offsets.Lag = p.Offsets.lag()
		if err == nil {
			p.Offsets.countRecords(ctx, cl, st.Topic, i)
		}
	}
	return err
}
