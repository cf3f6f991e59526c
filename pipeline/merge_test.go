package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// gateEnricher counts the stories of each EnrichAll call; the first call
// waits for gate, so the batches behind it queue for the second stage.
type gateEnricher struct {
	gate  chan struct{}
	mu    sync.Mutex
	calls []int
}

func (e *gateEnricher) EnrichAll(stories []*record.Story, _ []string) {
	e.mu.Lock()
	first := len(e.calls) == 0
	e.calls = append(e.calls, len(stories))
	e.mu.Unlock()
	if first {
		<-e.gate
	}
}

// storyBatch is a single-story batch of a feed of its own, the i-th.
func storyBatch(i int, acks *acks) record.Batch {
	feed := fmt.Sprintf("https://f%d.example/rss", i)
	return record.Batch{Feed: record.FeedRef{URL: feed}, Ack: acks.ack(feed),
		Items: []record.Item{item(feed, i, "g", feed+"/story", fmt.Sprintf("Story %d", i), texts[i%len(texts)])}}
}

// oneBatchPerFeed sends storyBatch 0, 1, … one per text, and returns the
// feeds in order.
func oneBatchPerFeed(in chan<- record.Batch, acks *acks, between func(i int)) []string {
	var feeds []string
	for i := range texts {
		b := storyBatch(i, acks)
		feeds = append(feeds, b.Feed.URL)
		in <- b
		between(i)
	}
	return feeds
}

func requireAckedOnceEach(t *testing.T, acks *acks, feeds []string) {
	t.Helper()
	for _, f := range feeds {
		if ok, errs := acks.of(f); ok != 1 || len(errs) != 0 {
			t.Errorf("%s acked %d times with nil and %v, want once", f, ok, errs)
		}
	}
}

func TestBatchesQueuedForTheSecondStageAreDecidedWrittenAndCommittedTogether(t *testing.T) {
	tests := []struct {
		name      string
		together  bool
		wantCalls []int // stories per enrichment run
	}{
		{"with decide_queued_together the two batches behind the first share one run", true, []int{1, 2}},
		{"without it every batch has a run of its own", false, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sink := &memSink{}
				enr := &gateEnricher{gate: make(chan struct{})}
				cfg := DefaultConfig()
				cfg.DecideQueuedTogether = tt.together
				p := newPipeline(t, nil, sink, cfg)
				p.d.Enricher = enr
				acks := newAcks()
				in := make(chan record.Batch)
				done := make(chan error)
				go func() { done <- p.Run(context.Background(), in) }()
				feeds := oneBatchPerFeed(in, acks, func(int) { synctest.Wait() })
				close(enr.gate) // the second stage finishes the first batch, then finds two queued
				close(in)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(enr.calls, tt.wantCalls) {
					t.Fatalf("stories per enrichment run = %v, want %v", enr.calls, tt.wantCalls)
				}
				if got := len(sink.recs); got != 3 {
					t.Fatalf("%d records written, want the 3 stories", got)
				}
				requireAckedOnceEach(t, acks, feeds)
				if n := remembered(p); n != 3 {
					t.Fatalf("%d stories remembered, want 3", n)
				}
			})
		})
	}
}

// firstWriteGate is a sink whose first write waits for gate; the others
// are acknowledged at once.
type firstWriteGate struct {
	memSink
	gate  chan struct{}
	calls int
}

func (s *firstWriteGate) Write(ctx context.Context, recs []record.Record) error {
	s.mu.Lock()
	s.calls++
	first := s.calls == 1
	s.mu.Unlock()
	if first {
		<-s.gate
	}
	return s.memSink.Write(ctx, recs)
}

// countingLog counts the appends of commits: not those of the notes of
// written records (the Written table alone), made before each write and
// deleted after its commit.
type countingLog struct {
	state.Log
	mu      sync.Mutex
	appends []int
}

func (l *countingLog) Append(ctx context.Context, es []state.Entry) error {
	if slices.ContainsFunc(es, func(e state.Entry) bool { return e.Table != state.Written }) {
		l.mu.Lock()
		l.appends = append(l.appends, len(es))
		l.mu.Unlock()
	}
	return l.Log.Append(ctx, es)
}

func TestBatchesAcknowledgedWhileAnEarlierWriteIsOutShareOneCommit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &firstWriteGate{gate: make(chan struct{})}
		dir := t.TempDir()
		log := &countingLog{Log: openLog(t, dir)}
		p := newPipeline(t, log, sink, DefaultConfig())
		acks := newAcks()
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		feeds := oneBatchPerFeed(in, acks, func(int) { synctest.Wait() })
		if ok, _ := acks.of(feeds[2]); ok != 0 {
			t.Fatal("a batch was acked while an earlier one's write was out")
		}
		close(sink.gate)
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if len(log.appends) != 1 {
			t.Fatalf("state appends = %v, want one: the two batches acknowledged while the first was out commit with it", log.appends)
		}
		requireAckedOnceEach(t, acks, feeds)
		if n := remembered(p); n != 3 {
			t.Fatalf("%d stories remembered, want 3", n)
		}
		if err := p.d.Store.Close(); err != nil {
			t.Fatal(err)
		}
		if n := remembered(newPipeline(t, openLog(t, dir), &memSink{}, DefaultConfig())); n != 3 {
			t.Fatalf("%d stories restored, want 3", n)
		}
	})
}

func TestADrainTimeoutCountsEveryBatchOfAMergedWorkAsAbandoned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})} // never opens
		enr := &gateEnricher{gate: make(chan struct{})}
		p := newPipeline(t, nil, sink, DefaultConfig())
		p.d.Enricher = enr
		acks := newAcks()
		ctx, cancel := context.WithCancel(context.Background())
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(ctx, in) }()
		feeds := oneBatchPerFeed(in, acks, func(int) { synctest.Wait() })
		close(enr.gate) // the first batch is written alone, the two behind it as one merged work
		synctest.Wait()
		cancel()
		err := <-done // returns after the drain timeout, in fake time
		if !errors.Is(err, ErrDrainTimeout) {
			t.Fatalf("Run() = %v, want a drain timeout error", err)
		}
		if want := fmt.Sprintf("%d batches not acknowledged", len(feeds)); !strings.Contains(err.Error(), want) {
			t.Fatalf("Run() = %v, want it to say %q", err, want)
		}
		if !slices.Equal(enr.calls, []int{1, 2}) {
			t.Fatalf("stories per enrichment run = %v, want [1 2]: the test needs a merged work", enr.calls)
		}
		for _, f := range feeds {
			if ok, errs := acks.of(f); ok != 0 || len(errs) != 1 {
				t.Errorf("%s acked %d times with nil and %v, want one ack with the error", f, ok, errs)
			}
		}
	})
}
