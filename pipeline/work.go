// A work: one batch, or several decided together, on its way from the stages to the sink, and
// its write.

package pipeline

import (
	"context"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// work is one batch on its way through the stages to the sink, or
// several that queued for the second stage and were decided together
// (merge): they share one run of it, one write and one commit, and each
// is acked with their verdict.
type work struct {
	batches []*record.Batch // none for maintenance output (expired events, alerts)
	txns    []*dedupe.Txn   // one per batch, in batch order
	slots   int             // Run's in-flight slots the work holds: one per work screened into it
	delta   []state.Entry   // events' and spikes' state changed by the second stage
	// deltaBytes is what Run's stateBudget counts for delta: its bytes
	// when decided, and those of maintenance deltas folded into it (hand).
	deltaBytes int64
	enriched   []state.Entry   // the enricher's changes (enrichStories), until the events stage takes them into delta
	barrier    chan struct{}   // not a work: closed by the events stage once every work before it is decided (Run)
	decided2   int             // the second-stage runs (state.Store.Decide) whose changes delta holds
	screened   []screened      // first stage's decisions, for the second
	dead       []record.Record // the source's dead letters, then items the normalizer rejected
	maint      bool            // a request for maintenance output at decided
	recs       []record.Record
	noted      [][]byte // keys of the notes of recs' events in the state log (noteWritten), set before the write
	decided    time.Time
	done       chan error // the sink's verdict
	werr       error      // the verdict, once taken from done (wrote)
	wrote      bool
	// superseded is what the work's second-stage run was given to
	// supersede (superseding): what Withdraw made of it (a raised
	// revision, an id's floor) is in delta alone, so a work not committed
	// hands it on to the next run, like its own records.
	superseded []*record.Event
}

// countBatches counts the sources' batches in ws, a maintenance work as
// one, for the write and commit histograms.
func countBatches(ws []*work) int {
	n := 0
	for _, w := range ws {
		n += max(1, len(w.batches))
	}
	return n
}

// items counts what w's second stage will write for its batches' items.
func (w *work) items() int { return len(w.screened) + len(w.dead) }

// verdict returns the sink's verdict on w's write, waiting for it if
// wait, else reporting ok false while the write is out.
func (w *work) verdict(wait bool) (ok bool, err error) {
	if !w.wrote {
		if wait {
			w.werr = <-w.done
		} else {
			select {
			case w.werr = <-w.done:
			default:
				return false, nil
			}
		}
		w.wrote = true
	}
	return true, w.werr
}

// screened is one item the first stage kept: its story and what dedupe
// decided about it.
type screened struct {
	story    *record.Story
	dec      dedupe.Decision
	feedLang string
}

// write hands the records of ws to the sink in one write (Process and
// Flush: one write at a time, so nothing to split).
func (p *Pipeline) write(ctx context.Context, ws ...*work) error {
	var none keyedWrites
	return p.writeSplit(ctx, ws, none.split(ws, 1, nil))
}

// recordsOf returns the records of ws in order: the one work's own
// slice, or a new one joining several.
func recordsOf(ws []*work) []record.Record {
	if len(ws) == 1 {
		return ws[0].recs
	}
	var recs []record.Record
	for _, w := range ws {
		recs = append(recs, w.recs...)
	}
	return recs
}

// sinkWrite is one Write of recs to the sink, timed.
func (p *Pipeline) sinkWrite(ctx context.Context, recs []record.Record) error {
	if len(recs) == 0 {
		return nil
	}
	start := time.Now()
	err := p.d.Sink.Write(ctx, recs)
	p.m.SinkWrite.Observe(time.Since(start).Seconds())
	return err
}
