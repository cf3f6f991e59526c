// Package kafkameta answers a kafka-go Writer's topic metadata lookups once per topic instead of
// once per message.
//
// kafka-go's Writer (v0.4.51) looks a message's topic up in WriteMessages' loop over messages,
// and its Transport answers each lookup from its cache with a freshly filtered copy: two
// allocations and ~160 B per message, thousands per write (BENCHMARKS.md, round 11 and 12). The
// Writer reads only the topic's error code and partition count from the answer, to balance. A
// Cache sits between a Writer and its Transport, keeps the answer per topic and sends every
// other request (produce requests find their leaders in the Transport's own metadata) on.
package kafkameta

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	metadataAPI "github.com/segmentio/kafka-go/protocol/metadata"
)

// Cache is a kafka.RoundTripper for a Writer's Transport field. Answers are kept per topic: a
// pinned one until Forget, a learned one for TTL, so a topic whose partition count grows is
// balanced over the new count within TTL (plus the Transport's own metadata TTL). A lookup
// that fails or answers an error is never kept: the next one asks again. It is safe for
// concurrent use; the zero value with Next set works too, learning nothing.
type Cache struct {
	// Next takes every request the Cache does not answer. Set it before first use.
	Next kafka.RoundTripper
	// TTL is how long a learned answer serves; 0 learns nothing (every lookup goes to Next).
	TTL time.Duration

	now    func() time.Time // time.Now when nil
	mu     sync.Mutex
	topics map[string]answer // made on first store
}

type answer struct {
	resp    *metadataAPI.Response
	expires time.Time // zero for a pinned answer
}

// New returns a Cache in front of next whose learned answers serve for ttl.
func New(next kafka.RoundTripper, ttl time.Duration) *Cache {
	return &Cache{Next: next, TTL: ttl}
}

// Pin answers lookups of topic with partitions 0..n-1 until Forget, without asking a broker:
// for a topic whose partition count its owner fixed and checked (a kafkatable table).
func (c *Cache) Pin(topic string, n int) {
	parts := make([]metadataAPI.ResponsePartition, n)
	for i := range parts {
		parts[i].PartitionIndex = int32(i)
	}
	resp := &metadataAPI.Response{Topics: []metadataAPI.ResponseTopic{{Name: topic, Partitions: parts}}}
	c.store(topic, answer{resp: resp})
}

// store keeps a topic's answer, making the map on first use so a Cache literal works.
func (c *Cache) store(topic string, a answer) {
	c.mu.Lock()
	if c.topics == nil {
		c.topics = map[string]answer{}
	}
	c.topics[topic] = a
	c.mu.Unlock()
}

func (c *Cache) clock() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}

// Forget drops topic's answer, so the next lookup goes to Next: after a write to it failed, when
// its partitions may have changed, or it was deleted and re-created. Next is a kafka-go
// Transport, which answers from its own metadata cache (refreshed every 6 s by default), so
// Forget bounds how stale the Writer's partition count is by that refresh, not by this
// cache's TTL; leaders were never this cache's business (produce requests find them in the
// Transport). A lookup already in flight when Forget runs may still store its answer.
func (c *Cache) Forget(topic string) {
	c.mu.Lock()
	delete(c.topics, topic)
	c.mu.Unlock()
}

// RoundTrip answers a metadata request for one topic from the cache when it can, and sends
// everything else to Next.
func (c *Cache) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	m, ok := req.(*metadataAPI.Request)
	if !ok || len(m.TopicNames) != 1 {
		return c.Next.RoundTrip(ctx, addr, req)
	}
	topic := m.TopicNames[0]
	c.mu.Lock()
	a, ok := c.topics[topic]
	c.mu.Unlock()
	if ok && (a.expires.IsZero() || c.clock().Before(a.expires)) {
		return a.resp, nil
	}
	r, err := c.Next.RoundTrip(ctx, addr, req)
	if err != nil || c.TTL <= 0 {
		return r, err
	}
	if resp, ok := r.(*metadataAPI.Response); ok && usable(resp, topic) {
		c.store(topic, answer{resp: resp, expires: c.clock().Add(c.TTL)})
	}
	return r, nil
}

// usable says whether resp answers topic without an error and with partitions: only such an
// answer is worth keeping.
func usable(resp *metadataAPI.Response, topic string) bool {
	for _, t := range resp.Topics {
		if t.Name == topic {
			return t.ErrorCode == 0 && len(t.Partitions) > 0
		}
	}
	return false
}
