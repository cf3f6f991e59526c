package feedtopics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A token given as a feed URL's user name (https://TOKEN@host/feed: GitHub, GitLab and many
// APIs take one so) is as secret as a password, but round 32 keyed only a password's URL by
// the redacted URL and a hash: the token stayed in feed_state's keys for ever. It is keyed as
// a password is (xxxxx@ and the hash); a state an earlier release keyed by the URL with its
// token is moved to the new key on restore, by round 32's move; a password URL's key keeps
// round 32's hash, its query token said as xxxxx since round 34. On a real broker.
func TestAFeedStateKeyDoesNotSayATokenGivenAsTheUserName(t *testing.T) {
	const token = "ghp_T0KEN1234567890"
	old, fresh := "https://"+token+"@old.example/feed.atom", "https://"+token+"@fresh.example/feed.atom"
	password := "https://alice:s3cret@members.example/rss?token=T0KEN"
	const passwordKey = "https://alice:xxxxx@members.example/rss?token=T0KEN 2c91b332497af313b248823b9c0618a0" // round 32's
	if got, want := StateKey(password), strings.Replace(passwordKey, "token=T0KEN", "token=xxxxx", 1); got != want {
		t.Errorf("StateKey of a password URL = %q, want round 32's %q with its token redacted", got, passwordKey)
	}
	if k := StateKey(fresh); strings.Contains(k, token) || !strings.HasPrefix(k, "https://xxxxx@fresh.example/feed.atom ") {
		t.Errorf("StateKey(%s) = %q, want xxxxx@ and a hash", record.RedactURL(fresh), k)
	}

	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, 3, 1, 1)
	st := openState(t, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	raw := st.t.NewWriter() // as the earlier releases wrote them
	defer raw.Close()
	if err := raw.Put(ctx, []byte(old), []byte(`{"v":1,"etag":"old"}`)); err != nil {
		t.Fatal(err)
	}
	for url, v := range map[string]string{fresh: `{"v":1,"etag":"fresh"}`, password: `{"v":1,"etag":"password"}`} {
		if err := st.Save(ctx, url, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}

	store := restoredStore(t, ctx, st, 3)
	want := map[string]string{old: `{"v":1,"etag":"old"}`, fresh: `{"v":1,"etag":"fresh"}`, password: `{"v":1,"etag":"password"}`}
	wantStates(t, store, want, "restored")
	live := liveKeys(t, st)
	for k, v := range live {
		if strings.Contains(k, token) || strings.Contains(string(v), token) {
			t.Errorf("after the restore feed_state still says the token: %q = %s", k, v)
		}
	}
	wantUnderStateKeys(t, live, want)
	wantStateKeysOnTheirFeedsPartitions(t, cn, tp, st, old)
}

// Two feeds never share a feed_state key (one's state would overwrite the other's: missed
// stories): not two tokens for one URL, not a token and a password, not a user name that is
// xxxxx itself; and no key StateKey writes is taken for an old one to move again.
func TestFeedsWithUserinfoNeverShareAStateKey(t *testing.T) {
	urls := []string{
		"https://a@h.example/f", "https://b@h.example/f", "https://a:p@h.example/f", "https://a:@h.example/f",
		"https://xxxxx@h.example/f", "https://a:xxxxx@h.example/f", "https://h.example/f", "https://a@h.example/f?token=T",
		"https://a@h.example/f?token=U", "https://a%20b@h.example/f", "https://a@[::1]:8080/f",
		"https://b:@h.example/f", "https://h.example/f?token=T", "https://h.example/f?token=U", "https://h.example/f?token=xxxxx",
		"https://h.example/f?token=T&q=a b", "https://a:p@h.example/f?token=T",
	}
	seen := map[string]string{}
	for _, u := range urls {
		k := StateKey(u)
		if other, ok := seen[k]; ok {
			t.Errorf("%q and %q share the state key %q", u, other, k)
		}
		seen[k] = u
		if isOldKey(k) {
			t.Errorf("StateKey(%q) = %q is taken for an old key", u, k)
		}
	}
}

// isOldKey reports whether a feed_state key is one an earlier release wrote that says a
// secret (oldKeyMove): a restore would move it.
func isOldKey(k string) bool {
	_, ok := oldKeyMove(k)
	return ok
}
