package state

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"
)

// snapshotRecordBytes is how many bytes of entries one snapshot record
// gathers: large enough that framing costs nothing, small enough that a
// reader's buffer stays small.
const snapshotRecordBytes = 256 << 10

// SnapshotFile writes a snapshot of the live state to a file: into a
// temporary file first, renamed into place by Commit, so a crash leaves
// either the old snapshot or the new one whole. The Kafka log's local cache
// uses it too, with the changelog offset the snapshot covers as meta.
type SnapshotFile struct {
	path, tmp string
	f         *os.File
	w         *bufio.Writer
	recN      int    // entries gathered in rec
	rec       []byte // entries of the record being gathered
	err       error  // the first write error
	frame     []byte // the head of an entry written without copying it into rec
	noSync    bool
	size      int64
	entries   int64
	start     time.Time
	onCommit  func(size int64) error // the file log's clean-up, under its lock
	onAbort   func()
}

// CreateSnapshot starts a snapshot that Commit will put at path, with meta
// (may be nil) stored before its entries.
func CreateSnapshot(path string, seq uint64, meta []byte, noSync bool) (*SnapshotFile, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create state snapshot %s: %w", tmp, err)
	}
	s := &SnapshotFile{path: path, tmp: tmp, f: f, w: bufio.NewWriterSize(f, 1<<20), noSync: noSync, start: time.Now()}
	s.write(putHeader(nil, kindSnapshot, seq))
	if meta != nil {
		s.write(appendRecord(nil, append([]byte{payloadMeta}, meta...)))
	}
	return s, nil
}

func (s *SnapshotFile) write(b []byte) {
	if s.err != nil {
		return
	}
	n, err := s.w.Write(b)
	s.size += int64(n)
	if err != nil {
		s.err = fmt.Errorf("write state snapshot %s: %w", s.tmp, err)
	}
}

// Write adds one live entry. It copies Key and Value: into the record being
// gathered, or, when the entry fills that record, straight into the file's
// buffer, so an entry as large as a stage's whole table is not copied. An
// entry larger than the reader takes (maxEntrySize) is refused before any of
// it is written, and so is the snapshot: Commit returns the same error.
func (s *SnapshotFile) Write(e Entry) error {
	if e.Value == nil {
		return nil // a snapshot holds what is live; absence is the tombstone
	}
	size := entrySize(e)
	if size > maxEntrySize() {
		// Refused before any of it is written: the reader would refuse its
		// record, and Commit must not put a snapshot in place that cannot be
		// restored.
		if s.err == nil {
			s.err = fmt.Errorf("write state snapshot %s: entry %s of table %s is %d bytes, over the %d an entry may have (a record holds at most %d): %w",
				s.tmp, keyForError(e.Key), e.Table, size, maxEntrySize(), maxRecord, errEntryTooLarge)
		}
		return s.err
	}
	s.entries++
	if len(s.rec)+size >= snapshotRecordBytes {
		if recordPayloadSize(s.recN+1, len(s.rec)+size) > maxRecord {
			// with the entries gathered its record would be too long; alone it is not
			s.flushRecord()
		}
		s.writeRecord(s.recN+1, &e) // the same record gathering it would have made
		s.rec, s.recN = s.rec[:0], 0
		return s.err
	}
	if s.rec == nil {
		// one record's room at once: growing to it by doubling allocates it about twice
		s.rec = make([]byte, 0, snapshotRecordBytes)
	}
	s.rec = appendEntry(s.rec, e)
	s.recN++
	return s.err
}

// recordPayloadSize is the payload length of an entries record of n
// entries encoded in entryBytes bytes.
func recordPayloadSize(n, entryBytes int) int {
	return 1 + uvarintLen(uint64(n)) + entryBytes
}

// maxEntrySize is the largest entry (entrySize) the reader takes: alone in
// its record.
func maxEntrySize() int { return maxRecord - recordPayloadSize(1, 0) }

// keyForError quotes a key for an error message, its first 64 bytes when it
// is longer.
func keyForError(key []byte) string {
	const most = 64
	if len(key) > most {
		return fmt.Sprintf("%q… (%d bytes)", key[:most], len(key))
	}
	return fmt.Sprintf("%q", key)
}

// flushRecord frames the entries gathered so far as one record.
func (s *SnapshotFile) flushRecord() {
	if s.recN == 0 {
		return
	}
	s.writeRecord(s.recN, nil)
	s.rec, s.recN = s.rec[:0], 0
}

// writeRecord writes one entries record of n entries: those gathered in rec,
// then last when it is not nil. The bytes are appendRecord's, written in
// pieces with the checksum computed over them, so neither a payload nor a
// frame is copied.
func (s *SnapshotFile) writeRecord(n int, last *Entry) {
	var head [1 + binary.MaxVarintLen64]byte
	payloadHead := entriesPayloadHead(&head, n)
	// the entry's own head: table, key length, key, value length
	var entryHead []byte
	size := len(payloadHead) + len(s.rec)
	if last != nil {
		entryHead = appendEntryHead(s.frame[:0], *last)
		s.frame = entryHead
		size += len(entryHead) + len(last.Value)
	}
	sum := crc32.Update(0, castagnoli, payloadHead)
	sum = crc32.Update(sum, castagnoli, s.rec)
	if last != nil {
		sum = crc32.Update(sum, castagnoli, entryHead)
		sum = crc32.Update(sum, castagnoli, last.Value)
	}
	frame := recordFrame(size, sum)
	s.write(frame[:])
	s.write(payloadHead)
	s.write(s.rec)
	if last != nil {
		s.write(entryHead)
		s.write(last.Value)
	}
}

// Commit flushes, fsyncs and renames the snapshot into place.
func (s *SnapshotFile) Commit() error {
	s.flushRecord()
	err := s.err
	if err == nil {
		err = s.w.Flush()
	}
	if err == nil && !s.noSync {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(s.tmp, s.path)
	}
	if err == nil && !s.noSync {
		err = syncDir(filepath.Dir(s.path))
	}
	if err != nil {
		_ = os.Remove(s.tmp)
		if s.onAbort != nil {
			s.onAbort()
		}
		return fmt.Errorf("write state snapshot %s: %w", s.path, err)
	}
	if s.onCommit != nil {
		return s.onCommit(s.size)
	}
	return nil
}

// Abort drops the snapshot.
func (s *SnapshotFile) Abort() {
	s.f.Close()
	_ = os.Remove(s.tmp)
	if s.onAbort != nil {
		s.onAbort()
	}
}

// Entries is how many entries were written.
func (s *SnapshotFile) Entries() int64 { return s.entries }

// openSnapshot opens a snapshot file and checks its header.
func openSnapshot(path string, bufSize int) (*os.File, *recordReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	r := bufio.NewReaderSize(f, bufSize)
	var head [headerSize]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("state snapshot %s: no header: %w", path, err)
	}
	if kind, _, err := parseHeader(head[:]); err != nil || kind != kindSnapshot {
		f.Close()
		return nil, nil, fmt.Errorf("state snapshot %s: not a snapshot (%v)", path, err)
	}
	return f, &recordReader{r: r, off: headerSize, size: st.Size()}, nil
}

// SnapshotReader reads a snapshot file opened once: its meta first, then,
// if the caller still wants them after looking at the meta, its entries.
type SnapshotReader struct {
	path    string
	f       *os.File
	rr      *recordReader
	meta    []byte
	pending []byte // the first record when it was not a meta record
}

// OpenSnapshot opens a snapshot file and reads its header and meta, the
// record before its entries (nil when it has none). A missing file is
// os.ErrNotExist. Close it.
func OpenSnapshot(path string) (*SnapshotReader, error) {
	f, rr, err := openSnapshot(path, 1<<20)
	if err != nil {
		return nil, err
	}
	r := &SnapshotReader{path: path, f: f, rr: rr}
	p, err := rr.next()
	switch {
	case errors.Is(err, io.EOF):
	case err != nil:
		f.Close()
		return nil, fmt.Errorf("state snapshot %s: %w", path, err)
	case p[0] == payloadMeta:
		r.meta = append([]byte(nil), p[1:]...)
	default:
		r.pending = append([]byte(nil), p...)
	}
	return r, nil
}

// Meta is the snapshot's meta, nil when it has none.
func (r *SnapshotReader) Meta() []byte { return r.meta }

// Entries hands fn the snapshot's entries.
func (r *SnapshotReader) Entries(fn func(Entry) error) error {
	p := r.pending
	r.pending = nil
	for {
		if p == nil {
			var err error
			p, err = r.rr.next()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("state snapshot %s: %w", r.path, err)
			}
		}
		switch p[0] {
		case payloadEntries:
			if _, err := decodeEntries(p[1:], fn); err != nil {
				return fmt.Errorf("state snapshot %s: record at offset %d: %w", r.path, r.rr.off, err)
			}
		case payloadMeta:
			return fmt.Errorf("state snapshot %s: a second meta record at offset %d", r.path, r.rr.off)
		default:
			return fmt.Errorf("state snapshot %s: unknown record kind %q", r.path, p[0])
		}
		p = nil
	}
}

// Close closes the file.
func (r *SnapshotReader) Close() error { return r.f.Close() }

// Rotate closes the current segment and opens the next for appends; the
// snapshot it returns replaces every file before that segment once
// committed.
func (l *FileLog) Rotate() (SnapshotWriter, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return nil, errors.New("state log: rotate after close")
	case !l.restored:
		return nil, errors.New("state log: rotate before restore")
	case l.rotating:
		return nil, errors.New("state log: a compaction is running")
	}
	seq := l.activeSeq + 1
	tailBefore := l.tailBytes
	if err := l.openSegment(seq); err != nil {
		return nil, err
	}
	s, err := CreateSnapshot(l.path(seq, "snap"), seq, nil, l.noSync)
	if err != nil {
		return nil, err
	}
	l.rotating = true
	l.log.Debug("state log compaction started", "snapshot_seq", seq, "log_bytes", l.snapBytes+tailBefore)
	s.onAbort = func() {
		l.mu.Lock()
		l.rotating = false
		l.mu.Unlock()
	}
	s.onCommit = func(size int64) error { return l.compacted(seq, size, s) }
	return s, nil
}

// compacted makes snapshot seq the log's base: the files before it go.
func (l *FileLog) compacted(seq uint64, size int64, s *SnapshotFile) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rotating = false
	fs, err := l.files(true)
	if err != nil {
		return err
	}
	before := l.snapBytes + l.tailBytes
	var tail int64
	for _, f := range fs {
		switch {
		case f.seq < seq || (f.snap && f.seq != seq):
			if err := os.Remove(f.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("state log compaction: remove %s: %w", f.path, err)
			}
		case !f.snap && f.seq == l.activeSeq:
			tail += l.activeSize
		case !f.snap:
			if st, err := os.Stat(f.path); err == nil {
				tail += st.Size()
			}
		}
	}
	l.snapBytes, l.snapSeq, l.tailBytes = size, seq, tail
	l.m.Compactions.Inc()
	l.setSize()
	l.log.Info("state log compacted", "entries", s.entries, "bytes_before", before, "bytes_after", size+tail,
		"duration", time.Since(s.start).Round(time.Millisecond).String())
	return nil
}
