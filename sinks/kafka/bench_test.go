package kafka

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	kzstd "github.com/segmentio/kafka-go/compress/zstd"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// benchLevel is kafka.compression_level for BenchmarkWrite. The level is
// per process (installCompression), so each level is its own run:
//
//	go test -run '^$' -bench Write -benchtime 200x ./sinks/kafka/ -args -compression-level 3
var benchLevel = flag.Int("compression-level", 0, "kafka.compression_level of BenchmarkWrite's sinks (0: the default)")

// BenchmarkWrite measures synchronous Writes (acks=all) of pipeline-sized
// batches, on kfake and, with KAFKA_BROKERS, on the real broker: time,
// this process's CPU per Write (cpu-ns/op: encoding and compression; the
// broker is another process) and the bytes sent to the brokers per Write
// (sent-B/op: the produce requests with their compressed batches, and
// metadata). Records are the fixture stories (a headline and a summary)
// or stories made of WikiRef220's articles (a 120-word body, its HTML).
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
	data := map[string]func(*testing.B, int) []record.Record{
		"fixtures": func(_ *testing.B, n int) []record.Record {
			recs := make([]record.Record, n)
			for i := range recs {
				recs[i] = fixtures.Story(i)
			}
			return recs
		},
		"articles": articleStories,
	}
	for _, target := range []string{"kfake", "real"} {
		for _, stories := range []string{"fixtures", "articles"} {
			for _, n := range []int{1, 50} {
				for _, codec := range []string{"zstd", "none"} {
					b.Run(fmt.Sprintf("%s/%s/records=%d/%s", target, stories, n, codec), func(b *testing.B) {
						brokers := targets[target](b)
						recs := data[stories](b, n)
						cfg := realConfig(b, brokers) // its own topics, deleted afterwards
						def := DefaultConfig()
						cfg.Topics, cfg.RetryBackoffMin, cfg.RetryBackoffMax = def.Topics, def.RetryBackoffMin, def.RetryBackoffMax
						cfg.Compression = codec
						if codec == "zstd" {
							cfg.CompressionLevel = *benchLevel
						}
						s, err := New(context.Background(), cfg, nil, nil)
						if err != nil {
							b.Fatal(err)
						}
						defer s.Close(context.Background())
						var sent atomic.Int64
						dial := s.tr.Dial // no connection is made before the first Write
						s.tr.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
							c, err := dial(ctx, network, addr)
							if err != nil {
								return nil, err
							}
							return countingConn{Conn: c, n: &sent}, nil
						}
						b.ReportAllocs()
						b.ResetTimer()
						cpu0 := cputime.Self()
						for b.Loop() {
							if err := s.Write(context.Background(), recs); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
						b.ReportMetric(float64(sent.Load())/float64(b.N), "sent-B/op")
						b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
					})
				}
			}
		}
	}
}

// articleStories are n stories made of WikiRef220's articles as the
// pipeline publishes them: headline, summary, a 120-word body and its
// HTML.
func articleStories(b *testing.B, n int) []record.Record {
	docs := shareddata.WikiRef(b)
	recs := make([]record.Record, n)
	for i := range recs {
		d := docs[i%len(docs)]
		s := fixtures.Story(i)
		words := strings.Fields(d.Text)
		s.Title = d.Item.Title
		s.Body = strings.Join(words[:min(len(words), 120)], " ")
		s.Summary = record.Truncate(s.Body, 300)
		s.HTML = "<p>" + strings.ReplaceAll(s.Body, ". ", ".</p><p>") + "</p>"
		recs[i] = s
	}
	return recs
}

// countingConn counts the bytes written to a broker.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// BenchmarkZstdLevel compresses what a partition batch of stories carries
// (each message's key, headers and value, as NewMessage builds them) with
// kafka-go's zstd codec at each level, so the codec's CPU and ratio are
// seen apart from the broker and the rest of a Write: cpu-ns/op (this
// process's CPU, which load on the box moves less than ns/op) and ratio
// (compressed ÷ raw bytes). Batches of 3 records are what the harness's
// writes mostly open per partition; 50, what a backlog fills.
//
//	go test -run '^$' -bench ZstdLevel -count 6 ./sinks/kafka/
func BenchmarkZstdLevel(b *testing.B) {
	for _, n := range []int{3, 50} {
		var raw []byte
		for _, r := range articleStories(b, n) {
			m, err := NewMessage("wirestream.stories", r, encode.Encoder{}, fixtures.T0)
			if err != nil {
				b.Fatal(err)
			}
			raw = append(raw, m.Key...)
			for _, h := range m.Headers {
				raw = append(append(raw, h.Key...), h.Value...)
			}
			raw = append(raw, m.Value...)
		}
		for _, level := range []int{1, 3} {
			b.Run(fmt.Sprintf("records=%d/level=%d", n, level), func(b *testing.B) {
				codec := &kzstd.Codec{Level: level}
				var out bytes.Buffer
				b.SetBytes(int64(len(raw)))
				b.ReportAllocs()
				cpu0 := cputime.Self()
				for b.Loop() {
					out.Reset()
					w := codec.NewWriter(&out)
					if _, err := w.Write(raw); err != nil {
						b.Fatal(err)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(out.Len())/float64(len(raw)), "ratio")
			})
		}
	}
}

// BenchmarkConcurrentItemWrites measures what fetchers do on the real
// broker (KAFKA_BROKERS): conc goroutines each writing one poll's items
// (3) and its feed_status at a time, the items to a one-partition topic,
// per kafka.batch_timeout. kafka-go sends a partition's batches one after
// another, so the timeout decides both how long a write waits and how many
// writes share a produce request: write latency, produce requests per
// write and writes/s.
//
//	KAFKA_BROKERS=127.0.0.1:25092 go test -run '^$' -bench ConcurrentItemWrites -benchtime 400x ./sinks/kafka/
func BenchmarkConcurrentItemWrites(b *testing.B) {
	brokers := kafkatest.Brokers(b)
	for _, timeout := range []time.Duration{time.Millisecond, 10 * time.Millisecond} {
		for _, conc := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("batch_timeout=%v/writers=%d", timeout, conc), func(b *testing.B) {
				cfg := realConfig(b, brokers)
				cfg.BatchTimeout, cfg.Instance = timeout, "fetch-1"
				s, err := New(context.Background(), cfg, nil, nil)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close(context.Background())
				items := cfg.TopicPrefix + "items"
				if err := s.Provision(context.Background(), TopicSpec{Name: items, Partitions: 1, ReplicationFactor: 1, CleanupPolicy: "delete"}); err != nil {
					b.Fatal(err)
				}
				its := []record.Item{testItem(), testItem(), testItem()}
				status := []record.Record{fixtures.FeedStatus()}
				var mu sync.Mutex
				var took []time.Duration
				b.ResetTimer()
				var wg sync.WaitGroup
				for range conc {
					wg.Go(func() {
						for range max(b.N/conc, 1) {
							start := time.Now()
							if err := s.WriteItems(context.Background(), items, its, status); err != nil {
								b.Error(err)
								return
							}
							mu.Lock()
							took = append(took, time.Since(start))
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				if len(took) == 0 {
					return
				}
				slices.Sort(took)
				b.ReportMetric(took[len(took)/2].Seconds()*1000, "p50-ms")
				b.ReportMetric(took[len(took)*99/100].Seconds()*1000, "p99-ms")
				b.ReportMetric(float64(s.w.Stats().Writes)/float64(len(took)), "requests/write")
				b.ReportMetric(float64(len(took))/b.Elapsed().Seconds(), "writes/s")
			})
		}
	}
}
