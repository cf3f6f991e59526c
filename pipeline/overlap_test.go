package pipeline

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// countingEnricher closes second when EnrichAll is called the second time.
type countingEnricher struct {
	mu     sync.Mutex
	calls  int
	second chan struct{}
}

func (e *countingEnricher) EnrichAll([]*record.Story, []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls++
	if e.calls == 2 {
		close(e.second)
	}
}

// waitingClusterer is a clusterer whose first Assign waits, up to a
// minute, for wait to close, noting whether it did.
type waitingClusterer struct {
	wait    chan struct{}
	mu      sync.Mutex
	n       int
	overlap bool
	order   []string // story titles in the order they were assigned
}

func (c *waitingClusterer) Assign(s *record.Story) string {
	c.mu.Lock()
	c.n++
	first := c.n == 1
	c.order = append(c.order, s.Title)
	c.mu.Unlock()
	if first {
		select {
		case <-c.wait:
			c.mu.Lock()
			c.overlap = true
			c.mu.Unlock()
		case <-time.After(time.Minute):
		}
	}
	return ""
}
func (c *waitingClusterer) AssignDuplicate(*record.Duplicate) string { return "" }
func (c *waitingClusterer) Current(string) *record.Event             { return nil }
func (c *waitingClusterer) Head(string) *record.Event                { return nil }
func (c *waitingClusterer) Fill(*record.Event) bool                  { return true }
func (c *waitingClusterer) Expire(time.Time) []*record.Event         { return nil }
func (c *waitingClusterer) EventOf(string) string                    { return "" }

// The second stage's two parts overlap across batches: the next batch is
// enriched while the one before it is assigned to events, so on a busy
// box neither part waits for the other's share of a core. Before, one
// goroutine ran both, and the second batch's enrichment waited for the
// first batch's events. Each part still sees the batches in order.
func TestTheNextBatchIsEnrichedWhileEventsDecideTheOneBeforeIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{}
		enr := &countingEnricher{second: make(chan struct{})}
		cl := &waitingClusterer{wait: enr.second}
		p := newPipeline(t, nil, sink, DefaultConfig())
		p.d.Enricher, p.d.Events = enr, cl
		acks := newAcks()
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		feeds := oneBatchPerFeed(in, acks, func(int) { synctest.Wait() })
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !cl.overlap {
			t.Fatal("the second batch was not enriched while the first was assigned to events: the two parts of the second stage ran one after the other")
		}
		if want := []string{"Story 0", "Story 1", "Story 2"}; !slices.Equal(cl.order, want) {
			t.Fatalf("assigned in the order %v, want %v", cl.order, want)
		}
		requireAckedOnceEach(t, acks, feeds)
		if got := len(sink.recs); got != 3 {
			t.Fatalf("%d records written, want the 3 stories", got)
		}
	})
}
