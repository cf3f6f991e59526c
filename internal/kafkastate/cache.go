package kafkastate

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The snapshot cache is a state snapshot file (state.CreateSnapshot) whose
// meta says which changelog it belongs to and how far it covers.
type cacheMeta struct {
	topic     string
	partition int
	offset    int64 // every changelog record below it is in the snapshot
	marker    []byte
	markerAt  int64
}

func (c cacheMeta) encode() []byte {
	b := state.AppendString(nil, c.topic)
	b = binary.AppendUvarint(b, uint64(c.partition))
	b = binary.AppendVarint(b, c.offset)
	b = state.AppendString(b, string(c.marker))
	return binary.AppendVarint(b, c.markerAt)
}

func decodeCacheMeta(b []byte) (cacheMeta, error) {
	d := state.Decoder{B: b}
	c := cacheMeta{topic: d.String(), partition: int(d.Uvarint()), offset: d.Varint(), marker: []byte(d.String()), markerAt: d.Varint()}
	return c, d.End()
}

// openCache opens the cache file and reads its meta, which comes first;
// the entries after it are read only if the cache is used.
func openCache(path string) (*state.SnapshotReader, cacheMeta, error) {
	r, err := state.OpenSnapshot(path)
	if err != nil {
		return nil, cacheMeta{}, err
	}
	c, err := decodeCacheMeta(r.Meta())
	if err != nil {
		r.Close()
		return nil, c, fmt.Errorf("state snapshot %s: meta: %w", path, err)
	}
	return r, c, nil
}

// validCache opens the cache file when it belongs to this partition of
// this very topic (its marker is where the cache says) and covers an
// offset the partition still holds, within the partition's bounds [first,
// end). The caller reads its entries and closes it.
// cacheMaxAge is the oldest snapshot a restore starts from: half of
// Kafka's delete.retention.ms default (24 h). A tombstone written after
// the snapshot may be compacted away once that long has passed since its
// segment was cleaned, and a restore from an older snapshot would then
// bring the deleted key back. Table topics roll a segment a minute, so the
// cleaner reaches new tombstones within minutes (with Kafka's 7-day
// segments this took over a week).
const cacheMaxAge = 12 * time.Hour

func (l *Log) validCache(ctx context.Context, first, end int64) (*state.SnapshotReader, cacheMeta, bool) {
	if l.path == "" {
		return nil, cacheMeta{}, false
	}
	r, c, err := openCache(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, c, false
	}
	reject := func(why string, args ...any) (*state.SnapshotReader, cacheMeta, bool) {
		if r != nil {
			r.Close()
		}
		l.log.Warn("state changelog: local snapshot not used; restoring the whole changelog",
			append([]any{"path", l.path, "reason", why}, args...)...)
		return nil, c, false
	}
	var age time.Duration
	if fi, serr := os.Stat(l.path); serr == nil {
		age = time.Since(fi.ModTime())
	}
	switch {
	case err != nil:
		return reject("unreadable", "err", err)
	case age > cacheMaxAge:
		return reject("older than the changelog keeps tombstones", "age", age.Round(time.Second), "max_age", cacheMaxAge)
	case c.topic != l.t.Topic() || c.partition != l.p:
		return reject("another topic or partition", "cache_topic", c.topic, "cache_partition", c.partition)
	case c.offset < first || c.offset > end:
		return reject("the changelog no longer holds its offset", "snapshot_offset", c.offset, "first", first, "high_watermark", end)
	case c.markerAt < first || c.markerAt >= end:
		return reject("the changelog has no marker where it says", "marker_offset", c.markerAt)
	}
	found := false
	_, err = l.t.RestoreWithin(ctx, l.p, c.markerAt, first, end, func(rec kafkatable.Record) error {
		found = rec.Offset == c.markerAt && bytes.Equal(rec.Key, markerKey) && bytes.Equal(rec.Value, c.marker)
		return errStop
	})
	if !errors.Is(err, errStop) || !found {
		return reject("the changelog's marker differs: the topic was re-created", "err", err)
	}
	return r, c, true
}

// CompactDue reports whether the changelog has grown enough since the last
// cache snapshot that a new one shortens the next restore: by its size,
// and by CacheMinBytes at least.
func (l *Log) CompactDue() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.path != "" && l.restored && !l.closed && !l.snapshotted &&
		l.sinceCache > max(l.cacheBytes, l.o.CacheMinBytes)
}

// SnapshotOnClose reports whether a cache snapshot is worth writing before
// closing: anything was appended since the last one.
func (l *Log) SnapshotOnClose() bool {
	l.mu.Lock()
	due := l.path != "" && l.restored && !l.closed && l.sinceCache > 0
	l.mu.Unlock()
	return due && l.fenced() == nil
}

// fenced is Options.Fence's answer: a processor that lost the partition
// must not take a snapshot either. Its memory is not what the changelog
// holds up to the high watermark any more — its successor may have
// appended — so a snapshot stamped with that offset would hide the
// successor's entries from this instance's next restore.
func (l *Log) fenced() error {
	if l.o.Fence == nil {
		return nil
	}
	return l.o.Fence()
}

// rotateBoundsTimeout bounds Rotate's question for the partition's end
// offset, which the snapshot covers.
const rotateBoundsTimeout = 10 * time.Second

// Rotate starts a cache snapshot covering every record below the high
// watermark now. The Store calls it between two appends, so the
// acknowledged appends are all below it (acks=all completes a write once
// the high watermark passes it).
func (l *Log) Rotate() (state.SnapshotWriter, error) {
	l.mu.Lock()
	if l.path == "" || !l.restored || l.closed || l.snapshotted {
		l.mu.Unlock()
		return nil, errors.New("state changelog: no snapshot to take now")
	}
	l.snapshotted = true
	l.mu.Unlock()
	abort := func() {
		l.mu.Lock()
		l.snapshotted = false
		l.mu.Unlock()
	}
	if err := l.fenced(); err != nil {
		abort()
		return nil, fmt.Errorf("state changelog snapshot: fenced: %w", err)
	}
	// Bounded: the snapshot only shortens a restore, and Close takes one.
	// A changelog that answers no more (its topic deleted, a broker back
	// on an empty data dir) costs the snapshot, not a stop that retries
	// for ever — before round 29 it did.
	ctx, cancel := context.WithTimeout(context.Background(), rotateBoundsTimeout)
	_, end, err := l.t.Bounds(ctx, l.p)
	cancel()
	if err != nil {
		abort()
		return nil, fmt.Errorf("state changelog snapshot: %w", err)
	}
	meta := cacheMeta{topic: l.t.Topic(), partition: l.p, offset: end, marker: l.marker, markerAt: l.markerAt}
	l.mu.Lock()
	since := l.sinceCache
	l.mu.Unlock()
	sw, err := state.CreateSnapshot(l.path, 0, meta.encode(), l.o.NoSync)
	if err != nil {
		abort()
		return nil, err
	}
	return &cacheWriter{SnapshotFile: sw, l: l, since: since}, nil
}

// cacheWriter resets the log's growth count when the snapshot is in place.
type cacheWriter struct {
	*state.SnapshotFile
	l     *Log
	since int64
}

func (c *cacheWriter) Commit() error {
	err := c.SnapshotFile.Commit()
	l := c.l
	l.mu.Lock()
	defer l.mu.Unlock()
	l.snapshotted = false
	if err != nil {
		return err
	}
	l.sinceCache -= c.since // what was appended while it was written is not in it for sure
	l.cacheBytes = fileSize(l.path)
	l.m.Compactions.Inc()
	l.m.FileSize.Set(float64(l.cacheBytes))
	l.log.Info("state changelog: local snapshot written", "path", l.path, "bytes", l.cacheBytes, "entries", c.Entries())
	return nil
}

func (c *cacheWriter) Abort() {
	c.SnapshotFile.Abort()
	c.l.mu.Lock()
	c.l.snapshotted = false
	c.l.mu.Unlock()
}
