package state

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// DirName is the file log's directory inside the data directory.
const DirName = "state"

// legacyBolt is the bbolt file of wirestream before the state log.
const legacyBolt = "wirestream-state.db"

// FileLog is the Log in a directory: append-only segments, one record per
// Append with a CRC, fsynced before Append returns (unless no_sync), and a
// snapshot that replaces the segments before it when the Store compacts.
//
// Files: <seq>.log segments, <seq>.snap the last snapshot (it covers every
// segment before <seq>), LOCK. Restore replays the newest snapshot, then
// the segments from its seq on. A record a crash cut short at the end of a
// segment is cut off; a damaged record with data after it is an error.
type FileLog struct {
	dir    string
	noSync bool
	ratio  float64
	min    int64
	// maxTail bounds the segments after a snapshot whatever the ratio
	// allows (CompactMaxTailMiB); 0 leaves it to the ratio.
	maxTail int64
	m       *Metrics
	log     *slog.Logger
	lock    *os.File

	mu         sync.Mutex
	restored   bool
	broken     error // a write that failed half-way and could not be undone
	failing    error // the last append's write failed (undone): set until an append gets through (Ready)
	failSince  time.Time
	active     *os.File
	activeSeq  uint64
	activeSize int64
	tailBytes  int64 // bytes in segments after the last snapshot
	snapBytes  int64 // size of the last snapshot
	snapSeq    uint64
	rotating   bool
	w          *bufio.Writer // the active segment's, appendPieceBytes
	frames     []byte        // a record's entry heads, one after another, as writeRecord writes them
	closed     bool

	// waitRefused has Append retry, with backoff, a write the data dir
	// refused (undone: a full disk, a quota, a file-size limit) until it
	// gets through or its context ends (WaitWhileRefused).
	waitRefused bool
	// notReady is what Ready answers: nil when ready. It is set under mu
	// whenever closed, broken or failing change, and read without it, so
	// /readyz never waits on an append (a stalled fsync holds mu).
	notReady atomic.Pointer[error]
}

var (
	_ Compactor = (*FileLog)(nil)
	_ Hinter    = (*FileLog)(nil)
)

// OpenFile opens (creating if needed) the state log under dataDir/state,
// taking its lock: a second process on the same data directory fails after
// a second instead of corrupting it. m and log may be nil.
func OpenFile(dataDir string, cfg Config, m *Metrics, log *slog.Logger) (*FileLog, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := filepath.Join(dataDir, DirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open state log: create %s: %w", dir, err)
	}
	lock, err := lockDir(dir, time.Second)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dataDir, legacyBolt)); err == nil {
		log.Warn("the data directory holds a state file of an older wirestream, which this version does not read; "+
			"delete it once this version runs (what it remembered is re-learned: recent stories may be published once more)",
			"path", filepath.Join(dataDir, legacyBolt))
	}
	return &FileLog{
		dir: dir, noSync: cfg.NoSync, ratio: cfg.CompactRatio, min: cfg.compactMinBytes(),
		maxTail: cfg.CompactMaxTailMiB << 20,
		m:       m, log: log.With("state_dir", dir), lock: lock,
	}, nil
}

// Dir is the log's directory.
func (l *FileLog) Dir() string { return l.dir }

type logFile struct {
	seq  uint64
	snap bool
	path string
}

// files lists the log's segments and snapshots, oldest first, removing
// what an interrupted compaction left (.tmp files) when clean is set.
func (l *FileLog) files(clean bool) ([]logFile, error) {
	des, err := os.ReadDir(l.dir)
	if err != nil {
		return nil, fmt.Errorf("list state log %s: %w", l.dir, err)
	}
	var out []logFile
	for _, de := range des {
		name := de.Name()
		if strings.HasSuffix(name, ".tmp") {
			if clean {
				_ = os.Remove(filepath.Join(l.dir, name))
			}
			continue
		}
		base, ext, ok := strings.Cut(name, ".")
		if !ok || (ext != "log" && ext != "snap") {
			continue
		}
		seq, err := strconv.ParseUint(base, 16, 64)
		if err != nil {
			continue
		}
		out = append(out, logFile{seq: seq, snap: ext == "snap", path: filepath.Join(l.dir, name)})
	}
	slices.SortFunc(out, func(a, b logFile) int {
		if a.seq != b.seq {
			return cmp.Compare(a.seq, b.seq)
		}
		if a.snap != b.snap { // a snapshot replays before the segment of its seq
			if a.snap {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

func (l *FileLog) path(seq uint64, ext string) string {
	return filepath.Join(l.dir, fmt.Sprintf("%016x.%s", seq, ext))
}

// Restore replays the newest snapshot and the segments after it, cutting a
// torn tail, and then opens a new segment for appends.
func (l *FileLog) Restore(ctx context.Context, fn func(Entry) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.restored {
		return errors.New("state log: restore called twice")
	}
	start := time.Now()
	fs, err := l.files(true)
	if err != nil {
		return err
	}
	fs, stale := fromNewestSnapshot(fs)
	for _, f := range stale {
		_ = os.Remove(f.path)
	}
	var entries int64
	var next uint64 = 1
	for i, f := range fs {
		n, size, err := l.replay(ctx, f, i == len(fs)-1, true, fn)
		entries += n
		if err != nil {
			return err
		}
		switch {
		case f.snap:
			l.snapBytes, l.snapSeq = size, f.seq
		case size == headerSize:
			_ = os.Remove(f.path) // opened by an earlier start, never appended to
		default:
			l.tailBytes += size
		}
		next = max(next, f.seq+1)
	}
	if err := l.openSegment(next); err != nil {
		return err
	}
	l.restored = true
	l.m.RestoreDuration.Observe(time.Since(start).Seconds())
	l.m.RestoredEntries.Add(float64(entries))
	l.setSize()
	l.log.Info("state log restored", "entries", entries, "files", len(fs), "snapshot_bytes", l.snapBytes,
		"segment_bytes", l.tailBytes, "duration", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// fromNewestSnapshot splits fs (oldest first) into what a restore reads —
// the newest snapshot and the segments from its seq on — and what that
// snapshot replaced: older snapshots and the segments they cover, which a
// compaction did not get to delete.
func fromNewestSnapshot(fs []logFile) (live, stale []logFile) {
	from := 0
	for i, f := range fs {
		if f.snap {
			from = i
		}
	}
	return fs[from:], fs[:from]
}

// Reread hands fn what the log holds — the newest snapshot, then every
// segment after it, the one appended to included — as Restore did, after
// appends: for a Store that takes memory back to the log (Store.Rewind).
// It changes no file, and holds the log's lock, so no append interleaves;
// the Store calls it while no compaction runs.
func (l *FileLog) Reread(ctx context.Context, fn func(Entry) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return errors.New("state log: reread after close")
	case !l.restored:
		return errors.New("state log: reread before restore")
	case l.rotating:
		return errors.New("state log: reread while a snapshot is written")
	case l.broken != nil:
		return l.broken
	}
	fs, err := l.files(false)
	if err != nil {
		return err
	}
	fs, _ = fromNewestSnapshot(fs)
	for _, f := range fs {
		// Nothing is cut here: Append undoes its partial writes (or the
		// log is broken), so a torn record is damage, not a crash's trace.
		if _, _, err := l.replay(ctx, f, false, false, fn); err != nil {
			return fmt.Errorf("reread state log: %w", err)
		}
	}
	return nil
}

// replay hands fn the entries of one file and returns how many there were
// and the file's size after any torn tail was cut (when cut is set; else a
// torn tail is an error).
func (l *FileLog) replay(ctx context.Context, f logFile, last, cut bool, fn func(Entry) error) (int64, int64, error) {
	fh, err := os.OpenFile(f.path, os.O_RDWR, 0)
	if err != nil {
		return 0, 0, fmt.Errorf("open state file %s: %w", f.path, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return 0, 0, fmt.Errorf("stat state file %s: %w", f.path, err)
	}
	r := bufio.NewReaderSize(fh, 1<<20)
	var head [headerSize]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		if f.snap || !last {
			return 0, 0, fmt.Errorf("state file %s: no header (%d bytes): %w", f.path, st.Size(), err)
		}
		// A segment created just before a crash: nothing in it.
		l.log.Warn("state log: cut an empty segment a crash left", "path", f.path)
		return 0, 0, os.Remove(f.path)
	}
	kind, seq, err := parseHeader(head[:])
	if err != nil {
		return 0, 0, fmt.Errorf("state file %s: %w", f.path, err)
	}
	want := byte(kindSegment)
	if f.snap {
		want = kindSnapshot
	}
	if kind != want || seq != f.seq {
		return 0, 0, fmt.Errorf("state file %s: header says kind %q seq %d", f.path, kind, seq)
	}
	rr := &recordReader{r: r, off: headerSize, size: st.Size()}
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, 0, err
		}
		p, err := rr.next()
		if errors.Is(err, io.EOF) {
			return n, rr.off, nil
		}
		if errors.Is(err, errTorn) && !f.snap && cut {
			// A crash cut the last append short: its batch was never
			// acknowledged, so cutting it loses nothing promised.
			l.log.Warn("state log: cut a torn write at the end of a segment", "path", f.path,
				"offset", rr.off, "bytes_cut", st.Size()-rr.off)
			if err := fh.Truncate(rr.off); err != nil {
				return n, 0, fmt.Errorf("state file %s: cut torn tail at %d: %w", f.path, rr.off, err)
			}
			return n, rr.off, fh.Sync()
		}
		if err != nil {
			return n, 0, fmt.Errorf("state file %s is damaged: %w; move the data directory's %s away to start with empty state "+
				"(recent stories are then published once more, events get new ids)", f.path, err, DirName)
		}
		switch p[0] {
		case payloadEntries:
			k, err := decodeEntries(p[1:], fn)
			n += int64(k)
			if err != nil {
				return n, 0, fmt.Errorf("state file %s: record at offset %d: %w", f.path, rr.off, err)
			}
		case payloadMeta:
		default:
			return n, 0, fmt.Errorf("state file %s: record at offset %d: unknown kind %q", f.path, rr.off, p[0])
		}
	}
}

// openSegment starts segment seq for appends. Called with l.mu held.
func (l *FileLog) openSegment(seq uint64) error {
	path := l.path(seq, "log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("state log: create segment %s: %w", path, err)
	}
	// A segment that could not be started goes: left behind, cut short,
	// it would make every later rotation fail to create it ("file
	// exists") long after the disk freed.
	fail := func(err error) error {
		f.Close()
		_ = os.Remove(path)
		return err
	}
	if _, err := f.Write(putHeader(nil, kindSegment, seq)); err != nil {
		return fail(fmt.Errorf("state log: write segment header %s: %w", path, err))
	}
	if !l.noSync {
		if err := f.Sync(); err != nil {
			return fail(fmt.Errorf("state log: sync %s: %w", path, err))
		}
		if err := syncDir(l.dir); err != nil {
			return fail(err)
		}
	}
	if l.active != nil {
		l.active.Close()
	}
	l.active, l.activeSeq, l.activeSize = f, seq, headerSize
	l.tailBytes += headerSize
	return nil
}

// Append writes entries as one record and fsyncs it.
func (l *FileLog) Append(ctx context.Context, entries []Entry) error {
	return l.appendWaiting(ctx, entries, true)
}

// AppendUnsynced writes entries as one record without an fsync: the next
// Append's fsync covers them (state.UnsyncedAppender).
func (l *FileLog) AppendUnsynced(ctx context.Context, entries []Entry) error {
	return l.appendWaiting(ctx, entries, false)
}

// WaitWhileRefused has every later append whose write the data dir refuses
// — undone, the log whole: a full disk, a quota, a file-size limit — wait
// and try again, with backoff up to refusedRetryMax, until it gets through
// or its context ends, as the Kafka changelog waits out a broker. A
// long-running process (role all) calls it before the first append: a
// batch whose records are written then keeps its decisions and waits for
// its commit, holding the pipeline's slot, so the pipeline stops taking
// batches and the feeds stop being read — rather than each failed batch
// being decided, published and failed again at every retry of its feed
// for as long as the disk is full (faults28: 155 copies in 90 s). A run
// that stops on the error (`wirestream process`) does not call it.
func (l *FileLog) WaitWhileRefused() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waitRefused = true
}

// refusedRetryMax is the longest wait between two tries of a refused
// append: a freed disk is used within seconds.
const refusedRetryMax = 5 * time.Second

// errRefused marks an append whose write failed and was undone: the log
// is whole, and the same append may get through later.
var errRefused = errors.New("write refused, undone")

// appendWaiting is append, tried again while the data dir refuses it
// (WaitWhileRefused). mu is not held between tries: Ready, Size and
// Close do not wait for a disk to free.
func (l *FileLog) appendWaiting(ctx context.Context, entries []Entry, commit bool) error {
	err := l.append(entries, commit)
	if err == nil || !errors.Is(err, errRefused) {
		return err
	}
	l.mu.Lock()
	wait := l.waitRefused
	l.mu.Unlock()
	if !wait {
		return err
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = 100*time.Millisecond, refusedRetryMax, 0
	b.Reset()
	for {
		t := time.NewTimer(b.NextBackOff())
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w; gave up waiting: %w", err, context.Cause(ctx))
		case <-t.C:
		}
		if err = l.append(entries, commit); err == nil || !errors.Is(err, errRefused) {
			return err
		}
	}
}

// appendPieceBytes is the buffer an append writes its record through.
const appendPieceBytes = 256 << 10

// append writes entries as one record; a commit's it fsyncs (unless
// no_sync) and times.
func (l *FileLog) append(entries []Entry, commit bool) error {
	if len(entries) == 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.setReady()
	switch {
	case l.closed:
		return errors.New("state log: append after close")
	case !l.restored:
		return errors.New("state log: append before restore")
	case l.broken != nil:
		return l.broken
	}
	start := time.Now()
	size := entriesPayloadSize(entries)
	if size > maxRecord {
		// Not errRefused: the disk is not at fault and no retry fits it,
		// so nothing waits for it and the log stays ready; the batch
		// fails as a refused one does, and the appends after it go on.
		return fmt.Errorf("state log %s: append refused: %w", l.active.Name(), recordTooLarge(entries, size))
	}
	if err := l.writeRecord(entries, size); err != nil {
		// Undo a partial write, or the next record would follow garbage.
		if terr := l.active.Truncate(l.activeSize); terr != nil {
			l.broken = fmt.Errorf("state log %s: a failed write could not be undone (%v): %w", l.active.Name(), terr, err)
		} else if _, serr := l.active.Seek(l.activeSize, io.SeekStart); serr != nil {
			l.broken = fmt.Errorf("state log %s: seek after a failed write: %w", l.active.Name(), serr)
		}
		if l.broken != nil {
			return l.broken
		}
		if l.failing == nil {
			l.failSince = time.Now()
			l.m.AppendsRefused.Set(1)
			then := "the batch fails and its feed is read again"
			if l.waitRefused {
				then = "commits wait and retry, the pipeline takes no new batches, nothing is lost"
			}
			// Once per run of failures: the retries are not logged.
			l.log.Error("state log refuses appends: free space in the data directory or raise its size limit; "+then,
				"file", l.active.Name(), "err", err)
		}
		l.failing = fmt.Errorf("state log: append %d entries to %s: %w: %w", len(entries), l.active.Name(), errRefused, err)
		return l.failing
	}
	if commit && !l.noSync {
		if err := l.active.Sync(); err != nil {
			// After a failed fsync the page cache's state is unknown (the
			// "fsyncgate" lesson): stop writing rather than pretend.
			l.broken = fmt.Errorf("state log %s: fsync failed; restart to recover from the log: %w", l.active.Name(), err)
			return l.broken
		}
	}
	if l.failing != nil {
		l.m.AppendsRefused.Set(0)
		l.log.Info("state log takes appends again", "file", l.active.Name(),
			"failed_for", time.Since(l.failSince).Round(time.Millisecond).String())
		l.failing = nil
	}
	n := int64(recordHead + size)
	l.activeSize += n
	l.tailBytes += n
	if commit {
		l.m.CommitDuration.Observe(time.Since(start).Seconds())
	}
	l.m.AppendedBytes.Add(float64(n))
	l.setSize()
	return nil
}

// writeRecord writes entries to the active segment as the one record
// encodeEntries makes of them, payload size bytes long, in pieces through
// l.w: the checksum is computed over the entries first, then the frame and
// the entries are written, so the batch is not copied into a buffer the
// size of the record (a group commit's record was a second copy of its
// members' entries, built by doubling: ≈ 5× its size allocated). Each
// entry's head (table, key) is built once, for the checksum, and written
// from there.
func (l *FileLog) writeRecord(entries []Entry, size int) error {
	var head [1 + binary.MaxVarintLen64]byte
	payloadHead := entriesPayloadHead(&head, len(entries))
	sum := crc32.Update(0, castagnoli, payloadHead)
	heads := 0
	for _, e := range entries {
		heads += frameSize(e)
	}
	frames := slices.Grow(l.frames[:0], heads) // one allocation at most
	for _, e := range entries {
		start := len(frames)
		frames = appendEntryFrame(frames, e)
		sum = crc32.Update(sum, castagnoli, frames[start:])
		sum = crc32.Update(sum, castagnoli, e.Value)
	}
	if l.w == nil {
		l.w = bufio.NewWriterSize(l.active, appendPieceBytes)
	}
	l.w.Reset(l.active) // after a failed write it holds an error and bytes
	frame := recordFrame(size, sum)
	l.w.Write(frame[:])
	l.w.Write(payloadHead)
	for i, start := 0, 0; i < len(entries); i++ {
		end := start + frameSize(entries[i])
		l.w.Write(frames[start:end])
		l.w.Write(entries[i].Value)
		start = end
	}
	// Kept for the next record unless a batch of many or long keys grew
	// it: the heads are the keys' bytes, not the values'.
	if cap(frames) <= keptFrameBytes {
		l.frames = frames[:0]
	}
	// bufio.Writer keeps its first error and returns it from every later
	// call: Flush reports any.
	return l.w.Flush()
}

// keptFrameBytes bounds the entry heads a file log keeps between records.
const keptFrameBytes = 256 << 10

func (l *FileLog) setSize() {
	l.m.FileSize.Set(float64(l.snapBytes + l.tailBytes))
}

// Size is the bytes the log's files hold.
func (l *FileLog) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.snapBytes + l.tailBytes
}

// CompactDue reports whether the segments since the last snapshot have
// grown past (compact_ratio - 1) times it, so that all the files together
// exceed compact_ratio times the live state they hold — or, while the
// snapshot is smaller than the floor (CompactMinBytes), times the floor —
// or past the bound on the tail (CompactMaxTailMiB), which a restart
// replays whole.
func (l *FileLog) CompactDue() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.restored || l.closed || l.rotating || l.broken != nil {
		return false
	}
	if l.maxTail > 0 && l.tailBytes > l.maxTail {
		return true
	}
	return float64(l.tailBytes) > (l.ratio-1)*float64(max(l.snapBytes, l.min))
}

// Close closes the log; appends that returned are durable.
func (l *FileLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	l.setReady()
	var errs []error
	if l.active != nil {
		if !l.noSync {
			errs = append(errs, l.active.Sync())
		}
		errs = append(errs, l.active.Close())
	}
	errs = append(errs, unlockDir(l.lock))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close state log %s: %w", l.dir, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("state log: open dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("state log: sync dir %s: %w", dir, err)
	}
	return nil
}

// Ready reports whether the log can take appends, for /readyz. It takes
// no lock: an append that waits (on a stalled fsync, or for a full disk
// to free) does not hold it up.
func (l *FileLog) Ready(context.Context) error {
	if p := l.notReady.Load(); p != nil {
		return *p
	}
	return nil
}

// setReady sets what Ready answers from closed, broken and failing.
// Called with mu held, after any of them changed.
func (l *FileLog) setReady() {
	var err error
	switch {
	case l.closed:
		err = errors.New("state log closed")
	case l.broken != nil:
		err = l.broken
	case l.failing != nil && l.waitRefused:
		err = fmt.Errorf("appends failing since %s, retrying; batches wait for their commit: %w",
			l.failSince.UTC().Format(time.RFC3339), l.failing)
	case l.failing != nil:
		err = fmt.Errorf("the last append failed (the next batch tries again): %w", l.failing)
	}
	if err == nil {
		l.notReady.Store(nil)
	} else {
		l.notReady.Store(&err)
	}
}

// hintsName is the file of the owners' size hints in the log's directory.
const hintsName = "hints"

// Hints returns the owners' size hints saved beside the log (Hinter).
func (l *FileLog) Hints(context.Context) []Entry {
	return HintsAt(filepath.Join(l.dir, hintsName), l.log)
}

// SaveHints replaces the owners' size hints saved beside the log.
func (l *FileLog) SaveHints(es []Entry) error {
	return WriteHints(filepath.Join(l.dir, hintsName), es)
}
