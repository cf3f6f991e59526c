package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// BenchmarkLegacyStatusTombstonesAtStart is a start's legacy feed_status tombstones
// (tombstoneLegacyStatusKeys) for 10,000 feeds, a tenth of them with a token in the URL,
// over a feed_status topic holding each feed's record (≈ 600 bytes) under its key of today
// and no legacy key: marked=false, a start that finds no mark that they are gone (each
// iteration commits another set's first) reads the topic to its end and marks them; marked=true,
// a start after that, which reads nothing (before round 37 every start read the topic).
// cpu-ms/start is the process's CPU; records/start and bytes/start what it read. On a real
// broker.
func BenchmarkLegacyStatusTombstonesAtStart(b *testing.B) {
	brokers := kafkatest.Brokers(b)
	cfg := roleConfig(b, brokers)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	sink, err := kafka.New(ctx, cfg.Kafka, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close(ctx)
	specs := make([]feed.Spec, 10_000)
	w := &kafkago.Writer{Addr: kafkago.TCP(brokers...), Topic: cfg.Kafka.TopicName(record.TypeFeedStatus), Balancer: &kafkago.Hash{},
		RequiredAcks: kafkago.RequireAll, BatchSize: 500}
	defer w.Close()
	value := make([]byte, 600)
	for i := range value {
		value[i] = 'x'
	}
	msgs := make([]kafkago.Message, len(specs))
	for i := range specs {
		specs[i].URL = fmt.Sprintf("https://site%05d.example/rss", i)
		if i%10 == 0 {
			specs[i].URL += "?token=0123456789abcdef0123456789abcdef"
		}
		msgs[i] = kafkago.Message{Key: []byte(record.RedactURL(specs[i].URL) + " 0123456789abcdef0123456789abcdef"), Value: value}
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	cn, err := legacyMarkConn(cfg.Kafka)
	if err != nil {
		b.Fatal(err)
	}
	for _, marked := range []bool{false, true} {
		b.Run(fmt.Sprintf("marked=%v", marked), func(b *testing.B) {
			tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, specs, log) // marks them gone
			var cpu float64
			var read legacyScan
			for b.Loop() {
				if !marked {
					if err := markLegacyKeysGone(ctx, cn, cfg.Kafka, "another set"); err != nil {
						b.Fatal(err)
					}
				}
				before := cputime.Self()
				read = tombstoneLegacyStatusKeys(ctx, cfg.Kafka, sink, specs, log)
				cpu += cputime.Self() - before
			}
			b.ReportMetric(cpu*1000/float64(b.N), "cpu-ms/start")
			b.ReportMetric(float64(read.Records), "records/start")
			b.ReportMetric(float64(read.Bytes), "bytes/start")
		})
	}
}
