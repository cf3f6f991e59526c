package pipeline

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// timedSink is a memSink that notes the (fake) wall time of each record's write.
type timedSink struct {
	mu   sync.Mutex
	recs []record.Record
	at   []time.Time
}

func (s *timedSink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.recs = append(s.recs, r)
		s.at = append(s.at, time.Now())
	}
	return nil
}

// Round 30: the events topic deletes (compact,delete) a key retention after its last
// record, and config refuses a retention shorter than events.expiry +
// pipeline.lateness + normalize.future_skew + pipeline.maintenance_interval: the
// longest a live event can go without a record while a processor runs. Here events
// that take no story after their first go quiet, with no story at all arriving, and
// only the maintenance ticks move time: each must end (its expired record) within
// that bound of its last record on the wall clock.
func TestAQuietEventEndsWithinTheLongestQuietOfItsLastRecord(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := DefaultConfig()
		bound := events.DefaultConfig().Expiry + cfg.Lateness + normalize.DefaultConfig().FutureSkew + cfg.MaintenanceInterval
		sink := &timedSink{}
		start := time.Now()
		p := durablePipelineWith(t, t.TempDir(), sink, cfg, func() time.Time { return t0.Add(time.Since(start)) })
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		in <- fixtureBatches(newAcks())[0] // three stories, each founding an event
		time.Sleep(bound + time.Hour)      // nothing more arrives
		synctest.Wait()
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}

		sink.mu.Lock()
		defer sink.mu.Unlock()
		last, ended := map[string]time.Time{}, map[string]time.Time{}
		for i, r := range sink.recs {
			ev, ok := r.(*record.Event)
			if !ok {
				continue
			}
			if ev.Expired {
				ended[ev.ID] = sink.at[i]
			} else {
				last[ev.ID] = sink.at[i]
			}
		}
		if len(last) == 0 {
			t.Fatal("no event was published")
		}
		for id, at := range last {
			end, ok := ended[id]
			switch {
			case !ok:
				t.Errorf("event %s is still live %s after its last record: Kafka would delete it with the shortest retention config allows", id, bound+time.Hour)
			case end.Sub(at) > bound:
				t.Errorf("event %s ended %s after its last record, more than the %s config takes for the longest quiet", id, end.Sub(at), bound)
			default:
				t.Logf("event %s: last record, then expired %s later (bound %s)", id, end.Sub(at), bound)
			}
		}
	})
}
