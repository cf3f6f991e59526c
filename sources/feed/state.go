package feed

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// StateStore persists each feed's HTTP validators and schedule as opaque
// bytes. The pipeline's state store (pipeline/state.Store) implements it;
// tests use a map. A save gives up when ctx ends: the feed's loop saves
// under its own context, and under what is left of the drain once that
// ended.
type StateStore interface {
	LoadFeedState(url string) ([]byte, error) // nil, nil when none
	SaveFeedState(ctx context.Context, url string, data []byte) error
}

// laterStateStore is a StateStore that can keep, instead of a saved
// state's bytes, the function that encodes them again
// (pipeline/state.Store): the loop holds the state decoded anyway.
type laterStateStore interface {
	SaveFeedStateLater(ctx context.Context, url string, data []byte, again func() ([]byte, error)) error
}

// keyedStateStore is a StateStore that keys each feed's state by record.FeedKey and keeps
// the keys it computed (feedtopics.Store): the poller keys feed_status records by the same
// key, through that memo, so a URL with a secret is hashed once per process, not once per
// memo.
type keyedStateStore interface {
	FeedKeys() *record.FeedKeys
}

// ErrFeedMoved is what a StateStore's save returns, wrapped, for a feed
// that is no longer this instance's to save: its partition moved to another
// fetcher in a rebalance, and that one polls it again from the last saved
// state. It is expected at every rebalance, not a failure of the store.
var ErrFeedMoved = errors.New("moved to another fetcher")

// stateVersion is bumped on an incompatible change to feedState; an old
// blob is then ignored (the feed is simply fetched unconditionally once).
const stateVersion = 1

// feedState is what one feed's loop remembers between polls and restarts.
// It is a value: a poll works on a copy and the loop adopts it only once
// the batch it produced has been acked (or nothing needed delivering).
// The copy shares the maps and slices until the poll changes one in place,
// which it does only after clone: a saved state's are never written
// again, so the store may encode it again later (laterStateStore).
type feedState struct {
	V int `json:"v"`

	// Delivery progress: only advanced once the pipeline acked the batch.
	FetchURL     string `json:"fetch_url,omitempty"` // set after a permanent redirect
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	DistrustETag bool   `json:"distrust_etag,omitempty"` // the server reused an ETag for a different body
	BodyHash     string `json:"body_sha256,omitempty"`
	// BodyAt is when the last body came (a 2xx read, changed or not): a
	// poll revalidateAfter after it goes without validators.
	BodyAt time.Time `json:"body_at,omitempty"`
	Seen   seenList  `json:"seen,omitempty"` // item key hash → content hash, items (and rejected entries) of the last document
	// Memo holds, for the items of Seen, what else tells them apart.
	Memo memoList `json:"memo,omitzero"`
	// Gone holds the items documents before the last one showed and it
	// did not, as [key, content hash], most recently shown first, at most
	// twice as many as Seen (carryGone): known, not new, should they
	// return.
	Gone goneList `json:"gone,omitempty"`
	// Horizon is the oldest date (an item's later of published and
	// updated, Unix seconds) among the dated items of the last polled
	// document; 0 when none was dated. A pushed entry the state does not
	// know and dated before it is not delivered (diff: "stale").
	Horizon int64 `json:"h,omitempty"`
	// SeenAt is when Seen was read: an item new to the next document
	// appeared after it. While the feed's dates are not trusted, Arrived
	// holds that time once for every such item (the feed's publish rate as
	// wirestream saw it, not as the feed dated it).
	SeenAt  time.Time   `json:"seen_at,omitempty"`
	Arrived []time.Time `json:"arrived,omitempty"`

	// WebSub discovery: the hubs and self URL the feed announced last.
	Links Links `json:"links,omitempty"`

	// Schedule and health: always adopted.
	Recent      recentList    `json:"recent,omitzero"`       // trusted publish times of the last document's newest items
	DistrustAt  time.Time     `json:"distrust_at,omitempty"` // last time the feed's dates were caught out: untrusted for rateWindow
	Warnings    []string      `json:"warnings,omitempty"`    // see record.FeedStatus
	DocHint     time.Duration `json:"doc_hint,omitempty"`    // max(ttl, sy:updatePeriod)
	CacheFor    time.Duration `json:"cache_for,omitempty"`
	Undated     time.Duration `json:"undated,omitempty"` // adaptive interval for feeds without dates
	NextPoll    time.Time     `json:"next_poll"`
	LastAttempt time.Time     `json:"last_attempt"`
	LastSuccess time.Time     `json:"last_success,omitempty"`
	Failures    int           `json:"failures,omitempty"`
	Health      record.Health `json:"health,omitempty"`
	ErrClass    string        `json:"err_class,omitempty"`
	Err         string        `json:"err,omitempty"`
	HTTPStatus  int           `json:"http_status,omitempty"`

	// What the last delivered feed_status said, to send only changes.
	SentHealth   record.Health `json:"sent_health,omitempty"`
	SentClass    string        `json:"sent_class,omitempty"`
	SentWarnings []string      `json:"sent_warnings,omitempty"`
	SentAt       time.Time     `json:"sent_at,omitempty"`
}

func decodeState(data []byte) (feedState, error) {
	var st feedState
	if len(data) == 0 {
		return feedState{V: stateVersion}, nil
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return feedState{V: stateVersion}, fmt.Errorf("decode feed state: %w", err)
	}
	if st.V != stateVersion {
		return feedState{V: stateVersion}, nil
	}
	return st, nil
}

// rollback returns s with the delivery progress of old: used when a batch
// failed or was never acked, so the items it carried will be fetched again.
func (s feedState) rollback(old feedState) feedState {
	s.FetchURL = old.FetchURL
	s.ETag, s.LastModified, s.DistrustETag = old.ETag, old.LastModified, old.DistrustETag
	s.BodyHash, s.BodyAt = old.BodyHash, old.BodyAt
	s.Seen, s.Memo, s.Gone, s.SeenAt, s.Arrived, s.Horizon = old.Seen, old.Memo, old.Gone, old.SeenAt, old.Arrived, old.Horizon
	s.SentHealth, s.SentClass, s.SentWarnings, s.SentAt = old.SentHealth, old.SentClass, old.SentWarnings, old.SentAt
	return s
}

// readAt is when the feed's document was last read as st holds it (a
// body, a 304, an identical body): the new items of the next read
// appeared since, so a pace measures them over the time from here, not
// from LastAttempt, which a failed poll moves too. SeenAt, or
// LastSuccess for a state that read no body yet.
func (s *feedState) readAt() time.Time {
	if !s.SeenAt.IsZero() {
		return s.SeenAt
	}
	return s.LastSuccess
}

// checked notes that the feed still held what Seen holds at now (a 304,
// an identical body): what is new next appeared after now.
func (s *feedState) checked(now time.Time) {
	if !s.SeenAt.IsZero() {
		s.SeenAt = now
	}
}

func (s feedState) clone() feedState {
	s.Seen = slices.Clone(s.Seen)
	s.Memo = s.Memo.clone()
	s.Gone = slices.Clone(s.Gone)
	s.Links.Hubs = slices.Clone(s.Links.Hubs)
	s.Arrived = slices.Clone(s.Arrived)
	s.Warnings = slices.Clone(s.Warnings)
	return s
}

// itemKey identifies an item within its feed: a hash of its identity.
func itemKey(it *record.Item) uint64 { return shortHash64(identity(it)) }

// contentHash changes when the item is revised.
func contentHash(it *record.Item) uint64 {
	return shortHash64(it.Title, it.Link, it.Description, it.Content, it.UpdatedRaw)
}

// memo is what the loop remembers of an item of the last document beside
// its content hash: hashes of its link and of its text, so that the same
// item under a new GUID is recognised, and when it was first read, since
// a publish date after that is not a publish date. Hashes are 64-bit
// FNV-1a (0: no link, no text): within one feed's few hundred items a
// collision is out of reach, and they keep the memo small — it is held
// for every item of every feed.
type memo struct {
	Link  uint64 `json:"l,omitempty"`
	Text  uint64 `json:"t,omitempty"`
	First int64  `json:"f,omitempty"` // Unix seconds
	// Updated is the version's own updated date (Atom's <updated>, a
	// JSON Feed's date_modified), Unix seconds, when it has one: a pushed
	// version older than this one is a hub's late retry or a replay, not
	// a revision (diff).
	Updated int64 `json:"u,omitempty"`
}

// carryGone is what a poll remembers of the items it no longer shows:
// those of the last document (oldSeen) that this one (cur) does not
// carry, then those of oldGone it does not carry either, at most twice
// as many as cur holds — a flip's other feed, and what fell off each
// feed since. A URL that serves two feeds in turn (a load balancer with
// one backend misrouted, a CDN whose origins disagree), or a feed that
// drops an item and shows it again, is not new on every poll:
// remembering only the last document, each flip delivered every item
// again and took them for missed items ("every item is new"), polling the
// feed at the floor. An item is kept as its key and content hash alone
// (no memo): the state grows by some 40 bytes an item.
func carryGone(oldSeen seenList, oldGone goneList, cur seenList) goneList {
	room := 2 * len(cur)
	var out goneList
	// The last document's order is not kept: one order, by key.
	for _, e := range oldSeen {
		if len(out) == room {
			return out
		}
		if !cur.has(e.Key) {
			out = append(out, [2]uint64{e.Key, e.Val})
		}
	}
	for _, g := range oldGone {
		if len(out) == room {
			return out
		}
		if !cur.has(g[0]) && !oldSeen.has(g[0]) {
			out = append(out, g)
		}
	}
	return out
}

// newMemo describes it, first read at first.
func newMemo(it *record.Item, first int64) memo {
	m := memo{First: first}
	if it.UpdatedParsed != nil && it.UpdatedParsed.Unix() > 0 {
		m.Updated = it.UpdatedParsed.Unix()
	}
	if it.Link != "" {
		m.Link = hash64(it.Link)
	}
	if it.Title != "" || it.Description != "" || it.Content != "" {
		m.Text = hash64(it.Title, it.Description, it.Content)
	}
	return m
}

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return max(h.Sum64(), 1) // 0 means none
}

func shortHash(parts ...string) string { return formatHash(shortHash64(parts...)) }

// shortHash64 is shortHash's hash as a number (seenList).
func shortHash64(parts ...string) uint64 {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hashOf(h.Sum(nil))
}

func bodyHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
