package pipeline

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// slowSink acknowledges every Write after a fixed round trip, as a
// broker on a network would, whatever it carries.
type slowSink struct {
	rtt    time.Duration
	writes atomic.Int64
}

func (s *slowSink) Write(ctx context.Context, _ []record.Record) error {
	s.writes.Add(1)
	select {
	case <-time.After(s.rtt):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// BenchmarkRunHotEvent measures how fast Run gets batches through a sink
// with a 20 ms round trip when every batch changes one hot event (a copy
// of one story) beside a story of its own: the case where per-key write
// order costs most. Wall time, so compare builds in the same minute.
//
//	go test -run '^$' -bench RunHotEvent -benchtime 3x -count 3 ./pipeline/
func BenchmarkRunHotEvent(b *testing.B) { benchmarkRunHotEvent(b, 20*time.Millisecond) }

// BenchmarkRunHotEventSlowSink is BenchmarkRunHotEvent with a 100 ms
// round trip: on a loaded box the 20 ms one leaves the CPU, not the
// sink, bounding both builds; here the hot event's writes do.
func BenchmarkRunHotEventSlowSink(b *testing.B) { benchmarkRunHotEvent(b, 100*time.Millisecond) }

func benchmarkRunHotEvent(b *testing.B, rtt time.Duration) {
	const batches = 300
	for b.Loop() {
		b.StopTimer()
		sink := &slowSink{rtt: rtt}
		p := durablePipelineWith(b, b.TempDir(), sink, DefaultConfig(), func() time.Time { return t0.Add(time.Hour) })
		in := make(chan record.Batch, batches)
		for i := range batches {
			feed := fmt.Sprintf("https://f%d.example/rss", i)
			in <- record.Batch{
				Feed: record.FeedRef{URL: feed},
				Items: []record.Item{
					item(feed, 1, fmt.Sprintf("own-%d", i), fmt.Sprintf("https://f%d.example/own", i), fmt.Sprintf("Story number %d of its own", i), texts[1+i%2]+fmt.Sprintf("<p>Detail %d.</p>", i)),
					item(feed, 1, fmt.Sprintf("hot-%d", i), fmt.Sprintf("https://f%d.example/ecb", i), "ECB keeps rates on hold", republish(texts[0])),
				},
				Status: &record.FeedStatus{Type: record.TypeFeedStatus, ID: feed, FeedURL: feed, Health: record.HealthOK, LastAttempt: t0},
				Ack:    func(context.Context, error) {},
			}
		}
		close(in)
		b.StartTimer()
		if err := p.Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sink.writes.Load()), "writes/run")
	}
	b.ReportMetric(float64(b.N*batches)/b.Elapsed().Seconds(), "batches/s")
}
