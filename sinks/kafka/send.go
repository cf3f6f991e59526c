package kafka

// How a Write's messages go out: sent, each failure classified (retried, split to single
// records, dead-lettered, fatal), retried with backoff. Split from sink.go in round 21.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/quietretry"
)

// send writes msgs until each is acknowledged or handed to reject. It
// returns an error only when ctx ends, a fatal error occurs, or reject
// returns one.
func (s *Sink) send(ctx context.Context, via writers, msgs []kafka.Message, reject func(rejected) error) error {
	b := backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(s.cfg.RetryBackoffMin),
		backoff.WithMaxInterval(s.cfg.RetryBackoffMax),
		backoff.WithMaxElapsedTime(0), // until ctx ends
		backoff.WithRandomizationFactor(0.2),
	)
	// Counted from the first attempt: kafka-go's own attempts inside one
	// WriteMessages may already have taken seconds (quietretry's rule, shared
	// with table reads and group joins).
	failing := quietretry.Run{WarnAfter: s.retryWarnAfter}
	failing.Since(time.Now())
	counted := false // in s.failingWrites
	defer func() {
		if counted {
			s.failingWrites.Add(-1)
		}
	}()
	for attempt := 1; len(msgs) > 0; attempt++ {
		err := via.batch.WriteMessages(ctx, msgs...)
		if err == nil {
			s.acked(msgs)
			if lasted, warned := failing.Succeeded(time.Now()); warned {
				s.log.Info("kafka write went through after failing", "records", len(msgs), "attempt", attempt,
					quietretry.Lasted(lasted))
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("kafka sink: write %d records: %w (some may have been written and will be sent again)", len(msgs), ctx.Err())
		}

		// Pair every message with its error: per message for WriteErrors,
		// the same error for all when kafka-go failed the whole call before
		// sending (metadata lookup, a message over batch_bytes).
		errs := make([]error, len(msgs))
		var werrs kafka.WriteErrors
		var tooLarge kafka.MessageTooLargeError
		switch {
		case errors.As(err, &werrs) && len(werrs) == len(msgs):
			copy(errs, werrs)
		case errors.As(err, &tooLarge):
			// Only the one message is too large; the rest were not tried.
			i := len(msgs) - len(tooLarge.Remaining) - 1
			for j := range errs {
				errs[j] = errRetryNow
			}
			errs[i] = err
		default:
			for j := range errs {
				errs[j] = err
			}
		}

		var retry, isolate []kafka.Message
		var retryErr error
		missing := map[string][]int{} // topic → indexes into retry
		for i, m := range msgs {
			e := errs[i]
			switch {
			case e == nil:
				s.acked(msgs[i : i+1])
				continue
			case e == errRetryNow:
				retry = append(retry, m)
				continue
			}
			s.meta.Forget(m.Topic)
			switch classify(e) {
			case classFatal:
				if !errors.Is(e, ErrWriterStopped) {
					// The broker answered; it refused us. A stopped writer says nothing of
					// the brokers: its last batch's answer may be what was lost.
					s.m.brokerUp.Set(1)
				}
				return fmt.Errorf("kafka sink: publish to %s: %w", m.Topic, e)
			case classReject:
				if isSizeError(e) && len(msgs) > 1 {
					isolate = append(isolate, m)
					continue
				}
				s.m.failed.WithLabelValues(m.Topic, Header(m, HeaderRecordType), errorLabel(e)).Inc()
				if err := reject(rejected{msg: m, err: e, reason: errorLabel(e)}); err != nil {
					return err
				}
				continue
			case classTopicMissing:
				missing[m.Topic] = append(missing[m.Topic], len(retry))
			default:
				var ke kafka.Error
				if !errors.As(e, &ke) {
					s.m.brokerUp.Set(0)
				}
			}
			retry = append(retry, m)
			retryErr = e
			s.m.retries.WithLabelValues(m.Topic, errorLabel(e)).Inc()
		}

		for _, m := range isolate {
			err := via.single.WriteMessages(ctx, m)
			var one kafka.WriteErrors
			if errors.As(err, &one) && len(one) == 1 {
				err = one[0]
			}
			switch {
			case err == nil:
				s.acked([]kafka.Message{m})
			case ctx.Err() != nil:
				return fmt.Errorf("kafka sink: write %d records: %w (some may have been written and will be sent again)", len(msgs), ctx.Err())
			case classify(err) == classReject:
				s.m.failed.WithLabelValues(m.Topic, Header(m, HeaderRecordType), errorLabel(err)).Inc()
				if err := reject(rejected{msg: m, err: err, reason: errorLabel(err)}); err != nil {
					return err
				}
			default:
				retry = append(retry, m) // back through the batching writer
				retryErr = err
			}
		}

		drop := map[int]bool{}
		for topic, idx := range missing {
			if !s.topicGone(ctx, topic) {
				continue
			}
			for _, i := range idx {
				m := retry[i]
				drop[i] = true
				e := fmt.Errorf("topic %s does not exist and kafka.provision is off", topic)
				s.m.failed.WithLabelValues(m.Topic, Header(m, HeaderRecordType), "topic_missing").Inc()
				if err := reject(rejected{msg: m, err: e, reason: "topic_missing"}); err != nil {
					return err
				}
			}
		}
		msgs = msgs[:0:0]
		for i, m := range retry {
			if !drop[i] {
				msgs = append(msgs, m)
			}
		}
		if len(msgs) == 0 || retryErr == nil {
			continue // nothing failed for a retriable reason: no pause
		}
		wait := b.NextBackOff()
		now := time.Now()
		level := failing.Failed(now)
		if level >= slog.LevelWarn {
			why := retryErr.Error()
			s.lastFailure.Store(&why)
			if !counted {
				counted = true
				s.failingWrites.Add(1)
			}
		}
		s.log.Log(ctx, level, "kafka write failed; retrying the failed records", "records", len(msgs),
			"attempt", attempt, "backoff", wait.String(), failing.FailingFor(now), "err", retryErr)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("kafka sink: write %d records after %d attempts, last error %v: %w", len(msgs), attempt, retryErr, ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// errRetryNow marks messages kafka-go did not try because another message
// in the same call failed first.
var errRetryNow = errors.New("not attempted")

func (s *Sink) acked(msgs []kafka.Message) {
	s.m.brokerUp.Set(1)
	for _, m := range msgs {
		s.m.produced.WithLabelValues(m.Topic, Header(m, HeaderRecordType)).Inc()
	}
}
