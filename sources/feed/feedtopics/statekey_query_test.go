package feedtopics

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A secret query parameter (?access_token=…, record.RedactURL's list) is as secret as a
// password, but rounds 32 and 33 keyed a feed's poll state by the URL with its query as
// written: the token stayed in feed_state's compacted keys for ever, and so did a token given
// as the user name with an empty password (https://TOKEN:@host, said TOKEN:xxxxx@). Such a
// feed is now keyed by the URL as logs say it and the slow hash, and every key an earlier
// release wrote for it is moved to the new key when a fetcher restores the partition, or,
// where the key alone cannot say the URL (a TOKEN:xxxxx@ key's hash), when the fetcher's
// sweep reads the partition's feed list: the poll state kept, no key left that says a
// secret. On a real broker.
func TestAFeedStateKeyDoesNotSayASecretQueryParameterOrAnEmptyPasswordsToken(t *testing.T) {
	rawQuery := "https://q.example/feed?access_token=S3CRET-A&lang=en"       // before round 34: the URL itself
	hashedQuery := "https://alice:s3cret@members.example/rss?token=S3CRET-B" // rounds 32/33: hashed, query as written
	const hashedQueryKey = "https://alice:xxxxx@members.example/rss?token=S3CRET-B d29b3a1a814cd9fa71e1529ec904feb9"
	rawEmpty := "https://S3CRET-C:@api.example/c.atom"    // before round 32: the URL itself
	hashedEmpty := "https://S3CRET-D:@api.example/d.atom" // rounds 32/33: TOKEN:xxxxx@ and the hash
	const hashedEmptyKey = "https://S3CRET-D:xxxxx@api.example/d.atom af2fd2c69b15ef9f01cbb7a7399e3b2b"
	fresh := "https://fresh.example/rss?api_key=S3CRET-E"
	open := "https://open.example/rss"

	wantKeys := map[string]string{
		rawQuery:    "https://q.example/feed?access_token=xxxxx&lang=en ",
		hashedQuery: "https://alice:xxxxx@members.example/rss?token=xxxxx ",
		rawEmpty:    "https://xxxxx@api.example/c.atom ",
		hashedEmpty: "https://xxxxx@api.example/d.atom ",
		fresh:       "https://fresh.example/rss?api_key=xxxxx ",
	}
	for url, prefix := range wantKeys {
		if k := StateKey(url); strings.Contains(k, "S3CRET") || !strings.HasPrefix(k, prefix) || len(k) != len(prefix)+32 {
			t.Errorf("StateKey(%s) = %q, want %q and a hash", record.RedactURL(url), k, prefix)
		}
	}
	if got := StateKey(hashedEmpty); !strings.HasSuffix(got, hashedEmptyKey[strings.LastIndex(hashedEmptyKey, " "):]) {
		t.Errorf("StateKey(%s) = %q: its hash is not the one round 33 wrote (%q)", record.RedactURL(hashedEmpty), got, hashedEmptyKey)
	}
	if StateKey(open) != open {
		t.Errorf("a URL without a secret is not its own key: %q", StateKey(open))
	}

	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 3, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// As the earlier releases wrote them: on the feed's partition.
	old := map[string]string{rawQuery: rawQuery, hashedQuery: hashedQueryKey, rawEmpty: rawEmpty, hashedEmpty: hashedEmptyKey, open: open}
	want := map[string]string{}
	for url, k := range old {
		want[url] = `{"v":1,"etag":"` + record.RedactURL(url) + `"}`
		if err := st.w[st.PartitionOf(url)].Put(ctx, []byte(k), []byte(want[url])); err != nil {
			t.Fatal(err)
		}
	}
	want[fresh] = `{"v":1,"etag":"fresh"}`
	if err := st.Save(ctx, fresh, []byte(want[fresh])); err != nil {
		t.Fatal(err)
	}

	store := restoredStore(t, ctx, st, 3)
	wantStates(t, store, want, "restored")
	// The sweep, as the fetcher runs it once the partition's list is read: every feed listed,
	// a cutoff that takes any state not kept for a listed feed for an orphan.
	listed := []string{rawQuery, hashedQuery, rawEmpty, hashedEmpty, fresh, open}
	for p := range 3 {
		var mine []string
		for _, u := range listed {
			if st.PartitionOf(u) == p {
				mine = append(mine, u)
			}
		}
		if dropped, err := store.DropOrphans(ctx, p, mine, time.Now().Add(time.Hour)); err != nil || len(dropped) > 0 {
			t.Errorf("sweep of partition %d: dropped %q (%v), want nothing: every state is a listed feed's", p, dropped, err)
		}
	}
	wantStates(t, store, want, "swept")
	live := liveKeys(t, st)
	for k := range live {
		if strings.Contains(k, "S3CRET") {
			t.Errorf("after the restore and the sweep feed_state still says a secret: %q", k)
		}
	}
	wantUnderStateKeys(t, live, want)
	wantStateKeysOnTheirFeedsPartitions(t, cn, tp, st, slices.Collect(maps.Keys(want))...)
	// A fetcher restoring the partitions again finds the same.
	wantStates(t, restoredStore(t, ctx, st, 3), want, "restored again,")
}

// A feed removed before any fetcher moved its state loses the state under each key an
// earlier release wrote for it too: the URL with its query token, and round 33's TOKEN:xxxxx@
// key. On a real broker.
func TestDeletingAFeedsStateTombstonesItsOldQueryTokenKeysToo(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	query, empty := "https://q.example/feed?token=S3CRET", "https://S3CRET-D:@api.example/d.atom"
	const emptyKey = "https://S3CRET-D:xxxxx@api.example/d.atom af2fd2c69b15ef9f01cbb7a7399e3b2b"
	if err := st.w[st.PartitionOf(query)].Put(ctx, []byte(query), []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.w[st.PartitionOf(empty)].Write(ctx, kafkatable.Entry{Key: []byte(emptyKey), Value: []byte(`{"v":1}`)}); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, query, empty); err != nil {
		t.Fatal(err)
	}
	if live := liveKeys(t, st); len(live) != 0 {
		t.Errorf("feed_state after the delete: %v", live)
	}
}
