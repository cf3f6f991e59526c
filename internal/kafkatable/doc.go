// Package kafkatable keeps key→value tables in compacted Kafka topics, the way Kafka Streams
// and goka keep their state: the topic is the truth, and a reader rebuilds the table from it.
//
// It owns creating such a topic (cleanup.policy=compact, a fixed partition count, replication
// factor and min.insync.replicas, and segments that roll within a minute so the broker compacts
// it in practice; refusing an existing topic that differs in policy or count),
// reading one partition or all of them from a start offset up to the high watermark captured
// when the read began (Restore, RestoreAll), reading on after that for warm standbys (Follow),
// writing puts and tombstones (Writer: by key, or all on one partition for a changelog
// co-partitioned with an input topic), and the one partitioner every table uses (PartitionOf).
//
// It promises:
//   - Restore returns only after every record of the partition below the captured high
//     watermark was handed to fn, in offset order, tombstones included (Value == nil); a
//     later write is left to Follow. The returned offset is where a Follow resumes.
//   - Key and Value are valid only during the callback (they point into a reused buffer),
//     so a restore allocates per fetch, not per record. Copy what you keep.
//   - Broker errors (a leader moving, a node down, a timeout) are retried with exponential
//     backoff until ctx ends, and logged; an offset outside the log is an error that names it,
//     never a silent skip.
//   - Writer.Write returns nil only when all in-sync replicas acknowledged every record
//     (acks=all). There is no idempotent producer in kafka-go: a retried write may store a
//     record twice, which a compacted table absorbs (same key, same value).
//   - Writer.WriteChecked (a partition writer's, for the state changelog) sends one produce
//     request a batch: its context's end (the changelog's fence) ends the wait for the request
//     on the wire at once, and nothing more is handed to the transport after it returns. The
//     request on the wire goes on to its WriteTimeout (kafka-go's connection keeps it anyway),
//     and its answer is kept: PartialWriteError.Settle waits for it before a caller writes the
//     same entries again.
//   - A table's transport refreshes the metadata of its own topic only.
//   - PartitionOf is Java's default partitioner (murmur2), so tables written by wirestream,
//     by Java tools and by Kafka Streams place a key alike, and two topics with the same
//     partition count keep a key on the same partition number (co-partitioning).
package kafkatable
