package kafka

import (
	"context"
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkWrite measures synchronous Writes (acks=all) of pipeline-sized
// batches, on kfake and, with KAFKA_BROKERS, on the real broker.
//
//	go test -run '^$' -bench Write -benchtime 200x ./sinks/kafka/
func BenchmarkWrite(b *testing.B) {
	targets := map[string]func(*testing.B) []string{
		"kfake": func(b *testing.B) []string {
			c, err := kfake.NewCluster(kfake.NumBrokers(1))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(c.Close)
			return c.ListenAddrs()
		},
		"real": func(b *testing.B) []string { return kafkatest.Brokers(b) },
	}
	for _, target := range []string{"kfake", "real"} {
		for _, n := range []int{1, 50} {
			for _, codec := range []string{"zstd", "none"} {
				b.Run(fmt.Sprintf("%s/records=%d/%s", target, n, codec), func(b *testing.B) {
					brokers := targets[target](b)
					cfg := realConfig(b, brokers) // its own topics, deleted afterwards
					def := DefaultConfig()
					cfg.Topics, cfg.RetryBackoffMin, cfg.RetryBackoffMax = def.Topics, def.RetryBackoffMin, def.RetryBackoffMax
					cfg.Compression = codec
					s, err := New(context.Background(), cfg, nil, nil)
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close(context.Background())
					recs := make([]record.Record, n)
					for i := range recs {
						recs[i] = fixtures.Story(i)
					}
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						if err := s.Write(context.Background(), recs); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
				})
			}
		}
	}
}
