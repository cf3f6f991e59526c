package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

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

// The rule: a table's failed reads are logged as warnings only once they
// have failed for RetryWarnAfter, whatever the number of attempts: a first
// `feeds push` to a new broker printed four warnings of Not Leader For
// Partition in 0.4 s for a push that worked (the new topics' leaders being
// elected), when the warning went by attempt count (3 and up). A read that
// went through after warnings says so at info.
func TestATablesRetriesWarnOnlyOnceTheFailureLasts(t *testing.T) {
	for _, tc := range []struct {
		name      string
		failFor   time.Duration
		warnAfter time.Duration
		wantWarn  bool
	}{
		{"a dozen quick retries, a new topic's leader election", 30 * time.Millisecond, time.Second, false},
		{"failing past RetryWarnAfter", 150 * time.Millisecond, 50 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs levelCounter
			tab := &Table{topic: "t", opts: Options{RetryMin: time.Millisecond, RetryMax: 2 * time.Millisecond, RetryWarnAfter: tc.warnAfter}.withDefaults(),
				log: slog.New(&logs), m: NewMetrics(nil)}
			// The clock starts at the first attempt, after retry's own: a failure
			// this test sees past warnAfter is past it for retry too. It fails
			// for failFor and at least four attempts, and a run meant to warn
			// until one attempt failed past warnAfter: a loaded box can sleep
			// through the whole of failFor between two retries (CI, round 35:
			// 6 attempts inside 50 ms, the 7th after 150 ms, no warning).
			var start time.Time
			attempts, failedLate := 0, false
			err := tab.retry(t.Context(), 3, "list offsets", func() error {
				if attempts++; attempts == 1 {
					start = time.Now()
				}
				elapsed := time.Since(start)
				if elapsed < tc.failFor || attempts < 4 || tc.wantWarn && !failedLate {
					failedLate = failedLate || elapsed >= tc.warnAfter
					return kafka.NotLeaderForPartition
				}
				return nil
			})
			if err != nil || attempts < 4 {
				t.Fatalf("retry = %v after %d attempts, want success after several", err, attempts)
			}
			if got := logs.count(slog.LevelWarn) > 0; got != tc.wantWarn || logs.count(slog.LevelDebug) == 0 {
				t.Errorf("%d warnings, %d debug lines over %d attempts; want warnings %v", logs.count(slog.LevelWarn), logs.count(slog.LevelDebug), attempts, tc.wantWarn)
			}
			// The read that ends a warned run says so, as a sink's write and a group's join do.
			if wantInfo := map[bool]int{false: 0, true: 1}[tc.wantWarn]; logs.count(slog.LevelInfo) != wantInfo {
				t.Errorf("%d info lines, want %d (\"went through after failing\" only after warnings)", logs.count(slog.LevelInfo), wantInfo)
			}
		})
	}
}

// levelCounter is a slog handler that counts records by level.
type levelCounter struct {
	mu     sync.Mutex
	levels map[slog.Level]int
}

func (h *levelCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *levelCounter) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.levels == nil {
		h.levels = map[slog.Level]int{}
	}
	h.levels[r.Level]++
	return nil
}
func (h *levelCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *levelCounter) WithGroup(string) slog.Handler      { return h }
func (h *levelCounter) count(l slog.Level) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.levels[l]
}
