package state

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// CanRewind reports whether Rewind can take the Trackers back to the log:
// the log replays again (the file log), or there is none (memory only:
// the store keeps what was committed of the Trackers' tables, memoryLog),
// and every Tracker can forget. Otherwise (the Kafka changelog) a failed
// batch's decisions stay in memory and are committed with the next batch
// (Settle).
func (s *Store) CanRewind() bool {
	return s.rereader() != nil && resetters(s.trackers)
}

// rereader is what Rewind reads the Trackers back from: the log, or
// without one the store's memoryLog; nil if neither can.
func (s *Store) rereader() Rereader {
	if s.log == nil {
		if s.mem == nil {
			return nil
		}
		return s.mem
	}
	rr, _ := s.log.(Rereader)
	return rr
}

// resetters reports whether every owner can forget what it holds.
func resetters(owners []Owner) bool {
	for _, ow := range owners {
		if _, ok := ow.(Resetter); !ok {
			return false
		}
	}
	return true
}

// Rewind takes the Trackers' memory (events, spikes, enrichment) back to
// what the log holds: it waits until every decision noted by Decide is
// settled and every one left is a failed batch's (carried), and no
// compaction runs; then it resets the Trackers and loads their tables
// again from the log, as Open did. The decisions of the failed batches
// are gone from memory as from the log, so their stories, read again,
// are counted once. The caller decides nothing meanwhile and commits
// nothing of what it decided before (its entries were made on that
// memory). The other owners (dedupe, the feeds) change only in Commit,
// so they already match the log and are left as they are. On error
// (ctx ended, the log could not be read) memory stays ahead of the log
// and the caller tries again later.
func (s *Store) Rewind(ctx context.Context) error {
	if !s.CanRewind() {
		return errors.New("state: this log or a stage cannot rewind")
	}
	rr := s.rereader()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.awaitSettle(ctx, func() bool { return s.ahead > s.carried || s.compacting }); err != nil {
		return fmt.Errorf("state: rewind: %w", err)
	}
	if s.closed {
		return errors.New("state: rewind after close")
	}
	start := time.Now()
	tracked := map[Table]Owner{}
	for _, ow := range s.trackers {
		ow.(Resetter).Reset()
		for _, t := range ow.Tables() {
			tracked[t] = ow
		}
	}
	var n int64
	err := rr.Reread(ctx, func(e Entry) error {
		ow := tracked[e.Table]
		if ow == nil {
			return nil
		}
		n++
		if err := ow.Load(e); err != nil {
			return fmt.Errorf("%s entry %x: %w", e.Table, e.Key, err)
		}
		return nil
	})
	for _, ow := range s.trackers {
		if r, ok := ow.(Restorer); ok && err == nil {
			err = r.Restored()
		}
	}
	if err != nil {
		return fmt.Errorf("state: rewind: %w", err)
	}
	s.ahead, s.carried = 0, 0
	s.wake()
	s.countKeys()
	s.maybeCompact()
	s.lg.Info("state rewound to the log: the failed batches' decisions are forgotten",
		"entries", n, "duration", time.Since(start).Round(time.Millisecond).String())
	return nil
}
