package record

import "time"

// Item is one entry of a feed as a source read it: parsed, not yet
// normalized. Text fields hold what the feed held (HTML included); the
// pipeline's normalize stage turns an Item into a Story.
type Item struct {
	Feed         FeedRef `json:"feed"`
	FeedLanguage string  `json:"feed_language,omitempty"` // the feed's declared language, a prior for detection
	Publisher    string  `json:"publisher,omitempty"`     // feed title, or the site's host when none

	GUID        string   `json:"guid,omitempty"`
	Link        string   `json:"link,omitempty"` // absolute: resolved against xml:base and the feed URL
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"` // summary, may be HTML
	Content     string   `json:"content,omitempty"`     // content:encoded / atom content, may be HTML
	Authors     []string `json:"authors,omitempty"`
	Categories  []string `json:"categories,omitempty"`
	Media       []Media  `json:"media,omitempty"`

	// Dates as the feed gave them, and as the source parsed them (nil when
	// missing or unparseable; the raw string is kept either way).
	PublishedRaw    string     `json:"published_raw,omitempty"`
	PublishedParsed *time.Time `json:"published_parsed,omitempty"`
	UpdatedRaw      string     `json:"updated_raw,omitempty"`
	UpdatedParsed   *time.Time `json:"updated_parsed,omitempty"`

	FetchedAt time.Time `json:"fetched_at"`
}

// Batch is what one poll of one feed yields. The pipeline turns its items
// into records, hands them to the sink, and only after the sink has
// acknowledged every record does it call Commit — so feed validators and
// dedupe state never run ahead of what Kafka holds (at-least-once).
type Batch struct {
	Feed   FeedRef
	Items  []Item
	Status *FeedStatus // published with the batch's records; nil if unchanged

	// Commit persists the source's own progress (HTTP validators, schedule)
	// once everything derived from the batch is durable. It may be nil.
	Commit func() error
}
