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
	spare  [][]byte // the last batch's chunks, for the next (under mu)
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

// maxSpare bounds the bytes of chunks a Sink keeps between writes;
// minRoom is the room a chunk must have left for a record to be encoded
// into it; a new chunk is as large as the batch's lines so far, between
// minChunk and maxChunk.
const (
	maxSpare = 8 << 20
	minRoom  = 16 << 10
	minChunk = 4 * minRoom
	maxChunk = 1 << 20
)

// Write encodes every record, then writes and flushes them as one block so
// a batch is either all there or, on error, reported as failed.
func (s *Sink) Write(ctx context.Context, recs []record.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// A batch's lines are all encoded before any is written, into chunks
	// written in order: one buffer doubled to hold a batch of 200 articles
	// (≈ 3 MB) copied ≈ 4 MB and touched ≈ 8 MB of fresh memory first in
	// every run, half of the sink's CPU in `process` over 220 articles. The
	// sink keeps the chunks between writes (a pool lost them at every GC);
	// a concurrent Write makes its own.
	s.mu.Lock()
	chunks := s.spare
	s.spare = nil
	s.mu.Unlock()
	n, size := 0, 0 // chunks[:n] hold size bytes of this batch's lines
	for _, r := range recs {
		if n == 0 || cap(chunks[n-1])-len(chunks[n-1]) < minRoom {
			if n == len(chunks) {
				chunks = append(chunks, make([]byte, 0, min(max(size, minChunk), maxChunk)))
			}
			chunks[n] = chunks[n][:0]
			n++
		}
		c := chunks[n-1]
		size -= len(c)
		var err error
		if c, err = s.enc.Append(c, r); err != nil {
			return fmt.Errorf("jsonl sink: %w", err)
		}
		c = append(c, '\n')
		chunks[n-1], size = c, size+len(c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("jsonl sink: closed")
	}
	for _, c := range chunks[:n] {
		if _, err := s.w.Write(c); err != nil {
			return fmt.Errorf("jsonl sink: write: %w", err)
		}
	}
	kept := 0
	for i, c := range chunks {
		if kept += cap(c); kept > maxSpare {
			chunks = chunks[:i]
			break
		}
	}
	s.spare = chunks
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
