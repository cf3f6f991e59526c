//go:build unix

package feedtopics

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/sources/feed"
)

// fetchers stands in for the fetcher role: members of one group on the feeds topic that
// remember what each owns.
type fetchers struct {
	mu    sync.Mutex
	owned map[string][]int // member → partitions
	gen   map[string]int32
}

func (f *fetchers) handler(name string) kafkagroup.Handler {
	return kafkagroup.Handler{Assigned: func(_ context.Context, a kafkagroup.Assignment) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var all []int
		for topic := range a.Owned {
			all = append(all, a.Partitions(topic)...)
		}
		f.owned[name], f.gen[name] = all, a.Generation
	}}
}

// split reports whether the members own every one of n partitions, each once, in one generation.
func (f *fetchers) split(n int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	var all []int
	var gen int32 = -1
	for m, ps := range f.owned {
		if gen >= 0 && f.gen[m] != gen || len(ps) == 0 {
			return false
		}
		gen = f.gen[m]
		all = append(all, ps...)
	}
	slices.Sort(all)
	return len(all) == n && len(slices.Compact(all)) == n
}

// On three brokers with replication factor 3 and min.insync.replicas=2, the feed list, the
// feed state and the fetchers' group all keep working while one broker is dead.
func TestFeedTopicsAndFetcherGroupSurviveABrokerOfThree(t *testing.T) {
	c := kafkatest.StartCluster(t, 3)
	cn := connect(t, c.Brokers)
	tp := testTopics(t, cn, 6, 3, 2)
	f := openFeeds(t, cn, tp)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	if _, err := f.Push(ctx, specs(60, "x"), false); err != nil {
		t.Fatal(err)
	}
	fs := &fetchers{owned: map[string][]int{}, gen: map[string]int32{}}
	for _, name := range []string{"fetcher-a", "fetcher-b"} {
		m, err := kafkagroup.New(kafkagroup.Config{Group: tp.Prefix + "fetchers", Topics: []string{tp.Feeds()}, Instance: name},
			cn, testLog(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		mctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- m.Run(mctx, fs.handler(name)) }()
		t.Cleanup(func() {
			stop()
			if err := <-done; err != nil {
				t.Errorf("%s: %v", name, err)
			}
		})
	}
	waitUntil(t, ctx, "the fetchers split the feeds topic", func() bool { return fs.split(6) })

	victim := c.Partitions(t, tp.Feeds())[0].Leader.ID
	killed := time.Now()
	c.KillNode(t, victim)

	// With one broker dead: acks=all writes of the list and the state go through, the list
	// and any partition's state read back whole, and the group still covers every partition.
	more := append(specs(60, "x"), feed.Spec{URL: "https://after-the-kill.example/rss"})
	if ch, err := f.Push(ctx, more, false); err != nil || len(ch.Added) != 1 {
		t.Fatalf("push with a broker down: %v, %v", ch, err)
	}
	for _, s := range more {
		if err := st.Save(ctx, s.URL, fmt.Appendf(nil, `{"etag":%q}`, s.URL)); err != nil {
			t.Fatalf("save state with a broker down: %v", err)
		}
	}
	listed, bad, err := f.List(ctx)
	if err != nil || len(listed) != 61 || len(bad) != 0 {
		t.Fatalf("list with a broker down: %d feeds, %v, %v", len(listed), bad, err)
	}
	store := st.NewStore(30 * time.Second)
	p := st.PartitionOf(more[60].URL)
	if err := store.Load(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, err := store.LoadFeedState(more[60].URL); err != nil || len(got) == 0 {
		t.Errorf("state restored with a broker down: %q, %v", got, err)
	}
	waitUntil(t, ctx, "the fetchers own every partition again", func() bool { return fs.split(6) })
	t.Logf("broker %d killed: writes, reads and the group carried on; group whole %v after the kill",
		victim, time.Since(killed).Round(time.Millisecond))

	c.StartNode(t, victim)
	c.WaitInSync(t, tp.Feeds(), 2*time.Minute)
	c.WaitInSync(t, tp.State(), 2*time.Minute)
	states := 0
	for p := range st.t.Partitions() {
		m, _, err := st.Load(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		states += len(m)
	}
	if states != 61 {
		t.Errorf("%d feed states after the broker came back, want 61", states)
	}
}

func waitUntil(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if ctx.Err() != nil {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
