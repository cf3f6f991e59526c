package kafkastate

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// openUnfencedLate opens partition 0 restored without a producer epoch (the coordinator away,
// auto fallen back), fenced by a group fence that always admits, as a processor's Log writes
// (WriteChecked); the coordinator answers from then on, and the late epoch is due. The Log's
// own log lines go to the buffer.
func openUnfencedLate(t *testing.T, f *fixture) (*Log, *lockedBuffer) {
	t.Helper()
	_, o, away, _, _ := awayFence(t, time.Second)
	o.Fence = func() error { return nil }
	logs := new(lockedBuffer)
	o.Log = slog.New(slog.NewTextHandler(logs, nil))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if l.epoch != nil {
		t.Fatal("restored with an epoch, the coordinator away")
	}
	away.Store(false)
	time.Sleep(epochRetry) // the late epoch falls due
	return l, logs
}

// refusedAppend appends an entry the broker refuses before appending it: a batch over its
// max.message.bytes (1 MiB by default) once compressed, random bytes.
func refusedAppend(t *testing.T, l *Log) {
	t.Helper()
	big := make([]byte, 2<<20)
	rand.NewChaCha8([32]byte{}).Read(big)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := l.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("big"), Value: big}})
	if !errors.Is(err, kafka.MessageSizeTooLarge) && !errors.Is(err, kafka.RecordListTooLarge) {
		t.Fatalf("a 2 MiB entry: %v, want MESSAGE_TOO_LARGE or RECORD_LIST_TOO_LARGE", err)
	}
}

// A write the broker refused before appending it (MESSAGE_TOO_LARGE here; NOT_ENOUGH_REPLICAS,
// NOT_LEADER_OR_FOLLOWER alike) landed nothing: the Log's count of its own records stays exact,
// and it is still its partition's sole writer — its next append takes the late epoch. In round
// 23 any failed write barred late epochs until the next restore (the count "lost").
func TestARefusedWriteKeepsTheLogASoleWriterAndItTakesTheLateEpoch(t *testing.T) {
	f := newFixture(t, 1)
	l, logs := openUnfencedLate(t, f)
	refusedAppend(t, l)
	if l.OwnCountLost() {
		t.Error("OwnCountLost after a refused write, want the count kept")
	}
	appendAsked(t, l, "k", "v")
	if l.epoch == nil || l.lateBarred {
		t.Errorf("after a refused write of its own, no other writer: epoch %+v, barred %v; want the late epoch taken:\n%s",
			l.epoch, l.lateBarred, logs.String())
	}
}

// A refused write keeps the count exact, so a newer owner's records past it are still found —
// and said to be another writer's (WARN), not a write of its own that cannot be counted (INFO).
func TestAStaleLogIsStillFoundAfterARefusedWriteOfItsOwn(t *testing.T) {
	f := newFixture(t, 1)
	stale, logs := openUnfencedLate(t, f)
	refusedAppend(t, stale)
	owner, _, _ := f.open(0, Options{Epoch: epochFence(t)})
	appendKV(t, owner, state.Stories, "k", "owner-1")
	appendAsked(t, stale, "k", "stale-1") // unfenced: nothing refuses it
	if stale.epoch != nil || !stale.lateBarred {
		t.Errorf("the stale Log, the owner's records past its count: epoch %+v, barred %v; want no epoch, barred", stale.epoch, stale.lateBarred)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN msg=\""+LateEpochBarredMsg) || strings.Contains(out, LateEpochOwnUncountedMsg) {
		t.Errorf("want %q at WARN and not %q:\n%s", LateEpochBarredMsg, LateEpochOwnUncountedMsg, out)
	}
	appendKV(t, owner, state.Stories, "k", "owner-2") // not fenced by the stale Log
}

// appendAsked appends k=v and, if the late epoch's ask was not answered in its bound (the first
// InitProducerID of a fresh broker creates __transaction_state), appends again once it is due
// again, as a Log does a minute later: until the ask took the epoch or was barred.
func appendAsked(t *testing.T, l *Log, k, v string) {
	t.Helper()
	for try := 0; ; try++ {
		appendKV(t, l, state.Stories, k, v)
		l.mu.Lock()
		asked := l.epoch != nil || l.lateBarred
		l.epochAt = l.epochAt.Add(-epochRefreshRetry)
		l.mu.Unlock()
		if asked || try == 4 {
			return
		}
		t.Logf("the late epoch's ask was not answered (try %d); asking again", try)
		time.Sleep(epochRetry) // the fence's fallback after an unanswered ask
	}
}

// soleWriter asks SoleWriter within a minute.
func soleWriter(t *testing.T, l *Log) (sole, known bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return l.SoleWriter(ctx)
}

// An append cut by its generation's end while its batch was on the wire, and carried on by the
// next generation, whose settle found that batch acknowledged, counts it: the Log is still its
// partition's sole writer (round 23: any carried-on append lost the count until the next
// restore, and every late epoch, the changelog's and the sink's, with it).
func TestACarriedOnAppendWhoseBatchOnTheWireWasAcknowledgedKeepsTheCount(t *testing.T) {
	leader := &kafkatest.HungLeader{Wire: true} // the held request is answered at Release
	settling := make(chan struct{}, 1)
	c := openCarriedOn(t, leader, time.Minute, map[string]func(){SettleMsg: func() {
		select {
		case settling <- struct{}{}:
		default:
		}
	}})
	first := c.cutOnTheHeldLeader()
	select {
	case <-settling:
	case err := <-first:
		t.Fatalf("the cut append returned (%v) without settling its batch on the wire", err)
	}
	leader.Release()
	if err := <-first; err != nil {
		t.Fatalf("the cut append, carried on: %v", err)
	}
	if err := leader.Wait(c.ctx); err != nil {
		t.Fatal(err)
	}
	if seq := c.values(); len(seq) != 1 {
		t.Fatalf("partition 0 holds k = %q, want the settled batch once (acknowledged, not written again)", seq)
	}
	if sole, known := soleWriter(t, c.l); !sole || !known || c.l.OwnCountLost() {
		t.Errorf("after a carried-on append settled as acknowledged: sole %v, known %v, count lost %v; want sole, known, kept",
			sole, known, c.l.OwnCountLost())
	}
}

// A batch on the wire whose outcome stays open (no answer within its WriteTimeout; written
// again) is not counted, and the count may be short: while the batch has not landed the
// partition ends at the count, which still proves a sole writer (no other writer's record, and
// not that batch, lies past it); once it lands late, the end is past the count, and SoleWriter
// says not sole — with OwnCountLost, which tells it from another writer.
func TestAnUnansweredBatchOnTheWireLeavesTheLogASoleWriterOnlyUntilItLands(t *testing.T) {
	leader := &kafkatest.HungLeader{Wire: true} // held past its deadline, sent on at Release
	c := openCarriedOn(t, leader, 2*time.Second, nil)
	first := c.cutOnTheHeldLeader()
	if err := <-first; err != nil {
		t.Fatalf("the cut append, carried on: %v", err)
	}
	if sole, known := soleWriter(t, c.l); !sole || !known || !c.l.OwnCountLost() {
		t.Errorf("the unanswered batch not landed: sole %v, known %v, count lost %v; want sole, known, lost (maybe short)",
			sole, known, c.l.OwnCountLost())
	}
	leader.Release()
	if err := leader.Wait(c.ctx); err != nil {
		t.Fatal(err)
	}
	if leader.Late() != 1 {
		t.Fatalf("%d held requests sent on late, want 1", leader.Late())
	}
	if seq := c.values(); len(seq) != 2 {
		t.Fatalf("partition 0 holds k = %q, want the rewrite and the late batch", seq)
	}
	if sole, known := soleWriter(t, c.l); sole || !known || !c.l.OwnCountLost() {
		t.Errorf("the unanswered batch landed late: sole %v, known %v, count lost %v; want not sole, known, lost",
			sole, known, c.l.OwnCountLost())
	}
}
