package feedtopics

import (
	"context"
	"testing"
	"time"
)

// A feed given a token as its user name with an empty password (https://TOKEN:@host) has two
// keys once round 34 saved its state: the StateKey, and round 33's TOKEN:xxxxx@ key, which a
// round-33 fetcher writes again when the partition goes back to it (a rolling upgrade, a
// rollback). The later of the two is the feed's state, as a restore folds every other old
// key (read: the later record wins); the store and the sweep's move took the StateKey's,
// the older, and tombstoned the later. On a real broker.
func TestTheLaterOfRound33sTokenKeyAndTheStateKeyWins(t *testing.T) {
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const older, later = `{"v":1,"etag":"round 34's, older"}`, `{"v":1,"etag":"round 33's, later"}`
	u := "https://S3CRET-L:@api.example/l.atom"
	p := st.PartitionOf(u)
	if err := st.w[p].Put(ctx, []byte(StateKey(u)), []byte(older)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // the two records' times, in ms, apart
	if err := st.w[p].Put(ctx, []byte(round33Key(u, StateKey(u))), []byte(later)); err != nil {
		t.Fatal(err)
	}
	store := restoredStore(t, ctx, st, 1)
	if got, err := store.LoadFeedState(u); err != nil || string(got) != later {
		t.Errorf("restored state: %s (%v), want the later %s", got, err, later)
	}
	if _, err := store.DropOrphans(ctx, p, []string{u}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := store.LoadFeedState(u); err != nil || string(got) != later {
		t.Errorf("state after the sweep: %s (%v), want the later %s", got, err, later)
	}
	live := liveKeys(t, st)
	if got := live[StateKey(u)]; string(got) != later {
		t.Errorf("feed_state under the StateKey after the sweep: %s, want the later %s", got, later)
	}
	if len(live) != 1 {
		t.Errorf("feed_state after the sweep holds %d keys, want the StateKey alone", len(live))
	}
}
