// Package kafka is wirestream's Kafka sink: it publishes records as JSON to
// one topic per record type, with segmentio/kafka-go.
//
// What it promises:
//
//   - Write returns nil only when every record was acknowledged by all
//     in-sync replicas (acks=all), or, if the brokers refused it for good
//     (too large, invalid, topic gone with provisioning off), when a dead
//     letter carrying the error and the record (truncated to 64 KiB) was
//     acknowledged on the dead-letter topic. Nothing is dropped silently: a
//     record that can be neither published nor dead-lettered fails the Write.
//   - At-least-once, not exactly-once. kafka-go has no idempotent producer:
//     a batch the broker stored but whose answer was lost is written again
//     on retry. Every copy carries the same key, value and headers (the
//     record-id header included), so consumers and compacted topics can
//     collapse them.
//   - Order per key within a Write; across retries a retried record may land
//     after a newer one with the same key (as with any non-idempotent
//     producer). Keys are hashed to partitions (FNV-1a "hash", or "murmur2"
//     to match Java clients' default partitioner).
//   - Retriable failures (broker down, leader moving, timeouts) block the
//     Write and are retried with exponential backoff, only for the records
//     that failed, until the caller's context ends.
//   - Topics are provisioned at start-up with the configured partitions,
//     replication factor, cleanup policy and retention; New refuses to start
//     when an existing topic's cleanup policy differs — except a topic that
//     only compacts where compact,delete is configured (the events topic
//     made before round 30): it keeps more than asked, and is used with a
//     warning that gives the command adding the bound. A topic deleted while
//     running is re-created (provisioning on, logged and counted) or its
//     records are dead-lettered (provisioning off).
//
// Conn, NewMessage and Header are what a reader of these topics shares
// with the writer (internal/tail prints them back).
package kafka
