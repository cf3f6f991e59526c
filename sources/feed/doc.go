// Package feed owns wirestream's feed poller, the source of live stories: the list of feeds (config and
// OPML), one polling loop per feed, the hardened HTTP fetcher, the parser
// that turns RSS, RDF, Atom and JSON Feed documents into record.Item values,
// and each feed's health.
//
// It promises:
//   - politeness: conditional GET, a per-host and a global concurrency cap,
//     an interval that adapts to how often a feed publishes, clamped to
//     configured bounds, and that honours ttl, sy:updatePeriod,
//     Cache-Control, Expires and Retry-After;
//   - at-least-once hand-off: a feed's validators and seen-item set are saved
//     by its own loop only once the pipeline acked the batch (Batch.Ack with
//     nil: Kafka has every record); a batch acked with an error rolls them
//     back and the feed is read again after a backoff; a feed is not polled
//     again until its batch is acked (backpressure);
//   - no feed stops for good: errors back off exponentially to a cap, are
//     classified, and are reported as a record.FeedStatus;
//   - safety: only http and https, and no connection to loopback, private,
//     link-local, CGNAT or unspecified addresses unless allowed (checked on
//     the dialled IP, so DNS rebinding cannot bypass it); bodies are capped
//     after decompression.
package feed
