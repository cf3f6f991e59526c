package kafkastate

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// An append cut by the end of its generation while its batch is held by the leader, and carried
// on by the next generation, must not leave an older value of a key last in the changelog when
// that held request lands late. kafka-go keeps a request it wrote on its connection until the
// request's deadline (WriteTimeout, 30 s for the changelog) whatever the fence's cancel says,
// and a leader that wakes appends it; the leader here (kafkatest.HungLeader with Wire) holds
// that one request while a new one gets through. Round 17 rejoined at once and wrote the
// entries again, and the store's next append followed: when the held request then landed, the
// partition read k=old, k=new, k=old and a restore gave old (review21, F0). The rewrite now
// waits for the held request's answer (Log.settle): acknowledged, it is not written again.
func TestACutBatchThatLandsLateDoesNotEndUpAfterTheRewrite(t *testing.T) {
	leader := &kafkatest.HungLeader{Wire: true}
	settling := make(chan struct{})
	var once sync.Once
	c := openCarriedOn(t, leader, time.Minute, map[string]func(){SettleMsg: func() { once.Do(func() { close(settling) }) }})
	ctx := c.ctx
	first := c.cutOnTheHeldLeader()
	// The store appends again as soon as the first append returns; the leader wakes once it
	// has, or once it waits for the held request's answer.
	select {
	case err := <-first:
		if err != nil {
			t.Fatalf("the cut append, carried on: %v", err)
		}
		if err := c.l.Append(ctx, c.k("new")); err != nil {
			t.Fatal(err)
		}
		leader.Release()
	case <-settling:
		leader.Release()
		if err := <-first; err != nil {
			t.Fatalf("the cut append, carried on: %v", err)
		}
		if err := c.l.Append(ctx, c.k("new")); err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("the cut append neither returned nor waited for its batch on the wire")
	}
	if err := leader.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	seq := c.values()
	t.Logf("partition 0 holds k = %q; %d held requests sent on after their sender gave up", seq, leader.Late())
	if len(seq) == 0 || seq[len(seq)-1] != "new" {
		t.Errorf("partition 0 holds k = %q, want new last: the held batch landed after the rewrite and the append after it", seq)
	}
}

// A batch on the wire at the cut that is not answered within its WriteTimeout (a leader that
// holds it and drops it) is written again once that deadline has passed: the wait for its
// answer is bounded, and a batch that timed out counts as not written.
func TestACutBatchNotAnsweredInItsWriteTimeoutIsWrittenAgain(t *testing.T) {
	leader := &kafkatest.HungLeader{} // a request whose context ends is dropped
	var rewritten atomic.Int32
	c := openCarriedOn(t, leader, 2*time.Second, map[string]func(){RewriteMsg: func() { rewritten.Add(1) }})
	first := c.cutOnTheHeldLeader()
	if err := <-first; err != nil {
		t.Fatalf("the cut append, carried on: %v", err)
	}
	leader.Release()
	if err := c.l.Append(c.ctx, c.k("new")); err != nil {
		t.Fatal(err)
	}
	if seq := c.values(); rewritten.Load() != 1 || len(seq) != 2 || seq[0] != "old" || seq[1] != "new" {
		t.Errorf("partition 0 holds k = %q after %d rewrites, want [old new] after 1: the timed-out batch written again", seq, rewritten.Load())
	}
}

// carriedOn is a fenced log of a new partition whose produce requests go through a HungLeader
// and whose generation 7 ends as the produce request armed goes out; Hold then admits
// generation 8 once next is closed.
type carriedOn struct {
	t      *testing.T
	f      *fixture
	ctx    context.Context
	l      *Log
	leader *kafkatest.HungLeader
	gen    atomic.Int32 // 7, then 0 once it ended, then 8
	next   chan struct{}
	armed  atomic.Bool
}

// openCarriedOn opens it with the table's WriteTimeout; on calls a message's function each
// time the log logs it.
func openCarriedOn(t *testing.T, leader *kafkatest.HungLeader, writeTimeout time.Duration, on map[string]func()) *carriedOn {
	return openCarriedOnHold(t, leader, writeTimeout, on, nil)
}

// openCarriedOnHold is openCarriedOn with the Hold that hold makes of the default one (nil:
// the default).
func openCarriedOnHold(t *testing.T, leader *kafkatest.HungLeader, writeTimeout time.Duration, on map[string]func(),
	hold func(c *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error)) *carriedOn {
	return openCarriedOnWith(t, leader, writeTimeout, on, hold, nil)
}

// openCarriedOnWith is openCarriedOnHold with the log's options changed by opt (nil: none).
func openCarriedOnWith(t *testing.T, leader *kafkatest.HungLeader, writeTimeout time.Duration, on map[string]func(),
	hold func(c *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error),
	opt func(*Options)) *carriedOn {
	f := newFixture(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	c := &carriedOn{t: t, f: f, ctx: ctx, leader: leader, next: make(chan struct{})}
	c.gen.Store(7)
	if hold == nil {
		hold = func(_ *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error) {
			return def
		}
	}
	o := Options{
		Log: slog.New(onMessage{Handler: testLog(t).Handler(), on: on}),
		Fence: func() error {
			if c.gen.Load() == 0 {
				return errors.New("generation 7 ended")
			}
			return nil
		},
		Hold: hold(c, func(ctx context.Context) (func(), error) {
			if c.gen.Load() == 0 {
				select {
				case <-c.next:
					c.gen.Store(8)
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			return func() {}, nil
		}),
		Table: kafkatable.Options{WriteTimeout: writeTimeout, WriteAttempts: 1, WrapWrites: func(rt kafka.RoundTripper) kafka.RoundTripper {
			leader.Next = rt
			return roundTripFunc(func(ctx context.Context, a net.Addr, r kafka.Request) (kafka.Response, error) {
				if kafkatest.IsProduce(r) && c.armed.CompareAndSwap(true, false) {
					c.gen.Store(0)
				}
				return leader.RoundTrip(ctx, a, r)
			})
		}},
	}
	if opt != nil {
		opt(&o)
	}
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	t.Cleanup(func() { releaseAndWait(t, leader) }) // before Close: nothing stays held
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	c.l = l
	return c
}

func (c *carriedOn) k(v string) []state.Entry {
	return []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte(v)}}
}

// cutOnTheHeldLeader appends k=old with the leader hung, ends generation 7 as its request goes
// out, and once the leader holds it lets new requests through and starts generation 8, which
// carries the append on. The append's error comes on the channel.
func (c *carriedOn) cutOnTheHeldLeader() <-chan error {
	c.leader.Hang()
	c.armed.Store(true)
	first := make(chan error, 1)
	go func() { first <- c.l.Append(c.ctx, c.k("old")) }()
	for c.leader.Held() == 0 {
		if c.ctx.Err() != nil {
			c.t.Fatal("the append's produce request never reached the leader")
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.leader.Pass() // the held request stays held; a new connection gets through
	close(c.next)
	return first
}

// values returns the values of key k in the partition, in offset order.
func (c *carriedOn) values() []string {
	c.t.Helper()
	first, end, err := c.l.t.Bounds(c.ctx, 0)
	if err != nil {
		c.t.Fatal(err)
	}
	key := toMessage(c.k("")[0]).Key
	var seq []string
	if _, err := c.l.t.RestoreWithin(c.ctx, 0, kafkatable.FirstOffset, first, end, func(r kafkatable.Record) error {
		if string(r.Key) == string(key) {
			seq = append(seq, string(r.Value))
		}
		return nil
	}); err != nil {
		c.t.Fatal(err)
	}
	return seq
}

// onMessage is a slog.Handler that calls on[msg] for every record whose message is msg.
type onMessage struct {
	slog.Handler
	on map[string]func()
}

func (h onMessage) Handle(ctx context.Context, r slog.Record) error {
	if fn := h.on[r.Message]; fn != nil {
		fn()
	}
	return h.Handler.Handle(ctx, r)
}

func (h onMessage) WithAttrs(as []slog.Attr) slog.Handler {
	return onMessage{Handler: h.Handler.WithAttrs(as), on: h.on}
}

func (h onMessage) WithGroup(name string) slog.Handler {
	return onMessage{Handler: h.Handler.WithGroup(name), on: h.on}
}
