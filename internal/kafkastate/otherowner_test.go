package kafkastate

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// epochFence is the producer-epoch fence of a processor of the test's group, in mode on (the
// transactional id holds the changelog topic, which is the test's own).
func epochFence(t *testing.T) *EpochFence {
	t.Helper()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: kafkatest.Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEpochFence(cn, "test", FenceOn, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The changelog partition moves from member A (generation 7, whose append of k=old is on the wire
// when the generation ends, held by the leader) to member B, another process: B restores,
// appends k=new and holds k=new in memory. The held request then lands. The rule a state log
// must keep: a restore after B's append reads what B holds, k = new. Round 19 reproduced it
// reading old (A's batch landed last: BENCHMARKS.md, "the old owner's batch on the wire");
// since round 20 each owner takes the partition's producer epoch before it restores
// (epochfence.go), and the leader refuses A's batch of the older epoch when it lands.
// "unfenced" is the control, state.changelog.fence: off: the same steps without epochs, where
// A's batch lands last and the restore reads old, which shows the scenario does deliver a
// late batch.
func TestACutBatchOfTheOldOwnerDoesNotLandOverTheNewOwnersAppends(t *testing.T) {
	t.Run("fenced", func(t *testing.T) {
		seq, later := lateBatchOfTheOldOwner(t, func() *EpochFence { return epochFence(t) })
		if later != "new" {
			t.Errorf("a restore after member B's append reads k = %q, B holds \"new\": member A's cut batch landed over B's append (partition: %q)", later, seq)
		}
		if len(seq) != 1 {
			t.Errorf("partition 0 holds k = %q: want B's one append, A's batch refused", seq)
		}
	})
	t.Run("unfenced", func(t *testing.T) {
		seq, later := lateBatchOfTheOldOwner(t, func() *EpochFence { return nil })
		if later != "old" || len(seq) != 2 {
			t.Errorf("without epochs a restore after A's late batch reads k = %q (partition: %q); want \"old\" after [new old]: the scenario delivered no late batch", later, seq)
		}
	})
}

// lateBatchOfTheOldOwner runs the handover above, each member's Log fenced by fence(), and
// returns what partition 0 holds of k and what a restore after it reads.
func lateBatchOfTheOldOwner(t *testing.T, fence func() *EpochFence) (seq []string, later string) {
	leader := &kafkatest.HungLeader{Wire: true}
	a := openCarriedOnWith(t, leader, time.Minute, nil,
		func(c *carriedOn, def func(context.Context) (func(), error)) func(context.Context) (func(), error) {
			return func(ctx context.Context) (func(), error) {
				if c.gen.Load() == 0 {
					return nil, errors.New("generation 8 gave the partition to member B")
				}
				return def(ctx)
			}
		},
		func(o *Options) { o.Unsettled = NewUnsettled(); o.Epoch = fence() })
	if err := <-a.cutOnTheHeldLeader(); err == nil {
		t.Fatal("member A's cut append, not carried on, succeeded")
	}
	a.l.Close() // A's pipeline is discarded; its request stays on the wire

	// Member B, another process (its own Unsettled, which A's request is not in), restores
	// and appends.
	b, restored, _ := a.f.open(0, Options{Unsettled: NewUnsettled(), Epoch: fence()})
	appendKV(t, b, state.Stories, "k", "new")
	if v, ok := restored["stories/k"]; ok {
		t.Logf("member B restored k = %q", v)
	}

	leader.Release() // the leader answers A's request
	ctx, cancel := context.WithTimeout(a.ctx, time.Minute)
	defer cancel()
	if err := leader.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if leader.Held() == 0 {
		t.Fatal("the leader held no request of member A")
	}
	a.l = b
	seq = a.values()
	_, after, _ := a.f.open(0, Options{Epoch: fence()})
	t.Logf("partition 0 holds k = %q; member B holds k = \"new\"; a restore after it reads k = %q", seq, after["stories/k"])
	return seq, after["stories/k"]
}
