package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/segmentio/kafka-go"
)

// A failed send leaves the batch's outcome open unless the error says the leader appended
// nothing: Kafka's refusals come before the append, but for REQUEST_TIMED_OUT and
// NOT_ENOUGH_REPLICAS_AFTER_APPEND, and a connection that never opened sent nothing. The
// state changelog keeps its count of its own records by this (PartialWriteError.Uncounted), so
// a refusal read as "may have appended" only costs a late epoch, and the reverse would make
// the count exact when it is not.
func TestMayHaveAppendedReadsKafkasRefusalsAsNotAppended(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{kafka.NotEnoughReplicas, false},
		{kafka.NotLeaderForPartition, false},
		{kafka.LeaderNotAvailable, false},
		{kafka.MessageSizeTooLarge, false},
		{kafka.InvalidProducerEpoch, false},
		{fmt.Errorf("produce to t/0: %w", kafka.NotEnoughReplicas), false},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, false},
		{kafka.RequestTimedOut, true},
		{kafka.NotEnoughReplicasAfterAppend, true},
		{fmt.Errorf("produce to t/0: %w", kafka.RequestTimedOut), true},
		{context.DeadlineExceeded, true},
		{io.ErrUnexpectedEOF, true},
		{&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, true},
		{errors.New("decoding the answer"), true},
	} {
		if got := mayHaveAppended(c.err); got != c.want {
			t.Errorf("mayHaveAppended(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
