package feedtopics

import (
	"net/url"

	"github.com/wirestream/wirestream/pipeline/record"
)

// StateKey is the feed_state key of a feed's poll state: record.FeedKey, the key its
// feed_status record has too. A URL without a secret is its own key; one with a secret (a
// password, a token as its user name, a secret query parameter) is keyed by the URL as logs
// say it and a slow hash of the whole URL (record.FeedKey says why and how). The hash is
// salted by the URL as rounds 32 and 33 redacted it (record.RedactUserinfo): their keys of a
// password or user-name URL are this key, and one whose query said a token is moved to it by
// its key alone (oldKeyMove).
func StateKey(u string) string { return record.FeedKey(u) }

// hasSecret reports whether u is a URL with a secret (userinfo or a secret query parameter),
// whose StateKey is not u itself.
func hasSecret(u string) bool { return record.RedactURL(u) != u }

// round33Key is the key rounds 32 and 33 wrote for u, given u's StateKey (whose hash theirs
// is): the URL with its userinfo redacted (record.RedactUserinfo) and the hash, or u itself
// without userinfo. It differs from the StateKey for a URL whose query holds a secret and for
// a token as the user name with an empty password (which those rounds said as TOKEN:xxxxx@).
// The first is moved by its key alone (oldKeyMove); the second only the feed's URL tells from
// a user name's key, so the fetcher's sweep of a partition moves it (Store.DropOrphans) and
// Delete tombstones it.
func round33Key(u, stateKey string) string {
	redacted := record.RedactUserinfo(u)
	if redacted == u {
		return u
	}
	_, hash, _ := record.CutFeedHash(stateKey) // a URL with userinfo has a secret: its StateKey has a hash
	return redacted + " " + hash
}

// oldKeyMove reports whether a feed_state key is one an earlier release wrote that says a
// secret, and the key its state moves to. Such a key is either a URL as written with a
// secret — a password (before round 32), a token as the user name (before round 33), a
// secret query parameter (before round 34) — whose new key is its StateKey; or a round-32/33
// key (its userinfo redacted, then a space and the hash) whose query says a secret, whose new
// key is that query redacted and the same hash (StateKey salts its hash as those rounds did).
// A URL may hold spaces too (in its path or query), so a key is taken for a hashed one only
// when it ends in a space and a hash and its part before says userinfo as those rounds
// redacted it (xxxxx): a current StateKey's part before is redacted whole.
func oldKeyMove(k string) (string, bool) {
	if _, _, today := record.CutAccountKey(k); today {
		return "", false // a StateKey
	}
	if said, hash, ok := record.CutFeedHash(k); ok {
		if hasRedactedUserinfo(said) {
			return record.RedactURL(said) + " " + hash, true
		}
	}
	if !hasSecret(k) {
		return "", false
	}
	return StateKey(k), true
}

// hasRedactedUserinfo reports whether u's userinfo is one rounds 32 and 33 redacted: xxxxx
// alone or a user name and the password xxxxx.
func hasRedactedUserinfo(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return false
	}
	pw, ok := p.User.Password()
	return ok && pw == "xxxxx" || !ok && p.User.Username() == "xxxxx"
}
