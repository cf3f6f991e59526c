// Package feed owns wirestream's feed poller, the source of live stories: the list of feeds (config and
// OPML), a scheduler that polls each feed when due (a heap of next polls
// and a few workers, not a goroutine a feed), the hardened HTTP fetcher, the parser
// that turns RSS, RDF, Atom and JSON Feed documents into record.Item values,
// and each feed's health.
//
// It promises:
//   - politeness: conditional GET, a per-host and a global concurrency cap,
//     an interval that adapts to how often a feed publishes, clamped to
//     configured bounds, and that honours ttl, sy:updatePeriod,
//     Cache-Control, Expires and Retry-After; a 429 (or a 503 with
//     Retry-After) to any feed holds back every feed's requests to the
//     host that answered, until its Retry-After; 3 feeds of a host failing
//     the same way (5xx, timeout, connect) hold it back as down, probed by
//     one request at a time until it answers. The publish rate comes from
//     the items' dates while they can be trusted, and from how many items
//     appeared between polls once they cannot (dated ahead of the fetch,
//     or after they were first read); items a feed re-issues under new
//     GUIDs are recognised by link or text, and are neither new nor a gap;
//   - nothing read is dropped silently: entries of a document that do not
//     become items (a JSON Feed item that is not one, a repeat of an item,
//     the items beyond max_items) travel with the batch as dead letters,
//     each reported once; items that share a GUID across different links
//     are told apart by link; only the bytes of a body that are not UTF-8
//     are read as Windows-1252;
//   - at-least-once hand-off: a feed's validators and seen-item set are saved
//     by its own poll's step only once the pipeline acked the batch (Batch.Ack with
//     nil: Kafka has every record); a batch acked with an error rolls them
//     back and the feed is read again after a backoff; a feed is not polled
//     again until its batch is acked (backpressure);
//   - no feed stops for good: errors back off exponentially to a cap, are
//     classified (a body cut short is "truncated", as is an unfinished
//     document a close ended with no length to check it by; an
//     unreadable Content-Encoding "encoding"), and are reported as a
//     record.FeedStatus, with warnings about the feed (Warn*);
//   - safety: only http and https, and no connection to loopback, private,
//     link-local, CGNAT or unspecified addresses unless allowed (checked on
//     the dialled IP, so DNS rebinding cannot bypass it); bodies are capped
//     after decompression, and XML the parser would spend far more on
//     than its size (nested deeper than 10,000 elements, more elements or
//     namespace copies than its size allows) is refused unparsed; a
//     password in a feed URL goes to the feed's host alone: the feed's
//     records, its feed_status and /status name it with the password as
//     xxxxx (record.RedactURL), and links relative to the feed do not
//     inherit the URL's user and password;
//   - a feed is its items, not its last document: a poll remembers, beside
//     the document's items, twice as many it no longer shows (their keys
//     and content hashes alone), so a URL that serves two feeds in turn,
//     or an item dropped and shown again, is not new at every poll.
package feed
