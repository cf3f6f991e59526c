package kafkameta

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"
)

// broker answers metadata requests with its current partition count per topic (a topic it
// does not know: UNKNOWN_TOPIC_OR_PARTITION) and counts the requests it gets.
type broker struct {
	partitions map[string]int
	asked      int
}

func (b *broker) RoundTrip(_ context.Context, _ net.Addr, req kafka.Request) (kafka.Response, error) {
	b.asked++
	m, ok := req.(*metadataAPI.Request)
	if !ok {
		return &produceAPI.Response{}, nil
	}
	resp := &metadataAPI.Response{}
	for _, name := range m.TopicNames {
		t := metadataAPI.ResponseTopic{Name: name}
		n, ok := b.partitions[name]
		if !ok {
			t.ErrorCode = int16(kafka.UnknownTopicOrPartition)
		}
		for i := range n {
			t.Partitions = append(t.Partitions, metadataAPI.ResponsePartition{PartitionIndex: int32(i)})
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp, nil
}

// partitionsOf asks c as kafka-go's Writer does (Writer.partitions) and returns the count, or -1
// for an error answer.
func partitionsOf(t *testing.T, c *Cache, topic string) int {
	t.Helper()
	r, err := c.RoundTrip(t.Context(), nil, &metadataAPI.Request{TopicNames: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range r.(*metadataAPI.Response).Topics {
		if tp.Name == topic {
			if tp.ErrorCode != 0 {
				return -1
			}
			return len(tp.Partitions)
		}
	}
	t.Fatalf("no answer for %s", topic)
	return 0
}

func TestALearnedAnswerServesForItsTTLAndIsForgottenOnRequest(t *testing.T) {
	b := &broker{partitions: map[string]int{"stories": 3, "events": 1}}
	c := New(b, time.Second)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }

	for range 100 {
		if n := partitionsOf(t, c, "stories"); n != 3 {
			t.Fatalf("stories: %d partitions, want 3", n)
		}
		if n := partitionsOf(t, c, "events"); n != 1 {
			t.Fatalf("events: %d partitions, want 1", n)
		}
	}
	if b.asked != 2 {
		t.Errorf("200 lookups of 2 topics asked the transport %d times, want 2", b.asked)
	}

	b.partitions["stories"] = 6 // partitions added
	now = now.Add(999 * time.Millisecond)
	if n := partitionsOf(t, c, "stories"); n != 3 {
		t.Errorf("within the TTL: %d partitions, want the kept 3", n)
	}
	now = now.Add(time.Millisecond)
	if n := partitionsOf(t, c, "stories"); n != 6 {
		t.Errorf("after the TTL: %d partitions, want the new 6", n)
	}

	b.partitions["events"] = 4
	c.Forget("events")
	if n := partitionsOf(t, c, "events"); n != 4 {
		t.Errorf("after Forget: %d partitions, want the new 4", n)
	}
}

func TestAnErrorAnswerIsNeverKept(t *testing.T) {
	b := &broker{partitions: map[string]int{}}
	c := New(b, time.Hour)
	for range 3 {
		if n := partitionsOf(t, c, "alerts"); n != -1 {
			t.Fatalf("unknown topic: %d partitions, want the error", n)
		}
	}
	if b.asked != 3 {
		t.Errorf("3 lookups of an unknown topic asked %d times, want 3", b.asked)
	}
	b.partitions["alerts"] = 2 // created
	if n := partitionsOf(t, c, "alerts"); n != 2 {
		t.Errorf("once created: %d partitions, want 2", n)
	}
}

func TestAPinnedAnswerNeverAsksAndOtherRequestsPassThrough(t *testing.T) {
	b := &broker{partitions: map[string]int{"table": 8}}
	c := New(b, 0)
	c.Pin("table", 2)
	for range 10 {
		if n := partitionsOf(t, c, "table"); n != 2 {
			t.Fatalf("pinned: %d partitions, want 2", n)
		}
	}
	if b.asked != 0 {
		t.Errorf("lookups of a pinned topic asked %d times, want 0", b.asked)
	}
	if _, err := c.RoundTrip(t.Context(), nil, &produceAPI.Request{}); err != nil || b.asked != 1 {
		t.Errorf("a produce request: err %v, asked %d; want it sent on", err, b.asked)
	}
	// Without a TTL nothing is learned.
	for range 2 {
		partitionsOf(t, c, "other")
	}
	if b.asked != 3 {
		t.Errorf("2 lookups of an unpinned topic with TTL 0 asked %d times in all, want 3", b.asked)
	}
}

// Cache's fields are exported, so a literal must work as New's result
// does: it learned nil-map panics before.
func TestACacheLiteralLearnsAndPins(t *testing.T) {
	b := &broker{partitions: map[string]int{"stories": 3}}
	c := &Cache{Next: b, TTL: time.Minute}
	for range 3 {
		if n := partitionsOf(t, c, "stories"); n != 3 {
			t.Fatalf("stories: %d partitions, want 3", n)
		}
	}
	if b.asked != 1 {
		t.Errorf("3 lookups asked the transport %d times, want 1", b.asked)
	}
	(&Cache{Next: b}).Pin("changelog", 4)
}
