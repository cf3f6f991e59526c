// Package jsonl is a sink that writes records as JSON Lines: one JSON
// object per line, encoded as the Kafka sink encodes its values (see
// sinks/encode: native records with their "type" and "id", or stories as
// IPTC ninjs). `wirestream process` and debugging use it, on a file or on
// stdout.
//
// It promises that Write returns only after the lines reached the
// underlying writer (and, for files opened with Open, that Close syncs
// them to disk), and that concurrent Writes never interleave lines.
package jsonl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// Sink writes records to an io.Writer, one JSON object per line.
type Sink struct {
	enc    encode.Encoder
	mu     sync.Mutex
	w      *bufio.Writer
	f      *os.File // set by Open: synced and closed by Close
	closed bool
	spare  []byte // the last batch's buffer, for the next (under mu)
}

// New writes to w, encoding with enc (the zero Encoder writes native
// records). Close flushes but does not close w.
func New(w io.Writer, enc encode.Encoder) *Sink {
	return &Sink{enc: enc, w: bufio.NewWriterSize(w, 64<<10)}
}

// Open appends to the file at path, creating it (mode 0644) if needed.
func Open(path string, enc encode.Encoder) (*Sink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("jsonl sink: open %s: %w", path, err)
	}
	s := New(f, enc)
	s.f = f
	return s, nil
}

// maxSpare bounds the batch buffer a Sink keeps between writes; minRoom
// is the room left before a record is encoded into it.
const (
	maxSpare = 8 << 20
	minRoom  = 16 << 10
)

// Write encodes every record, then writes and flushes them as one block so
// a batch is either all there or, on error, reported as failed.
func (s *Sink) Write(ctx context.Context, recs []record.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// A batch's lines are built in one buffer and written in one block.
	// The sink keeps the buffer between writes (a pool lost it at every
	// GC, and it grew again from nothing); a concurrent Write makes its own.
	s.mu.Lock()
	b := s.spare[:0]
	s.spare = nil
	s.mu.Unlock()
	for _, r := range recs {
		if cap(b)-len(b) < minRoom { // grow by doubling, not append's quarter past 256 KB
			b = slices.Grow(b, max(cap(b), 4*minRoom))
		}
		var err error
		if b, err = s.enc.Append(b, r); err != nil {
			return fmt.Errorf("jsonl sink: %w", err)
		}
		b = append(b, '\n')
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("jsonl sink: closed")
	}
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("jsonl sink: write: %w", err)
	}
	if cap(b) <= maxSpare {
		s.spare = b
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("jsonl sink: flush: %w", err)
	}
	return nil
}

// Close flushes, and for a file from Open syncs and closes it.
func (s *Sink) Close(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.w.Flush()
	if s.f != nil {
		err = errors.Join(err, s.f.Sync(), s.f.Close())
	}
	if err != nil {
		return fmt.Errorf("jsonl sink: close: %w", err)
	}
	return nil
}
