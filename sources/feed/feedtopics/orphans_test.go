package feedtopics

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/sources/feed"
)

// A poll state whose feed is no longer in the list stayed in feed_state for good: `feeds
// remove`/`push` tombstone it, but not when the tombstone failed (StateLeftError), when a
// poll in flight saved it once more after the removal, or an older release kept it. A fetcher that gains a partition (at start, in a rebalance) now drops
// the states its load read whose feed the partition's list does not hold, once they have
// not been written for OrphanStateAge: a state just written for a feed being added
// (FeedList.CarryState writes it before the list entry) is not one. It logs them and counts
// them (Assigner.Orphans). On a real broker.
func TestAFeedsStateLeftBehindIsDroppedWhenAFetcherGainsItsPartition(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	f, st := openFeeds(t, cn, tp), openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	listed := []feed.Spec{{URL: "https://kept.example/rss"}, {URL: "https://alice:s3cret@kept.example/members"}}
	gone := []string{"https://gone.example/rss", "https://bob:hunter2@gone.example/members", "https://gone.example/atom?access_token=t0ps3cret"}
	listWithPollStates(t, ctx, f, st, listed...)
	// An entry that is no valid feed: not polled, but listed; fixed, it resumes from its state.
	broken := "https://broken.example/rss"
	if err := f.w.Put(ctx, []byte(broken), []byte("garbage")); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, broken, []byte(`{"v":1,"etag":"b"}`)); err != nil {
		t.Fatal(err)
	}
	for _, u := range gone {
		if err := st.Save(ctx, u, []byte(`{"v":1,"etag":"left"}`)); err != nil {
			t.Fatal(err)
		}
	}

	// gain runs a fetcher of its own group (so it gains every partition) until each
	// partition was swept, with the assigner's clock at now, and hands its store to check.
	gain := func(run string, now time.Time, orphans prometheus.Counter, log *slog.Logger, check func(*Store)) {
		t.Helper()
		m, err := kafkagroup.New(kafkagroup.Config{Group: tp.Prefix + run, Topics: []string{f.Topic()}, Instance: run},
			connect(t, brokers(t)), testLog(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		store := st.NewStore(10 * time.Second)
		a := NewAssigner(f, store, m, log)
		a.Orphans = orphans
		a.now = func() time.Time { return now }
		swept := make(chan int, 2)
		a.swept = func(p int) { swept <- p }
		actx, stop := context.WithCancel(ctx)
		ch, err := a.Assign(actx, nil)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for range ch {
			}
		}()
		defer stop()
		for range f.Partitions() {
			select {
			case <-swept:
			case <-ctx.Done():
				t.Fatalf("%s: not every partition swept before the test's deadline", run)
			}
		}
		check(store)
	}
	stateOf := func(url string) []byte { return pollStateOf(t, ctx, st, url) }

	// Just written: within OrphanStateAge, kept (a feed being added may come with it).
	orphans := prometheus.NewCounter(prometheus.CounterOpts{Name: "orphans"})
	gain("fresh", time.Now(), orphans, testLog(t), func(*Store) {})
	for _, u := range gone {
		if stateOf(u) == nil {
			t.Errorf("the state of %s, written just now, was dropped: want it kept for %v", u, OrphanStateAge)
		}
	}
	if n := testutil.ToFloat64(orphans); n != 0 {
		t.Errorf("%v orphans counted, want 0", n)
	}

	// Unwritten for longer than OrphanStateAge: dropped, the listed feeds' kept.
	var logs testkit.LockedBuffer
	gain("later", time.Now().Add(OrphanStateAge+time.Hour), orphans, slog.New(slog.NewJSONHandler(&logs, nil)), func(store *Store) {
		for _, u := range gone { // a feed added again while the fetcher owns p must not get it back
			if got, err := store.LoadFeedState(u); err != nil || got != nil {
				t.Errorf("the store still holds %s's state: %s (%v)", u, got, err)
			}
		}
	})
	for _, u := range gone {
		if got := stateOf(u); got != nil {
			t.Errorf("the state of %s, whose feed is not listed, is still in feed_state: %s", u, got)
		}
	}
	for _, u := range []string{listed[0].URL, listed[1].URL, broken} {
		if stateOf(u) == nil {
			t.Errorf("the state of listed %s was dropped", u)
		}
	}
	if n := testutil.ToFloat64(orphans); n != float64(len(gone)) {
		t.Errorf("%v orphans counted, want %d", n, len(gone))
	}
	out := logs.String()
	if n := strings.Count(out, "feed state: dropped the poll state of feeds no longer in the list"); n == 0 {
		t.Errorf("no log line says the states were dropped:\n%s", out)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "s3cret") || strings.Contains(out, "t0ps3cret") {
		t.Errorf("a log line says a password or a token:\n%s", out)
	}
}

// A state written again between the load and the sweep is judged by that write, not by the
// record the load read: a fold's carried state (FeedList.CarryState) for a URL that had an
// old state left behind, its list entry not yet read, was tombstoned as a day unwritten
// though it had just been written, which OrphanStateAge is there to spare. On a real broker.
func TestAStateWrittenAfterTheLoadIsJudgedByThatWrite(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	f, st := openFeeds(t, cn, tp), openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	carried := "https://carried.example/rss"
	if err := st.Save(ctx, carried, []byte(`{"v":1,"etag":"left"}`)); err != nil {
		t.Fatal(err)
	}
	m, err := kafkagroup.New(kafkagroup.Config{Group: tp.Prefix + "g", Topics: []string{f.Topic()}, Instance: "g"},
		connect(t, brokers(t)), testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAssigner(f, st.NewStore(10*time.Second), m, testLog(t))
	var cutoff time.Time // between the two records' times, which Kafka keeps in ms
	a.loaded = func(int) {
		time.Sleep(5 * time.Millisecond)
		cutoff = time.Now()
		time.Sleep(5 * time.Millisecond)
		if err := st.Save(ctx, carried, []byte(`{"v":1,"etag":"carried"}`)); err != nil {
			t.Error(err)
		}
	}
	a.now = func() time.Time { return cutoff.Add(OrphanStateAge) } // called after loaded, on its goroutine
	swept := make(chan int, 1)
	a.swept = func(p int) { swept <- p }
	actx, stop := context.WithCancel(ctx)
	defer stop()
	ch, err := a.Assign(actx, nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range ch {
		}
	}()
	select {
	case <-swept:
	case <-ctx.Done():
		t.Fatal("the partition was not swept before the test's deadline")
	}
	if got := pollStateOf(t, ctx, st, carried); string(got) != `{"v":1,"etag":"carried"}` {
		t.Errorf("the state written after the load: %q in feed_state, want it kept", got)
	}
}
