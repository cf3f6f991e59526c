package record

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// FeedKey is the key of a feed's one record in a compacted topic: its feed_status record, and
// its poll state in the fetchers' feed_state (sources/feed/feedtopics.StateKey is this key). A
// URL without a secret is its own key (but for one that ends as a hashed key does: below). A URL with one — a password (https://user:secret@host/feed),
// a token as its user name (https://TOKEN@host/feed, https://TOKEN:@host/feed) or a secret
// query parameter (?access_token=…, RedactURL's list) — is keyed by the URL as logs say it
// (RedactURL) and a hash of the whole URL, after a space (a URL may hold one too: CutFeedHash
// tells a FeedKey by the hash that ends it): the redacted part says which feed it is, the
// hash keeps apart two feeds whose URLs differ only in their secret (two accounts of one paid
// feed, ?token=A and ?token=B), and the secret is not in a compacted topic's keys for ever.
//
// The hash cannot be keyed by a secret of wirestream's own: every fetcher, and `feeds push`
// and `remove`, must compute the same key with no setting shared but the feed list, and a key
// kept in Kafka would be read by whoever reads the topics it keys. The one secret they all
// share is the URL itself, so the hash is keyed by it: PBKDF2-SHA256 of the whole URL,
// feedKeyRounds rounds, salted by the URL as rounds 32 and 33 redacted it (RedactUserinfo; the
// salt holds the query as written, the key does not) — a guess at the secret costs that much,
// and a table of guesses serves one URL. The salt is that spelling so that a feed_state key
// those rounds wrote keeps its hash. A short or common secret can still be guessed by whoever
// reads feed_state or feed_status: keep feed tokens long and random, or send them in a header
// (${VAR}) instead of the URL.
//
// A URL without a secret that ends as an account's key does — a space and 32 hex digits, then
// spaces or none — is its own key and a space (round 37), so that no key of a URL without a
// secret reads as an account's (CutAccountKey) and each URL keeps a key of its own: one that
// ends in a hash is a URL with a secret, one that ends in a hash and n ≥ 1 spaces the URL
// without a secret ending in n-1.
func FeedKey(u string) string {
	said := RedactURL(u)
	if said == u { // no secret
		return plainKey(u)
	}
	return said + " " + feedHash(u)
}

// plainKey is the FeedKey of u, a URL without a secret: u, and a space after one that ends as
// an account's key does (FeedKey).
func plainKey(u string) string {
	if _, _, endsInHash := CutFeedHash(strings.TrimRight(u, " ")); endsInHash {
		return u + " "
	}
	return u
}

// KeyURL is the URL a FeedKey without an account names: the key, less the space FeedKey puts
// after a URL that ends as an account's key does (plainKey). Any other key is returned as it is.
func KeyURL(key string) string {
	if u, ok := strings.CutSuffix(key, " "); ok && plainKey(u) == key {
		return u
	}
	return key
}

// FeedKeys keeps the FeedKey of each URL with a secret once computed: its hash costs ≈ 1.7 ms
// of CPU, and a process asks for a feed's key again and again (feed_state's FeedState at each
// load and write, a feed's loop each time its partition comes back). Safe for concurrent use;
// the zero value is ready.
type FeedKeys struct {
	keys sync.Map // URL → FeedKey, for URLs with a secret
}

// Of is FeedKey(u), computed once per URL with a secret. The memo is asked first: a URL
// with a secret is parsed (RedactURL) only the first time, not at every look-up.
func (c *FeedKeys) Of(u string) string {
	if k, ok := c.keys.Load(u); ok {
		return k.(string)
	}
	if RedactURL(u) == u { // no secret: nothing to hash, nothing to keep
		return plainKey(u)
	}
	k := FeedKey(u)
	c.keys.Store(u, k)
	return k
}

// Len is the number of URLs with a secret whose key c holds: each was hashed once.
func (c *FeedKeys) Len() int {
	n := 0
	c.keys.Range(func(any, any) bool {
		n++
		return true
	})
	return n
}

// CutFeedHash splits a key into what comes before its last space and a hash after it (32
// lower-case hex digits, as feedHash spells it), and reports whether it ends so. A URL may hold
// a space (in its path or query), so a space alone does not make a key a FeedKey with a hash.
func CutFeedHash(k string) (string, string, bool) {
	i := strings.LastIndex(k, " ")
	if i < 0 || len(k)-i-1 != 32 {
		return "", "", false
	}
	hash := k[i+1:]
	for _, c := range hash {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", "", false
		}
	}
	return k[:i], hash, true
}

// CutAccountKey reports whether k is the FeedKey of a URL with a secret — an account's key,
// which keeps apart feeds whose URLs differ only in their secret — and returns its parts: the
// URL as logs say it (RedactURL) and the hash. A key that ends in a space and a hash after a
// part that says a secret is an earlier release's (round 32 and 33 said the query as written),
// and no key of a URL without a secret ends in a space and a hash (FeedKey), so the answer
// is the key's alone. `feeds status` (an account's line) and feed_state's move of old keys
// ask it.
func CutAccountKey(k string) (said, hash string, ok bool) {
	said, hash, ok = CutFeedHash(k)
	if !ok || RedactURL(said) != said {
		return "", "", false
	}
	return said, hash, true
}

// feedHash is the hash of a FeedKey: PBKDF2 of the whole URL, salted by the spelling rounds 32
// and 33 keyed feed_state by (RedactUserinfo), so that their keys keep their hash.
func feedHash(u string) string {
	sum, err := pbkdf2.Key(sha256.New, u, []byte("wirestream feed_state\x00"+RedactUserinfo(u)), feedKeyRounds, 16)
	if err != nil { // only for a key length FIPS mode refuses; 16 bytes is not one
		panic(err)
	}
	return hex.EncodeToString(sum)
}

// feedKeyRounds is PBKDF2's count: ≈ 1.7 ms of CPU a URL (feedtopics' BenchmarkStateKey),
// computed once per URL per process (FeedKeys), for
// URLs with a secret only.
const feedKeyRounds = 10_000

// LegacyFeedKeys are the keys earlier releases gave the feed_status records of the feeds of
// urls (the feed list's URLs, as written) that are no feed's key now: for a URL with a secret,
// the URL with its userinfo as written (before round 31 a password, before round 33 a user-name
// token), redacted as url.URL.Redacted and rounds 31–33 said it (user:xxxxx@ for any password,
// RedactUserinfo) or as RedactURL says it, each with its query as written (before round 33) and
// with its secret parameters redacted (RedactURL's spelling: round 34's key, which says no
// secret but two feeds shared). A record under such a key is never written again, and the
// compacted topic keeps it for good: a run tombstones them when it starts. A key that is a
// listed feed's FeedKey now (a URL written ?token=xxxxx) is left out. A URL without a secret
// that ends in a space and a hash was its own key before round 37, which reads as an account's
// (FeedKey): that key is one too. Sorted, no repeats.
func LegacyFeedKeys(urls ...string) []string {
	current := make(map[string]bool, len(urls))
	for _, u := range urls {
		if RedactURL(u) == u {
			current[plainKey(u)] = true // its FeedKey; a URL with a secret has a hash in its key, which no spelling below has
		}
	}
	seen := map[string]bool{}
	for _, u := range urls {
		if RedactURL(u) == u {
			if plainKey(u) != u && !current[u] {
				seen[u] = true
			}
			continue
		}
		for _, user := range []string{u, RedactUserinfo(u), redactUserinfoOnly(u)} {
			for _, k := range []string{user, redactQueryOnly(user)} {
				if !current[k] {
					seen[k] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// LegacyKeysMark names a set of legacy keys (LegacyFeedKeys: sorted) without saying them, for
// a start to mark that feed_status holds none of them: PBKDF2-SHA256 of them all, as FeedKey's
// hash is of a URL (feedKeyRounds, ≈ 1.7 ms once per start), salted by them as logs say them.
// The keys say secrets, and whoever reads the mark must not learn them; a guess must be of
// every one. "" for none.
func LegacyKeysMark(legacy []string) string {
	if len(legacy) == 0 {
		return ""
	}
	salt := "wirestream legacy feed_status keys\x00" + strings.Join(RedactURLs(legacy), "\n")
	sum, err := pbkdf2.Key(sha256.New, strings.Join(legacy, "\n"), []byte(salt), feedKeyRounds, 16)
	if err != nil { // only for a key length FIPS mode refuses; 16 bytes is not one
		panic(err)
	}
	return hex.EncodeToString(sum)
}

// redactUserinfoOnly is u with its userinfo as RedactURL says it and its query as written.
func redactUserinfoOnly(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = redactedUserinfo(p.User)
	return p.String()
}

// redactQueryOnly is u with its secret query parameters as RedactURL says them and its
// userinfo as written.
func redactQueryOnly(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q, secret := redactQuery(p.RawQuery)
	if !secret {
		return u
	}
	p.RawQuery = q
	return p.String()
}
