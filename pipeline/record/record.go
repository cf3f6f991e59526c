// Package record defines wirestream's vocabulary: the raw Item a source
// yields, the Batch it hands the pipeline with the Ack that answers it,
// and the records the pipeline publishes (story, duplicate, event, alert,
// feed_status, dead_letter). Every record serialises to one JSON object
// with a "type" and an "id"; the JSON Schema in schema/ documents it.
// Shared pieces live here once: NewDeadLetter, the one constructor of
// dead letters and their ids, and Truncate, the one UTF-8-safe cut.
//
// Sources, pipeline stages and sinks all import this package and nothing
// upstream of themselves, so the flow stays one-way:
// sources → pipeline → sinks.
package record

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

// SchemaVersion is the version of the JSON record schema. It is sent as a
// Kafka header and bumped on any incompatible change to a record's fields.
const SchemaVersion = "1"

// Type names a kind of record. It is the "type" field of every record and
// selects the Kafka topic.
type Type string

const (
	TypeStory      Type = "story"
	TypeDuplicate  Type = "duplicate"
	TypeEvent      Type = "event"
	TypeAlert      Type = "alert"
	TypeFeedStatus Type = "feed_status"
	TypeDeadLetter Type = "dead_letter"
)

// Types lists every record type, in the order topics are provisioned.
var Types = []Type{TypeStory, TypeDuplicate, TypeEvent, TypeAlert, TypeFeedStatus, TypeDeadLetter}

// Record is anything the pipeline hands to a sink.
type Record interface {
	// RecordType selects the topic.
	RecordType() Type
	// RecordKey is the Kafka message key: it decides the partition, so all
	// records with one key stay in order, and compaction keeps the last.
	RecordKey() string
	// RecordID is unique per record (not per story): consumers and compacted
	// topics use it to drop copies that a producer retry wrote twice.
	RecordID() string
	// SourceFeed is the feed the record came from, or "" if none.
	SourceFeed() string
}

// FeedRef names the feed a story or duplicate was read from.
type FeedRef struct {
	URL   string   `json:"url"`
	Title string   `json:"title,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	// Site is the site a feed on another domain than its own declares it
	// serves — its channel link (Atom's alternate link, JSON Feed's
	// home_page_url) — when every item of the document links to that
	// site's registrable domain (sources/feed), as a site's feed on a
	// feed host or a CDN does; "" otherwise. Dedupe counts it as the
	// URL's site, below a feed on the URL's own domain.
	Site string `json:"site,omitempty"`
}

// Media is an image, video or audio attachment (media:content, enclosure,
// media:thumbnail, JSON Feed attachment).
type Media struct {
	URL      string `json:"url"`
	Type     string `json:"type,omitempty"`   // MIME type when given
	Medium   string `json:"medium,omitempty"` // image, video, audio
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	Title    string `json:"title,omitempty"`
	Thumb    bool   `json:"thumbnail,omitempty"` // came from media:thumbnail
	Length   int64  `json:"length,omitempty"`
	Credit   string `json:"credit,omitempty"`
	Captions string `json:"caption,omitempty"`
}

// Entity is a person, organization or place named in a story, normalized
// so every surface form ("Keir Starmer", "Starmer", "Prime Minister Keir
// Starmer") maps to one Key.
type Entity struct {
	Key      string `json:"key"`           // stable normalized id, e.g. "person:keir_starmer", "place:gb"
	Name     string `json:"name"`          // canonical display name
	Kind     string `json:"kind"`          // person, organization, place
	ISO      string `json:"iso,omitempty"` // ISO 3166-1 alpha-2 for countries
	Mentions int    `json:"mentions"`      // occurrences in title+body
	InTitle  bool   `json:"in_title,omitempty"`
}

// Topic is a top-level IPTC Media Topic.
type Topic struct {
	Code  string  `json:"code"`  // e.g. "medtop:11000000"
	Name  string  `json:"name"`  // e.g. "politics"
	Score float64 `json:"score"` // 0..1 confidence; for a topic taken from the story's event, the share of the earlier stories it was counted over (for a guess, those whose own topics were no guess) naming it
}

// Subject is a subject code a source assigned, kept as the source gave it
// so it survives to the output: an IPTC ninjs wire item's subjects (IPTC
// Media Topics, a provider's own codes). Distinct from Topics, which
// wirestream assigns itself.
type Subject struct {
	Name    string `json:"name,omitempty"`    // display name, e.g. "Sport"
	URI     string `json:"uri,omitempty"`     // e.g. "http://cv.iptc.org/newscodes/mediatopic/15000000"
	Literal string `json:"literal,omitempty"` // the code in its vocabulary, e.g. "15000000"
	Rel     string `json:"rel,omitempty"`     // how the story relates to it, e.g. "about"
}

// Date flags explain how a story's published time was derived.
const (
	DateMissing       = "missing"        // no date in the feed: fetch time used
	DateUnparsed      = "unparsed"       // a date was given but could not be parsed: fetch time used, raw kept
	DateFutureClamped = "future_clamped" // more than the allowed skew in the future: clamped to fetch time
	DateNoTimezone    = "no_timezone"    // no zone given: read as UTC
	DateFromUpdated   = "from_updated"   // only an updated date was given
	// DateImplausible: a published or updated date that parsed but cannot
	// be true — before 1991, or with a zone offset outside −12:00…+14:00
	// (epoch placeholders, "+2400") — is not used; like an unparsed one,
	// its raw text is kept and the story falls back to the updated date
	// or the fetch time.
	DateImplausible = "implausible"
)

// MinPlausibleDate is the earliest date a feed item can truly carry: web
// feeds are younger than the web, whose first site went up in August 1991.
// Normalize flags earlier dates implausible; a feed file's fetch time
// (sources/file) ignores them.
var MinPlausibleDate = time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC)

// Fields a story's Truncated names: the text the feed gave did not fit
// the field's cap and was cut (title, guid, publisher, url, body, ...), or
// list entries were dropped (authors, categories, subjects, media). The caps are
// documented on the normalize package and in the record schema.
const (
	FieldTitle        = "title"
	FieldBody         = "body"
	FieldHTML         = "html" // dropped whole: a cut would break the markup
	FieldGUID         = "guid"
	FieldURL          = "url"
	FieldPublisher    = "publisher"
	FieldFeedTitle    = "feed_title"
	FieldAuthors      = "authors"
	FieldCategories   = "categories"
	FieldSubjects     = "subjects"
	FieldMedia        = "media"
	FieldPublishedRaw = "published_raw"
	FieldUpdatedRaw   = "updated_raw"
)

// Story is the normalized, enriched record of one news story.
type Story struct {
	Type          Type       `json:"type"` // always "story"
	ID            string     `json:"id"`
	Version       int        `json:"version"` // 1, then +1 for each content revision
	SchemaVersion string     `json:"schema_version"`
	Feed          FeedRef    `json:"feed"`
	Publisher     string     `json:"publisher"` // the outlet: feed title or host
	URL           string     `json:"url"`
	CanonicalURL  string     `json:"canonical_url"`
	GUID          string     `json:"guid,omitempty"`
	Title         string     `json:"title"`
	Summary       string     `json:"summary,omitempty"` // plain text
	Body          string     `json:"body,omitempty"`    // plain text
	HTML          string     `json:"html,omitempty"`    // sanitized HTML of the fullest content
	Authors       []string   `json:"authors,omitempty"`
	Categories    []string   `json:"categories,omitempty"`
	Subjects      []Subject  `json:"subjects,omitempty"` // coded subjects the source gave (ninjs)
	Language      string     `json:"language,omitempty"` // BCP 47
	PublishedRaw  string     `json:"published_raw,omitempty"`
	Published     time.Time  `json:"published"`
	UpdatedRaw    string     `json:"updated_raw,omitempty"`
	Updated       *time.Time `json:"updated,omitempty"`
	DateFlags     []string   `json:"date_flags,omitempty"`
	Truncated     []string   `json:"truncated,omitempty"` // fields cut to their cap (Field* constants)
	FirstSeen     time.Time  `json:"first_seen"`
	FetchedAt     time.Time  `json:"fetched_at"`
	Media         []Media    `json:"media,omitempty"`
	Fingerprint   string     `json:"fingerprint"`  // 16 hex digits: SimHash of the normalized text
	ContentHash   string     `json:"content_hash"` // sha256 of the normalized title+text; changes on revision
	EventID       string     `json:"event_id,omitempty"`
	Entities      []Entity   `json:"entities,omitempty"`
	Keywords      []string   `json:"keywords,omitempty"`
	Topics        []Topic    `json:"topics,omitempty"`
}

// EventTime is the story's place on the event clock: its published time,
// which normalize resolved and clamped (never later than the fetch plus
// the allowed skew), or its first-seen time when it has none. Events,
// spikes and every time window run on it rather than the wall clock, so a
// replay of an archive decides as the live run did.
func (s *Story) EventTime() time.Time {
	if !s.Published.IsZero() {
		return s.Published
	}
	return s.FirstSeen
}

func (s *Story) RecordType() Type   { return TypeStory }
func (s *Story) RecordKey() string  { return s.ID }
func (s *Story) SourceFeed() string { return s.Feed.URL }

func (s *Story) RecordID() string {
	var buf [64]byte
	return string(s.AppendRecordID(buf[:0]))
}

// AppendRecordID appends RecordID's text to b: a size bound reads its
// length from a buffer of its own, where RecordID made a string a story.
func (s *Story) AppendRecordID(b []byte) []byte {
	return strconv.AppendInt(append(append(b, s.ID...), "@v"...), int64(s.Version), 10)
}

// Duplicate reports a copy of a story already published: the same GUID or
// URL, the same body, or a near-identical text (a wire republication).
type Duplicate struct {
	Type Type `json:"type"` // always "duplicate"
	// ID is the copy's own id, never its original's: the id it would have
	// had as a story, or, when that is the original's (the same canonical
	// URL read through another feed, or under another GUID of the same
	// feed), "c_…" derived from its feed and GUID.
	ID            string    `json:"id"`
	SchemaVersion string    `json:"schema_version"`
	DuplicateOf   string    `json:"duplicate_of"` // the original story's id
	Method        string    `json:"method"`       // guid, url, body, near
	Similarity    float64   `json:"similarity"`   // 1 for exact matches
	URL           string    `json:"url"`
	CanonicalURL  string    `json:"canonical_url"`
	GUID          string    `json:"guid,omitempty"` // the copy's GUID in its feed
	Title         string    `json:"title"`
	Feed          FeedRef   `json:"feed"`
	Publisher     string    `json:"publisher"`
	SeenAt        time.Time `json:"seen_at"`
	// Published is the copy's own publication time, resolved and clamped
	// as a story's is: its time in the event clock.
	Published time.Time `json:"published"`
	EventID   string    `json:"event_id,omitempty"`
	// ContentHash is the copy's own content_hash, as it would have had as
	// a story: a copy its publisher revised is a duplicate record again,
	// with another hash, and so another record-id.
	ContentHash string `json:"content_hash,omitempty"`
}

func (d *Duplicate) RecordType() Type  { return TypeDuplicate }
func (d *Duplicate) RecordKey() string { return d.DuplicateOf }

// RecordID is the copy's id, ">", its original's and, when the copy's
// content hash is known, "#" and the hash's first 16 characters: the same
// for the same copy decided again, another for a copy whose text changed
// (a corrected headline), so a consumer collapsing repeats on the
// record-id header keeps each text of a copy once.
func (d *Duplicate) RecordID() string {
	id := d.ID + ">" + d.DuplicateOf
	if h := d.ContentHash; h != "" {
		id += "#" + h[:min(16, len(h))]
	}
	return id
}
func (d *Duplicate) SourceFeed() string { return d.Feed.URL }

// Health is a feed's state as seen by the poller.
type Health string

const (
	HealthOK       Health = "ok"
	HealthDegraded Health = "degraded" // recent errors, still retrying at normal pace
	HealthFailing  Health = "failing"  // many consecutive errors, backing off
	HealthGone     Health = "gone"     // HTTP 410: polled rarely
)

// FeedStatus is the latest known state of one feed. Keyed by the feed's
// FeedKey on a compacted topic (its URL, or for a URL with a secret the
// URL as logs say it and a hash: Key), it is a live table of feed health. The poller sets
// every field; the pipeline publishes it as it is (the poller may run in
// another process).
//
// ItemsFound is how many items the fetched document held; ItemsNew how
// many of them the feed did not carry when it was last read: new to the
// feed, as the poller saw it. Whether they are new stories is dedupe's
// call, published as story and duplicate records. ItemsRotated counts
// items under a GUID the feed did not carry before but with a link or
// text it did: the feed changed their GUIDs, they are not new.
// ItemsRejected counts entries of the document published as dead letters
// instead of items (invalid, repeated, over max_items). Warnings say what
// about the feed its operator should know (Warn* constants).
type FeedStatus struct {
	Type                Type       `json:"type"` // always "feed_status"
	ID                  string     `json:"id"`   // the feed URL
	SchemaVersion       string     `json:"schema_version"`
	FeedURL             string     `json:"feed_url"`
	Name                string     `json:"name,omitempty"`
	Tags                []string   `json:"tags,omitempty"` // the feed's tags in the configuration
	Health              Health     `json:"health"`
	LastErrorClass      string     `json:"last_error_class,omitempty"` // dns, connect, tls, timeout, truncated, encoding, http_4xx, http_5xx, too_large, parse, blocked, redirect, protocol
	LastError           string     `json:"last_error,omitempty"`       // "fetch URL: cause", e.g. "fetch https://x.example/rss: HTTP 404 Not Found"; "parse URL: cause" for class parse
	ConsecutiveFailures int        `json:"consecutive_failures"`
	LastAttempt         time.Time  `json:"last_attempt"`
	LastSuccess         *time.Time `json:"last_success,omitempty"`
	HTTPStatus          int        `json:"http_status,omitempty"`
	ItemsFound          int        `json:"items_found"`
	ItemsNew            int        `json:"items_new"`
	ItemsRotated        int        `json:"items_rotated,omitempty"`
	ItemsRejected       int        `json:"items_rejected,omitempty"`
	NextPoll            time.Time  `json:"next_poll"`
	// MovedTo is where the feed now lives after a permanent redirect
	// (301/308): it is fetched there; update the configuration to match.
	MovedTo string `json:"moved_to,omitempty"`
	// HostHeldUntil is when the hold back of the feed's host ends at the
	// earliest: until then no request of any feed the poller polls goes
	// to that host (the one that answered the feed's last request, after
	// redirects), this feed's included. HostHold says why: "asked" (the
	// host answered a request 429, or 503 with Retry-After) or "down: "
	// and how 3 of its feeds failed with no answer between ("down: HTTP
	// 502", "down: timeout", "down: connect"). A down host is probed by
	// one request then, and held longer while its probe fails; its first
	// answer ends the hold. Set on /status while the feed waits, and in a
	// record written while the hold lasts.
	HostHeldUntil *time.Time `json:"host_held_until,omitempty"`
	HostHold      string     `json:"host_hold,omitempty"`
	Warnings      []string   `json:"warnings,omitempty"`
	// PolledBy is the instance id of the wirestream that polled the feed,
	// so an operator running several fetchers can tell which one did.
	PolledBy string `json:"polled_by,omitempty"`
	// FeedList names the feed list the feed was polled from: "topic "
	// and the fetchers' feed list topic, "file " and the absolute path
	// of the configuration file a single process polls, "list " and the
	// name that file gives its feeds, or "demo" for `run --demo` (whose
	// feeds are in no list: see feedstatus.DemoList). `feeds status`
	// shows a feed removed only when the list its record names no longer
	// holds it, so several deployments (or lists) can share the topics.
	// Empty in records written before it existed.
	FeedList string `json:"feed_list,omitempty"`
	// Key is the record's Kafka key, set by the poller: the feed's
	// FeedKey, which is its URL, or for a URL with a secret the URL as
	// logs say it (FeedURL, not Name) and a hash that keeps apart two
	// feeds whose URLs differ only in their secret. Not in the value
	// (json:"-"); when empty, FeedURL is the key.
	Key string `json:"-"`
}

// LastErrorText is the last error for people: its class in front of the
// message ("dns: fetch URL: …"), said once — a message that starts with
// its class as a word already says it ("parse URL: …" of class parse;
// "parse: parse URL: …" said it twice). No class, the message alone; no
// error, "". `feeds status`, /status and `tail` show it.
func (s FeedStatus) LastErrorText() string {
	class, msg := s.LastErrorClass, s.LastError
	if msg == "" || class == "" {
		return msg
	}
	if rest, ok := strings.CutPrefix(msg, class); ok && (rest == "" || rest[0] == ' ' || rest[0] == ':') {
		return msg
	}
	return class + ": " + msg
}

// Feed warnings (FeedStatus.Warnings): what the poller copes with, but the
// feed's operator should know about.
const (
	// WarnDatesUntrusted: items are dated ahead of the fetch (a time zone
	// written wrong), or items read before carry dates after that read
	// (dates stamped at every request). The feed's publish rate is
	// estimated from when items appeared, not from their dates, for a
	// week after.
	WarnDatesUntrusted = "dates_untrusted"
	// WarnGUIDsRotate: most items came under GUIDs the feed did not carry
	// before, with links or text it did. They are not taken for new items,
	// and a poll where every GUID is new is not a gap.
	WarnGUIDsRotate = "guids_rotate"
	// WarnGUIDsShared: items with different links share a GUID; they are
	// told apart by their links.
	WarnGUIDsShared = "guids_shared"
	// WarnItemsRejected: entries of the document were published as dead
	// letters (not valid items, repeats of an item, over max_items).
	WarnItemsRejected = "items_rejected"
)

func (f *FeedStatus) RecordType() Type  { return TypeFeedStatus }
func (f *FeedStatus) RecordKey() string { return cmp.Or(f.Key, f.FeedURL) }
func (f *FeedStatus) RecordID() string {
	return f.FeedURL + "@" + f.LastAttempt.UTC().Format(time.RFC3339Nano)
}
func (f *FeedStatus) SourceFeed() string { return f.FeedURL }

// EntityCount is an entity with the number of an event's stories naming it.
type EntityCount struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Stories int    `json:"stories"`
}

// Event is the current state of a group of related stories. Each change
// is published again under the same key, so a compacted topic holds the
// latest state of every event.
type Event struct {
	Type          Type      `json:"type"` // always "event"
	ID            string    `json:"id"`
	SchemaVersion string    `json:"schema_version"`
	Revision      int       `json:"revision"`   // higher on every published change: +1, or more after a failed write (see Retracted)
	Title         string    `json:"title"`      // the most representative headline
	FirstSeen     time.Time `json:"first_seen"` // wall clock: when wirestream first saw a member story
	LastSeen      time.Time `json:"last_seen"`  // wall clock: the latest activity (story or republication)
	// FirstPublished and LastPublished are the earliest and latest
	// published time of the event's stories (clamped as on the story
	// record): the event clock that decay, window and expiry run on, the
	// same in a replay as live.
	FirstPublished time.Time     `json:"first_published"`
	LastPublished  time.Time     `json:"last_published"`
	StoryCount     int           `json:"story_count"`
	Republications int           `json:"republications"` // duplicates of member stories
	Publishers     []string      `json:"publishers"`
	PublisherCount int           `json:"publisher_count"`
	Entities       []EntityCount `json:"entities,omitempty"`
	Keywords       []string      `json:"keywords,omitempty"`
	Topics         []string      `json:"topics,omitempty"`
	Languages      []string      `json:"languages,omitempty"`
	StoryIDs       []string      `json:"story_ids"`
	Expired        bool          `json:"expired,omitempty"`     // last publication: no activity within the window
	MergedInto     string        `json:"merged_into,omitempty"` // set with Expired when the event was folded into another: its stories belong there now
	// Retracted is set with Expired, an empty StoryIDs and a StoryCount of
	// 0 when the event's earlier revisions came from batches that were
	// decided again after a failed write and the event no longer exists:
	// none of its stories belong to it (they are published again with the
	// event they belong to now). Treat it as a tombstone. The id may be
	// published again, at a higher revision, if its founding story founds
	// it again.
	Retracted bool `json:"retracted,omitempty"`
}

func (e *Event) RecordType() Type   { return TypeEvent }
func (e *Event) RecordKey() string  { return e.ID }
func (e *Event) RecordID() string   { return e.ID + "@r" + strconv.Itoa(e.Revision) }
func (e *Event) SourceFeed() string { return "" }

// Alert states.
const (
	AlertFiring  = "firing"
	AlertCleared = "cleared"
)

// Alert reports a term (entity or keyword) named by far more distinct
// stories than its baseline, or the end of such a spike.
type Alert struct {
	Type          Type      `json:"type"` // always "alert"
	ID            string    `json:"id"`
	SchemaVersion string    `json:"schema_version"`
	Term          string    `json:"term"`      // entity key or keyword
	TermName      string    `json:"term_name"` // display form
	TermKind      string    `json:"term_kind"` // entity, keyword
	State         string    `json:"state"`     // firing, cleared
	Watched       bool      `json:"watched,omitempty"`
	BucketStart   time.Time `json:"bucket_start"`
	BucketEnd     time.Time `json:"bucket_end"`
	Stories       int       `json:"stories"`    // distinct stories in the bucket
	Publishers    int       `json:"publishers"` // distinct publishers in the bucket
	Baseline      float64   `json:"baseline"`   // expected stories per bucket
	Score         float64   `json:"score"`      // (count - baseline) / max(stddev, floor)
	Ratio         float64   `json:"ratio"`      // count / max(baseline, floor)
	SampleStories []string  `json:"sample_story_ids,omitempty"`
	EventIDs      []string  `json:"event_ids,omitempty"` // the events of the counted stories when the alert is made, after merges
	// Retracted marks a cleared alert that takes back a firing one whose
	// batch was written but never committed: the stories read again did
	// not fire it (its figures are the firing's).
	Retracted bool      `json:"retracted,omitempty"`
	At        time.Time `json:"at"`
}

func (a *Alert) RecordType() Type   { return TypeAlert }
func (a *Alert) RecordKey() string  { return a.Term }
func (a *Alert) RecordID() string   { return a.ID }
func (a *Alert) SourceFeed() string { return "" }

// AlertID is the id of term's alert in state for the bucket that starts at
// bucketStart: one alert a term, bucket and state.
func AlertID(term string, bucketStart time.Time, state string) string {
	return term + "@" + bucketStart.Format(time.RFC3339) + "/" + state
}

// DeadLetter carries an item the pipeline could not turn into a record,
// with the error, so nothing is dropped silently.
type DeadLetter struct {
	Type          Type      `json:"type"` // always "dead_letter"
	ID            string    `json:"id"`
	SchemaVersion string    `json:"schema_version"`
	FeedURL       string    `json:"feed_url,omitempty"`
	Stage         string    `json:"stage"` // normalize, publish, ...
	Error         string    `json:"error"`
	Item          *Item     `json:"item,omitempty"`
	Payload       string    `json:"payload,omitempty"` // a record that could not be published, as JSON
	At            time.Time `json:"at"`
}

func (d *DeadLetter) RecordType() Type   { return TypeDeadLetter }
func (d *DeadLetter) RecordKey() string  { return d.ID }
func (d *DeadLetter) RecordID() string   { return d.ID }
func (d *DeadLetter) SourceFeed() string { return d.FeedURL }
