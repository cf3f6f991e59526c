package kafkastate

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"
	"github.com/segmentio/kafka-go/protocol/produce"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A Log restored without an epoch (auto fallen back, the coordinator away) whose processor is
// stale — paused past its session, so its admission still passes — must not take the
// partition's epoch late once the coordinator answers: the partition's newer owner took the
// epoch at its restore, and a later one taken by the stale Log made its next batch fence the
// rightful owner, whose next append was refused (round 22 took the late epoch before the
// append's write; after it alike, since an unfenced write is refused by nothing). The newer
// owner's epoch record and append are in the partition, past the stale Log's own count of its
// records: it takes nothing, and the owner goes on.
func TestAStaleLogRestoredUnfencedDoesNotTakeTheEpochFromTheNewerOwner(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, _, _ := awayFence(t, time.Second)
	stale, _, _ := f.open(0, o)
	appendKV(t, stale, state.Stories, "k", "stale-1")
	away.Store(false)
	owner, _, _ := f.open(0, Options{Epoch: epochFence(t)})
	appendKV(t, owner, state.Stories, "k", "owner-1")
	time.Sleep(epochRetry) // the stale Log's late epoch falls due during its pause

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Written without a producer id, nothing refuses it: the unfenced window auto's fallback
	// leaves, as the warning says.
	if err := stale.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("stale-2")}}); err != nil {
		t.Fatalf("the stale Log's unfenced append: %v", err)
	}
	if stale.epoch != nil || !stale.lateBarred {
		t.Errorf("the stale Log, another owner's records past its own: epoch %+v, barred %v; want no epoch, barred", stale.epoch, stale.lateBarred)
	}
	if err := owner.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("owner-2")}}); err != nil {
		t.Fatalf("the newer owner's append after the stale Log's: %v — the stale Log's late epoch fenced the partition's owner", err)
	}
	if _, later, _ := f.open(0, Options{Epoch: epochFence(t)}); later["stories/k"] != "owner-2" {
		t.Errorf("a restore reads k = %q, want the owner's owner-2", later["stories/k"])
	}
}

// onInit calls fn once, at the first InitProducerID it passes on.
type onInit struct {
	next kafka.RoundTripper
	once *sync.Once
	fn   func()
}

func (h onInit) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); ok {
		h.once.Do(h.fn)
	}
	return h.next.RoundTrip(ctx, addr, req)
}

// Another writer's record that lands while the late epoch is asked — a newer owner's epoch
// record, its InitProducerID answered just before this Log's — is found by the second look at
// the partition's end, and the epoch taken is dropped: the Log's batches go on carrying no
// producer id (written with it, they would fence that owner), and it asks no more. Its writes
// carrying no epoch, wirestream_state_changelog_epochs stays 0 and FenceBackMsg ("writes carry
// producer epochs again") is not logged: before, the answer alone set both, and the gauge read 1
// for as long as the Log wrote unfenced (until its next restore).
func TestALateEpochIsDroppedWhenAnotherWriterWroteWhileItWasAsked(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, logs, m := awayFence(t, time.Second)
	var once sync.Once
	var other *Log
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return switchable{on: away, when: &coordinatorAway{Next: next}, otherwise: onInit{next: next, once: &once, fn: func() {
			appendKV(t, other, state.Stories, "k", "other")
		}}}
	}}
	stale, _, _ := f.open(0, o)
	other, _, _ = f.open(0, Options{}) // writes without a producer id; its restore writes nothing
	away.Store(false)
	time.Sleep(epochRetry)
	appendKV(t, stale, state.Stories, "k", "stale")
	if stale.epoch != nil || !stale.lateBarred {
		t.Errorf("another writer's record landed during the late InitProducerID: epoch %+v, barred %v; want none, barred", stale.epoch, stale.lateBarred)
	}
	if g := testutil.ToFloat64(m.ChangelogEpochs); g != 0 || strings.Contains(logs.String(), FenceBackMsg) {
		t.Errorf("the late epoch dropped, the Log writing without one: gauge %v, want 0; %q logged %v:\n%s",
			g, FenceBackMsg, strings.Contains(logs.String(), FenceBackMsg), logs.String())
	}
	// Its writer carries no producer id: a newer owner's epoch does not refuse its writes (with
	// the dropped epoch, older than the owner's, they were refused as fenced).
	f.open(0, Options{Epoch: epochFence(t)})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := stale.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("stale-2")}}); err != nil {
		t.Errorf("the Log's append after it dropped the late epoch: %v, want written without a producer id", err)
	}
}

// onProduce calls fn once, at the first produce request it passes on, before its answer.
type onProduce struct {
	next kafka.RoundTripper
	once *sync.Once
	fn   func()
}

func (h onProduce) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*produce.Request); ok {
		h.once.Do(h.fn)
	}
	return h.next.RoundTrip(ctx, addr, req)
}

// A late epoch's ask runs inside an append, under the store's lock and the generation's
// admission, and README promises it at most 5 s (epochRefreshWait) of that append. Its three
// waits — the look at the partition's end (the write gate, held here by another look, as the
// sink fence's, for most of it), InitProducerID (the coordinator away), the second look — each
// had epochRefreshWait of its own: up to three times the bound. They share it now.
func TestALateEpochAskIsBoundedAsAWholeByEpochRefreshWait(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, _, _ := awayFence(t, time.Second)
	var once sync.Once
	var l *Log
	var gateHeld sync.WaitGroup
	gateHeld.Add(1)
	table := o.Table
	armed := new(atomic.Bool)
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return onProduce{next: table.WrapWrites(next), once: &once, fn: func() {
			if !armed.Load() {
				return
			}
			// Another look at the partition's end takes the gate as soon as this write returns,
			// and keeps it for most of epochRefreshWait.
			go func() {
				l.writeGate <- struct{}{}
				gateHeld.Done()
				time.Sleep(epochRefreshWait - 500*time.Millisecond)
				<-l.writeGate
			}()
			time.Sleep(200 * time.Millisecond) // queued on the gate before the write releases it
		}}
	}}
	l, _, _ = f.open(0, o) // the coordinator away: restored without an epoch
	if l.epoch != nil {
		t.Fatal("restored with an epoch, the coordinator away")
	}
	time.Sleep(epochRetry) // the late epoch falls due; the coordinator stays away
	armed.Store(true)
	once = sync.Once{}
	start := time.Now()
	appendKV(t, l, state.Stories, "k", "v")
	took := time.Since(start)
	gateHeld.Wait()
	if l.epoch != nil {
		t.Errorf("took an epoch, the coordinator away")
	}
	if !away.Load() {
		t.Fatal("the coordinator answered")
	}
	if took > epochRefreshWait+2500*time.Millisecond {
		t.Errorf("the append took %v with its late epoch's ask, want within about epochRefreshWait (%v)", took, epochRefreshWait)
	}
}

// slowInit passes each InitProducerID on after delay once armed.
type slowInit struct {
	next  kafka.RoundTripper
	armed *atomic.Bool
	delay time.Duration
}

func (h slowInit) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*initproducerid.Request); ok && h.armed.Load() {
		select {
		case <-time.After(h.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return h.next.RoundTrip(ctx, addr, req)
}

// The late ask's one bound is shared by its look at the partition's end and InitProducerID: a
// look that waited most of it for the write gate (a sink's look holding it) left InitProducerID a
// few hundred milliseconds, and a coordinator answering in one second was taken for one that
// did not answer within epochRefreshWait — StillUnfencedMsg, and the whole processor's changelog
// unfenced for another epochRetry (an hour). An ask that had too little of the bound left for
// InitProducerID cannot tell whether the coordinator answers: it is made again later, and the
// fence says nothing.
func TestALateEpochAskLeftNoTimeByItsLookDoesNotSayTheCoordinatorIsSilent(t *testing.T) {
	f := newFixture(t, 1)
	fence, o, away, logs, _ := awayFence(t, time.Second)
	var once sync.Once
	var l *Log
	armed := new(atomic.Bool)
	table := o.Table
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		next = slowInit{next: table.WrapWrites(next), armed: armed, delay: time.Second}
		return onProduce{next: next, once: &once, fn: func() {
			if !armed.Load() {
				return
			}
			// Another look at the partition's end takes the gate as soon as this write returns,
			// and keeps it for most of epochRefreshWait.
			go func() {
				l.writeGate <- struct{}{}
				time.Sleep(epochRefreshWait - 300*time.Millisecond)
				<-l.writeGate
			}()
			time.Sleep(200 * time.Millisecond) // queued on the gate before the write releases it
		}}
	}}
	l, _, _ = f.open(0, o) // the coordinator away: restored without an epoch
	if l.epoch != nil {
		t.Fatal("restored with an epoch, the coordinator away")
	}
	away.Store(false) // it answers again, in a second
	time.Sleep(epochRetry)
	armed.Store(true)
	once = sync.Once{}
	appendKV(t, l, state.Stories, "k", "v")
	if l.epoch != nil {
		t.Fatalf("took epoch %+v: the gate was not held, the test tests nothing", l.epoch)
	}
	if strings.Contains(logs.String(), StillUnfencedMsg) {
		t.Errorf("an ask that left InitProducerID %v of its bound logged %q:\n%s", 300*time.Millisecond, StillUnfencedMsg, logs.String())
	}
	fence.mu.Lock()
	retryAt := fence.retryAt
	fence.mu.Unlock()
	if time.Until(retryAt) > 0 {
		t.Errorf("the fence asks again in %v, want due still (the coordinator was never given the time to answer)", time.Until(retryAt).Round(time.Second))
	}
}
