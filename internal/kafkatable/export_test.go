package kafkatable

import (
	"time"

	"github.com/segmentio/kafka-go"
)

// PartitionWriterOver is a partition writer of a table of one partition whose requests go to
// rt, with no broker behind it: for tests of InitProducer's retries against a fake coordinator.
func PartitionWriterOver(rt kafka.RoundTripper) *Writer {
	t := &Table{topic: "fake-changelog", partitions: 1, opts: Options{RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond}.withDefaults()}
	return &Writer{t: t, cl: &kafka.Client{Addr: kafka.TCP("127.0.0.1:1"), Transport: rt}, p: 0}
}
