package state

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Config is the `state:` section: how long the dedupe memory lasts, and
// how its log is kept.
type Config struct {
	// SeenTTL is how long a story is remembered after it was last seen in
	// any feed, in story time (the dedupe window's clock, not the wall
	// clock). Longer than any feed keeps an item, or old items would be
	// re-published when they expire.
	SeenTTL time.Duration `yaml:"seen_ttl"`
	// FingerprintTTL is how long a near-duplicate fingerprint is kept: the
	// dedupe window.
	FingerprintTTL time.Duration `yaml:"fingerprint_ttl"`
	// MaxEntries caps remembered entries (stories and duplicates); pruning
	// evicts the least recently seen beyond it.
	MaxEntries int `yaml:"max_entries"`
	// NoSync skips fsync: for tests and throwaway runs only, since a crash
	// can then lose acknowledged state (and so re-publish it).
	NoSync bool `yaml:"no_sync"`
	// CompactRatio: the file log is rewritten from memory (a snapshot that
	// replaces its segments) when its files reach this many times the size
	// of the last snapshot, so the data directory holds at most about this
	// multiple of the live state.
	CompactRatio float64 `yaml:"compact_ratio"`
	// CompactMaxTailMiB bounds the segments after the last snapshot, in
	// MiB, whatever the ratio allows: a restart replays them all, at
	// ≈ 14–24 CPU-ms a MiB, so at a large state the ratio alone would let
	// the restore pass its 10 s (defaultCompactMaxTailMiB).
	CompactMaxTailMiB int64 `yaml:"compact_max_tail_mib"`
	// CompactMinBytes is the least snapshot size the ratio is taken of:
	// the segments may reach (compact_ratio - 1) times it before a
	// rewrite however small the state (defaultCompactMinBytes). Not a file
	// setting: tests lower it.
	CompactMinBytes int64 `yaml:"-"`
	// Changelog is the Kafka topic of `run --role process`.
	Changelog ChangelogConfig `yaml:"changelog"`
}

// ChangelogConfig is the compacted topic that holds a processor's state,
// one partition per partition of the items topic it consumes. Its
// replication is the cluster's (cluster.replication_factor and
// min_insync_replicas), like every topic the roles share.
type ChangelogConfig struct {
	// Name is appended to kafka.topic_prefix.
	Name string `yaml:"name"`
	// SnapshotCache keeps a snapshot of each partition's state in the data
	// directory, with the changelog offset it covers, so a restart reads
	// only the changelog after it. The changelog stays the truth: a
	// missing, stale or damaged cache only makes the restore longer.
	SnapshotCache bool `yaml:"snapshot_cache"`
	// SegmentTime, SegmentBytes and MinCleanableDirtyRatio are the topic's
	// segment.ms, segment.bytes and min.cleanable.dirty.ratio on creation
	// (defaults 1m, 64 MiB, 0.5; 0 takes them too). Kafka never compacts
	// the segment being written, so a restore reads about SegmentTime of
	// writes uncompacted. An existing topic with other values is logged,
	// not changed.
	SegmentTime            time.Duration `yaml:"segment_time"`
	SegmentBytes           int           `yaml:"segment_bytes"`
	MinCleanableDirtyRatio float64       `yaml:"min_cleanable_dirty_ratio"`
	// Fence is whether the changelog's writes carry a producer epoch per
	// partition owner, so that the partition leader refuses a batch an
	// old owner left on the wire once a new owner took the partition
	// (internal/kafkastate, epochfence.go): "on", "off", or "auto" (the
	// default), which fences when the cluster can host Kafka's
	// transaction coordinator and otherwise writes unfenced with one
	// warning (a single broker needs
	// transaction.state.log.replication.factor=1).
	Fence string `yaml:"fence"`
}

// FenceModes are the values of state.changelog.fence.
var FenceModes = []string{"auto", "on", "off"}

// DefaultConfig returns the defaults: a week of memory, a 72 h fingerprint
// window, two million entries, a log of at most twice the live state.
func DefaultConfig() Config {
	return Config{
		SeenTTL: 7 * 24 * time.Hour, FingerprintTTL: 72 * time.Hour, MaxEntries: 2_000_000,
		CompactRatio: 2, CompactMaxTailMiB: defaultCompactMaxTailMiB,
		// The changelog's compaction is kafkatable.DefaultCompaction's (why
		// there), which the feed topics take.
		Changelog: ChangelogConfig{Name: "state", SnapshotCache: true,
			SegmentTime: time.Minute, SegmentBytes: 64 << 20, MinCleanableDirtyRatio: 0.5, Fence: "auto"},
	}
}

// defaultCompactMinBytes is the tail a log may reach before its first
// rewrite, however small the state: a snapshot rewrites the whole live
// state, so its CPU per story is (its cost per byte) × (log bytes a story
// appends) ÷ (the tail it waits for), and a small state's tail of
// (compact_ratio - 1) × its size is soon full (round 42: 7–8 snapshots in
// 20 s at 30k remembered stories, 12 % of a new story's CPU, the events
// appending ≈ 12–18 KB a story). From 16 to 128 MiB, such a state is
// rewritten less often (`process` over 12k stories: 16–17 snapshots → 2,
// 0.88× the CPU), for at most 128 MiB more on disk and a restore reading
// up to that much more (14–22 CPU-ms a MiB replayed: ≤ ≈ 3 s); a state
// over 128 MiB (1M stories: ≈ 300 MiB) compacts by the ratio alone, as
// before (round 43, snap43).
const defaultCompactMinBytes = 128 << 20

// defaultCompactMaxTailMiB is the most segments a restore replays after
// its snapshot, plus what is appended while a compaction writes. Round
// 43 (rst44) restored a busy 1M-story state (313.5 MiB snapshot) on a
// quiet 2-core box in 4.4 s from the snapshot, 7.4 s with 128 MiB of
// segments and 10.7 s with 556 MiB: 10 s holds up to ≈ 460–490 MiB. The
// ratio lets (compact_ratio - 1) × the snapshot build — 313 MiB at 2, 940
// at 4 — and a compaction of that state takes ≈ 3.4 s, during which a
// busy log appends ≈ 90 MiB more; 256 MiB leaves that room (≈ 350 MiB,
// ≈ 9 s) at the cost of ≈ 1.2× the compactions of such a state at ratio
// 2 (round 44, snap44). A state under 256 MiB is not affected at ratio 2.
const defaultCompactMaxTailMiB = 256

// minCompactMaxTailMiB is the least bound accepted: round 42's floor,
// under which a state was rewritten whole every few seconds.
const minCompactMaxTailMiB = 16

func (c Config) compactMinBytes() int64 {
	if c.CompactMinBytes > 0 {
		return c.CompactMinBytes
	}
	return defaultCompactMinBytes
}

// Validate names every bad key.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, rule string, got any) {
		errs = append(errs, fmt.Errorf("state.%s: %s, got %v", key, rule, got))
	}
	if c.SeenTTL <= 0 {
		bad("seen_ttl", "must be > 0", c.SeenTTL)
	}
	if c.FingerprintTTL <= 0 {
		bad("fingerprint_ttl", "must be > 0", c.FingerprintTTL)
	} else if c.FingerprintTTL > c.SeenTTL && c.SeenTTL > 0 {
		bad("fingerprint_ttl", fmt.Sprintf("must be <= state.seen_ttl (%s)", c.SeenTTL), c.FingerprintTTL)
	}
	if c.MaxEntries <= 0 {
		bad("max_entries", "must be > 0", c.MaxEntries)
	}
	if c.CompactRatio < 1.5 {
		bad("compact_ratio", "must be >= 1.5 (a lower ratio rewrites the log almost every batch)", c.CompactRatio)
	}
	if c.CompactMaxTailMiB < minCompactMaxTailMiB {
		bad("compact_max_tail_mib", fmt.Sprintf("must be >= %d (MiB of segments after a snapshot; a smaller tail rewrites the whole state every few seconds)", minCompactMaxTailMiB), c.CompactMaxTailMiB)
	}
	if c.Changelog.Name == "" {
		bad("changelog.name", "must not be empty", `""`)
	}
	// A segment a second is already 60 times the default's files; below
	// that the broker would roll on nearly every append.
	if cl := c.Changelog; cl.SegmentTime < 0 || (cl.SegmentTime > 0 && cl.SegmentTime < time.Second) {
		bad("changelog.segment_time", "must be 0 (the default) or >= 1s", cl.SegmentTime)
	}
	// segment.bytes is an int32 on the broker.
	if cl := c.Changelog; cl.SegmentBytes < 0 || (cl.SegmentBytes > 0 && (cl.SegmentBytes < 1<<20 || cl.SegmentBytes > math.MaxInt32)) {
		bad("changelog.segment_bytes", "must be 0 (the default) or within [1048576, 2147483647] (the broker's bounds)", cl.SegmentBytes)
	}
	if r := c.Changelog.MinCleanableDirtyRatio; r < 0 || r > 1 {
		bad("changelog.min_cleanable_dirty_ratio", "must be within [0, 1] (0: the default)", r)
	}
	if !slices.Contains(FenceModes, c.Changelog.Fence) {
		bad("changelog.fence", fmt.Sprintf("must be one of %s", strings.Join(FenceModes, ", ")), fmt.Sprintf("%q", c.Changelog.Fence))
	}
	return errors.Join(errs...)
}
