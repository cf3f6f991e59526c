package kafkastate

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A stop (Options.Stopping) or the log's close during the settle of an append carried on into
// generation 8 ends that settle at once: the generation stays current through a stop, so the
// fence never ended it, and the stop waited for the answer to the batch on the wire up to the
// request's deadline + 1 s (31 s with the changelog's 30 s). The leader here holds the request
// for an hour, its WriteTimeout, and is released only after the append returned, so the test
// checks the order of events, not a timing. The append fails (its items are decided again by
// whoever restores next) and its batch on the wire is kept for this processor's next restore.
func TestAStopOrACloseEndsTheSettleOfACarriedOnAppendAtOnce(t *testing.T) {
	for _, how := range []string{"stop", "close"} {
		t.Run(how, func(t *testing.T) {
			stopping, settling := make(chan struct{}), make(chan struct{})
			var once sync.Once
			u := NewUnsettled()
			c := openCarriedOnWith(t, &kafkatest.HungLeader{Wire: true}, time.Hour,
				map[string]func(){SettleMsg: func() { once.Do(func() { close(settling) }) }}, nil,
				func(o *Options) { o.Stopping, o.Unsettled = stopping, u })
			first := c.cutOnTheHeldLeader()
			select {
			case <-settling:
			case <-c.ctx.Done():
				t.Fatal("the carried-on append never settled its batch on the wire")
			}
			at := time.Now()
			if how == "stop" {
				close(stopping)
			} else {
				go c.l.Close()
			}
			var err error
			select {
			case err = <-first:
			case <-time.After(time.Minute): // a bound on a loaded machine, not a timing assertion
				t.Fatal("the append still waits for its batch on the wire a minute after the " + how + ": the " + how + " did not end the settle")
			}
			t.Logf("the append returned %v after the %s, the held request unanswered: %v", time.Since(at).Round(time.Millisecond), how, err)
			if err == nil || !strings.Contains(err.Error(), errStopped.Error()) {
				t.Errorf("the append whose settle the %s ended returned %v, want it to fail naming the stop", how, err)
			}
			if n := u.Pending(c.f.topic, 0); n != 1 {
				t.Errorf("%d batches on the wire kept for the next restore, want the held one", n)
			}
			// The leader wakes and appends the held batch; the next restore here waits for
			// its answer and reads it.
			c.leader.Release()
			if k := c.restoreThrough(u, nil); k != "old" {
				t.Errorf("the next restore read k = %q, want old, the batch the %s left on the wire", k, how)
			}
		})
	}
}

// A cut append that the next generation does not carry on fails, and its batch on the wire may
// land yet, up to the request's deadline later (30 s for the changelog). When the same member
// gets the partition back meanwhile (a generation in between), its restore waits for that
// batch's answer first (Unsettled), so it reads the log as it ends up and the appends after it
// stay last. Before, the restore read at once; the held batch, answered once the leader woke,
// landed after the restore and after the new owner's append: k = new, old, and the next
// restore gave old (review23, F2). The leader here delays the cut request until the restore
// waits for it (or, were it not to wait, until the new append returned).
func TestARestoreAfterACutAppendNotCarriedOnReadsItsBatchOnTheWire(t *testing.T) {
	u := NewUnsettled()
	leader := &kafkatest.HungLeader{Wire: true}
	c := openCarriedOnWith(t, leader, time.Minute, nil,
		func(c *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error) {
			return func(ctx context.Context) (func(), error) {
				if c.gen.Load() == 0 {
					return nil, errors.New("generation 8 does not carry on: the group went through another generation")
				}
				return def(ctx)
			}
		},
		func(o *Options) { o.Unsettled = u })
	if err := <-c.cutOnTheHeldLeader(); err == nil {
		t.Fatal("the cut append not carried on succeeded")
	}
	if n := u.Pending(c.f.topic, 0); n != 1 {
		t.Fatalf("%d batches on the wire kept for the next restore, want the held one", n)
	}
	c.l.Close() // the pipeline is discarded

	// The member gets the partition back and restores through the same Unsettled.
	waiting := make(chan struct{})
	var once sync.Once
	l, err := Open(c.ctx, c.f.cn, c.f.topic, 0, Options{Unsettled: u,
		Log: slog.New(onMessage{Handler: testLog(t).Handler(), on: map[string]func(){RestoreSettleMsg: func() { once.Do(func() { close(waiting) }) }}})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	restored := map[string]string{}
	done := make(chan error, 1)
	go func() {
		done <- l.Restore(c.ctx, func(e state.Entry) error {
			restored[string(e.Key)] = string(e.Value)
			return nil
		})
	}()
	select {
	case err = <-done:
		t.Log("the restore did not wait for the batch on the wire")
	case <-waiting:
		leader.Release() // the delayed request is answered while the restore waits for it
		err = <-done
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Append(c.ctx, c.k("new")); err != nil {
		t.Fatal(err)
	}
	leader.Release()
	if err := leader.Wait(c.ctx); err != nil {
		t.Fatal(err)
	}
	c.l = l
	seq := c.values()
	t.Logf("the restore read k = %q; partition 0 holds k = %q", restored["k"], seq)
	if restored["k"] != "old" {
		t.Errorf("the restore read k = %q, want old: it did not wait for its own batch on the wire", restored["k"])
	}
	if len(seq) == 0 || seq[len(seq)-1] != "new" {
		t.Errorf("partition 0 holds k = %q, want new last: the cut batch landed after the restore and the append after it", seq)
	}
	if n := u.Pending(c.f.topic, 0); n != 0 {
		t.Errorf("%d batches still kept after the restore settled them", n)
	}
}

// A restore whose ctx ends while it waits for a batch left on the wire fails, and keeps the
// batch for the restore after it: a generation that ends meanwhile must not hold the member's
// rejoin, nor may the next restore skip the wait.
func TestARestoreWhoseContextEndsKeepsTheBatchOnTheWireForTheNext(t *testing.T) {
	u := NewUnsettled()
	leader := &kafkatest.HungLeader{Wire: true}
	c := openCarriedOnWith(t, leader, time.Hour, nil,
		func(c *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error) {
			return func(ctx context.Context) (func(), error) {
				if c.gen.Load() == 0 {
					return nil, errors.New("generation 8 does not carry on")
				}
				return def(ctx)
			}
		},
		func(o *Options) { o.Unsettled = u })
	if err := <-c.cutOnTheHeldLeader(); err == nil {
		t.Fatal("the cut append not carried on succeeded")
	}
	c.l.Close()
	l, err := Open(c.ctx, c.f.cn, c.f.topic, 0, Options{Unsettled: u, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	ctx, cancel := context.WithTimeout(c.ctx, 200*time.Millisecond) // the generation ends during the restore
	defer cancel()
	err = l.Restore(ctx, func(state.Entry) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the restore whose generation ended while it waited returned %v, want its context's end", err)
	}
	if n := u.Pending(c.f.topic, 0); n != 1 {
		t.Errorf("%d batches kept after the restore gave up, want the held one still", n)
	}
	leader.Release()
	if k := c.restoreThrough(u, nil); k != "old" || u.Pending(c.f.topic, 0) != 0 {
		t.Errorf("the restore after it read k = %q with %d batches still kept, want old and none", k, u.Pending(c.f.topic, 0))
	}
}

// restoreThrough opens partition 0 again with u, restores it and returns k's value; on, when
// set, is called if the restore logs RestoreSettleMsg. The log is closed when the test ends.
func (c *carriedOn) restoreThrough(u *Unsettled, on func()) string {
	c.t.Helper()
	lg := testLog(c.t)
	if on != nil {
		lg = slog.New(onMessage{Handler: lg.Handler(), on: map[string]func(){RestoreSettleMsg: on}})
	}
	l, err := Open(c.ctx, c.f.cn, c.f.topic, 0, Options{Unsettled: u, Log: lg})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { l.Close() })
	var k string
	if err := l.Restore(c.ctx, func(e state.Entry) error {
		if string(e.Key) == "k" {
			k = string(e.Value)
		}
		return nil
	}); err != nil {
		c.t.Fatal(err)
	}
	return k
}

// A request kept for a restore (Unsettled) is forgotten once it is settled — answered, or past
// its deadline — whether this processor restores its partition again or not: a standby that
// loses partitions over many rebalances and never gets them back must not keep their requests
// (and the closed Logs' transports) until it stops, as it did before round 19. The restore that
// comes after does not wait. "answered": the leader, holding the request for up to an hour (its
// WriteTimeout), wakes and appends it. "deadline": the leader never answers and the request's
// 5 s WriteTimeout passes.
func TestAKeptRequestIsForgottenOnceSettledWithoutARestore(t *testing.T) {
	for _, how := range []string{"answered", "deadline"} {
		t.Run(how, func(t *testing.T) {
			u := NewUnsettled()
			var settled atomic.Int32
			u.Log = slog.New(onMessage{Handler: testLog(t).Handler(), on: map[string]func(){SettledMsg: func() { settled.Add(1) }}})
			leader, timeout := &kafkatest.HungLeader{Wire: true}, time.Hour
			if how == "deadline" {
				leader, timeout = &kafkatest.HungLeader{}, 5*time.Second // dropped at its deadline
			}
			c := openCarriedOnWith(t, leader, timeout, nil,
				func(c *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error) {
					return func(ctx context.Context) (func(), error) {
						if c.gen.Load() == 0 {
							return nil, errors.New("generation 8 does not carry on: the partition went to another member")
						}
						return def(ctx)
					}
				},
				func(o *Options) { o.Unsettled = u })
			if err := <-c.cutOnTheHeldLeader(); err == nil {
				t.Fatal("the cut append not carried on succeeded")
			}
			if n := u.Pending(c.f.topic, 0); n != 1 {
				t.Fatalf("%d batches on the wire kept right after the append failed, want the held one", n)
			}
			c.l.Close() // the pipeline is discarded; the partition is not restored here again
			if how == "answered" {
				leader.Release()
			}
			for u.Kept() != 0 {
				if c.ctx.Err() != nil {
					t.Fatalf("%d requests still kept with no restore, %s: kept until the processor stops", u.Kept(), how)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if settled.Load() != 1 {
				t.Errorf("%d %q logged, want 1", settled.Load(), SettledMsg)
			}
			if how == "deadline" && leader.Late() != 0 {
				t.Errorf("the leader sent %d held requests on: the request was not settled by its deadline", leader.Late())
			}
			// A restore later has nothing to wait for.
			waited := false
			k := c.restoreThrough(u, func() { waited = true })
			if waited {
				t.Error("the restore waited for a request settled before it")
			}
			if want := map[string]string{"answered": "old", "deadline": ""}[how]; k != want {
				t.Errorf("the restore read k = %q, want %q", k, want)
			}
		})
	}
}
