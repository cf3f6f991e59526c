package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Store joins the log to the stages that own the state: it restores them
// from the log at Open, appends what they change, and compacts the log from
// their memory. It also owns one table itself, the poller's per-feed state
// (sources/feed.StateStore), for the single process, and the event records
// written and not yet committed (NoteWritten). Its methods are safe
// for concurrent use.
type Store struct {
	log Log // nil: memory only (`process` without a data directory)
	// mem is, with no log, what Rewind takes the trackers back to: what
	// was committed of their tables (memoryLog). Guarded by mu.
	mem     *memoryLog
	m       *Metrics
	lg      *slog.Logger
	owners  []Owner
	byTable map[Table]Owner
	// trackers are the owners whose memory runs ahead of the log: a
	// batch's decisions change them before Commit appends the entries
	// (Tracker). A snapshot takes them only while none is ahead, and
	// under mu, so it holds exactly what the log holds at its rotation.
	trackers []Owner
	others   []Owner

	// mu orders Commit and Update: the log and memory change in one order.
	mu     sync.Mutex
	closed bool
	// isClosed is closed, for Ready: a commit holds mu while its append
	// waits (a full disk, a changelog broker away, a stalled fsync), and
	// /readyz must answer meanwhile.
	isClosed atomic.Bool
	// queued are the Commits waiting for the next group; its leader,
	// once it holds mu, appends them all (group commit). leading is set
	// while a leader runs: the others wait to be taken along or handed
	// the lead (Commit). Guarded by qmu, which is never held while
	// waiting for mu.
	qmu     sync.Mutex
	queued  []*commit
	leading bool

	feeds   *blobTable
	written *blobTable // the Written table (written.go)

	compacting bool // guarded by mu
	// compactHeldUntil, when set, is when a rewrite due from Open stops
	// waiting for the first committed batch (openhold.go). Guarded by mu.
	compactHeldUntil time.Time
	hintedAt         time.Time // when the size hints were last saved; guarded by mu

	// now is the clock of a failed compaction's retry (Options.now).
	now func() time.Time
	// compactFailures counts the background snapshots that failed in a
	// row, since compactFailSince; none is started before compactRetryAt.
	// Guarded by mu.
	compactFailures  int
	compactFailSince time.Time
	compactRetryAt   time.Time

	// ahead counts the decisions in the trackers' memory that the log does
	// not hold yet (Decide, Settle); carried counts those of them that no
	// batch in flight will commit (a failed batch's, which the next commit
	// carries). settled is closed and replaced at every Settle. All
	// guarded by mu.
	ahead, carried int
	settled        chan struct{}
	// While a compaction runs (compactAhead), committedSince counts the
	// decisions settled as committed since it took the trackers, and
	// snapFailed is set when one settled as failed (or the store closes):
	// its snapshot may hold that decision and is dropped. Guarded by mu.
	committedSince int
	snapFailed     bool

	compactWG sync.WaitGroup
	stop      chan struct{}

	restored int64 // entries Open read from the log
}

// Restored is the number of entries Open read from the log: 0 for a
// fresh or in-memory state.
func (s *Store) Restored() int64 { return s.restored }

// Options are what Open needs besides the log and the owners.
type Options struct {
	Metrics *Metrics     // nil: unregistered
	Log     *slog.Logger // nil: discarded
	// NoMemoryRewind, with no log, keeps no copy of what was committed
	// of the Trackers' tables (memoryLog), so Rewind cannot take them
	// back (CanRewind is false) and they record no changes. For a caller
	// that decides nothing after a failed batch: `process`, whose input
	// cannot be read again, ends at its first. The copy and the changes
	// recorded for it were ≈ 11 % of `process`'s CPU per article.
	NoMemoryRewind bool

	now func() time.Time // nil: time.Now; tests move it
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
		feeds: newBlobTable(Feeds), written: newBlobTable(Written), stop: make(chan struct{}),
		settled: make(chan struct{}), now: o.now,
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, ow := range append([]Owner{s.feeds, s.written}, owners...) {
		for _, t := range ow.Tables() {
			if prev, dup := s.byTable[t]; dup && prev != ow {
				return nil, fmt.Errorf("state: table %s has two owners", t)
			}
			s.byTable[t] = ow
		}
		s.owners = append(s.owners, ow)
	}
	for _, ow := range s.owners {
		if _, ok := ow.(Tracker); ok {
			s.trackers = append(s.trackers, ow)
		} else {
			s.others = append(s.others, ow)
		}
	}
	if log == nil && !o.NoMemoryRewind && resetters(s.trackers) {
		// Memory only still rewinds: a failed batch's decisions are taken
		// back as with the file log, so its stories read again count once.
		s.mem = newMemoryLog(s.trackers)
	}
	for _, ow := range s.trackers {
		ow.(Tracker).TrackChanges(log != nil || s.mem != nil)
	}
	if log == nil {
		return s, nil
	}
	start := time.Now()
	s.hintedAt = start
	s.loadHints(ctx)
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
			return &UnreadableEntryError{Table: e.Table, Key: bytes.Clone(e.Key), Err: err}
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
	// restore of a Kafka changelog, a file log's tail past its bound) says
	// so through CompactDue: snapshot it now, not after the next commits,
	// so a crash soon after start does not cost the successor the same
	// long restore — except a file log's, whose tail is bounded: that one
	// waits for the first committed batch, leaving the start-up the cores
	// (openhold.go).
	s.mu.Lock()
	if h, ok := log.(openHolder); ok && h.holdsRewriteAtOpen() && compactDue(log) {
		s.holdCompactionFromOpen()
	}
	s.maybeCompact()
	s.mu.Unlock()
	s.restored = n
	s.lg.Info("state restored", "entries", n, "duration", time.Since(start).Round(time.Millisecond).String())
	return s, nil
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
	if s.mem != nil {
		s.mem.append(es)
	}
	s.countKeys()
	if s.log != nil && len(es) > 0 && s.hintsDue() {
		s.saveHints()
	}
	s.maybeCompact()
	return nil
}

// Decide notes that a batch's decisions are about to change the
// trackers' memory ahead of the log, until Settle. It never waits for a
// snapshot: one that falls due while decisions are out takes the
// trackers as they are and is kept only once those decisions are
// committed (compactAhead). ctx is not used any more; it stays for the
// callers that pass their batch's.
func (s *Store) Decide(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ahead++
}

// awaitSettle waits, with s.mu held, while held() and the store is open,
// waking at every Settle (and compaction end); it returns ctx's error if
// ctx ends first.
func (s *Store) awaitSettle(ctx context.Context, held func() bool) error {
	for held() && !s.closed {
		ch := s.settled
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		s.mu.Lock()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Settle ends n decisions noted by Decide: committed, when the log now
// holds them — and every carried one with them, as a commit carries them
// all —, or carried, when their batch failed and memory keeps them until
// a later commit, or until Rewind drops them from memory. A snapshot that waited for memory to match the log
// starts when none is left.
func (s *Store) Settle(n int, committed bool) {
	s.settle(func() {
		if committed {
			s.releaseCompactionHold()
			s.ahead -= n + s.carried
			s.carried = 0
			s.committedSince += n
		} else {
			s.carried += n
			s.snapFailed = true // a running compaction may have taken them
		}
	})
}

// SettleUnchanged ends n decisions that changed nothing in memory. The
// carried ones stay carried: only a commit ends those.
func (s *Store) SettleUnchanged(n int) {
	s.settle(func() { s.ahead -= n })
}

// settle applies one change to the counts under mu, wakes every Decide
// waiting on them, and starts a snapshot that is due.
func (s *Store) settle(change func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change()
	if s.ahead < 0 || s.carried > s.ahead {
		panic(fmt.Sprintf("state: Settle without Decide (ahead %d, carried %d)", s.ahead, s.carried))
	}
	s.wake()
	if !s.closed {
		s.maybeCompact()
	}
}

// wake releases every Decide waiting on settled. Called with s.mu held.
func (s *Store) wake() {
	close(s.settled)
	s.settled = make(chan struct{})
}

// maybeCompact starts a snapshot when the log asks for one. Called with
// s.mu held, so the rotation falls between two commits. The snapshot is
// written in the background (compactAhead) whether or not decisions are
// out: the pipeline never stops for it. Only while memory holds a failed
// batch's decisions (carried: in no segment, and only the next commit or
// a rewind settles them) does it wait for the next call.
func (s *Store) maybeCompact() {
	c, ok := s.log.(Compactor)
	if !ok || s.compacting || s.carried > 0 || s.now().Before(s.compactRetryAt) || s.compactionHeld() || !c.CompactDue() {
		return
	}
	sw, err := c.Rotate()
	if err != nil {
		s.compactFailed(fmt.Errorf("could not start: %w", err))
		return
	}
	s.compacting, s.snapFailed = true, false
	s.compactWG.Add(1)
	go func() {
		defer s.compactWG.Done()
		s.endCompaction(s.compactAhead(sw), true)
	}()
}

// compactFailed notes that a background snapshot failed, and when the
// next may start. The first of a run of failures is an ERROR; the
// retries, a WARN each. Called with s.mu held.
func (s *Store) compactFailed(err error) {
	s.compactFailures++
	wait := compactRetryMax
	if s.compactFailures <= 16 {
		wait = min(compactRetryMin<<(s.compactFailures-1), compactRetryMax)
	}
	now := s.now()
	s.compactRetryAt = now.Add(wait)
	s.m.CompactionFailures.Set(float64(s.compactFailures))
	if s.compactFailures == 1 {
		s.compactFailSince = now
		what := "free space in the data directory (a snapshot needs about the size of the live state)"
		if errors.Is(err, errEntryTooLarge) {
			what = "a stage's entry is larger than a snapshot can hold, which space does not fix: report it"
		}
		s.lg.Error("state log compaction failed: the log keeps its files and grows until a snapshot gets through; "+what,
			"err", err, "retry_in", wait.String())
		return
	}
	s.lg.Warn("state log compaction failed again", "failures", s.compactFailures,
		"failing_for", now.Sub(s.compactFailSince).Round(time.Second).String(), "retry_in", wait.String(), "err", err)
}

// A snapshot that failed (a full disk: it needs about the live state's
// size at once, while a commit needs a record's) is tried again after
// compactRetryMin, doubling at each failure in a row up to
// compactRetryMax, not at the next commit: each try writes the whole
// state and fails again while the disk stays full. The log grows
// meanwhile, as it does between two compactions.
const (
	compactRetryMin = 10 * time.Second
	compactRetryMax = 10 * time.Minute
)

// errSnapshotDecisionFailed drops a snapshot that may hold the decisions
// of a batch that was not committed.
var errSnapshotDecisionFailed = errors.New("a batch decided while the snapshot was taken failed; it is dropped and taken again later")

// compactAhead writes the snapshot rotate would, without stopping the
// decisions: it takes the trackers as they are (their own locks keep each
// entry whole), which may include decisions the log does not hold yet,
// then waits until every decision that was out when it finished taking
// them is committed before it commits the snapshot. Every entry is the
// newest value of its key, and the segments after the rotation hold every
// change committed since, in order, so a restore that replays them over
// the snapshot ends where the log does. A decision that fails meanwhile
// may be in the snapshot and will never be in the log: the snapshot is
// dropped (the log stays whole; the next commit tries again). Commits are
// settled in the order they were decided, so once as many have been
// settled as committed as were out, those that were out are.
func (s *Store) compactAhead(sw SnapshotWriter) error {
	err := s.write(sw, s.trackers)
	s.mu.Lock()
	out := s.ahead
	s.committedSince = 0
	if err == nil {
		_ = s.awaitSettle(context.Background(), func() bool {
			return !s.snapFailed && s.ahead > 0 && s.committedSince < out
		})
		switch {
		case s.closed:
			err = errStopping
		case s.snapFailed:
			err = errSnapshotDecisionFailed
		}
	}
	s.mu.Unlock()
	if err != nil {
		sw.Abort()
		return err
	}
	return s.finish(sw)
}

// endCompaction ends a compaction: its snapshot committed (err nil),
// dropped (a store closing, a failed decision) or failed. The failure of
// a background one (not Compact's, whose caller has the error) puts the
// next off (compactFailed); a snapshot that gets through ends a run of
// failures.
func (s *Store) endCompaction(err error, background bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compacting = false
	switch {
	case err == nil:
		s.saveHints() // the snapshot's own hint covers only itself
		if s.compactFailures > 0 {
			s.lg.Info("state log compacts again", "failures", s.compactFailures,
				"failed_for", s.now().Sub(s.compactFailSince).Round(time.Second).String())
		}
		s.compactFailures, s.compactRetryAt = 0, time.Time{}
		s.m.CompactionFailures.Set(0)
	case errors.Is(err, errSnapshotDecisionFailed):
		s.lg.Info("state snapshot dropped: a batch decided while it was taken failed", "err", err)
	case errors.Is(err, errStopping):
	case background:
		s.compactFailed(err)
	}
	s.wake() // a Rewind waits for the compaction to end
}

// rotate starts a compaction now (Compact, for tests, tools and Close):
// the log's snapshot writer, with compacting set and the trackers'
// entries in it already. Called with s.mu held and no decision ahead of
// the log, so what the trackers hold is what the log holds up to the
// rotation. The other owners change only under mu, in Commit's apply, so
// they may be snapshotted later, in the background: what changes after
// the rotation is replayed after the snapshot. A compaction that falls
// due on its own does not wait for that moment (compactAhead).
func (s *Store) rotate(c Compactor) (SnapshotWriter, error) {
	switch {
	case s.compacting:
		return nil, errors.New("state: a compaction is running")
	case s.ahead > 0:
		return nil, ErrAheadOfLog
	}
	sw, err := c.Rotate()
	if err != nil {
		return nil, err
	}
	if err := s.write(sw, s.trackers); err != nil {
		sw.Abort()
		return nil, err
	}
	s.compacting = true
	return sw, nil
}

// finish writes the other owners into the snapshot rotate started and
// commits it, or drops it (its temporary file goes) when a write fails.
func (s *Store) finish(sw SnapshotWriter) error {
	if err := s.write(sw, s.others); err != nil {
		sw.Abort()
		return err
	}
	return sw.Commit()
}

// write hands sw the live entries of owners.
func (s *Store) write(sw SnapshotWriter, owners []Owner) error {
	emit := func(e Entry) error {
		select {
		case <-s.stop:
			return errStopping
		default:
		}
		return sw.Write(e)
	}
	for _, ow := range owners {
		if err := ow.Snapshot(emit); err != nil {
			return err
		}
	}
	return nil
}

// Compact writes a snapshot now, whether or not one is due, and waits for
// it: for tests and tools. Logs that do not compact ignore it. It returns
// ErrAheadOfLog while a decision is not settled (Decide).
func (s *Store) Compact() error {
	c, ok := s.log.(Compactor)
	if !ok {
		return nil
	}
	s.mu.Lock()
	ahead := s.ahead > 0
	s.mu.Unlock()
	if ahead {
		return ErrAheadOfLog // and a compaction running may wait for them
	}
	s.compactWG.Wait()
	s.mu.Lock()
	sw, err := s.rotate(c)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	err = s.finish(sw)
	s.endCompaction(err, false)
	return err
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
	return s.feeds.get(url)
}

// SaveFeedState stores a feed's opaque poll state durably. Only the feed's
// own loop calls it, after its batch was acked; ctx bounds the append
// (and, with the commits that share it, their group's: Commit).
func (s *Store) SaveFeedState(ctx context.Context, url string, data []byte) error {
	v := append([]byte{}, data...) // kept: the caller may reuse data; never nil (saveFeedState)
	return s.saveFeedState(ctx, url, v, func() { s.feeds.put(url, v) })
}

// SaveFeedStateLater stores a feed's poll state durably as SaveFeedState
// does, but keeps in memory, instead of data, again: what gives the same
// bytes when a snapshot or LoadFeedState needs them. data is appended and
// not kept (nor copied: it is read only during the call). again must
// return data's bytes exactly — the snapshot replaces the log's entries
// with its output — for as long as the store holds it, and may be called
// from another goroutine. The caller keeps the state decoded anyway (the
// feed's loop), so the encoded copy was 2.7 KB a feed of live heap.
func (s *Store) SaveFeedStateLater(ctx context.Context, url string, data []byte, again func() ([]byte, error)) error {
	return s.saveFeedState(ctx, url, data, func() { s.feeds.putLater(url, again) })
}

// saveFeedState appends a feed's poll state, empty for nil (a nil value
// would delete it), and once committed keeps it in memory by keep.
func (s *Store) saveFeedState(ctx context.Context, url string, data []byte, keep func()) error {
	if data == nil {
		data = []byte{}
	}
	err := s.Commit(ctx, []Entry{{Table: Feeds, Key: []byte(url), Value: data}}, keep)
	if err != nil {
		return fmt.Errorf("save feed state of %s: %w", record.RedactURL(url), err) // logged
	}
	return nil
}

// Ready reports whether the store can commit, for /readyz. It does not
// wait for the store's order: the log answers for itself.
func (s *Store) Ready(ctx context.Context) error {
	if s.isClosed.Load() {
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
		// A compaction waiting for decisions to be committed waits in
		// vain now: nothing commits after the drain. It drops its
		// snapshot; Compact takes one of what the log holds.
		s.mu.Lock()
		s.snapFailed = true
		s.wake()
		s.mu.Unlock()
		s.compactWG.Wait()
		if err := s.Compact(); errors.Is(err, ErrAheadOfLog) {
			s.lg.Info("no state snapshot at close: memory holds a failed batch's decisions the log does not; the next start restores the log's tail")
		} else if err != nil {
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
	s.isClosed.Store(true)
	close(s.stop)
	s.wake() // a compaction waiting for commits that will not come
	s.mu.Unlock()
	s.compactWG.Wait()
	if s.log != nil {
		// Nothing commits any more: the hints are what the next restore
		// will load.
		s.saveHints()
		return s.log.Close()
	}
	return nil
}
