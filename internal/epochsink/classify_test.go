package epochsink

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/segmentio/kafka-go"
)

// Each failed send's error says one thing of its batch, and the retries follow it: a refusal
// before the append (Kafka's protocol table) is retried uncounted, bounded by time; an answer
// that may hide an append makes the outcome unknown; other retriable refusals count; the rest
// end the batch's sends.
func TestEachSendErrorSaysWhetherTheBatchMayHaveLanded(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("kafka.(*Client).RawProduce: %w", err) }
	for _, c := range []struct {
		err  error
		want sendOutcome
	}{
		{wrap(kafka.NotLeaderForPartition), notAppended},
		{wrap(kafka.LeaderNotAvailable), notAppended},
		{wrap(kafka.NotEnoughReplicas), notAppended},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused")}, notAppended},
		{wrap(kafka.NotEnoughReplicasAfterAppend), mayHaveAppended},
		{wrap(kafka.RequestTimedOut), mayHaveAppended},
		{context.DeadlineExceeded, mayHaveAppended},
		{&net.OpError{Op: "read", Net: "tcp", Err: errors.New("reset")}, mayHaveAppended},
		{wrap(kafka.UnknownTopicOrPartition), refusedRetriable},
		{wrap(kafka.MessageSizeTooLarge), refusedForGood},
		{wrap(kafka.TopicAuthorizationFailed), refusedForGood},
	} {
		if got := classify(c.err); got != c.want {
			t.Errorf("classify(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}
