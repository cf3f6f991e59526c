package feedtopics

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"

	"github.com/wirestream/wirestream/internal/kafkatable"
)

// deleteFirst runs its delete once, at the first produce request it passes on, before sending
// it: a `feeds remove` (FeedState.Delete, in its own process) landing between a fetcher's read
// of a partition and that fetcher's next write to it.
type deleteFirst struct {
	next   kafka.RoundTripper
	delete func() error
	done   *atomic.Bool
	err    *atomic.Value
}

func (d deleteFirst) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*produceAPI.Request); ok && d.done.CompareAndSwap(false, true) {
		if err := d.delete(); err != nil {
			d.err.Store(err)
		}
	}
	return d.next.RoundTrip(ctx, addr, req)
}

// openStateDeletingFirst opens tp's feed_state as a fetcher does, with a transport that runs
// del (another process's Delete) just before the first write this FeedState sends.
func openStateDeletingFirst(t *testing.T, tp Topics, del func() error) (*FeedState, func() error) {
	t.Helper()
	var done atomic.Bool
	var failed atomic.Value
	st, err := openStateWith(context.Background(), connect(t, brokers(t)), tp, kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return deleteFirst{next: next, delete: del, done: &done, err: &failed}
	}}, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, func() error {
		if !done.Load() {
			t.Fatal("the fetcher wrote nothing: the delete never ran")
		}
		err, _ := failed.Load().(error)
		return err
	}
}

// A key move (an old key's state written under the StateKey, then the old key tombstoned) is
// made from what the fetcher read of the partition. A `feeds remove` whose tombstones landed
// between that read and the move's write was undone by it: the move wrote the removed feed's
// state under its StateKey again, where it stayed until a sweep a day later dropped it — or
// was picked up by the feed added back meanwhile (its old validators, failures and backoff).
// A deleted feed's state must not come back. On a real broker, the delete run at the move's
// first produce request, on the restore's move (Store.Load) and on the sweep's
// (DropOrphans: round 33's TOKEN:xxxxx@ key, which only the listed URL tells is old).
func TestAFeedStateDeletedWhileItsKeyIsMovedStaysDeleted(t *testing.T) {
	cn := connect(t, brokers(t))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("restore", func(t *testing.T) {
		tp := testTopics(t, cn, 1, 1, 1)
		remover := openState(t, cn, tp) // `feeds remove`, another process
		url := "https://q.example/feed?token=S3CRET"
		if err := remover.w[0].Put(ctx, []byte(url), []byte(`{"v":1,"etag":"before round 34"}`)); err != nil {
			t.Fatal(err)
		}
		st, deleted := openStateDeletingFirst(t, tp, func() error { return remover.Delete(ctx, url) })
		store := st.NewStore(time.Minute)
		if err := store.Load(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if err := deleted(); err != nil {
			t.Fatal(err)
		}
		wantDeleted(t, ctx, remover, store, url)
	})

	t.Run("sweep", func(t *testing.T) {
		tp := testTopics(t, cn, 1, 1, 1)
		remover := openState(t, cn, tp)
		url := "https://S3CRET-D:@api.example/d.atom"
		const round33Key = "https://S3CRET-D:xxxxx@api.example/d.atom af2fd2c69b15ef9f01cbb7a7399e3b2b"
		if err := remover.w[0].Put(ctx, []byte(round33Key), []byte(`{"v":1,"etag":"round 33"}`)); err != nil {
			t.Fatal(err)
		}
		st, deleted := openStateDeletingFirst(t, tp, func() error { return remover.Delete(ctx, url) })
		store := st.NewStore(time.Minute)
		if err := store.Load(ctx, 0); err != nil { // writes nothing: the key alone is not old
			t.Fatal(err)
		}
		// The sweep read the list before `feeds remove` took the feed out of it.
		if _, err := store.DropOrphans(ctx, 0, []string{url}, time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := deleted(); err != nil {
			t.Fatal(err)
		}
		wantDeleted(t, ctx, remover, store, url)
	})
}

// wantDeleted checks that url's state is nowhere: not in feed_state under any key, not in a
// store restored from it, not in the store that moved it.
func wantDeleted(t *testing.T, ctx context.Context, st *FeedState, moved *Store, url string) {
	t.Helper()
	if live := liveKeys(t, st); len(live) > 0 {
		for k, v := range live {
			t.Errorf("feed_state after the delete holds %q: %s", k, v)
		}
	}
	if got, err := restoredStore(t, ctx, st, 1).LoadFeedState(url); err != nil || got != nil {
		t.Errorf("a fetcher restoring after the delete gives the feed %s (%v), want none", got, err)
	}
	if got, err := moved.LoadFeedState(url); err != nil || got != nil {
		t.Errorf("the fetcher that moved the key gives the feed %s (%v), want none", got, err)
	}
}
