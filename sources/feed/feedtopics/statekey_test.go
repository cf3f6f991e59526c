package feedtopics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// liveKeys reads the feed_state topic raw: each key's last value by partition (tombstones
// delete), as compaction will leave it.
func liveKeys(t *testing.T, st *FeedState) map[string][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := st.t.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// restoredStore is a store that has loaded all of feed_state's partitions, as a fetcher
// owning every feed does on start; the tests here restore so more than once.
func restoredStore(t *testing.T, ctx context.Context, st *FeedState, partitions int) *Store {
	t.Helper()
	store := st.NewStore(time.Minute)
	for p := range partitions {
		if err := store.Load(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

// wantStates checks that store gives each feed (url) its state want[url]; when says which
// store it is.
func wantStates(t *testing.T, store *Store, want map[string]string, when string) {
	t.Helper()
	for url, w := range want {
		if got, err := store.LoadFeedState(url); err != nil || string(got) != w {
			t.Errorf("%s state of %s: %s (%v), want %s", when, record.RedactURL(url), got, err, w)
		}
	}
}

// wantUnderStateKeys checks that feed_state's live keys hold each feed's (url) state
// want[url] under its StateKey.
func wantUnderStateKeys(t *testing.T, live map[string][]byte, want map[string]string) {
	t.Helper()
	for url, w := range want {
		if got := live[StateKey(url)]; string(got) != w {
			t.Errorf("feed_state under %q: %s, want %s", StateKey(url), got, w)
		}
	}
}

// wantStateKeysOnTheirFeedsPartitions checks that each feed's (url) StateKey is on its feed's
// partition of feed_state, where the fetcher that owns the feed looks for it.
func wantStateKeysOnTheirFeedsPartitions(t *testing.T, cn wkafka.Conn, tp Topics, st *FeedState, urls ...string) {
	t.Helper()
	where := partitionsOf(t, cn, tp.State())
	for _, url := range urls {
		if p := where[StateKey(url)]; p != st.PartitionOf(url) {
			t.Errorf("%s's key on partition %d, want its feed's %d", record.RedactURL(url), p, st.PartitionOf(url))
		}
	}
}

// A feed whose URL holds a password keeps its poll state under a key that does not say the
// password: round 31 took it out of records, record keys, feed_status and /status, but the
// compacted feed_state topic was keyed by the URL as written, for ever. The key is the URL
// redacted (user:xxxxx@) and a one-way hash of the whole URL, so two passwords for one URL
// keep two states; it lives on the feed's partition of the feeds topic; a URL without a
// password is its own key, as before. On a real broker.
func TestAFeedStateKeyDoesNotSayTheFeedURLsPassword(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 4, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	alice, bob := "https://alice:s3cret-a@members.example/rss", "https://alice:s3cret-b@members.example/rss"
	open := "https://open.example/rss"
	for url, v := range map[string]string{alice: `{"v":1,"etag":"a"}`, bob: `{"v":1,"etag":"b"}`, open: `{"v":1,"etag":"o"}`} {
		if err := st.Save(ctx, url, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	store := restoredStore(t, ctx, st, 4)
	for url, want := range map[string]string{alice: `{"v":1,"etag":"a"}`, bob: `{"v":1,"etag":"b"}`, open: `{"v":1,"etag":"o"}`} {
		if got, err := store.LoadFeedState(url); err != nil || string(got) != want {
			t.Errorf("state of %s: %s (%v), want %s", record.RedactURL(url), got, err, want)
		}
	}
	where := partitionsOf(t, cn, tp.State())
	if len(where) != 3 {
		t.Errorf("feed_state keys %v, want 3", where)
	}
	for k, p := range where {
		if strings.Contains(k, "s3cret") {
			t.Errorf("a feed_state key says the password: %q", k)
		}
		var url string
		switch {
		case k == open:
			url = open
		case !strings.HasPrefix(k, record.RedactURL(alice)+" "):
			t.Errorf("feed_state key %q is neither the open URL nor the redacted members' URL and a hash", k)
			continue
		case k == StateKey(alice):
			url = alice
		case k == StateKey(bob):
			url = bob
		default:
			t.Errorf("feed_state key %q is no StateKey of the feeds saved", k)
			continue
		}
		if want := st.PartitionOf(url); p != want {
			t.Errorf("key %q on partition %d, want its feed's %d", k, p, want)
		}
	}
	if StateKey(alice) == StateKey(bob) {
		t.Errorf("two passwords for one URL share a state key %q", StateKey(alice))
	}
	if StateKey(alice) != StateKey(alice) || StateKey(open) != open {
		t.Errorf("state keys are not stable, or a URL without a password is not its own key")
	}
}

// A deployment from before this round holds its password feeds' states under the URL as
// written. A fetcher that restores the partition reads the old key, writes the state under
// the new one and tombstones the old: no poll state lost, no key left that says the password.
// When both are there (an older fetcher saved under the old key while a newer one owned
// the partition before), the later record wins. On a real broker.
func TestAnOldPasswordKeyIsMovedToTheNewKeyOnRestore(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 3, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	old, both := "https://reader:s3cret@old.example/rss", "https://reader:s3cret@both.example/rss"
	open := "https://open.example/rss"
	// As the earlier release wrote them: the URL as the key, on its partition.
	raw := st.t.NewWriter()
	defer raw.Close()
	if err := raw.Write(ctx,
		kafkatable.Entry{Key: []byte(old), Value: []byte(`{"v":1,"etag":"old"}`)},
		kafkatable.Entry{Key: []byte(open), Value: []byte(`{"v":1,"etag":"open"}`)},
	); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, both, []byte(`{"v":1,"etag":"new key, earlier"}`)); err != nil {
		t.Fatal(err)
	}
	if err := raw.Put(ctx, []byte(both), []byte(`{"v":1,"etag":"old key, later"}`)); err != nil {
		t.Fatal(err)
	}

	store := restoredStore(t, ctx, st, 3)
	want := map[string]string{old: `{"v":1,"etag":"old"}`, both: `{"v":1,"etag":"old key, later"}`, open: `{"v":1,"etag":"open"}`}
	wantStates(t, store, want, "restored")
	live := liveKeys(t, st)
	for k := range live {
		if strings.Contains(k, "s3cret") {
			t.Errorf("after the restore feed_state still holds a key that says the password: %q", k)
		}
	}
	wantUnderStateKeys(t, live, want)
	wantStateKeysOnTheirFeedsPartitions(t, cn, tp, st, old, both)

	// A second fetcher restoring the partitions finds the same, and writes nothing more.
	again := restoredStore(t, ctx, st, 3)
	if got, _ := again.LoadFeedState(old); string(got) != `{"v":1,"etag":"old"}` {
		t.Errorf("restored again: %s", got)
	}
}

// A feed removed before any fetcher moved its state to the new key loses the state under the
// old key too: Delete tombstones both spellings of the key. On a real broker.
func TestDeletingAFeedsStateTombstonesItsOldPasswordKeyToo(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := "https://reader:s3cret@old.example/rss"
	raw := st.t.NewWriter() // as the earlier release wrote it
	defer raw.Close()
	if err := raw.Put(ctx, []byte(url), []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, url); err != nil {
		t.Fatal(err)
	}
	if live := liveKeys(t, st); len(live) != 0 {
		t.Errorf("feed_state after the delete: %v", live)
	}
}

// BenchmarkStateKey is the cost of a password URL's key (once per URL per process).
func BenchmarkStateKey(b *testing.B) {
	for b.Loop() {
		StateKey("https://reader:s3cret@members.example/rss")
	}
}

// CatchUp reads an old key and its new key as Load does, each by its own records: a move
// (the state under the new key, then the old key's tombstone) that lands after the store
// loaded the partition leaves the state under the new key. Before, CatchUp took the old
// key's tombstone for the new key's and dropped the state just moved. On a real broker.
func TestCatchUpKeepsAStateMovedToItsNewKeyAfterTheLoad(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := "https://reader:s3cret@late.example/rss"
	owner := st.NewStore(time.Minute)
	if err := owner.Load(ctx, 0); err != nil {
		t.Fatal(err)
	}
	raw := st.t.NewWriter() // an earlier release's carry-over, after the owner's load
	defer raw.Close()
	if err := raw.Put(ctx, []byte(url), []byte(`{"v":1,"etag":"late"}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.NewStore(time.Minute).Load(ctx, 0); err != nil { // another loader moves it
		t.Fatal(err)
	}
	if err := owner.CatchUp(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got, err := owner.LoadFeedState(url); err != nil || string(got) != `{"v":1,"etag":"late"}` {
		t.Errorf("state after the catch-up: %s (%v), want the state moved to its new key", got, err)
	}
}

// A feed URL may hold a space (in its path or query: feed.CheckHTTPURL takes it), so a space
// alone does not tell a StateKey from an earlier release's key: such an old key was never
// moved, its password stayed in feed_state and its state was not found under the new key.
// On a real broker.
func TestAnOldPasswordKeyWithASpaceIsMovedToo(t *testing.T) {
	if err := feed.CheckHTTPURL("https://reader:s3cret@space.example/my feed"); err != nil {
		t.Fatalf("the feed list refuses a URL with a space: %v", err)
	}
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := "https://reader:s3cret@space.example/my feed?q=a b"
	raw := st.t.NewWriter() // as the earlier release wrote it
	defer raw.Close()
	if err := raw.Put(ctx, []byte(url), []byte(`{"v":1,"etag":"spaced"}`)); err != nil {
		t.Fatal(err)
	}
	store := st.NewStore(time.Minute)
	if err := store.Load(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got, err := store.LoadFeedState(url); err != nil || string(got) != `{"v":1,"etag":"spaced"}` {
		t.Errorf("restored state: %s (%v), want the old key's", got, err)
	}
	for k := range liveKeys(t, st) {
		if strings.Contains(k, "s3cret") {
			t.Errorf("after the restore feed_state still holds a key that says the password: %q", k)
		}
	}
}

// Store lends its memo of keys to the poller (sources/feed's keyedStateStore): a fetcher
// hashes a URL with a secret once, not once for feed_state and again for feed_status.
var _ interface{ FeedKeys() *record.FeedKeys } = (*Store)(nil)
