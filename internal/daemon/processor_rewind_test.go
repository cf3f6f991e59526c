package daemon

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
)

// failingSink fails the writes whose numbers (from 1) are in fail, once
// each, and keeps the records of the writes that succeed.
type failingSink struct {
	next pipeline.Sink
	mu   sync.Mutex
	n    int
	fail map[int]bool
	recs []record.Record
}

func (s *failingSink) Write(ctx context.Context, recs []record.Record) error {
	s.mu.Lock()
	s.n++
	failNow := s.fail[s.n]
	s.mu.Unlock()
	if failNow {
		return errors.New("injected: the broker refused the write")
	}
	if err := s.next.Write(ctx, recs); err != nil {
		return err
	}
	s.mu.Lock()
	s.recs = append(s.recs, recs...)
	s.mu.Unlock()
	return nil
}

func (s *failingSink) records() []record.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]record.Record(nil), s.recs...)
}

// A processor that reads items again from the committed offset while it
// keeps the partition — after a failed batch here; after a rebalance
// that leaves it the partition, the same path — first restores its state
// from the changelog: the events and spikes it had already counted those
// items into are not counted twice. Its outcome is that of a processor
// whose writes never failed.
func TestItemsReadAgainAreNotCountedTwice(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	var items []record.Item
	for _, p := range archive.Polls() {
		items = append(items, p.Batch().Items...)
	}
	run := func(name string, fail map[int]bool) archive.Outcome {
		t.Helper()
		cfg := roleConfig(t, brokers)
		cfg.Cluster.BatchItems = 1                // batches, and so event revisions, do not depend on timing
		cfg.Pipeline.DecideQueuedTogether = false // nor do the runs of the second stage
		// Writes overlap, but never two that share a record key: the sink
		// keeps each key's records in the order they were published,
		// which the revisions are checked in.
		cfg.Pipeline.MaxInFlightWrites = 8
		fillItems(t, cfg, items)
		sink := &failingSink{fail: fail}
		r := startProcessor(t, name, func() config.Config { return cfg }, func(p *Processor) {
			p.wrapSink = func(next pipeline.Sink) pipeline.Sink { sink.next = next; return sink }
		})
		waitFor(t, 2*time.Minute, "the processor to commit every item", func() bool {
			return r.value("wirestream_processor_committed_offset") >= float64(len(items))
		})
		r.stop(t)
		archive.RequireRevisionsRise(t, sink.records())
		// Records published again (at-least-once: a batch written whose
		// state was not committed) carry the same record id; a consumer
		// collapses them, and so does the comparison.
		var once []record.Record
		seen := map[string]bool{}
		for _, rec := range sink.records() {
			id := string(rec.RecordType()) + "/" + rec.RecordID()
			if !seen[id] {
				seen[id] = true
				once = append(once, rec)
			}
		}
		return archive.OutcomeOf(once)
	}
	want := run("never-fails", nil)
	if len(want.Final) == 0 {
		t.Fatal("the archive made no events: the test proves nothing")
	}
	got := run("fails-three-writes", map[int]bool{5: true, 11: true, 17: true})
	archive.RequireSameButRevisions(t, "never-fails", want, "rewound", got)
}
