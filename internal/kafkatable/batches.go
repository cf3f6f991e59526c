package kafkatable

import (
	"errors"
	"io"

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
