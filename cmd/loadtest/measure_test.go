package main

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// sinkFunc is a pipeline.Sink made of a function: Kafka acknowledging, or
// refusing, a write.
type sinkFunc func(context.Context, []record.Record) error

func (f sinkFunc) Write(ctx context.Context, recs []record.Record) error { return f(ctx, recs) }

// The time to the first record is counted from wirestream's start to the
// first write Kafka acknowledged that carried a record: a refused write,
// or one with nothing in it, does not end it, and later writes do not move it.
func TestTheFirstAckIsTheFirstRecordKafkaAcknowledged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		refuse := true
		ms := &measuringSink{byType: map[record.Type]int{}, began: time.Now()}
		ms.inner = sinkFunc(func(context.Context, []record.Record) error {
			if refuse {
				return errors.New("kafka: NOT_ENOUGH_REPLICAS")
			}
			return nil
		})
		story := func() []record.Record {
			return []record.Record{&record.Story{Version: 1, FetchedAt: time.Now(), FirstSeen: time.Now()}}
		}
		ctx := context.Background()
		if ms.firstAckSeconds() != 0 {
			t.Fatalf("before any write: %v s, want 0", ms.firstAckSeconds())
		}
		time.Sleep(3 * time.Second)
		if err := ms.Write(ctx, story()); err == nil {
			t.Fatal("the refused write returned nil")
		}
		if got := ms.firstAckSeconds(); got != 0 {
			t.Fatalf("after a refused write: %v s, want 0", got)
		}
		refuse = false
		time.Sleep(time.Second)
		if err := ms.Write(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if got := ms.firstAckSeconds(); got != 0 {
			t.Fatalf("after an empty write: %v s, want 0", got)
		}
		time.Sleep(time.Second)
		if err := ms.Write(ctx, story()); err != nil {
			t.Fatal(err)
		}
		if got := ms.firstAckSeconds(); got != 5 {
			t.Fatalf("first record acknowledged 5 s after the start; got %v s", got)
		}
		time.Sleep(7 * time.Second)
		if err := ms.Write(ctx, story()); err != nil {
			t.Fatal(err)
		}
		if got := ms.firstAckSeconds(); got != 5 {
			t.Fatalf("a later write moved the first ack to %v s", got)
		}
	})
}

// gcCycles counts the collections the runtime completed, as
// runtime/metrics reports them.
func TestGCCyclesCountsCollections(t *testing.T) {
	before := gcCycles()
	runtime.GC()
	runtime.GC()
	if n := gcCycles() - before; n < 2 {
		t.Fatalf("two forced collections counted as %d", n)
	}
}

func TestReportShowsTheFirstAckAndTheCollections(t *testing.T) {
	o := orchestration{fix: &fixtureOptions{Feeds: 1000, Share: 1, PerChange: 5, Round: time.Second, Items: 10, BodyWords: 120, Text: textNews}, hosts: 8,
		interval: time.Second, duration: 20 * time.Second}
	mk := func(firstAck float64, cycles uint32) trial {
		return trial{Run: runResult{WindowSeconds: 20, Stories: 4000, CPUSeconds: 4,
			FirstAckSecs: firstAck, GCs: cycles, GCsAll: cycles + 10, RecordsByType: map[string]int{"story": 4000}}}
	}
	var out strings.Builder
	writeReport(&out, o, []trial{mk(2.5, 40), mk(3.1, 44), mk(2.9, 36)})
	for _, want := range []string{
		"| start (before the restore) → first record acknowledged | 2.90 s | 2.50, 3.10, 2.90 |",
		"| GC cycles in the window (from the start); per 1,000 stories | 40 (50); 10.00 | 40, 44, 36 (50, 54, 46); 10.00, 11.00, 9.00 |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
