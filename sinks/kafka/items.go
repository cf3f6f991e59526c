package kafka

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// The items topic is the hand-off between the scale-out roles: fetchers
// write each item they polled as one message, processors read them in
// order and run the pipeline. An item message is:
//
//	key      the feed URL (a feed's items stay in order on one partition)
//	value    {"v":1, ...the record.Item's JSON fields}
//	headers  content-type, record-type "item", record-id (ItemID), source-feed,
//	         produced-at, produced-by
//
// The version lives in the value, so a reader needs nothing else. Fields a
// later wirestream adds are ignored by an older one (processors and
// fetchers are upgraded one at a time); a later version number is refused.
const itemVersion = 1

// RecordTypeItem is the record-type header of item messages. Items are
// not records of the published schema: only processors read them.
const RecordTypeItem = "item"

// wireItem is an item message's value.
type wireItem struct {
	V int `json:"v"`
	*record.Item
}

// ItemID identifies an item as its feed served it: the same item polled
// twice (a retry, a fetcher that died before saving its progress) has the
// same id; a revision of its text has another.
func ItemID(it *record.Item) string {
	fields := [...]string{it.Feed.URL, it.GUID, it.Link, it.Title, it.Description, it.Content, it.UpdatedRaw}
	n := 0
	for _, f := range fields {
		n += len(f) + 21 // the length's digits and ":"
	}
	// The same bytes as fmt.Fprintf(h, "%d:%s", len(f), f) per field wrote
	// (processors dedupe on the id, so it must not change), hashed in one
	// call: an item of up to 4 KiB takes no allocation but the id's.
	var small [4096]byte
	b := small[:0]
	if n > len(small) {
		b = make([]byte, 0, n)
	}
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
	}
	sum := sha256.Sum256(b)
	var id [2 + 24]byte
	copy(id[:], "i_")
	hex.Encode(id[2:], sum[:12])
	return string(id[:])
}

// ItemMessage encodes one item for the items topic.
func ItemMessage(topic string, it *record.Item, now time.Time) (kafka.Message, error) {
	// Without HTML escaping: a feed's markup would weigh six bytes a "<"
	// against kafka.max_message_bytes, and the processor decodes either.
	value, ok := encode.Item(itemVersion, it)
	if !ok { // encoding/json says why
		enc := json.NewEncoder(io.Discard)
		err := enc.Encode(wireItem{V: itemVersion, Item: it})
		return kafka.Message{}, fmt.Errorf("encode item %q of %s as JSON: %w", it.Link, it.Feed.URL, err)
	}
	now = now.UTC()
	id, feed := ItemID(it), it.Feed.URL
	// As in NewMessage: the key and the header values share one array,
	// and the headers have room for stamp's.
	vals := values(make([]byte, 0, 2*len(feed)+len(contentTypeJSON)+len(RecordTypeItem)+len(id)+len(rfc3339NanoUTC)))
	h := make([]kafka.Header, 0, 6)
	h = append(h,
		kafka.Header{Key: HeaderContentType, Value: vals.add(contentTypeJSON)},
		kafka.Header{Key: HeaderRecordType, Value: vals.add(RecordTypeItem)},
		kafka.Header{Key: HeaderRecordID, Value: vals.add(id)},
		kafka.Header{Key: HeaderSourceFeed, Value: vals.add(feed)},
		kafka.Header{Key: HeaderProducedAt, Value: vals.time(now)},
	)
	return kafka.Message{
		Topic:   topic,
		Key:     vals.add(feed),
		Value:   value,
		Headers: h,
		Time:    now,
	}, nil
}

// contentTypeJSON is an item message's content-type.
const contentTypeJSON = "application/json"

// DecodeItem reads an item message's value. It refuses what the pipeline
// cannot take: not JSON, a version this wirestream does not read, an item
// without its feed.
func DecodeItem(value []byte) (record.Item, error) {
	var w struct {
		V *int `json:"v"`
		record.Item
	}
	if err := json.Unmarshal(value, &w); err != nil {
		return record.Item{}, fmt.Errorf("item message: not an item: %w", err)
	}
	switch {
	case w.V == nil:
		return record.Item{}, errors.New("item message: no format version (\"v\"): not written by a wirestream fetcher")
	case *w.V != itemVersion:
		return record.Item{}, fmt.Errorf("item message: format version %d, this wirestream reads %d: upgrade the processors first", *w.V, itemVersion)
	case w.Feed.URL == "":
		return record.Item{}, errors.New("item message: the item names no feed (feed.url)")
	}
	return w.Item, nil
}
