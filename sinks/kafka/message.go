package kafka

import (
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// Header names every message carries. Consumers dedupe on record-id.
const (
	HeaderContentType   = "content-type"
	HeaderSchemaVersion = "schema-version"
	HeaderRecordType    = "record-type"
	HeaderRecordID      = "record-id"
	HeaderSourceFeed    = "source-feed" // only when the record has a feed
	HeaderProducedAt    = "produced-at" // RFC 3339 with nanoseconds, UTC
	HeaderProducedBy    = "produced-by" // the instance id of the wirestream that wrote it, when it has one
)

// NewMessage turns a record into the Kafka message the sink sends, its
// value encoded by enc (the zero Encoder writes native records). The
// message is built once per Write and reused verbatim on every retry, so a
// copy written twice by a retry has the same key, value and headers —
// produced-at included — as the first. A ninjs value says so in its
// content-type (the ninjs schema as profile) and schema-version
// ("ninjs-3.1"); the other headers are the same in every format.
func NewMessage(topic string, rec record.Record, enc encode.Encoder, now time.Time) (kafka.Message, error) {
	v, err := enc.Encode(rec)
	if err != nil {
		return kafka.Message{}, err
	}
	now = now.UTC()
	typ, id, key, feed := string(rec.RecordType()), rec.RecordID(), rec.RecordKey(), rec.SourceFeed()
	// The key and every header value are copied into one array, and the
	// headers have room for stamp's: a copy and an allocation per value,
	// and the slice grown twice, were a dozen allocations per record.
	vals := values(make([]byte, 0, len(key)+len(v.ContentType)+len(v.Schema)+len(typ)+len(id)+len(feed)+len(rfc3339NanoUTC)))
	h := make([]kafka.Header, 0, 7)
	h = append(h,
		kafka.Header{Key: HeaderContentType, Value: vals.add(v.ContentType)},
		kafka.Header{Key: HeaderSchemaVersion, Value: vals.add(v.Schema)},
		kafka.Header{Key: HeaderRecordType, Value: vals.add(typ)},
		kafka.Header{Key: HeaderRecordID, Value: vals.add(id)},
	)
	if feed != "" {
		h = append(h, kafka.Header{Key: HeaderSourceFeed, Value: vals.add(feed)})
	}
	h = append(h, kafka.Header{Key: HeaderProducedAt, Value: vals.time(now)})
	return kafka.Message{
		Topic:   topic,
		Key:     vals.add(key),
		Value:   v.Bytes,
		Headers: h,
		Time:    now,
	}, nil
}

// rfc3339NanoUTC is the longest produced-at of a four-digit year.
const rfc3339NanoUTC = "2006-01-02T15:04:05.999999999Z"

// values hands out byte copies of a message's strings from one array.
// Each copy is capped at its own end, so an append to one header's value
// cannot write over the next.
type values []byte

func (b *values) add(s string) []byte {
	from := len(*b)
	*b = append(*b, s...)
	return (*b)[from:len(*b):len(*b)]
}

// time adds t as produced-at (RFC 3339 with nanoseconds).
func (b *values) time(t time.Time) []byte {
	from := len(*b)
	*b = t.AppendFormat(*b, time.RFC3339Nano)
	return (*b)[from:len(*b):len(*b)]
}

// stamp adds the produced-by header naming this instance, when it has an
// id, to a message NewMessage or ItemMessage built: every message the sink
// sends carries it, so the size limit counts it too (stampSize). The sink
// stamps with the header producedBy built once (Sink.stamp).
func (c Config) stamp(m *kafka.Message) { m.Headers = append(m.Headers, c.producedBy()...) }

// producedBy is the header stamp adds: none when the instance has no id.
// The sink's messages share its value; nothing writes into a header value
// (the writer only reads them, an append copies).
func (c Config) producedBy() []kafka.Header {
	if c.Instance == "" {
		return nil
	}
	return []kafka.Header{{Key: HeaderProducedBy, Value: []byte(c.Instance)}}
}

// stampSize is what stamp adds to messageSize.
func (c Config) stampSize() int {
	if c.Instance == "" {
		return 0
	}
	return headerSize(HeaderProducedBy, c.Instance)
}

// headerSize is messageSize's share for one header.
func headerSize[V string | []byte](key string, value V) int { return len(key) + len(value) + 10 }

// messageSize is an upper bound of the bytes a message takes in a record
// batch: what the broker compares with max.message.bytes for a batch of one
// before compression.
func messageSize(m kafka.Message) int {
	n := len(m.Key) + len(m.Value) + 32 // varints, attributes, timestamp and offset deltas
	for _, h := range m.Headers {
		n += headerSize(h.Key, h.Value)
	}
	return n + 61 // record batch header
}

// checkSize refuses a message over max_message_bytes: the sink
// dead-letters it instead of sending it to a broker that would refuse it.
func (c Config) checkSize(m kafka.Message) error {
	if n := messageSize(m); n > c.MaxMessageBytes {
		return fmt.Errorf("message of %d bytes is over kafka.max_message_bytes (%d)", n, c.MaxMessageBytes)
	}
	return nil
}

// fitsStamped reports whether m, once stamped, passes checkSize. It counts
// the stamp's bytes rather than stamping a copy: a fetcher asks it of every
// item, and the message is stamped once, where it is sent.
func (c Config) fitsStamped(m kafka.Message) bool {
	return messageSize(m)+c.stampSize() <= c.MaxMessageBytes
}

// OversizeDeadLetter returns the dead letter the sink would publish in
// place of rec because its message, in its topic's format, is over
// max_message_bytes, or nil when rec fits. `wirestream process`, which
// writes JSONL, uses it to apply the limit `run` applies.
func (c Config) OversizeDeadLetter(rec record.Record, now time.Time) (*record.DeadLetter, error) {
	enc, err := encode.New(c.WithFormat(encode.Native).Topic(rec.RecordType()).Format)
	if err != nil {
		return nil, err
	}
	if c.fitsForSure(rec, enc.Format()) {
		return nil, nil
	}
	return c.oversizeByEncoding(rec, enc, now)
}

// oversizeByEncoding is OversizeDeadLetter's answer from the message
// itself, encoded by enc.
func (c Config) oversizeByEncoding(rec record.Record, enc encode.Encoder, now time.Time) (*record.DeadLetter, error) {
	msg, err := NewMessage(c.TopicName(rec.RecordType()), rec, enc, now)
	if err != nil {
		return nil, err
	}
	c.stamp(&msg)
	if err := c.checkSize(msg); err != nil {
		return deadLetterFor(msg, err, now), nil
	}
	return nil, nil
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
