package epochsink_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/epochsink"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

func TestMain(m *testing.M) { kafkatest.VerifyTestMain(m) }

// newSink opens a sink on the test broker with its own topics (stories on 3 partitions),
// closed and deleted when the test ends; wrap, when set, wraps its transport.
func newSink(t *testing.T, wrap func(kafka.RoundTripper) kafka.RoundTripper) (*wkafka.Sink, wkafka.Config) {
	t.Helper()
	return newSinkRetrying(t, wrap, 10*time.Millisecond)
}

// newSinkRetrying is newSink whose writes wait at least backoffMin before a resend.
func newSinkRetrying(t *testing.T, wrap func(kafka.RoundTripper) kafka.RoundTripper, backoffMin time.Duration) (*wkafka.Sink, wkafka.Config) {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	cfg := wkafka.DefaultConfig()
	cfg.Brokers = brokers
	cfg.RetryBackoffMin, cfg.RetryBackoffMax = backoffMin, max(backoffMin, 200*time.Millisecond)
	cfg.WriteTimeout = 5 * time.Second
	// The sink's default attempts (3): a topic just created answers Not Leader For Partition
	// for a few hundred milliseconds, which the writer retries without counting it.
	cfg.MaxAttempts = wkafka.DefaultConfig().MaxAttempts
	cfg.TopicPrefix = kafkatest.TopicPrefix(t, brokers, func(prefix string) []string {
		c := cfg
		c.TopicPrefix = prefix
		return c.TopicNames()
	})
	cfg.Topics.Stories.Partitions = 3
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s, err := wkafka.New(ctx, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if wrap != nil {
		s.WrapWrites(wrap)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s, cfg
}

func open(t *testing.T, s *wkafka.Sink, txid string) *epochsink.Writer {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	w, err := epochsink.Open(ctx, s.RawWriting(), txid)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// storyIDs reads the stories topic: at least want records, and every one there.
func storyIDs(t *testing.T, cfg wkafka.Config, want int) []kafka.Message {
	t.Helper()
	return kafkatest.ReadAll(t, cfg.Brokers, cfg.TopicName(record.TypeStory), want, time.Minute)
}

// The rule the fence is for: once a newer owner of the same sink identity (the next epoch of
// the transactional id) wrote to an output partition, every batch of the older writer to that
// partition is refused, the older writer stops with the error the processor already handles
// for a fenced changelog (kafkastate.IsEpochFenced), and nothing of it lands after the newer
// owner's records.
func TestANewerEpochStopsTheOlderWriterAndNothingOfItLandsAfter(t *testing.T) {
	s, cfg := newSink(t, nil)
	txid := epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0)
	old := open(t, s, txid)
	recs := fixtures.Stories(60) // over every stories partition
	if err := s.WriteVia(t.Context(), old, recs[:20]); err != nil {
		t.Fatalf("the first owner's write: %v", err)
	}
	next := open(t, s, txid)
	if next.Identity().ProducerID != old.Identity().ProducerID || next.Identity().Epoch <= old.Identity().Epoch {
		t.Fatalf("the next owner's identity %+v, want the same producer id as %+v with a higher epoch", next.Identity(), old.Identity())
	}
	if err := s.WriteVia(t.Context(), next, recs[20:40]); err != nil {
		t.Fatalf("the next owner's write: %v", err)
	}
	err := s.WriteVia(t.Context(), old, recs[40:60])
	if !kafkastate.IsEpochFenced(err) || !epochsink.IsStopped(err) {
		t.Fatalf("the older owner's write after the newer one's: %v, want an EpochFencedError that says the writer stopped", err)
	}
	if old.Stopped() == nil {
		t.Fatal("the fenced writer does not say it stopped")
	}
	if err := s.WriteVia(t.Context(), old, recs[:1]); !epochsink.IsStopped(err) {
		t.Fatalf("a later write of the fenced writer: %v, want refused at once", err)
	}
	msgs := storyIDs(t, cfg, 40)
	firstNew := map[int]int64{}
	for _, m := range msgs {
		if isBetween(wkafka.Header(m, wkafka.HeaderRecordID), recs[20:40]) {
			if o, ok := firstNew[m.Partition]; !ok || m.Offset < o {
				firstNew[m.Partition] = m.Offset
			}
		}
	}
	late := 0
	for _, m := range msgs {
		if o, ok := firstNew[m.Partition]; ok && m.Offset > o && !isBetween(wkafka.Header(m, wkafka.HeaderRecordID), recs[20:40]) {
			late++
		}
	}
	if late > 0 || len(msgs) > 40 {
		t.Errorf("%d records of the older owner after the newer one's first on their partition; %d records in all, want 40", late, len(msgs))
	}
}

func isBetween(id string, recs []record.Record) bool {
	for _, r := range recs {
		if r.(*record.Story).ID == id {
			return true
		}
	}
	return false
}

// loseAnswers forwards every produce request to the broker and, while armed, answers its
// sender with a network error instead of the broker's answer: the batch landed, and the writer
// does not know it.
type loseAnswers struct {
	next  kafka.RoundTripper
	armed atomic.Int32 // answers still to lose
}

func (l *loseAnswers) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	res, err := l.next.RoundTrip(ctx, addr, req)
	if kafkatest.IsProduce(req) && l.armed.Add(-1) >= 0 {
		return nil, errors.New("test: the produce answer was lost")
	}
	return res, err
}

// A retry resends the batch byte for byte, so a leader that appended it the first time answers
// with its offset and appends no copy (kafka-go's Writer re-encodes and appends one per retry:
// fence21 counted 254 copies in one run). A batch whose answers were all lost has an unknown
// outcome: the writer stops, the write fails, and nothing is written after it under the same
// identity.
func TestARetryAppendsNoCopyAndAnUnknownOutcomeStopsTheWriter(t *testing.T) {
	lose := &loseAnswers{}
	s, cfg := newSink(t, func(rt kafka.RoundTripper) kafka.RoundTripper {
		lose.next = rt
		return lose
	})
	w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
	recs := fixtures.Stories(1) // one partition, one batch
	lose.armed.Store(1)
	if err := s.WriteVia(t.Context(), w, recs); err != nil {
		t.Fatalf("a write whose first answer was lost: %v, want acknowledged by the retry", err)
	}
	if msgs := storyIDs(t, cfg, 1); len(msgs) != 1 {
		t.Fatalf("%d records after a retry of an appended batch, want 1 (no copy)", len(msgs))
	}
	lose.armed.Store(int32(s.RawWriting().MaxAttempts))
	err := s.WriteVia(t.Context(), w, fixtures.Stories(2)[1:])
	if !epochsink.IsStopped(err) || kafkastate.IsEpochFenced(err) {
		t.Fatalf("a write whose every answer was lost: %v, want the writer stopped (not fenced)", err)
	}
	if err := s.WriteVia(t.Context(), w, recs); !epochsink.IsStopped(err) {
		t.Fatalf("a write after the unknown outcome: %v, want refused at once", err)
	}
}

// Eight concurrent Writes (the pipeline's max_in_flight_writes) through one writer: each
// output partition sends one batch at a time, so its sequence never skips nor repeats, and
// every record lands once.
func TestConcurrentWritesKeepEveryPartitionsSequence(t *testing.T) {
	s, cfg := newSink(t, nil)
	w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
	all := fixtures.Stories(400)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := i * 50; j < (i+1)*50; j += 10 {
				if err := s.WriteVia(t.Context(), w, all[j:j+10]); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if msgs := storyIDs(t, cfg, 400); len(msgs) != 400 {
		t.Fatalf("%d records, want 400", len(msgs))
	}
}

// refuseDial fails every produce request, while armed, as a connection that never opened.
type refuseDial struct {
	next  kafka.RoundTripper
	armed atomic.Bool
}

func (r *refuseDial) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if kafkatest.IsProduce(req) && r.armed.Load() {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("test: connection refused")}
	}
	return r.next.RoundTrip(ctx, addr, req)
}

// A batch that never left (the connection did not open: a broker down) has a known outcome: not
// appended. The write fails or retries as the sink's do, the writer does not stop, and once the
// broker is back the same writer goes on at the same sequence.
func TestABatchThatNeverLeftDoesNotStopTheWriter(t *testing.T) {
	refuse := &refuseDial{}
	s, cfg := newSink(t, func(rt kafka.RoundTripper) kafka.RoundTripper {
		refuse.next = rt
		return refuse
	})
	w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
	refuse.armed.Store(true)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := s.WriteVia(ctx, w, fixtures.Stories(5)); err == nil || epochsink.IsStopped(err) {
		t.Fatalf("a write while no connection opens: %v, want the sink's retries ended by the deadline, the writer not stopped", err)
	}
	if err := w.Stopped(); err != nil {
		t.Fatalf("the writer stopped: %v", err)
	}
	refuse.armed.Store(false)
	if err := s.WriteVia(t.Context(), w, fixtures.Stories(5)); err != nil {
		t.Fatalf("the same write once connections open: %v", err)
	}
	if msgs := storyIDs(t, cfg, 5); len(msgs) != 5 {
		t.Fatalf("%d records, want 5", len(msgs))
	}
}

// loseThenRefuse loses the answer of the first produce request after it was armed (the batch
// landed, the writer does not know it), then answers the next refusals produce requests with
// refusal without sending them (a leader that appends nothing), then forwards again.
type loseThenRefuse struct {
	next     kafka.RoundTripper
	refusal  kafka.Error
	lose     atomic.Int32
	refusals atomic.Int32
}

func (l *loseThenRefuse) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if !kafkatest.IsProduce(req) {
		return l.next.RoundTrip(ctx, addr, req)
	}
	if l.lose.Add(-1) >= 0 {
		if _, err := l.next.RoundTrip(ctx, addr, req); err != nil {
			return nil, err
		}
		return nil, errors.New("test: the produce answer was lost")
	}
	if l.refusals.Add(-1) >= 0 {
		return nil, l.refusal
	}
	return l.next.RoundTrip(ctx, addr, req)
}

// A leader's "not appended" refusal (Not Leader For Partition while a topic just created or a
// leader moving elects its leader; Leader Not Available; Not Enough Replicas) says that attempt
// appended nothing: it is retried, bounded by time, and does not count towards the attempts an
// unknown outcome is given. After a lost answer and more such refusals than max_attempts, the
// batch — resent byte for byte at the same sequence — is acknowledged once (the leader answers
// the copy of a batch it appended as a duplicate), the writer goes on, and no copy lands.
func TestANotAppendedRefusalAfterALostAnswerIsRetriedNotCountedAsUnknown(t *testing.T) {
	for _, refusal := range []kafka.Error{kafka.NotLeaderForPartition, kafka.LeaderNotAvailable, kafka.NotEnoughReplicas} {
		t.Run(refusal.Title(), func(t *testing.T) {
			tr := &loseThenRefuse{refusal: refusal}
			s, cfg := newSink(t, func(rt kafka.RoundTripper) kafka.RoundTripper {
				tr.next = rt
				return tr
			})
			w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
			recs := fixtures.Stories(3)
			if err := s.WriteVia(t.Context(), w, recs[:1]); err != nil {
				t.Fatalf("the first write: %v", err)
			}
			tr.refusals.Store(int32(2 * s.RawWriting().MaxAttempts))
			tr.lose.Store(1)
			if err := s.WriteVia(t.Context(), w, recs[1:2]); err != nil {
				t.Fatalf("a write whose answer was lost, then refused %d times as not appended: %v, want acknowledged", 2*s.RawWriting().MaxAttempts, err)
			}
			if err := s.WriteVia(t.Context(), w, recs[2:3]); err != nil {
				t.Fatalf("the next write at the next sequence: %v", err)
			}
			if msgs := storyIDs(t, cfg, 3); len(msgs) != 3 {
				t.Fatalf("%d records, want 3 (no copy of the batch whose answer was lost)", len(msgs))
			}
		})
	}
}

// Not-appended refusals are retried for a bounded time only: a leader that never comes back
// ends the batch. After a lost answer the outcome is then unknown and the writer stops; without
// one, the refusal is the write's error, for the sink's own retries, and the writer goes on.
func TestNotAppendedRefusalsAreRetriedForABoundedTime(t *testing.T) {
	epochsink.SetNotAppendedWait(t, 300*time.Millisecond)
	tr := &loseThenRefuse{refusal: kafka.NotLeaderForPartition}
	s, cfg := newSink(t, func(rt kafka.RoundTripper) kafka.RoundTripper {
		tr.next = rt
		return tr
	})
	w := open(t, s, epochsink.TransactionalID("test", cfg.TopicPrefix+"items", 0))
	recs := fixtures.Stories(2)
	tr.refusals.Store(1 << 30)
	msg := kafka.Message{Topic: cfg.TopicName(record.TypeStory), Key: []byte("k"), Value: []byte("v")}
	err := w.WriteMessages(t.Context(), msg)
	var we kafka.WriteErrors
	if !errors.As(err, &we) || len(we) != 1 || !errors.Is(we[0], kafka.NotLeaderForPartition) || w.Stopped() != nil {
		t.Fatalf("a write refused as not appended throughout: %v, want Not Leader For Partition, the writer not stopped", err)
	}
	tr.lose.Store(1)
	tr.refusals.Store(1 << 30)
	start := time.Now()
	err = s.WriteVia(t.Context(), w, recs[1:])
	if !epochsink.IsStopped(err) {
		t.Fatalf("a write whose answer was lost, then refused as not appended throughout: %v, want the writer stopped (outcome unknown)", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the refusals were retried for %v, want about the 300 ms bound", took)
	}
}
