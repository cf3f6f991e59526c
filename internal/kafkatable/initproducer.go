package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// AskPolicy is how InitProducerID asks again: the wait before each next ask, and whether an
// error neither Kafka nor the network names is asked again too.
type AskPolicy struct {
	// Next returns the wait before the next ask (the caller's writer's backoff).
	Next func() time.Duration
	// RetryUnknown asks again after an error that is neither a Kafka code nor a network
	// failure (a TLS handshake refused, a request cut by a cancelled context) instead of
	// ending the ask with it. The sink fence sets it: its auto mode falls back unfenced on a
	// first ask that went unanswered until its bound, and an error ending that ask at once
	// would fail the activation instead (internal/daemon, sinkFence.take), every activation
	// meeting it again. The changelog's fence does not: its restore fails with the error,
	// which says what is wrong, and the processor's restore is tried again.
	RetryUnknown bool
}

// InitProducerID asks the transaction coordinator for the producer identity of txid (the
// same producer id as the last owner's, with its epoch + 1, or a new id with epoch 0). No
// transaction is begun: the transactional id only names the identity so that the coordinator
// bumps its epoch. It asks again after the coordinator's passing answers (loading, moved, not
// there yet, an earlier epoch's work finishing), Kafka's retriable codes and the network's
// failures (AskAgain) until ctx ends; a cluster that cannot host the coordinator's topic
// answers COORDINATOR_NOT_AVAILABLE forever, so the caller bounds ctx. Its error then wraps
// the coordinator's last answer too, which a wait that ended during a request (the request
// failing with the context's end) does not replace: a caller tells a coordinator that was
// loading all along (it works, and is waited for) from one that never answered by it.
func InitProducerID(ctx context.Context, cl *kafka.Client, txid string, p AskPolicy) (Identity, error) {
	var answer error // the last answer, or failure, before the wait ended
	for {
		res, err := cl.InitProducerID(ctx, &kafka.InitProducerIDRequest{
			TransactionalID: txid,
			// No transaction is begun; the coordinator only checks it is within
			// transaction.max.timeout.ms (15 min by default).
			TransactionTimeoutMs: 60_000,
			ProducerID:           -1, ProducerEpoch: -1,
		})
		if err == nil {
			err = res.Error
		}
		if err == nil && res.Producer != nil {
			return Identity{ProducerID: int64(res.Producer.ProducerID), Epoch: int16(res.Producer.ProducerEpoch)}, nil
		}
		if err == nil {
			err = errors.New("no producer in the answer")
		}
		if !AskAgain(err, p.RetryUnknown) {
			return Identity{}, fmt.Errorf("init producer id %q: %w", txid, err)
		}
		if ctx.Err() == nil || answer == nil {
			// A request that failed because ctx ended is no answer: the one before it stays
			// the last, or a wait ending during a request, not between two, hid it.
			answer = err
		}
		if serr := sleep(ctx, p.Next()); serr != nil {
			return Identity{}, fmt.Errorf("init producer id %q: %w (last answer: %w)", txid, serr, answer)
		}
	}
}

// AskAgain reports whether InitProducerID asks again after err: the coordinator's passing
// answers, Kafka's retriable codes, the network's failures (retriable) and, with unknown, any
// error that is not a Kafka code. The ACLs' refusals and every other Kafka code end the ask.
func AskAgain(err error, unknown bool) bool {
	if coordinatorPassing(err) {
		return true
	}
	var ke kafka.Error
	if unknown && !errors.As(err, &ke) {
		return true
	}
	return retriable(err)
}

// coordinatorPassing reports the transaction coordinator's errors that pass: it is loading,
// moved, not there yet (its topic being created), or finishing an earlier epoch's work.
func coordinatorPassing(err error) bool {
	return errors.Is(err, kafka.GroupCoordinatorNotAvailable) || errors.Is(err, kafka.NotCoordinatorForGroup) ||
		errors.Is(err, kafka.GroupLoadInProgress) || errors.Is(err, kafka.ConcurrentTransactions)
}
