package state

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
)

// outageLog is a state log in an outage: like the Kafka changelog, each
// Append retries until its context ends, then fails with its error. It
// records each Append's keys, and whether every context in watch had
// ended when the Append gave up.
type outageLog struct {
	mu      sync.Mutex
	appends [][]string
	watch   []context.Context
	allDone []bool
}

func (l *outageLog) Append(ctx context.Context, es []Entry) error {
	l.mu.Lock()
	var keys []string
	for _, e := range es {
		keys = append(keys, string(e.Key))
	}
	l.appends = append(l.appends, keys)
	l.mu.Unlock()
	<-ctx.Done()
	l.mu.Lock()
	defer l.mu.Unlock()
	all := true
	for _, w := range l.watch {
		all = all && w.Err() != nil
	}
	l.allDone = append(l.allDone, all)
	return ctx.Err()
}

func (l *outageLog) Restore(context.Context, func(Entry) error) error { return nil }
func (l *outageLog) Close() error                                     { return nil }

func (l *outageLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.appends)
}

// A feed's save and the pipeline's commit that share one append, in an
// outage, are held exactly as long as one of them still waits for it:
// whichever leads the group and whichever gives up first, the append
// ends once both contexts ended, each gets its error, and neither is
// applied.
func TestAGroupAppendRunsUntilEveryMembersContextEnded(t *testing.T) {
	for _, tc := range []struct {
		name      string
		feedFirst bool // the feed's save queues (and so leads) before the pipeline's commit
		feedEnds  bool // the feed's context ends before the pipeline's
	}{
		{"a feed save leads and the pipeline's commit is cancelled first", true, false},
		{"a feed save leads and its own context ends first", true, true},
		{"the pipeline's commit leads and is cancelled first", false, false},
		{"the pipeline's commit leads and the feed's context ends first", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			l := &outageLog{}
			o := newMapOwner(Stories)
			st, err := Open(context.Background(), l, Options{}, o)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			// A first commit holds the order, so that the two queue
			// behind it and are appended together by the first of them.
			holdCtx, endHold := context.WithCancel(context.Background())
			defer endHold()
			held := make(chan error, 1)
			go func() {
				held <- st.Commit(holdCtx, []Entry{{Table: Stories, Key: []byte("hold"), Value: []byte("h")}}, nil)
			}()
			waitFor(t, func() bool { return l.count() == 1 })

			feedCtx, endFeed := context.WithCancel(context.Background())
			defer endFeed()
			pipeCtx, cancelPipe := context.WithCancel(context.Background())
			defer cancelPipe()
			l.mu.Lock()
			l.watch = []context.Context{feedCtx, pipeCtx}
			l.mu.Unlock()
			feedErr, pipeErr := make(chan error, 1), make(chan error, 1)
			save := func() { feedErr <- st.SaveFeedState(feedCtx, "https://a.example/rss", []byte("etag")) }
			commit := func() {
				e := Entry{Table: Stories, Key: []byte("story"), Value: []byte("s")}
				pipeErr <- st.Commit(pipeCtx, []Entry{e}, func() { o.Load(e) })
			}
			first, second := commit, save
			if tc.feedFirst {
				first, second = save, commit
			}
			go first()
			waitFor(t, func() bool { st.qmu.Lock(); defer st.qmu.Unlock(); return len(st.queued) == 1 })
			go second()
			waitFor(t, func() bool { st.qmu.Lock(); defer st.qmu.Unlock(); return len(st.queued) == 2 })
			endHold()
			if err := <-held; !errors.Is(err, context.Canceled) {
				t.Fatalf("the holding commit returned %v, want context canceled", err)
			}
			waitFor(t, func() bool { return l.count() == 2 })

			firstEnd, secondEnd := cancelPipe, endFeed
			if tc.feedEnds {
				firstEnd, secondEnd = endFeed, cancelPipe
			}
			firstEnd()
			select {
			case err := <-feedErr:
				t.Fatalf("the feed's save returned %v while the other member still waited for the append", err)
			case err := <-pipeErr:
				t.Fatalf("the pipeline's commit returned %v while the other member still waited for the append", err)
			default:
			}
			secondEnd()
			for name, ch := range map[string]chan error{"feed save": feedErr, "pipeline commit": pipeErr} {
				select {
				case err := <-ch:
					if !errors.Is(err, context.Canceled) {
						t.Errorf("%s returned %v, want the group's append error (context canceled)", name, err)
					}
				case <-time.After(10 * time.Second):
					t.Fatalf("%s did not return within 10 s of both contexts ending", name)
				}
			}
			l.mu.Lock()
			got, gotAll := l.appends[1], l.allDone[1]
			l.mu.Unlock()
			if len(got) != 2 {
				t.Fatalf("second append held %v, want the feed save and the pipeline commit together", got)
			}
			if !gotAll {
				t.Error("the group's append gave up while a member's context had not ended")
			}
			if v, _ := st.feeds.get("https://a.example/rss"); v != nil || len(o.snapshotMap()) != 0 {
				t.Error("a member of a failed group was applied")
			}
		})
	}
}

// The group's context ends when the last member's does, with its cause,
// by the latest deadline when each has one, and leaves nothing running
// once released.
func TestGroupContextEndsWithTheLastMember(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, cancelA := context.WithCancel(context.Background())
		defer cancelA()
		lastCause := errors.New("pipeline drain timeout")
		b, cancelB := context.WithCancelCause(context.Background())
		defer cancelB(nil)
		ctx, release := groupContext([]*commit{{ctx: a}, {ctx: b}})
		if _, ok := ctx.Deadline(); ok {
			t.Error("the group has a deadline though its members have none")
		}
		cancelA()
		synctest.Wait()
		if ctx.Err() != nil {
			t.Fatal("the group's context ended with the first member's")
		}
		cancelB(lastCause)
		synctest.Wait()
		if ctx.Err() == nil || !errors.Is(context.Cause(ctx), lastCause) {
			t.Fatalf("after both ended: err %v, cause %v; want ended with the last member's cause", ctx.Err(), context.Cause(ctx))
		}
		release()

		short, stopShort := context.WithTimeout(context.Background(), time.Second)
		defer stopShort()
		long, stopLong := context.WithTimeout(context.Background(), 3*time.Second)
		defer stopLong()
		start := time.Now()
		ctx, release = groupContext([]*commit{{ctx: long}, {ctx: short}})
		defer release()
		if d, ok := ctx.Deadline(); !ok || d.Sub(start) != 3*time.Second {
			t.Errorf("deadline %v (%v), want the latest member's, 3 s on", d.Sub(start), ok)
		}
		time.Sleep(2 * time.Second)
		if ctx.Err() != nil {
			t.Fatal("the group's context ended with the earlier deadline")
		}
		time.Sleep(2 * time.Second)
		if ctx.Err() == nil {
			t.Fatal("the group's context outlived every member's deadline")
		}
	})
}

// Released before any member ended, the group's context leaves no
// goroutine behind, also for a member context of a foreign type.
func TestGroupContextReleasedEarlyLeavesNothingRunning(t *testing.T) {
	defer goleak.VerifyNone(t)
	a, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	foreign := foreignCtx{Context: a, done: make(chan struct{})}
	ctx, release := groupContext([]*commit{{ctx: context.Background()}, {ctx: foreign}, {ctx: a}})
	release()
	if ctx.Err() == nil {
		t.Error("a released group's context is still live")
	}
}

// foreignCtx is a context the context package does not know, which it
// can watch only from a goroutine of its own.
type foreignCtx struct {
	context.Context
	done chan struct{}
}

func (c foreignCtx) Done() <-chan struct{} { return c.done }
