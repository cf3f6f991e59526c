package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// A table retries what an admin request retries (wkafka.Retriable) and
// also a broker that refuses connections or whose name does not resolve
// for a while: a table's reads and writes outlive a broker's restart,
// where a start gives up at once.
func TestATableRetriesWhatAStartRetriesAndABrokerRestarting(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	for _, tc := range []struct {
		name        string
		err         error
		start, want bool
	}{
		{"a controller election", kafka.NotController, true, true},
		{"a leader moving", fmt.Errorf("write: %w", kafka.NotLeaderForPartition), true, true},
		{"authorization", kafka.TopicAuthorizationFailed, false, false},
		{"an unknown topic (Kafka calls it retriable)", kafka.UnknownTopicOrPartition, true, true},
		{"no leader in kafka-go's metadata", protocol.ErrNoLeader, true, true},
		{"a request timing out", context.DeadlineExceeded, true, true},
		{"a connection cut mid-answer", io.ErrUnexpectedEOF, true, true},
		{"a connection reset", syscall.ECONNRESET, true, true},
		{"a refused connection (a broker restarting)", refused, false, true},
		{"a bare refused connection", syscall.ECONNREFUSED, false, true},
		{"a broker name not resolving", &net.DNSError{Err: "no such host", Name: "kafka-0", IsNotFound: true}, false, true},
		{"a cancelled context", context.Canceled, false, false},
		{"anything else", errors.New("boom"), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wkafka.Retriable(tc.err); got != tc.start {
				t.Errorf("wkafka.Retriable = %v, want %v", got, tc.start)
			}
			if got := retriable(tc.err); got != tc.want {
				t.Errorf("retriable = %v, want %v", got, tc.want)
			}
		})
	}
}
