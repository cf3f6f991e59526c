package pipeline

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the orchestrator.
type Config struct {
	// MaxInFlightBatches is how many batches may be between their
	// decisions and their commit at once: decided, being written, or
	// acknowledged and waiting for an earlier batch's commit. Past it the
	// pipeline stops taking batches, so a slow sink slows the sources.
	MaxInFlightBatches int `yaml:"max_in_flight_batches"`
	// MaxInFlightStateBytes bounds, in bytes (keys and values), the
	// encoded state changes of the batches decided and not yet committed
	// (events', spikes' and the enricher's entries, waiting for the sink
	// and then for the state log). Past it Run takes no further batch
	// (the sources wait, as past MaxInFlightBatches) and the second stage
	// decides none of those taken, until a commit frees bytes: a slow
	// sink or state log costs this much memory, not a batch-count's worth
	// of changes of any size. It is passed by one run of the second stage
	// at most: the works taken before the bytes reached it are decided
	// together (up to MaxWriteRecords items), and a run larger than the
	// bound is still decided once nothing else waits: nothing is dropped.
	MaxInFlightStateBytes int64 `yaml:"max_in_flight_state_bytes"`
	// MaxInFlightWrites is how many sink writes may be outstanding at
	// once, so Kafka round trips overlap. While all are outstanding,
	// decided batches wait and then go out together in one write
	// (coalesced, up to MaxWriteRecords records), so a sink that lags
	// gets fewer, larger writes instead of a queue of small ones. Two
	// writes with a record key in common never overlap: the later waits
	// (the sink keeps one key's order only within a write).
	MaxInFlightWrites int `yaml:"max_in_flight_writes"`
	// DecideQueuedTogether merges the batches that queued for the second
	// stage while it was busy into one run of it, one write and one
	// commit (see Run). Assignments, ids and state are the same either
	// way; what changes is how many states of an event are published: one
	// per run of the second stage that changed it, so an event's
	// revision then depends on how batches queued, not only on the input.
	DecideQueuedTogether bool `yaml:"decide_queued_together"`
	// MaxWriteRecords caps the records of a coalesced write, and the
	// items of batches decided together by the second stage; a single
	// batch larger than it is still written whole. It does not cap one
	// sink Write: a hot key's waiting part collects that key's records
	// from every write holding a slot (see keyedWrites), so one Write
	// can carry up to about (MaxInFlightWrites−1) × MaxWriteRecords.
	MaxWriteRecords int `yaml:"max_write_records"`
	// DrainTimeout bounds how long Run waits, after its input closes or its
	// context ends, for in-flight writes to be acknowledged. Batches not
	// acknowledged by then are not committed: their feeds are re-read on
	// the next start. Not a file setting: the daemon sets it from
	// shutdown_timeout, so one knob bounds a stop.
	DrainTimeout time.Duration `yaml:"-"`
	// MaintenanceInterval is how often events are expired and spikes
	// advanced when no batch arrives.
	MaintenanceInterval time.Duration `yaml:"maintenance_interval"`
	// PruneInterval is how often the state store and the near-duplicate
	// index drop expired entries.
	PruneInterval time.Duration `yaml:"prune_interval"`
	// Lateness is how far event time may lag the wall clock. Events and
	// spikes run on event time — the latest published time among the
	// stories seen — so a replay decides as the live run did; while no
	// story arrives, `run` moves event time on to the wall clock less
	// Lateness, so events still expire and spike buckets close. A story
	// published more than Lateness before it arrives after such a quiet
	// spell may find its event already closed.
	Lateness time.Duration `yaml:"lateness"`
	// EventPublishInterval is the least wall-clock time between two
	// records of one event (coalesce.go): an update sooner than that
	// after the event's last record waits, noted in the state log, and
	// goes out with the event's state of the moment at the first
	// second-stage run after the interval. An event's first record, a
	// final one (expired, merged) and what supersedes a record are
	// published at once. 0 publishes every change at once. Not a file
	// setting here: the daemon sets it from events.publish_interval.
	EventPublishInterval time.Duration `yaml:"-"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{DecideQueuedTogether: true, MaxInFlightBatches: 64, MaxInFlightStateBytes: 16 << 20, MaxInFlightWrites: 8, MaxWriteRecords: 5000, DrainTimeout: 30 * time.Second, MaintenanceInterval: time.Minute, PruneInterval: time.Hour, Lateness: 2 * time.Hour}
}

// Validate names every bad key.
func (c Config) Validate() error {
	var errs []error
	if c.MaxInFlightBatches < 1 {
		errs = append(errs, fmt.Errorf("pipeline.max_in_flight_batches: must be >= 1, got %d", c.MaxInFlightBatches))
	}
	if c.MaxInFlightStateBytes < 1 {
		errs = append(errs, fmt.Errorf("pipeline.max_in_flight_state_bytes: must be >= 1, got %d", c.MaxInFlightStateBytes))
	}
	if c.MaxInFlightWrites < 1 {
		errs = append(errs, fmt.Errorf("pipeline.max_in_flight_writes: must be >= 1, got %d", c.MaxInFlightWrites))
	}
	if c.MaxWriteRecords < 1 {
		errs = append(errs, fmt.Errorf("pipeline.max_write_records: must be >= 1, got %d", c.MaxWriteRecords))
	}
	if c.DrainTimeout <= 0 {
		errs = append(errs, fmt.Errorf("pipeline: drain timeout must be > 0, got %s", c.DrainTimeout))
	}
	if c.MaintenanceInterval <= 0 {
		errs = append(errs, fmt.Errorf("pipeline.maintenance_interval: must be > 0, got %s", c.MaintenanceInterval))
	}
	if c.PruneInterval <= 0 {
		errs = append(errs, fmt.Errorf("pipeline.prune_interval: must be > 0, got %s", c.PruneInterval))
	}
	if c.Lateness <= 0 {
		errs = append(errs, fmt.Errorf("pipeline.lateness: must be > 0, got %s", c.Lateness))
	}
	if c.EventPublishInterval < 0 {
		errs = append(errs, fmt.Errorf("events.publish_interval: must be >= 0, got %s", c.EventPublishInterval))
	}
	return errors.Join(errs...)
}
