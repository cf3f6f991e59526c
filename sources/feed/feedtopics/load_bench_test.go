package feedtopics

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/kafkatable"
)

// BenchmarkStoreLoad is a fetcher's load of one gained partition of 10,000 poll states (about
// 700 bytes each, as a 10-item feed's): what a start or a rebalance costs it before the
// partition's feeds are polled. cpu-ms/load is the process's CPU (ours and the client's).
// On a real broker.
func BenchmarkStoreLoad(b *testing.B) {
	cn := connect(b, brokers(b))
	tp := testTopics(b, cn, 1, 1, 1)
	st := openState(b, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	value := []byte(`{"v":1,"etag":"\"abc\"","body_sha256":"` + strings.Repeat("0", 64) + `","seen":{` +
		strings.Repeat(`"5c20b2dc32540395":"2ec711686078b97a",`, 15) + `"x":"y"},"next_poll":"2026-12-06T05:16:21Z"}`)
	writeFeedStates(ctx, b, st, 10_000, value)
	b.ReportAllocs()
	cpu := cputime.Self()
	for b.Loop() {
		if err := st.NewStore(time.Minute).Load(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu)*1000/float64(b.N), "cpu-ms/load")
}

// writeFeedStates writes value as the poll state of feeds feeds (https://feed00000.example/rss
// on) on st's partition 0, in writes of 500.
func writeFeedStates(ctx context.Context, b *testing.B, st *FeedState, feeds int, value []byte) {
	entries := make([]kafkatable.Entry, 0, 500)
	for i := range feeds {
		entries = append(entries, kafkatable.Entry{Key: fmt.Appendf(nil, "https://feed%05d.example/rss", i), Value: value})
		if len(entries) == cap(entries) || i == feeds-1 {
			if err := st.w[0].Write(ctx, entries...); err != nil {
				b.Fatal(err)
			}
			entries = entries[:0]
		}
	}
}
