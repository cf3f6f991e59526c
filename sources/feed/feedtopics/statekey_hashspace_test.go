package feedtopics

import (
	"context"
	"testing"
	"time"
)

// A URL without a secret that ends in a hash and a space was its own key before round 37,
// and that key is today's key of the URL one space shorter (record.FeedKey adds the space):
// the key alone does not tell whose state it holds. With both feeds listed on one partition
// (a one-partition topic: every feed's), the shorter URL's state under its own key is its
// own: the longer URL neither reads it, nor moves it at the sweep, nor deletes it by a save
// or a `feeds remove` of its own. On a real broker.
func TestAURLEndingInAHashAndASpaceLeavesTheShorterURLsStateAlone(t *testing.T) {
	const short = "https://search.example/rss?q=wirestream 0123456789abcdef0123456789abcdef"
	const long = short + " "
	if StateKey(short) != long {
		t.Fatalf("StateKey(%q) = %q, want the longer URL", short, StateKey(short))
	}
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const state = `{"v":1,"etag":"the shorter URL's"}`
	if err := st.Save(ctx, short, []byte(state)); err != nil {
		t.Fatal(err)
	}

	store := restoredStore(t, ctx, st, 1)
	wantStates(t, store, map[string]string{short: state, long: ""}, "restored")
	if _, err := store.DropOrphans(ctx, 0, []string{short, long}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantStates(t, store, map[string]string{short: state, long: ""}, "swept")
	wantUnderStateKeys(t, liveKeys(t, st), map[string]string{short: state})

	if err := store.SaveFeedState(ctx, long, []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	wantStates(t, store, map[string]string{short: state}, "after the longer URL's save,")
	if err := st.Delete(ctx, long); err != nil {
		t.Fatal(err)
	}
	wantUnderStateKeys(t, liveKeys(t, st), map[string]string{short: state})
}
