package kafkatable

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkWrite writes n entries to one partition of a real broker's
// table, as the state changelog (a batch's deltas) and the feed state (one
// feed after a poll) do, under kafka-go batch sizes: kafka-go reserves room
// for BatchSize messages in every partition batch it opens.
//
//	KAFKA_PORT=26160 scripts/test.sh -run '^$' -bench Write -benchmem ./internal/kafkatable/
func BenchmarkWrite(b *testing.B) {
	cn := connect(b, brokers(b))
	tb := newTable(b, cn, 1)
	for _, n := range []int{1, 20, 500} {
		for _, size := range benchSizes {
			b.Run(fmt.Sprintf("entries=%d/batch_size=%d", n, size), func(b *testing.B) {
				w := tb.NewWriter()
				defer w.Close()
				w.w.BatchSize = size
				es := make([]Entry, n)
				for i := range es {
					es[i] = Entry{Key: fmt.Appendf(nil, "st_%021d", i), Value: make([]byte, 120)}
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				if err := w.Write(ctx, es...); err != nil { // connect outside the timing
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if err := w.Write(ctx, es...); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// benchSizes are BenchmarkWrite's batch sizes, in the order they run.
var benchSizes = []int{100, 250, 1000}
