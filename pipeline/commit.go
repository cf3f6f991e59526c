package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// finish commits ws — batches written by the sink in order, each with
// the verdict werr — after a successful write, or forgets their decisions
// after a failed one, and acks each batch either way. Their state is
// committed in one append (one fsync for the file log) before the acks:
// if that fails, every batch is acked with the error, so the sources keep
// their old progress and the feeds are re-read and their stories
// re-published (at-least-once) rather than lost. It returns the error the
// last batch was acked with. oneShot is a synchronous caller's (Process,
// Flush: `wirestream process`), which stops on the error: no source reads
// its failed batches again, and the log must not say one will.
func (p *Pipeline) finish(ctx context.Context, werr error, oneShot bool, ws ...*work) error {
	m := p.m
	decided2 := 0
	var txns []*dedupe.Txn
	p.commitMu.Lock()
	entries := p.carry
	if len(entries) == 0 && len(ws) == 1 {
		// one batch's changes as they are (nearly always: no copy of
		// thousands of entries); capped, so no append writes into them
		entries = ws[0].delta[:len(ws[0].delta):len(ws[0].delta)]
	} else {
		n := len(entries)
		for _, w := range ws {
			n += len(w.delta)
		}
		entries = append(make([]state.Entry, 0, n), entries...)
		for _, w := range ws {
			entries = append(entries, w.delta...)
		}
	}
	for _, w := range ws {
		if p.open == w {
			p.open = nil // nothing more can ride with it
		}
		decided2 += w.decided2
		txns = append(txns, w.txns...)
	}
	var why string
	var cause error
	switch {
	case werr != nil:
		why, cause = "write", werr
	case p.rewind, slices.ContainsFunc(txns, (*dedupe.Txn).Stale):
		// Written, but decided on memory that held a failed batch's
		// decisions — the stages', or dedupe's pending ones when it was
		// screened: committing it would keep them. Stale (asked only when
		// the rest would commit, each Txn under the deduper's lock):
		// screened while an earlier batch's stories were pending, and
		// decided on one of them, which failed since — a copy of a story
		// that is not committed would be committed as its duplicate (in
		// no event, once the stages' memory was rewound), and the story,
		// read again, published after it.
		why, cause = "", ErrDecidedAfterFailure
	default:
		m.CommitBatches.Observe(float64(countBatches(ws))) // not for a group that failed before its commit
		// The batches' notes of what they wrote are deleted once their
		// state is in the log (dropNotes): then a restart has nothing of
		// theirs to set right. A failed commit carries entries without the
		// forgets (forget), which the next one logs.
		committed := p.clearWritten(entries)
		var cerr error
		if len(txns) > 0 {
			cerr = dedupe.CommitAll(ctx, p.d.Store, txns, committed...) // releases the txns on error
		} else if len(committed) > 0 {
			cerr = p.d.Store.Commit(ctx, committed, nil)
		}
		if cerr != nil {
			why, cause = "commit", cerr
		} else {
			p.d.Store.Settle(decided2, true) // the carried decisions with them
			p.carry, p.forgets, p.unjoin = nil, nil, nil
			p.dropNotes(ctx, committed, ws)
		}
	}
	if cause != nil {
		for _, w := range ws {
			p.forget(w, entries) // a Txn that Commit released is released again: a no-op
		}
	}
	p.commitMu.Unlock()
	var err error
	for _, w := range ws {
		if cause == nil {
			for _, r := range w.recs {
				m.Records.WithLabelValues(string(r.RecordType())).Inc()
			}
			m.BatchLatency.Observe(p.d.Now().Sub(w.decided).Seconds())
		}
		if len(w.batches) == 0 {
			err = p.ackErr(why, cause, oneShot, "", len(w.recs))
			continue
		}
		for _, b := range w.batches {
			err = p.ackErr(why, cause, oneShot, b.Feed.URL, len(w.recs))
			b.Done(ctx, err)
		}
	}
	return err
}

// ackErr counts one batch of feed by how it finished (why and cause, as
// finish found them) and returns the error it is acked with, after
// logging a failure (oneShot: as finish's).
func (p *Pipeline) ackErr(why string, cause error, oneShot bool, feed string, records int) error {
	feed = record.RedactURL(feed) // said in the log and the error, never a key
	then := "it will be read again"
	if oneShot {
		// err names the output that failed (stdout closed by its reader, a full disk)
		then = "nothing reads it again: the run stops"
	}
	switch {
	case cause == nil:
		p.m.Batches.WithLabelValues("committed").Inc()
		return nil
	case why == "write":
		p.m.Batches.WithLabelValues("failed").Inc()
		p.d.Log.Warn("batch not written; "+then, "feed_url", feed, "records", records, "err", cause)
		return fmt.Errorf("pipeline: write batch of %s: %w", feed, cause)
	case why == "commit":
		p.m.Batches.WithLabelValues("commit_error").Inc()
		p.d.Log.Error("commit the batch's state; its stories may be published again", "feed_url", feed, "err", cause)
		return fmt.Errorf("pipeline: commit batch of %s: %w", feed, cause)
	default:
		p.m.Batches.WithLabelValues("failed").Inc()
		p.d.Log.Warn("batch decided after a failed one is not committed; "+then, "feed_url", feed, "records", records)
		return fmt.Errorf("pipeline: batch of %s: %w", feed, cause)
	}
}
