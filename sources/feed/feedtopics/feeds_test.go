package feedtopics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/sources/feed"
)

func specs(n int, tag string) []feed.Spec {
	out := make([]feed.Spec, n)
	for i := range out {
		out[i] = feed.Spec{URL: fmt.Sprintf("https://feeds.example.org/%03d.xml", i), Tags: []string{tag}}
	}
	return out
}

func urls(specs []feed.Spec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.URL
	}
	return out
}

func TestPushMakesTheTopicMatchTheConfigExactly(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 4, 1, 1)
	f := openFeeds(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	first := specs(30, "world")
	ch, err := f.Push(ctx, first, false)
	if err != nil || len(ch.Added) != 30 || ch.Unchanged != 0 {
		t.Fatalf("first push: %+v, %v", ch, err)
	}
	// The next config: 5 feeds gone, 5 retagged, 3 new.
	next := slices.Clone(first[5:])
	for i := range 5 {
		next[i].Tags = []string{"europe"}
	}
	next = append(next, feed.Spec{URL: "https://new.example/1.xml"}, feed.Spec{URL: "https://new.example/2.xml"},
		feed.Spec{URL: "https://new.example/3.xml", Name: "Three", MinInterval: 2 * time.Minute})

	dry, err := f.Push(ctx, next, true)
	if err != nil {
		t.Fatal(err)
	}
	if listed, _, _ := f.List(ctx); len(listed) != 30 {
		t.Fatalf("a dry push wrote: %d feeds listed", len(listed))
	}
	ch, err = f.Push(ctx, next, false)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ch) != fmt.Sprint(dry) || len(ch.Added) != 3 || len(ch.Updated) != 5 || len(ch.Removed) != 5 || ch.Unchanged != 20 {
		t.Errorf("push: %v (dry run said %v)", ch, dry)
	}
	if !slices.Equal(ch.Removed, urls(first[:5])) {
		t.Errorf("removed %v", ch.Removed)
	}

	listed, bad, err := f.List(ctx)
	if err != nil || len(bad) > 0 {
		t.Fatalf("List: %v %v", err, bad)
	}
	want := slices.Clone(next)
	slices.SortFunc(want, func(a, b feed.Spec) int { return strings.Compare(a.URL, b.URL) })
	if fmt.Sprint(listed) != fmt.Sprint(want) {
		t.Errorf("listed\n%v\nwant\n%v", listed, want)
	}
	if ch, err := f.Push(ctx, next, false); err != nil || !ch.Empty() || ch.Unchanged != 28 {
		t.Errorf("pushing the same list again: %v, %v", ch, err)
	}
}

func TestAddRemoveAndListOneFeed(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 3, 1, 1)
	f := openFeeds(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := feed.Spec{URL: "https://a.example/rss", Tags: []string{"x"}}
	// Other spellings of a's request: host case, default port, fragment.
	upper := feed.Spec{URL: "https://A.example:443/rss#top", Tags: []string{"z"}}
	type result struct {
		change Change
		urls   string // the URLs it names: listed under, or removed
	}
	add := func(s feed.Spec) func() (result, error) {
		return func() (result, error) {
			ch, listed, folded, err := f.Add(ctx, s)
			for _, u := range folded {
				listed += " folds " + u
			}
			return result{ch, listed}, err
		}
	}
	remove := func(url string) func() (result, error) {
		return func() (result, error) {
			ch, urls, err := f.Remove(ctx, url)
			return result{ch, strings.Join(urls, " ")}, err
		}
	}
	put := func(s feed.Spec) func() (result, error) {
		return func() (result, error) { return result{}, f.w.Put(ctx, []byte(s.URL), enc(t, s)) }
	}
	list := func() func() (result, error) {
		return func() (result, error) {
			specs, _, err := f.List(ctx)
			return result{urls: strings.Join(urls(specs), " ")}, err
		}
	}
	b := a
	b.Tags = []string{"y"}
	steps := []struct {
		name string
		do   func() (result, error)
		want result
	}{
		{"adding a new feed adds it", add(a), result{Added, a.URL}},
		{"adding it again changes nothing", add(a), result{Unchanged, a.URL}},
		{"adding it with other tags updates it", add(b), result{Updated, a.URL}},
		{"adding it under another spelling updates the listed one", add(upper), result{Updated, a.URL}},
		// Review19 3: with a second spelling in the topic (written by hand,
		// or by an older push), add updated only one entry and the feed
		// stayed listed, and polled, twice.
		{"a second spelling is written by hand", put(upper), result{}},
		{"adding it folds the other spelling into its entry", add(a), result{Updated, a.URL + " folds " + upper.URL}},
		{"the list holds it once", list(), result{urls: a.URL}},
		{"removing it under another spelling removes it", remove(upper.URL), result{Removed, a.URL}},
		{"removing it again changes nothing", remove(a.URL), result{Unchanged, ""}},
	}
	for _, s := range steps {
		got, err := s.do()
		if err != nil || got != s.want {
			t.Errorf("%s: %v, %v; want %v", s.name, got, err, s.want)
		}
	}
	if _, _, _, err := f.Add(ctx, feed.Spec{URL: "file:///etc/passwd"}); err == nil {
		t.Error("Add accepted a file: URL")
	}
	if listed, _, _ := f.List(ctx); len(listed) != 0 {
		t.Errorf("after removal the list holds %v", listed)
	}
}

func TestListReportsAValueThatIsNotAFeedAndPushRemovesIt(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	f := openFeeds(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := f.Push(ctx, specs(3, "x"), false); err != nil {
		t.Fatal(err)
	}
	// Someone wrote the topic by hand (kcat) with something else.
	if err := f.w.Put(ctx, []byte("https://hand.example/rss"), []byte(`{"url":"https://hand.example/rss"}`)); err != nil {
		t.Fatal(err)
	}
	listed, bad, err := f.List(ctx)
	if err != nil || len(listed) != 3 || len(bad) != 1 || !strings.Contains(bad[0].Error(), "hand.example") {
		t.Fatalf("List = %d feeds, %v, %v", len(listed), bad, err)
	}
	t.Logf("bad entry reads: %v", bad[0])
	ch, err := f.Push(ctx, specs(3, "x"), false)
	if err != nil || !slices.Equal(ch.Removed, []string{"https://hand.example/rss"}) {
		t.Errorf("push: %v, %v", ch, err)
	}
}

func TestFollowHandsOverAPartitionsFeedsThenEveryChange(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	f := openFeeds(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	all := specs(20, "x")
	if _, err := f.Push(ctx, all, false); err != nil {
		t.Fatal(err)
	}
	gone := all[0]
	if _, _, err := f.Remove(ctx, gone.URL); err != nil { // history the follower must not replay
		t.Fatal(err)
	}
	p := f.PartitionOf(all[1].URL)
	var wantNow []string
	for _, s := range all[1:] {
		if f.PartitionOf(s.URL) == p {
			wantNow = append(wantNow, s.URL)
		}
	}

	var (
		mu      sync.Mutex
		got     []string
		caught  = make(chan []string, 1)
		fctx, c = context.WithCancel(ctx)
	)
	done := make(chan error, 1)
	go func() {
		done <- f.Follow(fctx, p, func(u Update) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case u.Spec != nil:
				got = append(got, "+"+u.URL)
			case u.Err != nil:
				got = append(got, "!"+u.URL)
			default:
				got = append(got, "-"+u.URL)
			}
		}, func() {
			mu.Lock()
			defer mu.Unlock()
			caught <- slices.Clone(got)
		}, nil)
	}()
	var before []string
	select {
	case before = <-caught:
	case <-ctx.Done():
		t.Fatal("Follow did not catch up")
	}
	for i, u := range wantNow {
		wantNow[i] = "+" + u
	}
	if !slices.Equal(before, wantNow) {
		t.Errorf("at catch-up: %v, want %v", before, wantNow)
	}

	// Changes after catching up arrive one by one; other partitions' do not.
	w := feed.Spec{URL: all[1].URL, Tags: []string{"changed"}}
	if _, _, _, err := f.Add(ctx, w); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Remove(ctx, all[1].URL); err != nil {
		t.Fatal(err)
	}
	if err := f.w.Put(ctx, []byte(all[1].URL), []byte("garbage")); err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(wantNow), "+"+all[1].URL, "-"+all[1].URL, "!"+all[1].URL)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= len(want) || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	c()
	<-done
	if !slices.Equal(got, want) {
		t.Errorf("followed %v\nwant %v", got, want)
	}
}

func TestFeedsAndTheirStateShareAPartitionNumber(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 7, 1, 1)
	f := openFeeds(t, cn, tp)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	all := specs(200, "x")
	if _, err := f.Push(ctx, all, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if err := st.Save(ctx, s.URL, []byte(`{"v":1}`)); err != nil {
			t.Fatal(err)
		}
		if f.PartitionOf(s.URL) != st.PartitionOf(s.URL) || f.PartitionOf(s.URL) != kafkatable.PartitionOf([]byte(s.URL), 7) {
			t.Fatalf("%s: partition functions disagree", s.URL)
		}
	}
	feeds, states := partitionsOf(t, cn, tp.Feeds()), partitionsOf(t, cn, tp.State())
	used := map[int]bool{}
	for _, s := range all {
		if feeds[s.URL] != states[s.URL] {
			t.Errorf("%s: feed on partition %d, its state on %d", s.URL, feeds[s.URL], states[s.URL])
		}
		used[feeds[s.URL]] = true
	}
	if len(used) != 7 {
		t.Errorf("200 feeds used %d of 7 partitions", len(used))
	}
}

func TestStoreServesTheStateOfOwnedPartitionsOnly(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 3, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := "https://a.example/rss"
	p := st.PartitionOf(a)
	if err := st.Save(ctx, a, []byte("old")); err != nil {
		t.Fatal(err)
	}

	store := st.NewStore(10 * time.Second)
	if _, err := store.LoadFeedState(a); err == nil {
		t.Error("the state of a partition that is not loaded was served")
	}
	if err := store.SaveFeedState(ctx, a, []byte("x")); err == nil {
		t.Error("a save for a partition the fetcher does not own was accepted")
	}
	if err := store.Load(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, err := store.LoadFeedState(a); err != nil || string(got) != "old" {
		t.Errorf("LoadFeedState = %q, %v", got, err)
	}
	fresh := ""
	for i := 0; fresh == ""; i++ {
		if u := fmt.Sprintf("https://never-polled.example/%d", i); st.PartitionOf(u) == p {
			fresh = u
		}
	}
	if got, err := store.LoadFeedState(fresh); err != nil || got != nil {
		t.Errorf("a feed of a loaded partition without state: %q, %v; want nil, nil", got, err)
	}
	if err := store.SaveFeedState(ctx, a, []byte("new")); err != nil {
		t.Fatal(err)
	}
	// Another fetcher that gains the partition sees the saved state.
	other := st.NewStore(10 * time.Second)
	if err := other.Load(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := other.LoadFeedState(a); string(got) != "new" {
		t.Errorf("the next owner loads %q", got)
	}
	store.Drop(p)
	if err := store.SaveFeedState(ctx, a, []byte("stale")); err == nil || !strings.Contains(err.Error(), "moved") {
		t.Errorf("a save after the partition moved: %v", err)
	}
	if err := st.Delete(ctx, a); err != nil {
		t.Fatal(err)
	}
	states, _, err := st.Load(ctx, p)
	if err != nil || len(states) != 0 {
		t.Errorf("after Delete: %v, %v", states, err)
	}
}

func TestOpenStateRefusesTopicsWithDifferentPartitionCounts(t *testing.T) {
	cn := connect(t, brokers(t))
	// A feed_state made by hand with another count, under a prefix of its own.
	other := Topics{Prefix: uniquePrefix(t, cn), Partitions: 3, ReplicationFactor: 1}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := kafkatable.Ensure(ctx, cn, []kafkatable.Spec{
		{Topic: other.Feeds(), Partitions: 3, ReplicationFactor: 1},
		{Topic: other.State(), Partitions: 4, ReplicationFactor: 1},
	}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := OpenState(ctx, cn, other, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "same count") {
		t.Fatalf("OpenState = %v, want a co-partitioning error", err)
	}
	t.Logf("refusal reads: %v", err)
	if err := Ensure(ctx, cn, other, nil); err == nil {
		t.Error("Ensure accepted a feed_state with another partition count")
	}
}
