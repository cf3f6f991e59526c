package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Store joins the log to the stages that own the state: it restores them
// from the log at Open, appends what they change, and compacts the log from
// their memory. It also owns one table itself, the poller's per-feed state
// (sources/feed.StateStore), for the single process. Its methods are safe
// for concurrent use.
type Store struct {
	log     Log // nil: memory only (`process` without a data directory)
	m       *Metrics
	lg      *slog.Logger
	owners  []Owner
	byTable map[Table]Owner

	// mu orders Commit and Update: the log and memory change in one order.
	mu     sync.Mutex
	closed bool

	feeds *feedTable

	compacting bool // guarded by mu
	compactWG  sync.WaitGroup
	stop       chan struct{}
}

// Options are what Open needs besides the log and the owners.
type Options struct {
	Metrics *Metrics     // nil: unregistered
	Log     *slog.Logger // nil: discarded
}

// Counter is an Owner that reports how many live entries each of its
// tables holds, for the wirestream_state_keys gauge.
type Counter interface {
	Count(Table) int
}

// errStopping ends a snapshot when the store closes.
var errStopping = errors.New("state store closing")

// Open restores every owner from log — each gets the entries of the tables
// it names, in log order — and returns the store that appends their
// changes. A nil log keeps the state in memory only. Entries of a table no
// owner claims are skipped (with a warning): a role that does not run that
// stage.
func Open(ctx context.Context, log Log, o Options, owners ...Owner) (*Store, error) {
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Store{
		log: log, m: o.Metrics, lg: o.Log, byTable: map[Table]Owner{},
		feeds: &feedTable{m: map[string][]byte{}}, stop: make(chan struct{}),
	}
	for _, ow := range append([]Owner{s.feeds}, owners...) {
		for _, t := range ow.Tables() {
			if prev, dup := s.byTable[t]; dup && prev != ow {
				return nil, fmt.Errorf("state: table %s has two owners", t)
			}
			s.byTable[t] = ow
		}
		s.owners = append(s.owners, ow)
	}
	for _, ow := range s.owners {
		if t, ok := ow.(Tracker); ok {
			t.TrackChanges(log != nil)
		}
	}
	if log == nil {
		return s, nil
	}
	start := time.Now()
	skipped := map[Table]int{}
	var n int64
	err := log.Restore(ctx, func(e Entry) error {
		ow := s.byTable[e.Table]
		if ow == nil {
			skipped[e.Table]++
			return nil
		}
		n++
		if err := ow.Load(e); err != nil {
			return fmt.Errorf("restore %s entry %x: %w", e.Table, e.Key, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore state: %w", err)
	}
	for _, ow := range s.owners {
		if r, ok := ow.(Restorer); ok {
			if err := r.Restored(); err != nil {
				return nil, fmt.Errorf("restore state: %w", err)
			}
		}
	}
	for t, k := range skipped {
		s.lg.Warn("state log holds entries of a table this process does not use; they are dropped at the next compaction",
			"table", t.String(), "entries", k)
	}
	s.countKeys()
	// A log whose restore read much that no snapshot covers (a cold
	// restore of a Kafka changelog) says so through CompactDue: snapshot it
	// now, not after the next commits, so a crash soon after start does not
	// cost the successor the same long restore.
	s.mu.Lock()
	s.maybeCompact()
	s.mu.Unlock()
	s.lg.Info("state restored", "entries", n, "duration", time.Since(start).Round(time.Millisecond).String())
	return s, nil
}

// Commit appends entries to the log — durably, when it returns nil — and
// then calls apply (if not nil) to make the same change in memory, both
// while holding the store's order. On error apply is not called: the caller
// forgets what it meant to commit.
func (s *Store) Commit(ctx context.Context, entries []Entry, apply func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("state: commit after close")
	}
	if s.log != nil && len(entries) > 0 {
		if err := s.log.Append(ctx, entries); err != nil {
			return fmt.Errorf("state: append %d entries: %w", len(entries), err)
		}
	}
	if apply != nil {
		apply()
	}
	s.maybeCompact()
	return nil
}

// Update runs fn, which changes memory and returns the entries that record
// the change (pruning's tombstones), and appends them. Memory is ahead of
// the log if the append fails: fn may only forget, never add, so a crash
// then only brings back what was pruned.
func (s *Store) Update(ctx context.Context, fn func() []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("state: update after close")
	}
	es := fn()
	if s.log != nil && len(es) > 0 {
		if err := s.log.Append(ctx, es); err != nil {
			return fmt.Errorf("state: append %d entries: %w", len(es), err)
		}
	}
	s.countKeys()
	s.maybeCompact()
	return nil
}

// maybeCompact starts a snapshot in the background when the log asks for
// one. Called with s.mu held, so the rotation falls between two commits.
func (s *Store) maybeCompact() {
	c, ok := s.log.(Compactor)
	if !ok || s.compacting || !c.CompactDue() {
		return
	}
	sw, err := s.rotate(c)
	if err != nil {
		s.lg.Error("state log compaction could not start", "err", err)
		return
	}
	s.compactWG.Add(1)
	go func() {
		defer s.compactWG.Done()
		if err := s.compact(sw); err != nil && !errors.Is(err, errStopping) {
			s.lg.Error("state log compaction failed; the log stays as it was", "err", err)
		}
	}()
}

// rotate starts a compaction: the log's snapshot writer, with compacting
// set. Called with s.mu held.
func (s *Store) rotate(c Compactor) (SnapshotWriter, error) {
	if s.compacting {
		return nil, errors.New("state: a compaction is running")
	}
	sw, err := c.Rotate()
	if err != nil {
		return nil, err
	}
	s.compacting = true
	return sw, nil
}

// compact writes the snapshot rotate started and ends the compaction.
func (s *Store) compact(sw SnapshotWriter) error {
	err := s.snapshot(sw)
	s.mu.Lock()
	s.compacting = false
	s.mu.Unlock()
	return err
}

// snapshot writes every owner's live entries into sw and commits it.
func (s *Store) snapshot(sw SnapshotWriter) error {
	emit := func(e Entry) error {
		select {
		case <-s.stop:
			return errStopping
		default:
		}
		return sw.Write(e)
	}
	for _, ow := range s.owners {
		if err := ow.Snapshot(emit); err != nil {
			sw.Abort()
			return err
		}
	}
	return sw.Commit()
}

// Compact writes a snapshot now, whether or not one is due, and waits for
// it: for tests and tools. Logs that do not compact ignore it.
func (s *Store) Compact() error {
	c, ok := s.log.(Compactor)
	if !ok {
		return nil
	}
	s.compactWG.Wait()
	s.mu.Lock()
	sw, err := s.rotate(c)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return s.compact(sw)
}

// WaitCompaction waits for a background compaction to end.
func (s *Store) WaitCompaction() { s.compactWG.Wait() }

func (s *Store) countKeys() {
	for _, ow := range s.owners {
		c, ok := ow.(Counter)
		if !ok {
			continue
		}
		for _, t := range ow.Tables() {
			s.m.Keys.WithLabelValues(t.String()).Set(float64(c.Count(t)))
		}
	}
}

// Metrics are the store's instruments, for the owners' pruning counts.
func (s *Store) Metrics() *Metrics { return s.m }

// LoadFeedState returns a feed's opaque poll state, nil when none.
func (s *Store) LoadFeedState(url string) ([]byte, error) {
	return s.feeds.get(url), nil
}

// SaveFeedState stores a feed's opaque poll state durably. Only the feed's
// own loop calls it, after its batch was acked.
func (s *Store) SaveFeedState(url string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	v := bytes.Clone(data)
	err := s.Commit(context.Background(), []Entry{{Table: Feeds, Key: []byte(url), Value: v}}, func() { s.feeds.put(url, v) })
	if err != nil {
		return fmt.Errorf("save feed state of %s: %w", url, err)
	}
	return nil
}

// Ready reports whether the store can commit, for /readyz.
func (s *Store) Ready(ctx context.Context) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return errors.New("state store closed")
	}
	if r, ok := s.log.(interface{ Ready(context.Context) error }); ok {
		return r.Ready(ctx)
	}
	return nil
}

// Close stops a running compaction (its snapshot is dropped; the log stays
// whole) and closes the log. A log that asks for it (the Kafka changelog's
// local cache) gets a snapshot first, so the next start restores fast.
func (s *Store) Close() error {
	if c, ok := s.log.(interface{ SnapshotOnClose() bool }); ok && c.SnapshotOnClose() {
		s.compactWG.Wait()
		if err := s.Compact(); err != nil {
			s.lg.Warn("state snapshot at close failed; the next start restores the whole log", "err", err)
		}
	}
	return s.Discard()
}

// Discard closes the store like Close but takes no snapshot, and drops
// one being written: for owners whose memory is ahead of the log (the
// decisions of batches that were never committed), which a snapshot
// would hand the next restore as if the log held them.
func (s *Store) Discard() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.stop)
	s.mu.Unlock()
	s.compactWG.Wait()
	if s.log != nil {
		return s.log.Close()
	}
	return nil
}

// feedTable is the poller's per-feed state: a few thousand small blobs.
type feedTable struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (f *feedTable) Tables() []Table { return []Table{Feeds} }

func (f *feedTable) Load(e Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e.Value == nil {
		delete(f.m, string(e.Key))
	} else {
		f.m[string(e.Key)] = bytes.Clone(e.Value)
	}
	return nil
}

func (f *feedTable) Snapshot(emit func(Entry) error) error {
	f.mu.Lock()
	es := make([]Entry, 0, len(f.m))
	for k, v := range f.m {
		es = append(es, Entry{Table: Feeds, Key: []byte(k), Value: v})
	}
	f.mu.Unlock()
	for _, e := range es {
		if err := emit(e); err != nil {
			return err
		}
	}
	return nil
}

func (f *feedTable) Count(Table) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.m)
}

func (f *feedTable) get(url string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return bytes.Clone(f.m[url])
}

func (f *feedTable) put(url string, v []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.m[url] = v
}
