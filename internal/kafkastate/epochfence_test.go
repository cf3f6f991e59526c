package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Once a newer owner took the partition's producer epoch, the older owner's next append is
// refused by the leader: it fails with an EpochFencedError, logged once (EpochFencedMsg) and
// counted once (wirestream_state_changelog_fenced_total), and every append after it fails
// the same way at once, with nothing sent; the newer owner's appends are what a restore reads.
func TestAnOwnerFencedByANewerEpochStopsWritingAndSaysSo(t *testing.T) {
	f := newFixture(t, 1)
	var logs lockedBuffer
	m := state.NewMetrics(nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	counted := &kafkatest.RequestCounter{}
	old, err := Open(ctx, f.cn, f.topic, 0, Options{Epoch: epochFence(t), StateMetrics: m,
		Log:   slog.New(slog.NewTextHandler(&logs, nil)),
		Table: tableWrapped(counted)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { old.Close() })
	if err := old.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	appendKV(t, old, state.Stories, "k", "old-1")

	newer, _, _ := f.open(0, Options{Epoch: epochFence(t)})
	appendKV(t, newer, state.Stories, "k", "new")

	for i := range 2 {
		counted.Counts()
		err := old.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("old-2")}})
		if !IsEpochFenced(err) {
			t.Fatalf("the older owner's append %d after the newer owner's epoch: %v, want an EpochFencedError", i+1, err)
		}
		if _, produced := counted.Counts(); i == 1 && produced != 0 {
			t.Errorf("the fenced owner's second append sent %d produce requests, want none", produced)
		}
	}
	if n := testutil.ToFloat64(m.EpochFenced); n != 1 {
		t.Errorf("wirestream_state_changelog_fenced_total = %v, want 1", n)
	}
	if n := strings.Count(logs.String(), EpochFencedMsg); n != 1 {
		t.Errorf("%q logged %d times, want once:\n%s", EpochFencedMsg, n, logs.String())
	}
	_, later, _ := f.open(0, Options{Epoch: epochFence(t)})
	if later["stories/k"] != "new" {
		t.Errorf("a restore after both reads k = %q, want the newer owner's \"new\"", later["stories/k"])
	}
}

// A cluster that cannot host the transaction coordinator (one broker, __transaction_state
// missing, transaction.state.log.replication.factor at its default 3) answers InitProducerID
// COORDINATOR_NOT_AVAILABLE forever. Mode auto then writes without epochs and says so once,
// naming the broker setting, its value and the broker, however many Logs restore; mode on
// fails the restore with the same words; mode off never asks the cluster.
func TestWithoutATransactionCoordinatorAutoWarnsOnceAndOnFailsNamingTheBrokerSetting(t *testing.T) {
	f := newFixture(t, 2)
	single := func(context.Context) (coordinator, error) {
		return coordinator{brokers: 1, replication: 3, broker: "127.0.0.1:9092"}, nil
	}
	fence := func(mode string, logs *lockedBuffer) (*EpochFence, *int) {
		e, err := NewEpochFence(f.cn, "test", mode, slog.New(slog.NewTextHandler(logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		probes := new(int)
		e.probe = func(ctx context.Context) (coordinator, error) { *probes++; return single(ctx) }
		return e, probes
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("auto", func(t *testing.T) {
		var logs lockedBuffer
		e, probes := fence(FenceAuto, &logs)
		for p := range 2 {
			l, _, _ := f.open(p, Options{Epoch: e})
			appendKV(t, l, state.Stories, "k", "v")
			if l.epoch != nil {
				t.Errorf("partition %d took producer epoch %+v without a transaction coordinator", p, *l.epoch)
			}
		}
		out := logs.String()
		if n := strings.Count(out, FenceUnavailableMsg); n != 1 || *probes != 1 {
			t.Errorf("warning logged %d times after %d probes, want once after one:\n%s", n, *probes, out)
		}
		for _, want := range []string{"level=WARN", "transaction.state.log.replication.factor=3", "broker 127.0.0.1:9092", "state.changelog.fence: off"} {
			if !strings.Contains(out, want) {
				t.Errorf("the warning does not say %q:\n%s", want, out)
			}
		}
	})
	t.Run("on", func(t *testing.T) {
		var logs lockedBuffer
		e, _ := fence(FenceOn, &logs)
		l, err := Open(ctx, f.cn, f.topic, 0, Options{Epoch: e, Log: testLog(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		err = l.Restore(ctx, func(state.Entry) error { return nil })
		if err == nil {
			t.Fatal("mode on restored without a transaction coordinator")
		}
		for _, want := range []string{"state changelog fence: on", "transaction.state.log.replication.factor=3", "broker 127.0.0.1:9092", "=1"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the restore's error does not say %q: %v", want, err)
			}
		}
	})
	t.Run("off", func(t *testing.T) {
		var logs lockedBuffer
		e, probes := fence(FenceOff, &logs)
		l, _, _ := f.open(0, Options{Epoch: e})
		appendKV(t, l, state.Stories, "k", "off")
		if *probes != 0 || l.epoch != nil || logs.Len() != 0 {
			t.Errorf("mode off probed %d times, took epoch %v, logged %q", *probes, l.epoch, logs.String())
		}
	})
	if _, err := NewEpochFence(f.cn, "test", "yes", nil); err == nil || !strings.Contains(err.Error(), "auto on off") {
		t.Errorf("mode \"yes\": %v, want an error listing auto, on and off", err)
	}
}

// On the tests' broker (scripts/kafka.sh sets transaction.state.log.replication.factor=1 on a
// single broker, min(N,3) on a cluster), the probe finds the coordinator can be hosted, and
// the broker describes the setting the warning names.
func TestTheTestBrokerCanHostTheTransactionCoordinator(t *testing.T) {
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: kafkatest.Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEpochFence(cn, "test", FenceAuto, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := e.probe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if on, err := e.use(ctx); !on || err != nil {
		t.Fatalf("probe %+v: fence in use %v (%v), want true", c, on, err)
	}
	cl, done := cn.Client(10 * time.Second)
	defer done()
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{})
	if err != nil || len(md.Brokers) == 0 {
		t.Fatalf("metadata: %v", err)
	}
	v, err := brokerSetting(ctx, cl, md.Brokers[0], replicationSetting)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 3 {
		t.Errorf("%s = %q on the tests' broker, want 1..3", replicationSetting, v)
	}
	t.Logf("probe %+v; %s = %s", c, replicationSetting, v)
}

// lockedBuffer is a log destination the test reads while others write to it.
type lockedBuffer = testkit.LockedBuffer

// tableWrapped has the changelog's writes go through rt (which sends them on).
func tableWrapped(rt *kafkatest.RequestCounter) kafkatable.Options {
	return kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		rt.Next = next
		return rt
	}}
}

// A cluster whose ACLs refuse InitProducerID (TransactionalId Write, cluster IdempotentWrite):
// mode auto writes without epochs from then on, with one warning naming the ACLs; mode on
// keeps the refusal (the restore fails); an error that is not a refusal is kept in both.
func TestAnInitProducerIDRefusedByACLsFallsBackOnlyInAuto(t *testing.T) {
	for _, mode := range []string{FenceAuto, FenceOn} {
		var logs lockedBuffer
		e, err := NewEpochFence(wkafka.Conn{}, "test", mode, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		e.probe = func(context.Context) (coordinator, error) { return coordinator{topicExists: true, brokers: 3}, nil }
		if on, err := e.use(t.Context()); !on || err != nil {
			t.Fatalf("mode %s: use = %v, %v before the refusal", mode, on, err)
		}
		if e.denied(kafka.RequestTimedOut) {
			t.Errorf("mode %s: a timeout taken for an ACL refusal", mode)
		}
		fellBack := e.denied(fmt.Errorf("init: %w", kafka.TransactionalIDAuthorizationFailed))
		e.denied(kafka.ClusterAuthorizationFailed)
		on, _ := e.use(t.Context())
		switch mode {
		case FenceAuto:
			if !fellBack || on || strings.Count(logs.String(), FenceUnavailableMsg) != 1 || !strings.Contains(logs.String(), "IdempotentWrite") {
				t.Errorf("auto after an ACL refusal: fell back %v, fence in use %v, logged:\n%s", fellBack, on, logs.String())
			}
		case FenceOn:
			if fellBack || !on {
				t.Errorf("on after an ACL refusal: fell back %v, fence in use %v", fellBack, on)
			}
		}
	}
}

// An owner takes its partition's next epoch once the current one is epochRefresh old (the
// transactional id's keep-alive: the coordinator forgets an id unused for
// transactional.id.expiration.ms, and a later owner's new producer id would not fence this
// one). Its appends go on from sequence 0 of the new epoch, and the restore after reads them.
func TestAnOwnerTakesItsNextEpochWhenTheCurrentOneIsAnHourOld(t *testing.T) {
	f := newFixture(t, 1)
	l, _, _ := f.open(0, Options{Epoch: epochFence(t)})
	appendKV(t, l, state.Stories, "k", "1")
	first := *l.epoch
	l.mu.Lock()
	l.epochAt = l.epochAt.Add(-epochRefresh)
	l.mu.Unlock()
	appendKV(t, l, state.Stories, "k", "2", "j", "1")
	appendKV(t, l, state.Stories, "k", "3")
	if got := *l.epoch; got.ProducerID != first.ProducerID || got.Epoch != first.Epoch+1 {
		t.Fatalf("after an hour the owner writes with %+v, want %+v's next epoch", got, first)
	}
	_, later, _ := f.open(0, Options{Epoch: epochFence(t)})
	if later["stories/k"] != "3" || later["stories/j"] != "1" {
		t.Errorf("a restore after the refresh reads %v, want k=3 j=1", later)
	}
}

// A cluster without __transaction_state whose broker will not describe the replication setting
// — DescribeConfigs refused by ACLs (the README's ACL list does not grant it), or a broker with
// no such setting — leaves the setting unknown: mode auto takes the epoch and lets
// InitProducerID decide, where the probe's error failed every restore, for good. A broker that
// does not answer is still an error, asked again at the next restore.
func TestASettingTheBrokerWillNotDescribeIsUnknownNotAFailedRestore(t *testing.T) {
	md := &kafka.MetadataResponse{
		Brokers: []kafka.Broker{{ID: 1, Host: "kafka-1", Port: 9092}},
		Topics:  []kafka.Topic{{Name: transactionStateTopic, Error: kafka.TopicAuthorizationFailed}},
	}
	for _, tc := range []struct {
		name    string
		err     error
		wantErr bool
	}{
		{"ACLs refuse DescribeConfigs", fmt.Errorf("describe broker kafka-1:9092's %s: %w", replicationSetting, kafka.ClusterAuthorizationFailed), false},
		{"the broker has no such setting", fmt.Errorf("broker kafka-1:9092 did not describe %s: %w", replicationSetting, errNotDescribed), false},
		{"the broker does not answer", fmt.Errorf("describe broker kafka-1:9092's %s: %w", replicationSetting, kafka.RequestTimedOut), true},
	} {
		c, err := coordinatorOf(t.Context(), md, func(context.Context, kafka.Broker) (string, error) { return "", tc.err })
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: probe error %v, want an error: %v", tc.name, err, tc.wantErr)
			continue
		}
		if tc.wantErr {
			continue
		}
		e, err := NewEpochFence(wkafka.Conn{}, "test", FenceAuto, testLog(t))
		if err != nil {
			t.Fatal(err)
		}
		e.probe = func(context.Context) (coordinator, error) { return c, nil }
		if on, err := e.use(t.Context()); !on || err != nil {
			t.Errorf("%s: probe %+v: fence in use %v (%v), want true, decided by InitProducerID", tc.name, c, on, err)
		}
	}
	// Described, the setting decides as before: 3 on one broker cannot host the coordinator.
	c, err := coordinatorOf(t.Context(), md, func(context.Context, kafka.Broker) (string, error) { return "3", nil })
	if err != nil || c.replication != 3 || c.brokers != 1 || c.topicExists {
		t.Errorf("described as 3: %+v, %v", c, err)
	}
}

// coordinatorAway answers every InitProducerID with COORDINATOR_NOT_AVAILABLE — a coordinator
// whose __transaction_state partition has no leader (its broker restarting) — and passes the
// rest on to Next.
type coordinatorAway struct{ Next kafka.RoundTripper }

func (c *coordinatorAway) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); ok {
		return &initproducerid.Response{ErrorCode: int16(kafka.GroupCoordinatorNotAvailable)}, nil
	}
	return c.Next.RoundTrip(ctx, addr, req)
}

// Taking the epoch runs under the generation's admission (admitNow), which the member's
// rejoin waits for (turn.close). InitProducerID retries a coordinator that is away until its
// context ends, so it must end with the generation, as a write's wait does (fenceContext):
// otherwise a restore that met a coordinator away held the admission — and the member's
// rejoin, past its session — for as long as the coordinator stayed away.
func TestTakingTheEpochGivesUpWhenTheGenerationEnds(t *testing.T) {
	f := newFixture(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var ended atomic.Bool
	var admitted atomic.Int32
	o := Options{Epoch: epochFence(t), Log: testLog(t),
		Fence: func() error {
			if ended.Load() {
				return errors.New("generation 7 ended")
			}
			return nil
		},
		Hold: func(context.Context) (func(), error) {
			if ended.Load() {
				return nil, errors.New("generation 7 ended")
			}
			admitted.Add(1)
			return func() { admitted.Add(-1) }, nil
		},
		Table: kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper { return &coordinatorAway{Next: next} }},
	}
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	time.AfterFunc(500*time.Millisecond, func() { ended.Store(true) })
	start := time.Now()
	err = l.Restore(ctx, func(state.Entry) error { return nil })
	took := time.Since(start)
	if err == nil || took > 5*time.Second {
		t.Fatalf("restore with the coordinator away returned %v after %v, want the generation's end within a second of it", err, took)
	}
	if !strings.Contains(err.Error(), "generation 7 ended") {
		t.Errorf("restore's error %q does not say the generation ended", err)
	}
	if n := admitted.Load(); n != 0 {
		t.Errorf("%d admissions held after the restore returned", n)
	}
}

// The hourly refresh is a keep-alive (the coordinator forgets an id after 7 days unused): the
// epoch held is as good as before while the coordinator is away. An append whose refresh met
// a coordinator away (a broker hosting __transaction_state restarting) writes with the epoch
// it holds, at once, and the refresh is tried again later — it waited for the coordinator for
// as long as the append's context allowed and then failed the append, which discards the
// processor's pipeline and restores it.
func TestAnAppendWhoseRefreshMeetsTheCoordinatorAwayWritesWithTheEpochItHolds(t *testing.T) {
	f := newFixture(t, 1)
	var away atomic.Bool
	o := Options{Epoch: epochFence(t),
		Table: kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
			return switchable{on: &away, when: &coordinatorAway{Next: next}, otherwise: next}
		}}}
	l, _, _ := f.open(0, o)
	appendKV(t, l, state.Stories, "k", "1")
	held := *l.epoch
	l.mu.Lock()
	l.epochAt = l.epochAt.Add(-epochRefresh)
	l.mu.Unlock()
	away.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	start := time.Now()
	err := l.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("2")}})
	if took := time.Since(start); err != nil || took > 20*time.Second {
		t.Fatalf("append with the coordinator away and the epoch due: %v after %v, want written with the epoch held", err, took)
	}
	if got := *l.epoch; got != held {
		t.Errorf("epoch %+v after the failed refresh, want the one held, %+v", got, held)
	}
	away.Store(false)
	_, later, _ := f.open(0, Options{Epoch: epochFence(t)})
	if later["stories/k"] != "2" {
		t.Errorf("a restore reads k = %q, want 2", later["stories/k"])
	}
}

// switchable sends requests through when while on holds, else through otherwise.
type switchable struct {
	on              *atomic.Bool
	when, otherwise kafka.RoundTripper
}

func (s switchable) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if s.on.Load() {
		return s.when.RoundTrip(ctx, addr, req)
	}
	return s.otherwise.RoundTrip(ctx, addr, req)
}

// Mode auto whose coordinator never answers InitProducerID (COORDINATOR_NOT_AVAILABLE: a
// __transaction_state whose partition has no leader, or a replication setting the probe could
// not read and the brokers cannot meet) before any epoch was taken: the restore goes on
// unfenced after firstEpochWait, with the one warning, as the README says auto does on a
// cluster that cannot fence — it waited for as long as the generation lasted, every
// generation, and the processor never became active.
func TestAutoWritesUnfencedWhenTheCoordinatorNeverAnswersTheFirstEpoch(t *testing.T) {
	f := newFixture(t, 1)
	defer func(w time.Duration) { firstEpochWait = w }(firstEpochWait)
	firstEpochWait = time.Second
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: kafkatest.Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	fence, err := NewEpochFence(cn, "test", FenceAuto, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var away atomic.Bool
	away.Store(true)
	o := Options{Epoch: fence, Table: kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return switchable{on: &away, when: &coordinatorAway{Next: next}, otherwise: next}
	}}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range 2 {
		l, err := Open(ctx, f.cn, f.topic, 0, o)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
			t.Fatalf("restore %d with the coordinator away, mode auto: %v after %v, want unfenced", i+1, err, time.Since(start))
		}
		if l.epoch != nil {
			t.Errorf("restore %d took epoch %+v from a coordinator that never answered", i+1, *l.epoch)
		}
		appendKV(t, l, state.Stories, "k", fmt.Sprint(i))
		l.Close()
	}
	if n := strings.Count(logs.String(), FenceUnavailableMsg); n != 1 || !strings.Contains(logs.String(), "did not answer") {
		t.Errorf("%q logged %d times, want once saying the coordinator did not answer:\n%s", FenceUnavailableMsg, n, logs.String())
	}
}

// A keep-alive refresh that the generation's end cuts (the coordinator slow to answer) leaves
// the append to its write, whose fence check cuts it as any append the generation's end cuts:
// a next generation that carries the drain on writes it. The refresh's error failed the
// append instead, as no fenced write, and the processor discarded and restored its pipeline.
func TestARefreshCutByTheGenerationsEndLeavesTheAppendToBeCarriedOn(t *testing.T) {
	f := newFixture(t, 1)
	var gen atomic.Int32 // 1 current, 2 ended, 3 the next, which carries the drain on
	gen.Store(1)
	var away atomic.Bool
	o := Options{Epoch: epochFence(t),
		Fence: func() error {
			if gen.Load() == 2 {
				return errors.New("generation 1 ended")
			}
			return nil
		},
		Hold: func(ctx context.Context) (func(), error) {
			for gen.Load() == 2 {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(10 * time.Millisecond):
				}
			}
			return func() {}, nil
		},
		Table: kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
			return switchable{on: &away, when: &coordinatorAway{Next: next}, otherwise: next}
		}}}
	l, _, _ := f.open(0, o)
	appendKV(t, l, state.Stories, "k", "1")
	l.mu.Lock()
	l.epochAt = l.epochAt.Add(-epochRefresh)
	l.mu.Unlock()
	away.Store(true)
	time.AfterFunc(300*time.Millisecond, func() { gen.Store(2) })
	time.AfterFunc(time.Second, func() { gen.Store(3) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := l.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("2")}}); err != nil {
		t.Fatalf("an append whose refresh the generation's end cut: %v, want it carried on by the next generation", err)
	}
	away.Store(false)
	_, later, _ := f.open(0, Options{Epoch: epochFence(t)})
	if later["stories/k"] != "2" {
		t.Errorf("a restore reads k = %q, want 2", later["stories/k"])
	}
}

// The sink's fence (kafka.sink_fence) decides by the changelog fence's probe: one probe per
// process, whichever asks first, in every changelog mode (off too), and the verdict names the
// broker and its setting.
func TestTheSinkFenceSharesTheChangelogsOneProbe(t *testing.T) {
	for _, mode := range []string{FenceAuto, FenceOff} {
		e, err := NewEpochFence(wkafka.Conn{}, "test", mode, nil)
		if err != nil {
			t.Fatal(err)
		}
		probes := 0
		e.probe = func(context.Context) (coordinator, error) {
			probes++
			return coordinator{brokers: 1, replication: 3, broker: "127.0.0.1:9092"}, nil
		}
		for range 2 {
			c, err := e.Coordinator(t.Context())
			if err != nil || c.CanHost || c.Broker != "127.0.0.1:9092" || !strings.Contains(fmt.Sprint(c.Why), replicationSetting+"=3") {
				t.Fatalf("mode %s: verdict %+v, %v; want cannot host, naming broker 127.0.0.1:9092 and %s=3", mode, c, err, replicationSetting)
			}
		}
		if on, _ := e.use(t.Context()); on {
			t.Errorf("mode %s: the changelog fence is on where the cluster cannot host the coordinator", mode)
		}
		if probes != 1 {
			t.Errorf("mode %s: %d probes, want 1", mode, probes)
		}
	}
}
