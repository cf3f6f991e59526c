package feedtopics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"

	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// refusingWrites refuses the next `refuse` produce requests (all of them while it is -1) as
// the broker refuses a principal whose ACLs do not cover the topic: an error no retry of the
// write's own mends.
type refusingWrites struct {
	next   kafka.RoundTripper
	refuse *atomic.Int64
}

func (r refusingWrites) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	if _, ok := req.(*produceAPI.Request); ok {
		if n := r.refuse.Load(); n < 0 || (n > 0 && r.refuse.CompareAndSwap(n, n-1)) {
			return nil, kafka.TopicAuthorizationFailed
		}
	}
	return r.next.RoundTrip(ctx, addr, req)
}

// openRefusingState opens tp's feed_state with refusingWrites in its transport: refuse says
// how many produce requests it refuses next (0 at first).
func openRefusingState(t *testing.T, cn wkafka.Conn, tp Topics) (*FeedState, *atomic.Int64) {
	t.Helper()
	refuse := new(atomic.Int64)
	st, err := openStateWith(context.Background(), cn, tp, kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return refusingWrites{next: next, refuse: refuse}
	}}, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	return st, refuse
}

// A feed's poll state whose tombstone fails after `feeds remove` or `feeds push` took the
// feed out of the list was left in feed_state, and nothing tried again: push again found
// nothing to change, remove again "not in the list". The tombstone is now tried again
// (bounded), and when it still fails the error names each feed, redacted, says the state is
// left and how to drop it — `feeds remove` of a URL the list no longer holds drops its
// state. On a real broker.
func TestAPollStateTombstoneThatFailsIsTriedAgainOrReported(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	st, refuse := openRefusingState(t, cn, tp)
	f := openFeeds(t, cn, tp)
	f.CarryState(st) // f.Close closes st
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := feed.Spec{URL: "https://reader:s3cret@a.example/rss"}
	b := feed.Spec{URL: "https://reader:s3cret@b.example/rss"}
	c := feed.Spec{URL: "https://c.example/rss"}
	listWithPollStates(t, ctx, f, st, a, b, c)
	stateOf := func(url string) []byte { return pollStateOf(t, ctx, st, url) }

	// One refusal: the tombstone is tried again and lands.
	refuse.Store(1)
	if ch, _, err := f.Remove(ctx, a.URL); err != nil || ch != Removed {
		t.Fatalf("remove a, its tombstone refused once: %v, %v", ch, err)
	}
	if s := stateOf(a.URL); s != nil {
		t.Errorf("a's poll state is still there after a refusal the retry should have outlasted: %s", s)
	}

	// Refused every time: reported, the feed named without its password, the way out said.
	refuse.Store(-1)
	_, _, err := f.Remove(ctx, b.URL)
	var left *StateLeftError
	if !errors.As(err, &left) {
		t.Fatalf("remove b with every tombstone refused: %v, want a StateLeftError", err)
	}
	msg := err.Error()
	for _, want := range []string{"reader:xxxxx@b.example", "after 3 tries", "feeds remove --kafka --missing-ok", tp.State()} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "s3cret") {
		t.Errorf("the error says the password: %s", msg)
	}
	_, err = f.Push(ctx, nil, false) // c out of the list
	if !errors.As(err, &left) || !strings.Contains(err.Error(), "c.example") {
		t.Fatalf("push c out with every tombstone refused: %v, want a StateLeftError naming c", err)
	}
	refuse.Store(0)
	if stateOf(b.URL) == nil || stateOf(c.URL) == nil {
		t.Fatalf("the refused tombstones landed anyway")
	}

	// The way out: remove again, the list no longer holding the feeds.
	for _, url := range []string{b.URL, c.URL} {
		if ch, _, err := f.Remove(ctx, url); err != nil || ch != Unchanged {
			t.Errorf("remove again: %v, %v; want unchanged (the list no longer holds it)", ch, err)
		}
		if s := stateOf(url); s != nil {
			t.Errorf("the poll state left is still there after a remove again: %s", s)
		}
	}
}

// A partition with more old keys than one produce batch holds (kafkatable's BatchSize, 250
// entries) is moved in several batches: the new keys first, then the tombstones of the old.
// When the first batch is refused, no later one may land: before, kafka-go's writer sent the
// next batch anyway, and the old keys were tombstoned while their states were never written
// under the new ones — a fetcher that restored the partition then found no state for them.
// On a real broker.
func TestAMoveOfOldKeysCutShortTombstonesNoStateNotYetWrittenUnderItsNewKey(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	st, refuse := openRefusingState(t, cn, tp)
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const feeds = 200       // 400 entries: two batches
	raw := st.t.NewWriter() // as the earlier release wrote them: the URL as the key
	defer raw.Close()
	var old []kafkatable.Entry
	for i := range feeds {
		old = append(old, kafkatable.Entry{Key: []byte(fmt.Sprintf("https://reader:s3cret@f%03d.example/rss", i)), Value: []byte(`{"v":1}`)})
	}
	if err := raw.Write(ctx, old...); err != nil {
		t.Fatal(err)
	}

	refuse.Store(1) // the move's first batch
	if err := st.NewStore(time.Minute).Load(ctx, 0); err != nil {
		t.Fatal(err)
	}
	refuse.Store(0)
	restored, _, err := st.Load(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, e := range old {
		if restored[StateKey(string(e.Key))] == nil {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d feeds' poll state gone after a move whose first batch was refused", lost, feeds)
	}
}
