package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
)

// AdminTimeout bounds an admin operation of a start or a takeover (metadata, creating and
// checking topics, listing offsets) with its retries, when the caller's context does not end
// sooner: long enough for a controller election in a 3-broker cluster or a broker that
// answers in seconds under load (the round 13 soak saw both), short enough that a start
// with a wrong kafka.brokers fails within a minute with an error that says so.
const AdminTimeout = 30 * time.Second

// AdminError is an admin operation that failed for good, failed in a way no retry fixes, or
// ran out of time: it names the operation, the topics and the brokers asked. It calls them
// "the brokers", not kafka.brokers: they may come from --brokers or WIRESTREAM_KAFKA_BROKERS,
// and the command, which knows which, names it.
type AdminError struct {
	Op       string // "metadata", "create topics", "describe configs", "list offsets", ...
	Topics   []string
	Brokers  []string
	Attempts int
	Err      error // the last attempt's error
}

func (e *AdminError) Error() string {
	what := "kafka " + e.Op
	if len(e.Topics) > 0 {
		what += " of " + strings.Join(e.Topics, ", ")
	}
	tries := ""
	if e.Attempts > 1 {
		tries = fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	return fmt.Sprintf("%s: asking the brokers (%s)%s: %v", what, strings.Join(e.Brokers, ", "), tries, e.Err)
}

func (e *AdminError) Unwrap() error { return e.Err }

// Admin runs op against c's brokers until it succeeds, fails in a way no retry fixes
// (authorization, an invalid request, no broker listening: see Retriable), ctx ends or
// timeout (AdminTimeout when 0) passes, backing off 100 ms to 2 s between attempts and
// logging each retry at WARN (log may be nil). op gets a context bounded by the same
// deadline. A failure is an *AdminError.
func (c Conn) Admin(ctx context.Context, log *slog.Logger, timeout time.Duration, what string, topics []string, op func(context.Context) error) error {
	if timeout <= 0 {
		timeout = AdminTimeout
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = 100*time.Millisecond, 2*time.Second, 0
	attempts := 0
	var last error
	err := backoff.RetryNotify(func() error {
		attempts++
		err := op(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil && last != nil && errors.Is(err, ctx.Err()) {
			return backoff.Permanent(err) // keep the error before the deadline as the last one
		}
		last = err
		if ctx.Err() != nil || !Retriable(err) {
			return backoff.Permanent(err)
		}
		return err
	}, backoff.WithContext(b, ctx), func(err error, wait time.Duration) {
		if log != nil {
			log.Warn("kafka admin request failed; retrying", "op", what, "topics", strings.Join(topics, ","),
				"brokers", strings.Join(c.brokers, ","), "attempt", attempts, "retry_in", wait, "err", err)
		}
	})
	if err == nil {
		return nil
	}
	if last == nil {
		last = err
	}
	switch {
	case parent.Err() != nil:
		last = fmt.Errorf("%w (gave up: %v)", last, parent.Err())
	case ctx.Err() != nil:
		last = fmt.Errorf("%w (gave up after %s)", last, timeout)
	}
	return &AdminError{Op: what, Topics: topics, Brokers: c.brokers, Attempts: attempts, Err: last}
}

// AdminClient returns an admin client whose transport has the cluster's metadata, and the
// metadata of topics (every topic when none), retried as Admin does. Call done after.
//
// A fresh kafka-go transport learns the cluster from one discovery request whose deadline is
// the transport's metadata TTL; until one succeeds every request fails with that discovery's
// error (or finds no broker for its partition), and the next discovery comes only on the TTL's
// timer. So each failed attempt here starts over on a new client, and Conn.Client gives the
// discovery the client's timeout rather than kafka-go's 1 s of a short TTL: a slow first
// answer or a controller election costs a retry, not a failed start.
func (c Conn) AdminClient(ctx context.Context, log *slog.Logger, timeout time.Duration, topics ...string) (cl *kafka.Client, md *kafka.MetadataResponse, done func(), err error) {
	if timeout <= 0 {
		timeout = AdminTimeout
	}
	err = c.Admin(ctx, log, timeout, "metadata", topics, func(ctx context.Context) error {
		try, closeTry := c.Client(timeout)
		m, err := try.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
		if inner := errors.Unwrap(err); inner != nil && strings.HasPrefix(err.Error(), "kafka.(*Client).Metadata: ") {
			err = inner // the operation is named by AdminError
		}
		if err == nil && len(m.Brokers) == 0 {
			err = errors.New("metadata lists no broker")
		}
		if err != nil {
			closeTry()
			return err
		}
		cl, md, done = try, m, closeTry
		return nil
	})
	if err != nil {
		return nil, nil, func() {}, err
	}
	return cl, md, done, nil
}

// Retriable reports whether err is one a retry may get past: a broker error Kafka calls
// retriable (not controller, leader not available, request timed out, ...), a partition or
// leader the client's metadata does not know yet, a timeout, a reset or cut connection (a
// broker dying mid-answer). A refused connection or a host name that does not resolve is
// not: kafka-go tried every address of kafka.brokers, none listens, and a start (or
// `wirestream tail`) says so at once rather than after AdminTimeout.
func Retriable(err error) bool {
	var ke kafka.Error
	if errors.As(err, &ke) {
		return ke.Temporary()
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTemporary || dns.IsTimeout
	}
	if errors.Is(err, protocol.ErrNoLeader) || errors.Is(err, protocol.ErrNoPartition) ||
		errors.Is(err, protocol.ErrNoTopic) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}
