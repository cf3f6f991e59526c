package feedtopics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
)

// A write of feed_state that fails names the key it could not write (kafkatable's "write
// key %q"), and the error is logged. Round 33's key of a token given as the user name with an
// empty password (https://TOKEN:@host/feed, keyed TOKEN:xxxxx@ and a hash) reads as a user
// name and a redacted password, so record.RedactURL kept the token, and the sweep's drop of
// such an orphan did not redact its error at all. The errors of the sweep's drop and move and
// of Delete name a key as the sweep's log line does (saidKeys). On a real broker.
func TestAFailedWriteOfFeedStateNeverSaysRound33sTokenKey(t *testing.T) {
	const token = "sk_live_T0KEN9"
	u := "https://" + token + ":@h.example/feed"
	r33 := round33Key(u, StateKey(u))
	if !strings.Contains(r33, token) {
		t.Fatalf("round 33's key %q does not say the token: the test tests nothing", r33)
	}
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 1, 1, 1)
	st, refuse := openRefusingState(t, cn, tp)
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	raw := st.t.NewWriter() // as round 33 wrote it
	defer raw.Close()
	if err := raw.Write(ctx, kafkatable.Entry{Key: []byte(r33), Value: []byte(`{"v":1}`)},
		kafkatable.Entry{Key: []byte("https://z.example/rss"), Value: []byte(`{"v":1}`)}); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour) // every state read is old enough to drop
	errs := map[string]error{}
	for what, listed := range map[string][]string{"the sweep's drop of the orphan": nil, "the sweep's move of the listed feed's old key": {u}} {
		store := restoredStore(t, ctx, st, 1)
		refuse.Store(-1)
		_, errs[what] = store.DropOrphans(ctx, 0, listed, later)
		refuse.Store(0)
	}
	refuse.Store(-1)
	errs["Delete"] = st.Delete(ctx, u, "https://z.example/rss")
	refuse.Store(0)
	for what, err := range errs {
		if err == nil {
			t.Errorf("%s: no error with every write refused", what)
			continue
		}
		if strings.Contains(err.Error(), token) {
			t.Errorf("%s: the error says the token: %v", what, err)
		}
	}
}
