package feedtopics

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The sweep's log line names the orphans it dropped (saidKeys). An orphan left by round 33
// under its key of a token given as the user name with an empty password
// (https://TOKEN:@host/feed, keyed TOKEN:xxxxx@ then) is not moved, its feed no longer
// listed to tell it from a user name's key: the line said the token. It says the key's hash,
// which names the state, and not the token.
func TestTheSweepsLogLineNeverSaysRound33sTokenKey(t *testing.T) {
	const token = "sk_live_T0KEN9"
	u := "https://" + token + ":@h.example/feed?lang=en"
	k := round33Key(u, StateKey(u))
	if !strings.Contains(k, token) {
		t.Fatalf("round 33's key %q of %q does not say the token: the test tests nothing", k, u)
	}
	said := saidKeys([]string{k})[0]
	if strings.Contains(said, token) {
		t.Errorf("saidKeys says round 33's key %q as %q, the token in it", k, said)
	}
	if _, hash, _ := record.CutFeedHash(k); !strings.HasSuffix(said, " "+hash) {
		t.Errorf("saidKeys says %q as %q, without its hash", k, said)
	}
}
