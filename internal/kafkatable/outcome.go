package kafkatable

import (
	"errors"
	"net"

	"github.com/segmentio/kafka-go"
)

// mayHaveAppended reports whether a failed produce request leaves open that the leader
// appended its batch. Kafka answers its refusals before the append (its error table): every
// error code but REQUEST_TIMED_OUT (7; the leader appended and waited for the in-sync replicas
// in vain) and NOT_ENOUGH_REPLICAS_AFTER_APPEND (20; "written to the log, but with fewer
// in-sync replicas than required") says the batch was not appended — NOT_ENOUGH_REPLICAS (19),
// NOT_LEADER_OR_FOLLOWER (6), MESSAGE_TOO_LARGE (10), an unknown partition, a refused epoch…
// A connection that never opened (a dial error) sent nothing. Anything else — no answer by the
// deadline, a connection cut after the request left, an answer that did not decode — may have
// appended it. The sink fence's writer reads the same table (epochsink's classify).
func mayHaveAppended(err error) bool {
	var ke kafka.Error
	if errors.As(err, &ke) {
		return ke == kafka.RequestTimedOut || ke == kafka.NotEnoughReplicasAfterAppend
	}
	var op *net.OpError
	return !errors.As(err, &op) || op.Op != "dial"
}
