package kafkatable

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// benchRecords is the size of the benchmark's table: issue 10 asks for a restore of 1M
// remembered stories within 30 s.
const benchRecords = 1_000_000

var (
	benchOnce  sync.Once
	benchTable *Table
)

// benchTableOf fills a 6-partition compacted topic with 1M distinct keys once per process,
// as a dedupe changelog would hold them: a 24-byte story id and a 64-byte value.
func benchTableOf(b *testing.B) *Table {
	cn := connect(b, brokers(b))
	benchOnce.Do(func() {
		tb := newTable(b, cn, 6)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		tr := cn.Transport(time.Second)
		defer tr.CloseIdleConnections()
		// A bulk loader, not the table's Writer: large batches fill the topic fast.
		w := &kafka.Writer{Addr: kafka.TCP(cn.Brokers()...), Topic: tb.Topic(), Transport: tr,
			Balancer: balancer{partitions: 6}, RequiredAcks: kafka.RequireAll, Compression: kafka.Lz4,
			BatchSize: 10_000, BatchBytes: 1_000_000, BatchTimeout: 10 * time.Millisecond}
		defer w.Close()
		start := time.Now()
		const chunk = 50_000
		msgs := make([]kafka.Message, chunk)
		for i := 0; i < benchRecords; i += chunk {
			for j := range msgs {
				n := i + j
				msgs[j] = kafka.Message{
					Key:   fmt.Appendf(nil, "st_%021d", n),
					Value: fmt.Appendf(nil, `{"fp":"%016x","seen":"2026-03-14T09:26:53Z","n":%08d}`, uint64(n)*0x9e3779b97f4a7c15, n),
				}
			}
			if err := w.WriteMessages(ctx, msgs...); err != nil {
				b.Fatalf("fill benchmark table: %v", err)
			}
		}
		b.Logf("filled %s with %d records in %v", tb.Topic(), benchRecords, time.Since(start))
		benchTable = tb
	})
	if benchTable == nil {
		b.Fatal("the benchmark table could not be filled")
	}
	return benchTable
}

// BenchmarkRestoreAll1M restores 1M small records from the real broker: the figure for a
// processor taking over a partition with 1M remembered stories.
func BenchmarkRestoreAll1M(b *testing.B) {
	tb := benchTableOf(b)
	b.Run("read", func(b *testing.B) {
		restoreBench(b, tb, func(r Record) error { return nil })
	})
	b.Run("into-map", func(b *testing.B) {
		// What a consumer of the table does: keep a copy of every key and value.
		var m map[string][]byte
		restoreBench(b, tb, func(r Record) error {
			if m == nil || len(m) == benchRecords {
				m = make(map[string][]byte, benchRecords)
			}
			if r.Value == nil {
				delete(m, string(r.Key))
			} else {
				m[string(r.Key)] = append([]byte(nil), r.Value...)
			}
			return nil
		})
	})
}

func restoreBench(b *testing.B, tb *Table, fn func(Record) error) {
	ctx := context.Background()
	b.ReportAllocs()
	var total int
	for b.Loop() {
		n := 0
		if _, err := tb.RestoreAll(ctx, func(r Record) error { n++; return fn(r) }); err != nil {
			b.Fatal(err)
		}
		if n != benchRecords {
			b.Fatalf("restored %d records, want %d", n, benchRecords)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/1M")
}
