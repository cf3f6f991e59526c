package kafka

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Header names every message carries. Consumers dedupe on record-id.
const (
	HeaderContentType   = "content-type"
	HeaderSchemaVersion = "schema-version"
	HeaderRecordType    = "record-type"
	HeaderRecordID      = "record-id"
	HeaderSourceFeed    = "source-feed" // only when the record has a feed
	HeaderProducedAt    = "produced-at" // RFC 3339 with nanoseconds, UTC
)

// NewMessage turns a record into the Kafka message the sink sends. The
// message is built once per Write and reused verbatim on every retry, so a
// copy written twice by a retry has the same key, value and headers —
// produced-at included — as the first.
func NewMessage(topic string, rec record.Record, now time.Time) (kafka.Message, error) {
	value, err := json.Marshal(rec)
	if err != nil {
		return kafka.Message{}, fmt.Errorf("encode %s %s as JSON: %w", rec.RecordType(), rec.RecordID(), err)
	}
	now = now.UTC()
	h := []kafka.Header{
		{Key: HeaderContentType, Value: []byte("application/json")},
		{Key: HeaderSchemaVersion, Value: []byte(record.SchemaVersion)},
		{Key: HeaderRecordType, Value: []byte(rec.RecordType())},
		{Key: HeaderRecordID, Value: []byte(rec.RecordID())},
	}
	if f := rec.SourceFeed(); f != "" {
		h = append(h, kafka.Header{Key: HeaderSourceFeed, Value: []byte(f)})
	}
	h = append(h, kafka.Header{Key: HeaderProducedAt, Value: []byte(now.Format(time.RFC3339Nano))})
	return kafka.Message{
		Topic:   topic,
		Key:     []byte(rec.RecordKey()),
		Value:   value,
		Headers: h,
		Time:    now,
	}, nil
}

// messageSize is an upper bound of the bytes a message takes in a record
// batch: what the broker compares with max.message.bytes for a batch of one
// before compression.
func messageSize(m kafka.Message) int {
	n := len(m.Key) + len(m.Value) + 32 // varints, attributes, timestamp and offset deltas
	for _, h := range m.Headers {
		n += len(h.Key) + len(h.Value) + 10
	}
	return n + 61 // record batch header
}

// Header returns the value of the named header, or "".
func Header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// deadLetterFor wraps a record that could not be published. Its subject
// is the record's type and id, so retrying the dead letter also collapses
// on the consumer side.
func deadLetterFor(m kafka.Message, reason error, now time.Time) *record.DeadLetter {
	typ, id := Header(m, HeaderRecordType), Header(m, HeaderRecordID)
	return record.NewDeadLetter(record.StagePublish, typ+":"+id, Header(m, HeaderSourceFeed),
		fmt.Errorf("publish %s %s to topic %s: %w", typ, id, m.Topic, reason), now).WithPayload(m.Value)
}
