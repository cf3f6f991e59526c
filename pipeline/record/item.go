package record

import (
	"context"
	"time"
)

// Item is one entry of a feed as a source read it: parsed, not yet
// normalized. Text fields hold what the feed held (HTML included); the
// pipeline's normalize stage turns an Item into a Story.
type Item struct {
	Feed         FeedRef `json:"feed"`
	FeedLanguage string  `json:"feed_language,omitempty"` // the feed's declared language, a prior for detection
	Publisher    string  `json:"publisher,omitempty"`     // feed title, or the site's host when none

	GUID        string    `json:"guid,omitempty"`
	Link        string    `json:"link,omitempty"` // absolute: resolved against xml:base and the feed URL
	Title       string    `json:"title,omitempty"`
	Description string    `json:"description,omitempty"` // summary, may be HTML
	Content     string    `json:"content,omitempty"`     // content:encoded / atom content, may be HTML
	Authors     []string  `json:"authors,omitempty"`
	Categories  []string  `json:"categories,omitempty"`
	Subjects    []Subject `json:"subjects,omitempty"` // coded subjects (ninjs); their names are in Categories too
	Media       []Media   `json:"media,omitempty"`

	// Dates as the feed gave them, and as the source parsed them (nil when
	// missing or unparseable; the raw string is kept either way).
	PublishedRaw    string     `json:"published_raw,omitempty"`
	PublishedParsed *time.Time `json:"published_parsed,omitempty"`
	UpdatedRaw      string     `json:"updated_raw,omitempty"`
	UpdatedParsed   *time.Time `json:"updated_parsed,omitempty"`

	FetchedAt time.Time `json:"fetched_at"`
}

// Batch is what one poll of one feed yields (or one slice of an input
// file). The pipeline turns its items into records, hands them to the
// sink, and answers through Ack: once, with nil after the sink has
// acknowledged every record derived from the batch and the pipeline's own
// state is committed, or with the error as soon as the batch has failed
// for good. So a source's progress never runs ahead of what Kafka holds
// (at-least-once), and a failure reaches the source at once.
type Batch struct {
	Feed   FeedRef
	Items  []Item
	Status *FeedStatus // published with the batch's records as it is; nil if unchanged

	// DeadLetters are inputs the source could not turn into items (a
	// malformed line of a JSONL file); they are published with the
	// batch's records.
	DeadLetters []*DeadLetter

	// Origins, when a source sets them, say where each item came from,
	// Origins[i] for Items[i] ("items.jsonl:12", "stdin:3", a feed
	// file's name "archive/tuesday.xml"): an item the
	// pipeline rejects names its place in errors, so a bad line of a
	// file is found without counting. nil when there is no such place
	// (a poll of a feed).
	Origins []string

	// Document, when a source reads one feed's items from several
	// documents (`process` over archive files: one site's files share its
	// link as their feed URL), names the one the batch was read from
	// ("archive/tuesday.xml"): the ids of the dead letters of its items
	// are derived from it too, so the same bad item in two files is two
	// dead letters. "" for a poll of a feed, whose items polled again keep
	// their dead letters' ids.
	Document string

	// Ack reports the batch's fate to its source; nil means the source
	// needs no answer. See AckFunc.
	Ack AckFunc
}

// AckFunc is a batch's done-callback, as Redpanda Connect's AckFunc: err
// is nil when everything derived from the batch is durable, else why the
// batch failed (screening, the sink's write, the commit of dedupe state);
// the source then reads its input again (at-least-once). The pipeline
// calls it exactly once per batch it took. It must return quickly: a
// source records the outcome and acts on it — saving its progress,
// rolling back, retrying with backoff — on its own goroutine, never on
// the pipeline's. ctx ends when the pipeline gives up on in-flight work.
type AckFunc func(ctx context.Context, err error)

// AckChan returns an AckFunc for a source that waits for the answer on
// its own goroutine, and the channel the answer arrives on. The channel
// is buffered, so the pipeline never blocks acking; only the first
// answer counts.
func AckChan() (AckFunc, <-chan error) {
	ch := make(chan error, 1)
	return func(_ context.Context, err error) {
		select {
		case ch <- err:
		default:
		}
	}, ch
}

// Done calls b.Ack with err when the batch has one.
func (b *Batch) Done(ctx context.Context, err error) {
	if b.Ack != nil {
		b.Ack(ctx, err)
	}
}
