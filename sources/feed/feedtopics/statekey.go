package feedtopics

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// StateKey is the feed_state key of a feed's poll state. A URL without userinfo is its own
// key. A URL with a password (https://user:secret@host/feed) or a token as its user name
// (https://TOKEN@host/feed) is keyed by the URL with its userinfo as logs say it
// (record.RedactUserinfo: user:xxxxx@, xxxxx@) and a hash of the whole URL, after a space (no
// URL holds one): the redacted part says whose state it is, the hash keeps two passwords for
// one URL apart, and the secret is not in a compacted topic's keys for ever. The query is
// left as written (logs say its token parameters as xxxxx): keys already written by it stay.
//
// The hash cannot be keyed: every fetcher and `feeds push`/`remove` must compute it, and the
// one thing they all share is the URL itself (a key kept in Kafka would be read by whoever
// reads feed_state). So it is slow instead: PBKDF2-SHA256, stateKeyRounds rounds, salted by
// the redacted URL — a guess at the password costs that much, and a table of guesses serves
// one URL. A short or common password can still be guessed by whoever reads feed_state: keep
// feed tokens long and random, or send them in a header (${VAR}) instead of the URL.
func StateKey(u string) string {
	redacted := record.RedactUserinfo(u)
	if redacted == u { // no userinfo (hasUserinfo, without redacting twice)
		return u
	}
	sum, err := pbkdf2.Key(sha256.New, u, []byte("wirestream feed_state\x00"+redacted), stateKeyRounds, 16)
	if err != nil { // only for a key length FIPS mode refuses; 16 bytes is not one
		panic(err)
	}
	return redacted + " " + hex.EncodeToString(sum)
}

// stateKeyRounds is PBKDF2's count: ≈ 1.7 ms of CPU a URL (BenchmarkStateKey), computed
// once per URL per process (FeedState caches it), for URLs with userinfo only.
const stateKeyRounds = 10_000

// hasUserinfo reports whether u is a URL with userinfo, a password or a user name (a token),
// whose StateKey is not u itself.
func hasUserinfo(u string) bool { return record.RedactUserinfo(u) != u }

// isOldKey reports whether a feed_state key is one an earlier release wrote: a URL with its
// password (before round 32) or its user name alone (before round 33). A StateKey is a
// redacted URL, a space and the hash; a URL may hold spaces too (in its path or query), so
// what tells them apart is the part before the last space: a StateKey's userinfo is
// redacted (xxxxx), an old key's is not.
func isOldKey(k string) bool {
	if i := strings.LastIndex(k, " "); i >= 0 {
		k = k[:i]
	}
	return hasUserinfo(k)
}
