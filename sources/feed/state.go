package feed

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// StateStore persists each feed's HTTP validators and schedule as opaque
// bytes. The pipeline's bbolt store implements it; tests use a map.
type StateStore interface {
	LoadFeedState(url string) ([]byte, error) // nil, nil when none
	SaveFeedState(url string, data []byte) error
}

// stateVersion is bumped on an incompatible change to feedState; an old
// blob is then ignored (the feed is simply fetched unconditionally once).
const stateVersion = 1

// feedState is what one feed's loop remembers between polls and restarts.
// It is a value: a poll works on a copy and the loop adopts it only once
// the batch it produced has been acked (or nothing needed delivering).
type feedState struct {
	V int `json:"v"`

	// Delivery progress: only advanced once the pipeline acked the batch.
	FetchURL     string            `json:"fetch_url,omitempty"` // set after a permanent redirect
	ETag         string            `json:"etag,omitempty"`
	LastModified string            `json:"last_modified,omitempty"`
	DistrustETag bool              `json:"distrust_etag,omitempty"` // the server reused an ETag for a different body
	BodyHash     string            `json:"body_sha256,omitempty"`
	Seen         map[string]string `json:"seen,omitempty"` // item key hash → content hash, items of the last document

	// WebSub discovery: the hubs and self URL the feed announced last.
	Links Links `json:"links,omitempty"`

	// Schedule and health: always adopted.
	Recent      []time.Time   `json:"recent,omitempty"`   // publish times of the last document's newest items
	DocHint     time.Duration `json:"doc_hint,omitempty"` // max(ttl, sy:updatePeriod)
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
	SentHealth record.Health `json:"sent_health,omitempty"`
	SentClass  string        `json:"sent_class,omitempty"`
	SentAt     time.Time     `json:"sent_at,omitempty"`
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

func (s feedState) encode() ([]byte, error) {
	s.V = stateVersion
	return json.Marshal(s)
}

// rollback returns s with the delivery progress of old: used when a batch
// failed or was never acked, so the items it carried will be fetched again.
func (s feedState) rollback(old feedState) feedState {
	s.FetchURL = old.FetchURL
	s.ETag, s.LastModified, s.DistrustETag = old.ETag, old.LastModified, old.DistrustETag
	s.BodyHash = old.BodyHash
	s.Seen = old.Seen
	s.SentHealth, s.SentClass, s.SentAt = old.SentHealth, old.SentClass, old.SentAt
	return s
}

func (s feedState) clone() feedState {
	s.Seen = maps.Clone(s.Seen)
	s.Links.Hubs = slices.Clone(s.Links.Hubs)
	s.Recent = append([]time.Time(nil), s.Recent...)
	return s
}

// itemKey identifies an item within its feed: GUID, else link, else title.
func itemKey(it *record.Item) string {
	k := it.GUID
	if k == "" {
		k = it.Link
	}
	if k == "" {
		k = it.Title + "\x00" + it.PublishedRaw
	}
	return shortHash(k)
}

// contentHash changes when the item is revised.
func contentHash(it *record.Item) string {
	return shortHash(it.Title, it.Link, it.Description, it.Content, it.UpdatedRaw)
}

func shortHash(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func bodyHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
