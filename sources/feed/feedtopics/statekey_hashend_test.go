package feedtopics

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A URL without a secret that ends in a space and 32 hex digits (a search query) was its own
// feed_state key before round 37, which reads as an account's key; since round 37 it is keyed
// with a space after it (record.FeedKey). The state an earlier release kept under the URL was
// not found under the new key, so the feed's first poll after the upgrade went without its
// validators, and the sweep dropped the state a day later. Only the feed's URL tells that key
// is old (its key alone reads as an account's), as for round 33's TOKEN:xxxxx@ key: the store
// gives the feed that state from the restore on, the sweep moves it to the new key, and
// removing the feed tombstones the old key too. On a real broker.
func TestTheStateOfAURLEndingInAHashIsMovedToItsRound37Key(t *testing.T) {
	const url = "https://search.example/rss?q=wirestream 0123456789abcdef0123456789abcdef"
	if k := StateKey(url); k != url+" " {
		t.Fatalf("StateKey(%q) = %q, want the URL and a space", url, k)
	}
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 2, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := st.PartitionOf(url)
	want := map[string]string{url: `{"v":1,"etag":"before round 37"}`}
	if err := st.w[p].Put(ctx, []byte(url), []byte(want[url])); err != nil {
		t.Fatal(err)
	}

	store := restoredStore(t, ctx, st, 2)
	wantStates(t, store, want, "restored")
	if dropped, err := store.DropOrphans(ctx, p, []string{url}, time.Now().Add(time.Hour)); err != nil || len(dropped) > 0 {
		t.Errorf("sweep: dropped %q (%v), want nothing: the state is a listed feed's", dropped, err)
	}
	wantStates(t, store, want, "swept")
	live := liveKeys(t, st)
	if v, ok := live[url]; ok {
		t.Errorf("after the sweep the key before round 37 still holds %s", v)
	}
	wantUnderStateKeys(t, live, want)
	wantStates(t, restoredStore(t, ctx, st, 2), want, "restored again,")

	// Removed before any sweep moved it: both keys tombstoned.
	if err := st.w[p].Put(ctx, []byte(url), []byte(want[url])); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, url); err != nil {
		t.Fatal(err)
	}
	if live := liveKeys(t, st); len(live) != 0 {
		t.Errorf("feed_state after the delete of %s: %d keys live", record.RedactURL(url), len(live))
	}
}
