package kafkastate

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The owners' size hints (state.Hinter) live in the changelog itself, as
// one record under hintKey that rides the next append, and beside the
// local snapshot when there is a cache directory. A cold restore — a new
// machine taking the partition over, or one whose cache is gone — has no
// file, so it reads the partition back from its end until it finds the
// latest hint record: compaction keeps only that one, where it was
// written, and the store asks for hints every hintRecords records
// (HintsDue), so the search reads about that many. Like every hint it
// only sizes memory: a missing, stale or damaged one costs the restore
// time and memory, never state.

// hintKey keys the hint record. Its table byte is the marker's, which no
// stage claims, so a restore skips it where it lies (an older binary
// drops it with a warning about a table it does not use).
var hintKey = []byte{byte(markerTable), 'h'}

// hintRecords is how many records the log takes between two hint records.
const hintRecords = 1 << 15

// The search for the latest hint record starts with the last
// hintScanFirst records (the hint rides the end of an append, so it is
// most often among them) and doubles its window from there; it reads at
// most a hintSearchShare-th of the partition (a changelog written before
// hints were kept has none to find), and at least hintSearchMin records.
// A first window of 4 × hintRecords allocated ~60 MB of fetch buffers at
// 1.1M stories, a tenth of the restore's peak.
const (
	hintScanFirst   = 1 << 10
	hintSearchShare = 8
	hintSearchMin   = 4 * hintRecords
)

var (
	_ state.Hinter    = (*Log)(nil)
	_ state.HintsDuer = (*Log)(nil)
)

// Hints returns the owners' size hints: those of the changelog's latest
// hint record, or, when it has none (written before hints were kept), the
// ones saved beside the local snapshot. The changelog's are preferred: they
// are the last any processor of this partition saved, where a file may be
// this machine's from before another processor ran the partition.
func (l *Log) Hints(ctx context.Context) []state.Entry {
	// A hint is not worth a long wait: the restore after it retries the
	// broker as long as the start allows.
	caller := ctx
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if b, err := l.findHint(ctx); err != nil {
		// A caller that stopped the restore (its generation ended: a
		// standby joined) gives it up whole; the missing hint is no news.
		if caller.Err() == nil {
			l.log.Warn("state changelog: size hints not read; the restore sizes its memory as it goes", "err", err)
		}
	} else if b != nil {
		es, err := state.DecodeHints(b)
		if err == nil {
			return es
		}
		l.log.Warn("state changelog: size hint record not used", "err", err)
	}
	if l.path == "" {
		return nil
	}
	return state.HintsAt(l.path+".hints", l.log)
}

// findHint reads the partition back from its high watermark, in windows
// that double, until a window holds a hint record, and returns the value
// of the last one (nil: none within the bound).
func (l *Log) findHint(ctx context.Context) ([]byte, error) {
	first, end, err := l.t.Bounds(ctx, l.p)
	if err != nil {
		return nil, err
	}
	budget := max(hintSearchMin, (end-first)/hintSearchShare)
	var found []byte
	for hi, w := end, l.scanFirst; hi > first && budget > 0; hi, w = hi-w, 2*w {
		w = min(w, budget)
		budget -= w
		lo := max(first, hi-w)
		_, err := l.t.RestoreWithin(ctx, l.p, lo, first, hi, func(r kafkatable.Record) error {
			if bytes.Equal(r.Key, hintKey) && r.Value != nil {
				found = bytes.Clone(r.Value)
			}
			return nil
		})
		var oor *kafkatable.OffsetOutOfRangeError
		if errors.As(err, &oor) {
			return nil, nil // the log's start moved (retention): no hint, no harm
		}
		if err != nil || found != nil {
			l.mu.Lock()
			l.hintFound = found != nil
			l.mu.Unlock()
			return found, err
		}
	}
	return nil, nil
}

// HintsDue reports whether enough records went to the changelog since the
// last hint record that the store should hand the log new hints.
func (l *Log) HintsDue() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.restored && !l.closed && l.hintPending == nil && l.sinceHint >= hintRecords
}

// SaveHints keeps the owners' size hints: the next append writes them to
// the changelog (or Close, when none comes), and they replace the file
// beside the local snapshot when there is a cache directory.
func (l *Log) SaveHints(es []state.Entry) error {
	l.mu.Lock()
	if l.restored && !l.closed {
		l.hintPending = state.EncodeHints(es)
	}
	l.mu.Unlock()
	if l.path == "" {
		return nil
	}
	return state.WriteHints(l.path+".hints", es)
}

// takeHint returns the hint record to write with the next append, if any.
func (l *Log) takeHint() (kafkatable.Entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hintPending == nil {
		return kafkatable.Entry{}, false
	}
	v := l.hintPending
	l.hintPending = nil
	return kafkatable.Entry{Key: hintKey, Value: v}, true
}

// flushHint writes a hint no append took, at close, unless the processor
// lost the partition or no record followed the last hint record (a hint
// that says what the last one said is not worth a write). It is admitted
// and written as an append is (Hold's admission, the fenced write): the
// processor's member does not rejoin while it is on the wire, and a fence
// that closes cuts it. It never waits for a next generation (admitNow): a
// close does not outlive the generation it was made in.
func (l *Log) flushHint() {
	e, ok := l.takeHint()
	l.mu.Lock()
	due := ok && l.restored && l.sinceHint > 0
	l.mu.Unlock()
	if !due {
		return
	}
	admitted, err := l.admitNow()
	if err != nil {
		return
	}
	defer admitted()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := l.write(ctx, []kafkatable.Entry{e}); err != nil {
		l.log.Warn("state changelog: size hints not written at close; the next cold restore sizes its memory as it goes", "err", err)
	}
}
