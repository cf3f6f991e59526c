package normalize

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// idEncoding is lowercase RFC 4648 base32 without padding: case-insensitive
// systems (file names, some key-value stores) cannot fold two ids together.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// idLen is the number of base32 characters kept: 22 × 5 = 110 bits.
const idLen = 22

// StoryID returns the story's stable id, "s_" + 22 base32 characters, as
// described in the package doc: from the canonical URL when there is one,
// else from the GUID (as a URL when it is one, else namespaced by the
// feed). It returns "" when both canonicalURL and guid are empty; Normalize
// never produces such a story.
func StoryID(canonicalURL, guid, feedURL string) string {
	if key := idKey(canonicalURL, guid, feedURL); key != "" {
		return hashID(key)
	}
	return ""
}

// storyID is StoryID for Normalize, whose canonical URL is one already:
// canonicalizing it again, as StoryID does for any caller, cost a tenth
// of normalizing a headline and gives the same URL (FuzzCanonicalURL
// holds it, with extra tracking parameters too).
func storyID(canon, guid, feedURL string) string {
	if canon == "" {
		return StoryID(canon, guid, feedURL)
	}
	// The key is put together on the stack: the concatenation and its
	// []byte copy for the hash were two allocations per story.
	var buf [256]byte
	key := append(append(buf[:0], "url\x00"...), stripScheme(canon)...)
	return hashIDBytes(key)
}

func idKey(canonicalURL, guid, feedURL string) string {
	if canonicalURL = strings.TrimSpace(canonicalURL); canonicalURL != "" {
		// Callers normally pass a canonical URL already; canonicalizing
		// again is idempotent and protects the id from a caller that
		// passes a raw link.
		if c, err := CanonicalURL(canonicalURL); err == nil {
			canonicalURL = c
		}
		return "url\x00" + stripScheme(canonicalURL)
	}
	guid = strings.TrimSpace(guid)
	if guid == "" {
		return ""
	}
	if c, err := CanonicalURL(guid); err == nil {
		return "url\x00" + stripScheme(c)
	}
	feed := strings.TrimSpace(feedURL)
	if c, err := CanonicalURL(feed); err == nil {
		feed = stripScheme(c)
	}
	return "guid\x00" + feed + "\x00" + guid
}

func hashID(key string) string {
	return hashIDBytes([]byte(key))
}

// hashIDBytes is hashID of a key given as bytes.
func hashIDBytes(key []byte) string {
	sum := sha256.Sum256(key)
	// Encoded on the stack: the whole 52-character encoding and the
	// prefixed copy were two allocations per story for 22 characters.
	var id [2 + 52]byte
	id[0], id[1] = 's', '_'
	idEncoding.Encode(id[2:], sum[:])
	return string(id[:2+idLen])
}

// stripScheme drops "http://" or "https://" so both schemes share an id.
func stripScheme(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		return u[i+3:]
	}
	return u
}
