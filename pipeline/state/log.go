// Package state owns the durability of wirestream's processing state: the
// stories already published and their aliases, the near-duplicate
// fingerprints, the live events, the spike baselines, and (for the single
// process) each feed's poll state.
//
// The working set lives in memory, in the stages that use it, in compact
// structures of their own; durability is a changelog of their mutations.
// A Log stores the changelog: FileLog in the data directory, or
// internal/kafkastate on a compacted Kafka topic. At start Open replays the
// Log into the stages (each an Owner of some Tables), and from then on the
// Store appends what each acknowledged batch changed. "The changelog is the
// truth; memory is rebuilt from it" — as Kafka Streams and goka keep
// their state stores.
//
// It promises:
//   - Commit appends a batch's entries durably (fsync, or acks=all) before
//     it applies them in memory, and Commit and Update run one at a time,
//     so memory and the log change in the same order: after a crash the
//     log holds exactly what memory held at some Commit, never a batch the
//     sink did not acknowledge (the pipeline commits only after the sink's
//     ack), and the source saves its progress only after Commit returned.
//   - A torn write at the end of the file log (a crash mid-append) is cut
//     on restore: the batches whose Commit returned are all there.
//   - A snapshot holds exactly what the log holds up to its rotation. The
//     Trackers (events, spikes, enrichment) change memory when a batch is
//     decided, before its entries are committed; the pipeline brackets
//     that with Decide and Settle, and a snapshot takes the Trackers only
//     while no decision is outstanding — a due one waits, and holds new
//     decisions back until those in flight settle. So a crash never
//     restores a batch the log lacks, whose re-read stories would count
//     twice in events and spikes.
//   - The log stays bounded: the stages prune what expires (tombstones),
//     and the file log rewrites itself from memory when it has grown past
//     compact_ratio times its last snapshot, so its files shrink (Kafka
//     compacts its topic itself).
//   - The Written table notes what a write hands the sink until the
//     batch's commit is in the log (NoteWritten), so a restart finds
//     what a crash left written and never committed. On the file log a
//     note shares the next commit's fsync: a machine crash before it may
//     lose the note.
//   - Losing the state costs continuity, never data: stories are published
//     again once, events get new ids, spike baselines start again.
//   - Owners' size hints (Sizer), kept beside the log by a Hinter, reach
//     them before the log's first entry, so a restore sizes its memory
//     once for the whole log; a stale, missing or damaged hint costs time
//     and memory during the restore, never state.
package state

import (
	"context"
	"errors"
	"fmt"
)

// Table names one table of the log. The numbers are written to disk and to
// Kafka: never reuse or renumber one.
type Table uint8

const (
	Stories      Table = 1 // dedupe: remembered stories and the copies published as duplicates
	Aliases      Table = 2 // dedupe: GUID, URL and body keys → the story that holds them
	Fingerprints Table = 3 // dedupe: near-duplicate signatures of the window's stories
	Events       Table = 4 // events: live events and the clusterer's clock
	Spikes       Table = 5 // spikes: per-term baselines, open buckets, recently counted stories
	Feeds        Table = 6 // the poller's per-feed state (single process only)
	Enrich       Table = 7 // enrich: the keyword corpus and the learned surname map
	Written      Table = 8 // the pipeline: event records and stories handed to the sink whose batch is not committed yet
)

var tableNames = map[Table]string{
	Stories: "stories", Aliases: "aliases", Fingerprints: "fingerprints",
	Events: "events", Spikes: "spikes", Feeds: "feeds", Enrich: "enrich",
	Written: "written",
}

func (t Table) String() string {
	if n, ok := tableNames[t]; ok {
		return n
	}
	return fmt.Sprintf("table_%d", uint8(t))
}

// Entry is one mutation: Value replaces what Key held in Table, or deletes
// it when nil (a tombstone). An empty, non-nil Value is a value.
type Entry struct {
	Table Table
	Key   []byte
	Value []byte
}

// UnreadableEntryError is the error a Log's Restore gets back from its
// callback when the entry's owner cannot load it: bytes of no form the
// owner reads (a foreign producer's record in a Kafka changelog, or an
// entry of a newer version). The owner's memory is as before the entry.
// A Log that others can write (internal/kafkastate) may skip it and hand
// the key's tombstone instead; the file log fails its restore.
type UnreadableEntryError struct {
	Table Table
	Key   []byte
	Err   error
}

func (e *UnreadableEntryError) Error() string {
	return fmt.Sprintf("restore %s entry %x: %v", e.Table, e.Key, e.Err)
}

func (e *UnreadableEntryError) Unwrap() error { return e.Err }

// Log is a durable changelog of entries.
type Log interface {
	// Append stores entries durably, in order: when it returns nil they
	// survive a crash. On error some may have been stored.
	Append(ctx context.Context, entries []Entry) error
	// Restore hands fn the entries of the log in the order they were
	// appended, possibly with older values of a key that a later entry
	// replaces and tombstones of keys no longer present; folding them in
	// order (last entry of a key wins, nil deletes) gives the state. Key
	// and Value are valid only during fn. Call it once, before Append.
	Restore(ctx context.Context, fn func(Entry) error) error
	// Close releases the log; what Append returned is already durable.
	Close() error
}

// UnsyncedAppender is a Log that can store entries without waiting for a
// sync (the file log): they survive the process's crash (the kernel holds
// them), and the next Append's sync makes them survive the machine's.
type UnsyncedAppender interface {
	AppendUnsynced(ctx context.Context, entries []Entry) error
}

// Compactor is a Log that is bounded by rewriting it from memory (the file
// log), or whose restore a local snapshot shortens (the Kafka log's cache).
type Compactor interface {
	// CompactDue reports whether a snapshot is worth writing now.
	CompactDue() bool
	// Rotate starts a snapshot: the entries appended from now on are kept
	// apart from those it will replace. The caller writes the live state
	// into the returned writer and commits it.
	Rotate() (SnapshotWriter, error)
}

// SnapshotWriter receives the live state for a snapshot. The state may
// change while it is written (a fuzzy snapshot): every entry appended after
// Rotate is replayed after it, and entries are last-writer-wins, so the
// result is exact.
type SnapshotWriter interface {
	// Write copies the entry's Key and Value: the caller may reuse them
	// once it returns (Owner.Snapshot does).
	Write(Entry) error
	// Commit makes the snapshot durable and lets it replace what the log
	// held before Rotate.
	Commit() error
	// Abort drops the snapshot; the log stays as it was.
	Abort()
}

// Owner is a stage whose memory is rebuilt from the log: dedupe, enrich,
// events, spikes.
type Owner interface {
	// Tables names the tables the owner's entries use.
	Tables() []Table
	// Load applies one restored entry: upsert, or delete on a nil Value.
	// It must copy what it keeps of Key and Value.
	Load(Entry) error
	// Snapshot hands emit every live entry of the owner's tables, as the
	// log would restore them. It may run while the stage works: it takes
	// the stage's lock as it needs, in short stretches. Entries that are
	// each their key's newest value may come from different stretches
	// (the log's entries after the snapshot set them right); running
	// totals and the mark of what they include (spikes' open buckets and
	// observation counter) must be read in one hold. emit copies what it
	// keeps of Key and Value (as Load must), so the owner may reuse their
	// bytes once it returns: a snapshot then allocates a chunk, not the
	// state (dedupe's fresh array a chunk was ≈ 260 MB a compaction at 1M
	// stories).
	Snapshot(emit func(Entry) error) error
}

// Restorer is an Owner that wants to know when the restore is complete (to
// build an index in one pass, say).
type Restorer interface {
	Restored() error
}

// Tracker is an Owner that records what changed only when a log will be
// told (a stage without a durable log need not keep that list): Open calls
// TrackChanges(true) when it has a log. A Tracker's memory changes before
// its entries are committed (the pipeline collects them and commits them
// with the batch), so a snapshot may take decisions the log does not hold
// yet: the Store keeps such a snapshot only once they are committed, and
// drops it when one of them fails (Store.compactAhead). Other owners
// change only in Commit's apply.
type Tracker interface {
	TrackChanges(on bool)
}

// Resetter is a Tracker that can forget what it holds, as its constructor
// left it (change tracking stays as it was), so that Store.Rewind loads
// it again from the log.
type Resetter interface {
	Reset()
}

// Rereader is a Log that can replay what it holds again after appends
// (the file log), as Restore did at the start: what Store.Rewind reads
// the Trackers back from. The caller makes sure nothing appends or
// compacts meanwhile.
type Rereader interface {
	Reread(ctx context.Context, fn func(Entry) error) error
}

// ErrAheadOfLog refuses a snapshot while a Tracker's memory holds
// decisions the log does not (see Store.Decide).
var ErrAheadOfLog = errors.New("state: memory holds decisions the log does not yet; no snapshot now")
