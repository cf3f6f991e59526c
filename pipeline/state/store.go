// Package state owns wirestream's durable memory: the stories already
// published (so a restart does not re-emit them), the aliases that find a
// story by GUID, canonical URL or body hash, the near-duplicate
// fingerprint index, and each feed's opaque poll state (HTTP validators,
// schedule).
//
// It promises three things. Each part has one writer, and writes only
// what Kafka already holds: the story memory (stories, aliases,
// fingerprints) is written only by the pipeline through Apply, one
// atomic, fsynced transaction per acknowledged batch, so after a crash
// the store holds exactly the batches whose Apply returned — never part
// of one; a feed's poll state is written only by that feed's own loop in
// the source, through SaveFeedState, after the pipeline acked the batch
// it delivered (record.Batch.Ack). Pruning only removes. Everything is
// bounded: seen entries expire after a TTL, fingerprints
// after the dedupe window, and a max-entries cap evicts the oldest first.
// And the Store interface is small, so a Kafka-compacted-topic
// implementation can replace bbolt when several instances share work.
package state

import (
	"time"
)

// Store is the durable state the pipeline needs. Implementations are safe
// for concurrent use.
type Store interface {
	// Story returns the entry stored under key (a story id, or a
	// duplicate's key; see DuplicateKey), ok=false when absent.
	Story(key string) (Seen, bool, error)
	// Alias returns the story id an alias key (see GUIDAlias, URLAlias,
	// BodyAlias) points to, ok=false when absent.
	Alias(key string) (string, bool, error)
	// Fingerprints calls fn for every fingerprint whose story was first
	// seen at or after since, oldest first: the near-duplicate index is
	// rebuilt in memory from it at start.
	Fingerprints(since time.Time, fn func(Fingerprint) error) error
	// Apply writes one acknowledged batch's changes atomically and
	// durably. Only the pipeline calls it.
	Apply(c Changes) error
	// LoadFeedState returns a feed's opaque poll state, nil when none.
	LoadFeedState(url string) ([]byte, error)
	// SaveFeedState stores a feed's opaque poll state. Only the feed's
	// own loop calls it, after its batch was acked.
	SaveFeedState(url string, data []byte) error
	// Prune drops expired entries and enforces the size cap.
	Prune(now time.Time) (PruneStats, error)
	// Close flushes and releases the store.
	Close() error
}

// Seen is what the store remembers of one published story, or of one copy
// published as a duplicate (DuplicateOf set).
type Seen struct {
	ID           string    `json:"id"`
	Version      int       `json:"v,omitempty"`
	ContentHash  string    `json:"ch,omitempty"`
	FeedURL      string    `json:"feed,omitempty"`
	CanonicalURL string    `json:"url,omitempty"`
	GUIDKey      string    `json:"guid,omitempty"`
	BodyHash     string    `json:"body,omitempty"`
	Fingerprint  string    `json:"fp,omitempty"` // 16 hex digits (SimHash), as published
	DuplicateOf  string    `json:"dup,omitempty"`
	FirstSeen    time.Time `json:"first"`
	LastSeen     time.Time `json:"last"`
	// Aliases are the alias keys that point at this entry, deleted with it.
	Aliases []string `json:"aliases,omitempty"`
}

// Fingerprint is one entry of the near-duplicate index: an opaque
// signature (the dedupe package's encoding) of a story first seen at
// FirstSeen.
type Fingerprint struct {
	StoryID   string
	FirstSeen time.Time
	Sig       []byte
}

// Changes is what one acknowledged batch adds to the store.
type Changes struct {
	// Key → entry, upserted. The key is Seen.ID for stories and
	// DuplicateKey(feed, id) for duplicates.
	Stories map[string]Seen
	// Alias key → story id.
	Aliases map[string]string
	// Fingerprints upserted by (StoryID, FirstSeen).
	Fingerprints []Fingerprint
}

// Empty reports whether there is nothing to write.
func (c Changes) Empty() bool {
	return len(c.Stories) == 0 && len(c.Aliases) == 0 && len(c.Fingerprints) == 0
}

// PruneStats says what a Prune removed.
type PruneStats struct {
	Stories      int // entries past their TTL
	Evicted      int // entries over the size cap, oldest first
	Fingerprints int // fingerprints past the window
}

// Alias key constructors. The prefixes keep the three kinds apart in one
// bucket.

// GUIDAlias keys a GUID within one feed: GUIDs are only promised unique
// by the feed that issued them.
func GUIDAlias(feedURL, guid string) string { return "g\x00" + feedURL + "\x00" + guid }

// GlobalGUIDAlias keys a GUID that is unique on its own (a URN, a tag: URI
// or a UUID): the same one in another feed is the same wire story.
func GlobalGUIDAlias(guid string) string { return "G\x00" + guid }

// URLAlias keys a canonical URL.
func URLAlias(canonicalURL string) string { return "u\x00" + canonicalURL }

// BodyAlias keys a normalized-body hash.
func BodyAlias(bodyHash string) string { return "b\x00" + bodyHash }

// DuplicateKey is the key under which a copy published as a duplicate is
// remembered: per feed, since the same id may be another feed's story.
func DuplicateKey(feedURL, id string) string { return "d\x00" + feedURL + "\x00" + id }
