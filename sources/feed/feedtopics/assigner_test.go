package feedtopics

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/sources/feed"
)

// fetcher runs one Assigner as the poller would and keeps its latest assignment.
type fetcher struct {
	name   string
	store  *Store
	stop   context.CancelFunc
	closed chan struct{}
	mu     sync.Mutex
	latest []string
}

func startFetcher(t *testing.T, name, group string, f *FeedList, st *FeedState) *fetcher {
	t.Helper()
	m, err := kafkagroup.New(kafkagroup.Config{Group: group, Topics: []string{f.Topic()}, Instance: name},
		connect(t, brokers(t)), testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	fe := &fetcher{name: name, store: st.NewStore(10 * time.Second), closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	fe.stop = cancel
	ch, err := NewAssigner(f, fe.store, m, testLog(t)).Assign(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(fe.closed)
		for specs := range ch {
			urls := make([]string, len(specs))
			for i, s := range specs {
				urls[i] = s.URL
			}
			fe.mu.Lock()
			fe.latest = urls
			fe.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-fe.closed:
		case <-time.After(time.Minute):
			t.Errorf("%s: the assignment channel was not closed a minute after its context ended", name)
		}
	})
	return fe
}

func (fe *fetcher) feeds() []string {
	fe.mu.Lock()
	defer fe.mu.Unlock()
	return slices.Clone(fe.latest)
}

// polledOnce waits until the fetchers' assignments are disjoint, non-empty, and together
// exactly want.
func polledOnce(t *testing.T, want []string, fetchers ...*fetcher) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var all []string
		empty := false
		for _, fe := range fetchers {
			got := fe.feeds()
			empty = empty || len(got) == 0
			all = append(all, got...)
		}
		slices.Sort(all)
		if !empty && slices.Equal(all, want) {
			return
		}
		if time.Now().After(deadline) {
			for _, fe := range fetchers {
				t.Logf("%s polls %d feeds: %v", fe.name, len(fe.feeds()), fe.feeds())
			}
			t.Fatalf("the fetchers never polled each of the %d feeds exactly once", len(want))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAssignersSplitTheFeedListAndBringEachFeedsState(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 6, 1, 1)
	f := openFeeds(t, cn, tp)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	all := specs(40, "x")
	if _, err := f.Push(ctx, all, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if err := st.Save(ctx, s.URL, []byte("state of "+s.URL)); err != nil {
			t.Fatal(err)
		}
	}
	group := tp.Prefix + "fetchers"
	a := startFetcher(t, "a", group, f, st)
	b := startFetcher(t, "b", group, f, st)
	want := urls(all)
	polledOnce(t, want, a, b)

	// Every feed a fetcher was handed has its state there already.
	for _, fe := range []*fetcher{a, b} {
		for _, u := range fe.feeds() {
			if got, err := fe.store.LoadFeedState(u); err != nil || string(got) != "state of "+u {
				t.Errorf("%s polls %s with state %q (%v)", fe.name, u, got, err)
			}
		}
	}

	// The list changes while they run.
	added := feed.Spec{URL: "https://added-later.example/rss"}
	if _, _, _, err := f.Add(ctx, added); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Remove(ctx, all[0].URL); err != nil {
		t.Fatal(err)
	}
	want = append(slices.Clone(want[1:]), added.URL)
	slices.Sort(want)
	polledOnce(t, want, a, b)

	// b leaves: a polls everything, and b's channel closes after an empty assignment.
	b.stop()
	select {
	case <-b.closed:
	case <-ctx.Done():
		t.Fatal("b's assignment channel did not close")
	}
	if got := b.feeds(); len(got) != 0 {
		t.Errorf("b's last assignment after leaving: %d feeds", len(got))
	}
	polledOnce(t, want, a)
	for _, u := range a.feeds() {
		if u == added.URL {
			continue
		}
		if got, _ := a.store.LoadFeedState(u); string(got) != "state of "+u {
			t.Errorf("after b left, a polls %s with state %q", u, got)
		}
	}
	t.Logf("a polls all %d feeds after b left", len(a.feeds()))
}

// A `feeds push` that folds a spelling while a fetcher is taking the kept URL's partition on —
// after its state was loaded, before the feed list was read to its end — writes the kept URL's
// state after the load and its list entry before the read ends. The fetcher still polls the feed
// with that state: it catches up on the partition once the list is read (review21, F6: the
// catch-up ran only for feeds added after that, so the feed was polled once without its
// validators, as if new).
func TestAFoldPushedWhileAPartitionLoadsBringsItsState(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	f := openFeeds(t, cn, tp)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := f.Push(ctx, specs(4, "x"), false); err != nil {
		t.Fatal(err)
	}
	kept := feed.Spec{URL: "https://folded.example/rss"}
	state := []byte(`{"v":1,"etag":"\"v7\""}`)
	m, err := kafkagroup.New(kafkagroup.Config{Group: tp.Prefix + "fetchers", Topics: []string{f.Topic()}, Instance: "a"},
		connect(t, brokers(t)), testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	store := st.NewStore(10 * time.Second)
	a := NewAssigner(f, store, m, testLog(t))
	var once sync.Once
	a.loaded = func(p int) {
		if p != st.PartitionOf(kept.URL) {
			return
		}
		once.Do(func() {
			// What the fold's push writes: the kept URL's state, then its list entry.
			if err := st.Save(ctx, kept.URL, state); err != nil {
				t.Error(err)
			}
			if _, _, _, err := f.Add(ctx, kept); err != nil {
				t.Error(err)
			}
		})
	}
	actx, stop := context.WithCancel(ctx)
	ch, err := a.Assign(actx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		stop()
		for range ch {
		}
	}()
	for specs := range ch {
		if slices.ContainsFunc(specs, func(s feed.Spec) bool { return s.URL == kept.URL }) {
			break
		}
	}
	if got, err := store.LoadFeedState(kept.URL); err != nil || string(got) != string(state) {
		t.Errorf("the fetcher polls %s with state %q (%v), want the state the fold carried: %q", kept.URL, got, err, state)
	}
}
