package feedtopics

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
)

// A feed taken out of the list takes its poll state with it: Remove and Push tombstoned the
// feeds topic's entry but left the feed's validators, seen items and schedule in the
// compacted feed_state topic for ever — and a feed added again later under that URL picked
// up that stale state, errors and backoff included. Removed under another spelling of its
// request (as Remove takes it), or pushed out of the list, the state is gone from what a
// fetcher loads; a feed still listed keeps its own. On a real broker.
func TestRemovingAFeedRemovesItsPollState(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 3, 1, 1)
	f := openFeeds(t, cn, tp)
	st, err := OpenState(context.Background(), cn, tp, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	f.CarryState(st) // as OpenFeedList does; f.Close closes st
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, b, c := feed.Spec{URL: "https://a.example/rss"}, feed.Spec{URL: "https://b.example/rss"}, feed.Spec{URL: "https://c.example/rss"}
	listWithPollStates(t, ctx, f, st, a, b, c)
	stateOf := func(url string) []byte { return pollStateOf(t, ctx, st, url) }

	if ch, _, err := f.Remove(ctx, "https://A.example:443/rss"); err != nil || ch != Removed {
		t.Fatalf("remove a: %v, %v", ch, err)
	}
	if s := stateOf(a.URL); s != nil {
		t.Errorf("feed_state still holds the removed feed's poll state %s", s)
	}
	if ch, err := f.Push(ctx, []feed.Spec{b}, false); err != nil || len(ch.Removed) != 1 {
		t.Fatalf("push b alone: %v, %v", ch, err)
	}
	if s := stateOf(c.URL); s != nil {
		t.Errorf("feed_state still holds the poll state %s of a feed pushed out of the list", s)
	}
	if s := stateOf(b.URL); s == nil {
		t.Errorf("the feed still listed lost its poll state")
	}
}

// A feed removed and added again while a fetcher owns its partition starts afresh there too:
// the fetcher's store kept the state it had loaded or saved, and the catch-up on the partition
// leaves a state the store holds alone (the fetcher's own saves are the latest), so the feed
// came back with its old validators, failures and backoff though feed_state no longer had
// them. On a real broker.
func TestAFeedRemovedAndAddedAgainOnARunningFetcherStartsAfresh(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	f := openFeeds(t, cn, tp)
	st := openState(t, cn, tp)
	admin := openFeeds(t, cn, tp)
	carried, err := OpenState(context.Background(), cn, tp, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	admin.CarryState(carried) // as feeds remove and add have it; admin.Close closes it
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	x, y := feed.Spec{URL: "https://x.example/rss"}, feed.Spec{URL: "https://y.example/rss"}
	if _, err := admin.Push(ctx, []feed.Spec{x, y}, false); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, x.URL, []byte(`{"v":1,"failures":7}`)); err != nil {
		t.Fatal(err)
	}
	a := startFetcher(t, "a", tp.Prefix+"fetchers", f, st)
	polledOnce(t, []string{x.URL, y.URL}, a)
	if got, _ := a.store.LoadFeedState(x.URL); got == nil {
		t.Fatalf("the fetcher polls x without its state")
	}

	if _, _, err := admin.Remove(ctx, x.URL); err != nil {
		t.Fatal(err)
	}
	polledOnce(t, []string{y.URL}, a)
	if _, _, _, err := admin.Add(ctx, x); err != nil {
		t.Fatal(err)
	}
	polledOnce(t, []string{x.URL, y.URL}, a)
	if got, err := a.store.LoadFeedState(x.URL); got != nil || err != nil {
		t.Errorf("x, removed and added again, is polled with the state it had: %s (%v)", got, err)
	}
}

// A fetcher that takes a partition reads the feed list's history, where a feed removed and
// added again still shows its tombstone until compaction drops it (never, in the active
// segment). That replayed removal is not a removal now: the feed's state in feed_state,
// saved since it came back, is its own, and the fetcher starts it from there. The assigner
// forgets a state on each removal Follow reports; this holds because Follow folds the
// history it restores into the list as it is, and reports only the removals after it. On a
// real broker.
func TestAFeedAddedAgainKeepsTheStateSavedSinceWhenAFetcherStarts(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	f := openFeeds(t, cn, tp)
	st := openState(t, cn, tp)
	admin := openFeeds(t, cn, tp)
	carried, err := OpenState(context.Background(), cn, tp, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	admin.CarryState(carried) // as feeds remove and add have it; admin.Close closes it
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	x := feed.Spec{URL: "https://x.example/rss"}
	if _, _, _, err := admin.Add(ctx, x); err != nil {
		t.Fatal(err)
	}
	if _, _, err := admin.Remove(ctx, x.URL); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := admin.Add(ctx, x); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, x.URL, []byte(`{"v":1,"etag":"since"}`)); err != nil {
		t.Fatal(err)
	}

	a := startFetcher(t, "a", tp.Prefix+"fetchers", f, st)
	polledOnce(t, []string{x.URL}, a)
	if got, err := a.store.LoadFeedState(x.URL); got == nil || err != nil {
		t.Errorf("x, added again, is polled without the state saved since: %s (%v)", got, err)
	}
}

// listWithPollStates pushes specs as the whole feed list and saves a poll state for each:
// where the tests of what taking a feed out does to its state start.
func listWithPollStates(t *testing.T, ctx context.Context, f *FeedList, st *FeedState, specs ...feed.Spec) {
	t.Helper()
	if _, err := f.Push(ctx, specs, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if err := st.Save(ctx, s.URL, []byte(`{"v":1,"etag":"x"}`)); err != nil {
			t.Fatal(err)
		}
	}
}

// pollStateOf is the poll state feed_state holds for url now, read from its partition
// (nil when there is none).
func pollStateOf(t *testing.T, ctx context.Context, st *FeedState, url string) []byte {
	t.Helper()
	m, _, err := st.Load(ctx, st.PartitionOf(url))
	if err != nil {
		t.Fatal(err)
	}
	return m[StateKey(url)]
}
