package state

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Size hints: what an owner needs to know before a restore to size its
// memory once (how many stories, aliases, signatures it will load), kept
// beside the log rather than in it. A hint inside the log is read only
// where it was written — at a snapshot's start — so everything the log
// holds after that snapshot (up to compact_ratio times it in the file
// log; a Kafka changelog's tail after the local snapshot) restored past it
// and grew the owners' arrays by append, costing the restore time and its
// peak memory a copy of each. The Store saves the owners' current hints
// at close, after every compaction and every hintEvery while it commits,
// and loads them before the log's first entry.
//
// A hint is never the truth: a lost, stale or damaged one costs a restore
// time, never state, so the file is written without fsync and read
// without complaint.

// Sizer is an Owner with a size hint: an entry of one of its tables that
// its Load takes as a hint (the deduper's is the stories table's empty
// key), handed to it before any other entry of a restore.
type Sizer interface {
	SizeHint() (Entry, bool)
}

// Hinter is a Log that keeps the owners' size hints beside itself.
type Hinter interface {
	// Hints returns the hints saved last, nil when there are none or
	// they cannot be read (or ctx ended while reading them: a log that
	// keeps them remotely, the Kafka changelog).
	Hints(ctx context.Context) []Entry
	// SaveHints replaces the saved hints.
	SaveHints([]Entry) error
}

// HintsDuer is a Hinter that wants the hints more often than every
// hintEvery: the Kafka changelog keeps them in the log itself, where a
// cold restore finds the latest by reading back from the end, so it asks
// for them after every so many records rather than every so many seconds.
type HintsDuer interface {
	HintsDue() bool
}

// HintOutgrower is a Sizer that can tell when what it holds has outgrown
// the hint it gave last, so far that a restore sized by that hint would
// grow its memory: a crash before the next timed save would cost it.
type HintOutgrower interface {
	HintOutgrown() bool
}

// hintsDue reports whether the hints are to be saved now: every
// hintEvery, and whenever an owner has outgrown its last hint. Called
// with s.mu held.
func (s *Store) hintsDue() bool {
	if time.Since(s.hintedAt) >= hintEvery {
		return true
	}
	if _, ok := s.log.(Hinter); ok {
		for _, ow := range s.owners {
			if g, ok := ow.(HintOutgrower); ok && g.HintOutgrown() {
				return true
			}
		}
	}
	d, ok := s.log.(HintsDuer)
	return ok && d.HintsDue()
}

// hintEvery is how often Commit saves the hints, so a crash leaves them
// at most this stale (and an owner's HintOutgrown saves them sooner when
// it grows fast).
const hintEvery = 30 * time.Second

const kindHints = 'H'

// EncodeHints is the hints file's content for es: a header and one
// entries record. The Kafka changelog keeps the same bytes as a record's
// value.
func EncodeHints(es []Entry) []byte {
	b := putHeader(nil, kindHints, 0)
	if len(es) > 0 {
		b = encodeEntries(b, es)
	}
	return b
}

// DecodeHints reads what EncodeHints wrote. The entries' Key and Value
// alias b.
func DecodeHints(b []byte) ([]Entry, error) {
	if kind, _, err := parseHeader(b); err != nil || kind != kindHints {
		return nil, fmt.Errorf("not size hints (%v)", err)
	}
	b = b[headerSize:]
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < recordHead {
		return nil, errors.New("size hints cut short")
	}
	n, sum := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])
	p := b[recordHead:]
	if uint32(len(p)) != n || crc32.Checksum(p, castagnoli) != sum || len(p) == 0 || p[0] != payloadEntries {
		return nil, errors.New("size hints damaged")
	}
	var es []Entry
	if _, err := decodeEntries(p[1:], func(e Entry) error {
		es = append(es, e)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("size hints: %w", err)
	}
	return es, nil
}

// WriteHints replaces the hints file at path: written to a temporary file
// of its own beside it and renamed into place (no fsync: see above). The
// temporary name is unique, so two logs saving hints to one path at once
// (two processors of one partition sharing a cache directory) never
// write into each other's file; it does not end in .tmp, which the file
// log's listing deletes as a compaction's leftover.
func WriteHints(path string, es []Entry) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.new")
	if err != nil {
		return fmt.Errorf("write state size hints %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(EncodeHints(es))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write state size hints %s: %w", path, err)
	}
	removeStaleHintsTemps(path, time.Now().Add(-staleHintsTemp))
	return nil
}

// staleHintsTemp is the age from which a temporary hints file beside a
// hints file is a leftover: a process that crashed between creating and
// renaming it. Writing one takes milliseconds, so a file this old is no
// other writer's work in progress.
const staleHintsTemp = time.Hour

// removeStaleHintsTemps removes the temporary files of WriteHints for
// path last modified before cutoff. Best effort: a leftover costs disk
// space, never state.
func removeStaleHintsTemps(path string, cutoff time.Time) {
	dir, prefix := filepath.Dir(path), filepath.Base(path)+"."
	des, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range des {
		name := de.Name()
		if !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ".new") {
			continue
		}
		if info, err := de.Info(); err == nil && info.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// ReadHints reads the hints file at path; the error says why there are
// none (os.ErrNotExist when there is no file).
func ReadHints(path string) ([]Entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	es, err := DecodeHints(b) // Key and Value alias b, which nothing else holds
	if err != nil {
		return nil, fmt.Errorf("state size hints %s: %w", path, err)
	}
	return es, nil
}

// HintsAt returns the hints saved at path for a Hinter's Hints: nil when
// there are none, and a file that cannot be read is logged and ignored.
func HintsAt(path string, lg *slog.Logger) []Entry {
	es, err := ReadHints(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		lg.Warn("state size hints not used; the restore sizes its memory as it goes", "err", err)
	}
	return es
}

// loadHints hands the owners the hints the log kept, before its entries.
func (s *Store) loadHints(ctx context.Context) {
	h, ok := s.log.(Hinter)
	if !ok {
		return
	}
	for _, e := range h.Hints(ctx) {
		ow := s.byTable[e.Table]
		if _, sizer := ow.(Sizer); !sizer {
			continue
		}
		if err := ow.Load(e); err != nil {
			s.lg.Warn("state size hint not used", "table", e.Table.String(), "err", err)
		}
	}
}

// saveHints gives the log the owners' current hints. Called with s.mu
// held (or when nothing commits any more).
func (s *Store) saveHints() {
	h, ok := s.log.(Hinter)
	if !ok {
		return
	}
	var es []Entry
	for _, ow := range s.owners {
		if sz, ok := ow.(Sizer); ok {
			if e, ok := sz.SizeHint(); ok {
				es = append(es, e)
			}
		}
	}
	s.hintedAt = time.Now()
	if err := h.SaveHints(es); err != nil {
		s.lg.Warn("state size hints not saved; the next restore sizes its memory as it goes", "err", err)
	}
}
