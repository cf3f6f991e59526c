package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
)

// recordsByBatch reads a fetch's records as kafka.RecordReader does (control batches skipped),
// and says of each whether its batch carries no producer id (Record.Unfenced): a record batch
// of magic 2 whose producer id is -1, as a writer without one sends it (kafka-go's Writer, a
// wirestream before round 20 or with state.changelog.fence off). A reader that is not a
// stream of batches (another client's, a test's) says nothing: unfenced is false.
func recordsByBatch(recs kafka.RecordReader) func() (rec *kafka.Record, unfenced bool, err error) {
	s, ok := recs.(*protocol.RecordStream)
	if !ok {
		return func() (*kafka.Record, bool, error) {
			rec, err := recs.ReadRecord()
			return rec, false, err
		}
	}
	i := 0
	return func() (*kafka.Record, bool, error) {
		for i < len(s.Records) {
			b := s.Records[i]
			if _, control := b.(*protocol.ControlBatch); control {
				i++
				continue
			}
			rec, err := b.ReadRecord()
			if errors.Is(err, io.EOF) {
				i++
				continue
			}
			rb, v2 := b.(*protocol.RecordBatch)
			return rec, v2 && rb.ProducerID < 0, err
		}
		return nil, false, io.EOF
	}
}

// ControlRecords counts the control records (transaction markers: a
// transactional producer's commit or abort, one offset each) that a
// fetch's records hold before end. A reader skips them (recordsByBatch),
// so the offsets they take are no records to it. A reader that is not a
// stream of batches holds none.
func ControlRecords(recs kafka.RecordReader, end int64) (n int64) {
	s, ok := recs.(*protocol.RecordStream)
	if !ok {
		return 0
	}
	for _, b := range s.Records {
		if _, control := b.(*protocol.ControlBatch); !control {
			continue
		}
		for {
			rec, err := b.ReadRecord()
			if err != nil {
				break
			}
			if rec.Offset < end {
				n++
			}
		}
	}
	return n
}

// markerFetchBytes bounds the one fetch RecordsBetween counts the
// markers in.
const markerFetchBytes = 256 << 10

// RecordsBetween is how many records a reader of partition of topic is
// handed from offset from up to end (the log's end, from ListOffsets): the
// offsets between them less the transaction markers among them. A
// producer writing with transactions (exactly-once) ends each
// transaction with a marker that takes an offset and is no record, so a
// consumer that read everything is one offset per transaction short of
// the end for ever. The markers are counted in one fetch of at most
// markerFetchBytes from from: exact for a few records (an idle or
// keeping-up consumer); markers past it are counted as records (a large
// backlog reads at most a few too many). Records of aborted transactions
// count: the readers read uncommitted. A failed fetch gives the offsets
// between them, markers included, with the error: a caller has a figure
// either way, an upper bound.
func RecordsBetween(ctx context.Context, cl *kafka.Client, topic string, partition int, from, end int64) (int64, error) {
	if end <= from {
		return 0, nil
	}
	res, err := cl.Fetch(ctx, &kafka.FetchRequest{Topic: topic, Partition: partition, Offset: from,
		MinBytes: 1, MaxBytes: markerFetchBytes, MaxWait: 10 * time.Millisecond})
	if err == nil && res.Error != nil {
		err = res.Error
	}
	if err != nil {
		return end - from, fmt.Errorf("count the transaction markers of %s:%d from offset %d: %w", topic, partition, from, err)
	}
	return max(end-from-ControlRecords(res.Records, end), 0), nil
}
