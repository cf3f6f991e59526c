package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// FuzzTheLogHoldsMemory is TestTheLogHoldsWhatMemoryHoldsAfterEveryCommit
// with the course of a run left to the fuzzer: which stories come
// together, how far the clock jumps between batches (minutes to days, so
// events close and spike buckets turn), when a story comes again, when a
// write fails and the batch is decided anew, when Flush moves the clock
// with no story. The fixed archive found two stages changing memory
// without the log (66216bc, 9a9aca3); each was one missing call on a
// path that only some orders of events reach, which a generated course
// finds where a hand-written one does not. After every commit the log
// alone must restore what memory holds.
//
// The input is read a byte at a time as operations (fuzzOp); a missing
// byte reads as zero, so every input is a valid run.
func FuzzTheLogHoldsMemory(f *testing.F) {
	pool := fuzzPool(f)
	f.Add([]byte{0, 0, 3, 1, 2, 3, 10, 0, 2, 4, 5, 20, 3, 1, 6, 7, 8, 4, 0, 5, 30})
	f.Add([]byte{1, 0, 5, 9, 10, 11, 12, 13, 14, 40, 3, 2, 15, 16, 60, 4, 0, 200, 0, 3, 200, 201, 202, 5, 255})
	// Stories of the same UCI stories, days apart, with failed writes and
	// republications between: events close, reopen and merge.
	f.Add([]byte{0, 0, 6, 30, 31, 32, 33, 34, 35, 2, 3, 4, 36, 37, 38, 39, 1, 4, 0, 0, 0, 6, 40, 41, 42, 43, 44, 45, 250, 5, 100, 0, 1, 46, 0, 2, 1, 47, 48, 9})
	f.Fuzz(func(t *testing.T, ops []byte) {
		// Every step restores the stages from the whole log, so a run
		// costs the square of its steps: keep it short.
		const maxOps = 96
		if len(ops) > maxOps {
			ops = ops[:maxOps]
		}
		in := byteReader(ops)
		cfg := DefaultConfig()
		if in.next()%2 == 1 {
			cfg.EventPublishInterval = time.Hour
		}
		ctx := context.Background()
		dir := t.TempDir()
		clock := archive.Start
		sink := &memSink{}
		p := durablePipelineWith(t, dir, sink, cfg, func() time.Time { return clock })
		check := newLogCheck(t, dir)
		var last record.Batch
		for step := 0; !in.done(); step++ {
			op := fuzzOp(in.next()) % fuzzOps
			clock = clock.Add(time.Duration(in.next()) * fuzzClockStep)
			switch op {
			case opBatch, opFailingBatch:
				last = fuzzBatch(pool, &in, clock)
				if op == opFailingBatch {
					sink.fail = 1
					err := p.Process(ctx, last)
					switch {
					case sink.fail == 1: // stories seen before, unchanged: nothing to write
						sink.fail = 0
						if err != nil {
							t.Fatal(err)
						}
					case err == nil:
						t.Fatal("the write failed and the batch was acked")
					}
				}
				if err := p.Process(ctx, last); err != nil {
					t.Fatal(err)
				}
			case opAgain: // the same stories polled again, later
				again := record.Batch{Feed: last.Feed}
				for _, it := range last.Items {
					it.FetchedAt = clock
					again.Items = append(again.Items, it)
				}
				if err := p.Process(ctx, again); err != nil {
					t.Fatal(err)
				}
			case opFlush:
				if err := p.Flush(ctx, clock); err != nil {
					t.Fatal(err)
				}
			}
			check.require(t, fmt.Sprintf("after step %d (%v)", step, op), p)
		}
	})
}

// fuzzOp is what one step of FuzzTheLogHoldsMemory does after moving the
// clock forward by its second byte × fuzzClockStep.
type fuzzOp byte

const (
	opBatch        fuzzOp = iota // a batch of stories from the pool (fuzzBatch)
	opFailingBatch               // the same, its first write failing
	opAgain                      // the last batch's stories again
	opFlush                      // Flush at the clock: what waits goes out, the event clock moves
	fuzzOps
)

func (o fuzzOp) String() string {
	return [...]string{"batch", "failing batch", "again", "flush"}[o]
}

// fuzzClockStep times a byte is how far a step moves the clock: up to
// ~21 hours a step, past the events' and spikes' windows in a few steps.
const fuzzClockStep = 5 * time.Minute

// fuzzBatch reads a count (1–8) and that many pool indexes, and returns
// those stories as fetched at clock, each published up to 4 hours before.
func fuzzBatch(pool []record.Item, in *byteReader, clock time.Time) record.Batch {
	n := 1 + int(in.next()%8)
	var b record.Batch
	for range n {
		it := pool[int(in.next())%len(pool)]
		pub := clock.Add(-time.Duration(in.next()%49) * fuzzClockStep)
		it.PublishedParsed, it.PublishedRaw, it.FetchedAt = &pub, pub.Format(time.RFC1123Z), clock
		b.Items = append(b.Items, it)
	}
	b.Feed = b.Items[0].Feed
	return b
}

// fuzzPool is the stories a fuzzed run draws from: the archive's, then
// headlines spread over every UCI story (several per story, so events
// grow and merge), then WikiRef articles (bodies, entities, keywords).
// At most 256, so one byte names any of them. The corpus's inputs name
// stories by their place here: a change to the shared data changes what
// a saved input replays (still a valid run, perhaps no longer the case it
// was saved for).
func fuzzPool(tb testing.TB) []record.Item {
	var pool []record.Item
	for _, p := range archive.Polls() {
		pool = append(pool, p.Batch().Items...)
	}
	uci := shareddata.UCI(tb)
	for i := 0; i < len(uci); i += len(uci) / 180 {
		pool = append(pool, uci[i].Item)
	}
	wiki := shareddata.WikiRef(tb)
	for i := 0; i < len(wiki) && len(pool) < 256; i += len(wiki) / 40 {
		pool = append(pool, wiki[i].Item)
	}
	return pool[:min(len(pool), 256)]
}

// byteReader hands out a fuzz input a byte at a time, zero past its end.
type byteReader []byte

func (r *byteReader) done() bool { return len(*r) == 0 }

func (r *byteReader) next() byte {
	if len(*r) == 0 {
		return 0
	}
	b := (*r)[0]
	*r = (*r)[1:]
	return b
}
