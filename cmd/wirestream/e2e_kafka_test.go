package main

// Reading back what the binary published: every partition of a topic up
// to its end, and an account of the story records by record-id, so the
// tests can count copies the way a consumer that drops repeats would.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// readTopic returns every message of topic written before the call,
// sorted by partition and offset. Errors (a broker just restarted, a
// topic not yet known) are retried for up to a minute.
func readTopic(t testing.TB, brokers []string, topic string) []kafka.Message {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		msgs, err := readTopicOnce(brokers, topic)
		if err == nil {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("read topic %s: %v", topic, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func readTopicOnce(brokers []string, topic string) ([]kafka.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tr := &kafka.Transport{MetadataTTL: time.Second}
	defer tr.CloseIdleConnections()
	cl := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr, Timeout: 10 * time.Second}
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		return nil, fmt.Errorf("metadata: %+v", md.Topics)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range md.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	offs, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("list offsets: %w", err)
	}
	var msgs []kafka.Message
	for _, po := range offs.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("offsets of partition %d: %w", po.Partition, po.Error)
		}
		if po.LastOffset <= po.FirstOffset {
			continue
		}
		got, err := readPartition(ctx, brokers, topic, po.Partition, po.FirstOffset, po.LastOffset)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, got...)
	}
	sort.Slice(msgs, func(i, j int) bool {
		if msgs[i].Partition != msgs[j].Partition {
			return msgs[i].Partition < msgs[j].Partition
		}
		return msgs[i].Offset < msgs[j].Offset
	})
	return msgs, nil
}

func readPartition(ctx context.Context, brokers []string, topic string, partition int, first, end int64) ([]kafka.Message, error) {
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: brokers, Topic: topic, Partition: partition, MaxWait: 100 * time.Millisecond,
	})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return nil, fmt.Errorf("seek %s/%d: %w", topic, partition, err)
	}
	var out []kafka.Message
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s/%d at %d of %d: %w", topic, partition, r.Offset(), end, err)
		}
		out = append(out, m)
		if m.Offset >= end-1 {
			return out, nil
		}
	}
}

// storyAccount is what a consumer would see of the story records.
type storyAccount struct {
	Messages    int
	Copies      map[string]int             // record-id → copies
	Keys        map[string]map[string]bool // record-id → message keys seen
	Versions    map[string]map[int]bool    // story id → versions seen
	ByLink      map[string]string          // url and canonical_url → story id
	ByFeedGUID  map[string]string          // feed URL + "\x00" + guid → story id
	BadHeaders  []string                   // messages whose headers disagree with their value
	BadPayloads []string
}

func accountStories(msgs []kafka.Message) storyAccount {
	a := storyAccount{
		Copies: map[string]int{}, Keys: map[string]map[string]bool{}, Versions: map[string]map[int]bool{},
		ByLink: map[string]string{}, ByFeedGUID: map[string]string{},
	}
	for _, m := range msgs {
		a.Messages++
		h := map[string]string{}
		for _, kv := range m.Headers {
			h[kv.Key] = string(kv.Value)
		}
		var s struct {
			Type, ID, URL, GUID string
			CanonicalURL        string `json:"canonical_url"`
			Version             int
			Feed                struct{ URL string }
		}
		if err := json.Unmarshal(m.Value, &s); err != nil || s.Type != "story" || s.ID == "" {
			a.BadPayloads = append(a.BadPayloads, fmt.Sprintf("partition %d offset %d: %v %.80s", m.Partition, m.Offset, err, m.Value))
			continue
		}
		rid := h["record-id"]
		if want := fmt.Sprintf("%s@v%d", s.ID, s.Version); rid != want || string(m.Key) != s.ID || h["record-type"] != "story" {
			a.BadHeaders = append(a.BadHeaders, fmt.Sprintf("partition %d offset %d: record-id %q (want %q), key %q, record-type %q",
				m.Partition, m.Offset, rid, want, m.Key, h["record-type"]))
		}
		a.Copies[rid]++
		if a.Keys[rid] == nil {
			a.Keys[rid] = map[string]bool{}
		}
		a.Keys[rid][string(m.Key)] = true
		if a.Versions[s.ID] == nil {
			a.Versions[s.ID] = map[int]bool{}
		}
		a.Versions[s.ID][s.Version] = true
		a.ByLink[s.URL], a.ByLink[s.CanonicalURL] = s.ID, s.ID
		if s.GUID != "" {
			a.ByFeedGUID[s.Feed.URL+"\x00"+s.GUID] = s.ID
		}
	}
	return a
}

// Duplicates is the number of extra copies: messages beyond one per
// record-id.
func (a storyAccount) Duplicates() int { return a.Messages - len(a.BadPayloads) - len(a.Copies) }

// Revisions is the number of story ids published under more than one
// version; the fixture never changes a story, so each is a re-decision.
func (a storyAccount) Revisions() int {
	n := 0
	for _, v := range a.Versions {
		if len(v) > 1 {
			n++
		}
	}
	return n
}

// Missing returns the items no story record stands for, found by link or
// by feed and GUID.
func (a storyAccount) Missing(fx *feedFixture, items []fixtureItem) []fixtureItem {
	var out []fixtureItem
	for _, it := range items {
		if _, ok := a.ByLink[it.Link]; ok {
			continue
		}
		if _, ok := a.ByFeedGUID[fx.FeedURL(it.Feed)+"\x00"+it.GUID]; ok {
			continue
		}
		out = append(out, it)
	}
	return out
}

// check fails the test on what a consumer must be able to rely on whatever
// the fault: well-formed story records, headers that match them, and every
// copy of a record-id under the same key.
func (a storyAccount) check(t testing.TB) {
	t.Helper()
	for _, s := range a.BadPayloads[:min(len(a.BadPayloads), 5)] {
		t.Errorf("story topic: not a story record: %s", s)
	}
	for _, s := range a.BadHeaders[:min(len(a.BadHeaders), 5)] {
		t.Errorf("story topic: headers disagree with the record: %s", s)
	}
	for rid, keys := range a.Keys {
		if len(keys) != 1 {
			t.Errorf("record-id %s was published under %d different keys: %v", rid, len(keys), keys)
		}
	}
}

// describeItems lists a few items for a failure message.
func describeItems(items []fixtureItem) string {
	s := ""
	for i, it := range items {
		if i == 5 {
			s += fmt.Sprintf("\n  … and %d more", len(items)-5)
			break
		}
		s += fmt.Sprintf("\n  feed %d item %d %s", it.Feed, it.Index, it.Link)
	}
	return s
}
