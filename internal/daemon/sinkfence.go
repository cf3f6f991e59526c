package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
)

// sinkEpochWait bounds taking the sink's producer epoch: a cluster that cannot host the
// transaction coordinator (__transaction_state's replication factor above its brokers)
// answers COORDINATOR_NOT_AVAILABLE forever, and the activation fails instead of hanging.
const sinkEpochWait = 30 * time.Second

// takeSinkEpoch takes items partition partition's sink identity (kafka.sink_fence: on) for
// the pipeline about to be built, and returns nil with the fence off. It runs under the
// group's fence, as the changelog's epoch is taken: a processor whose generation ended must
// not take the epoch, which would fence the partition's rightful owner.
func (p *Processor) takeSinkEpoch(ctx context.Context, partition int) (*epochsink.Writer, error) {
	if p.cfg.Kafka.SinkFence != kafka.SinkFenceOn {
		return nil, nil
	}
	admitted, err := p.admitNow()
	if err != nil {
		return nil, fmt.Errorf("sink fence: take the producer epoch: fenced: %w", err)
	}
	defer admitted()
	ctx, cancel := context.WithTimeout(ctx, sinkEpochWait)
	defer cancel()
	txid := epochsink.TransactionalID(p.cfg.Cluster.ProcessGroup, p.topic, partition)
	w, err := epochsink.Open(ctx, p.Sink.RawWriting(), txid)
	if err != nil {
		return nil, err
	}
	id := w.Identity()
	p.log.Info("sink fence: took the items partition's sink producer epoch; an older owner's record batches are refused on each output partition once this one wrote there",
		"transactional_id", txid, "producer_id", id.ProducerID, "epoch", id.Epoch)
	return w, nil
}

// admitNow is hold without waiting for a next generation: it admits only while the
// generation is current.
func (p *Processor) admitNow() (func(), error) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return p.hold(ctx)
}

// fencedSink writes the pipeline's records through the activation's fenced writer.
type fencedSink struct {
	sink *kafka.Sink
	w    *epochsink.Writer
}

func (s fencedSink) Write(ctx context.Context, recs []record.Record) error {
	return s.sink.WriteVia(ctx, s.w, recs)
}

// sinkStopped reports whether the active pipeline's fenced writer stopped (fenced, or a
// batch's outcome unknown): the pipeline cannot write any more and is restored.
func (a *activePipeline) sinkStopped() bool {
	return a.sinkWriter != nil && a.sinkWriter.Stopped() != nil
}
