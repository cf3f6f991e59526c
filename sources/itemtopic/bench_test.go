package itemtopic

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// BenchmarkDecodeAndCollect is the reader's own work per batch of 64
// item messages, without a broker: each message decoded (with its
// position) and the batch collected with its Origins. The table is a zero
// one, so the topic's name is empty; allocs/op is what it is for.
func BenchmarkDecodeAndCollect(b *testing.B) {
	const n = 64
	r := &Reader{t: &kafkatable.Table{}, o: Options{BatchItems: n, Linger: time.Hour}.withDefaults(), m: NewMetrics(nil)}
	values := make([][]byte, n)
	for i := range values {
		it := record.Item{Feed: record.FeedRef{URL: "https://x.example/rss"}, Link: fmt.Sprintf("https://x.example/%d", i), Title: fmt.Sprint("story ", i)}
		m, err := wkafka.ItemMessage("wirestream.items", &it, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		values[i] = m.Value
	}
	entries := make(chan entry, n)
	where := &origins{topic: r.t.Topic()}
	base := int64(1_000_000) // an offset as a long-running topic has
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range values {
			entries <- r.decode(kafkatable.Record{Partition: 3, Offset: base + int64(i), Value: v})
		}
		c, err := r.collect(context.Background(), entries, nil, where)
		if err != nil || len(c.Items) != n || len(c.Origins) != n {
			b.Fatalf("collected %d items, %d origins: %v", len(c.Items), len(c.Origins), err)
		}
		base += n
	}
}
