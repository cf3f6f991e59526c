package pipeline

import (
	"cmp"
	"context"
	"encoding/binary"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A crash between a write and its batch's commit leaves the write's event
// records on the sink while the state log never heard of them; the
// restart decides those stories again, maybe in another order and under
// other event ids. So before a write goes out, each event record it
// carries is noted in the state log (state.Written: what retraction and
// Withdraw need, not the stories), the batch's commit deletes the notes,
// and a start hands those it finds to Supersede: the first second-stage
// run publishes what supersedes them, and its commit deletes them.

// noteWritten notes the event records of ws in the state log before
// their write, and keeps the notes' keys on each work for its commit.
// An error fails the write: a record the log could not note is not sent.
func (p *Pipeline) noteWritten(ctx context.Context, ws []*work) error {
	if !p.d.Store.Logged() {
		return nil
	}
	var es []state.Entry
	for _, w := range ws {
		for _, r := range w.recs {
			if ev, ok := r.(*record.Event); ok {
				e := state.Entry{Table: state.Written, Key: []byte(ev.RecordID()), Value: encodeWritten(ev)}
				es = append(es, e)
				w.noted = append(w.noted, e.Key)
			}
		}
	}
	return p.d.Store.NoteWritten(ctx, es)
}

// clearWritten returns ws's commit: the tombstones that delete the notes
// of batches that failed (or a crash left) since the last commit, then
// entries, then the tombstones of the notes of ws. The stale ones go
// first because entries may note again a key a start found (a deferred
// event's, coalesce.go), which must outlive the commit. Called with
// commitMu held.
func (p *Pipeline) clearWritten(entries []state.Entry, ws []*work) []state.Entry {
	out := make([]state.Entry, 0, len(p.stale)+len(entries))
	for _, k := range p.stale {
		out = append(out, state.Entry{Table: state.Written, Key: k})
	}
	out = append(out, entries...)
	for _, w := range ws {
		for _, k := range w.noted {
			out = append(out, state.Entry{Table: state.Written, Key: k})
		}
	}
	return out
}

// supersedeWritten hands Supersede the records the state log noted as
// written and never committed (a crash after their write), and keeps
// their notes' keys for the next commit to delete. Called by New.
func (p *Pipeline) supersedeWritten() {
	var evs []*record.Event
	for _, e := range p.d.Store.Written() {
		p.stale = append(p.stale, e.Key)
		ev, err := decodeWritten(e.Value)
		if err != nil {
			p.d.Log.Error("a note of a written event record cannot be read; it is dropped", "key", string(e.Key), "err", err)
			continue
		}
		evs = append(evs, ev)
	}
	if len(evs) > 0 {
		p.d.Log.Info("event records written before a crash and never committed, or updates that waited (coalesce.go); the first batch supersedes them", "records", len(evs))
		p.withdraw = append(p.withdraw, evs...)
	}
}

// lastOfEach returns the highest revision of each event among evs, by id.
func lastOfEach(evs []*record.Event) []*record.Event {
	out := slices.Clone(evs)
	slices.SortFunc(out, func(a, b *record.Event) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(b.Revision, a.Revision))
	})
	return slices.CompactFunc(out, func(a, b *record.Event) bool { return a.ID == b.ID })
}

// encodeWritten is what superseding ev needs (events.Clusterer.Withdraw):
// its id, revision, title and times.
func encodeWritten(ev *record.Event) []byte {
	b := make([]byte, 0, 64+len(ev.ID)+len(ev.Title))
	b = state.AppendString(b, ev.ID)
	b = binary.AppendUvarint(b, uint64(ev.Revision))
	b = state.AppendString(b, ev.Title)
	for _, t := range [...]time.Time{ev.FirstSeen, ev.LastSeen, ev.FirstPublished, ev.LastPublished} {
		b = state.AppendTime(b, t)
	}
	return b
}

func decodeWritten(v []byte) (*record.Event, error) {
	d := state.Decoder{B: v}
	ev := &record.Event{Type: record.TypeEvent, SchemaVersion: record.SchemaVersion}
	ev.ID = d.String()
	ev.Revision = int(d.Uvarint())
	ev.Title = d.String()
	for _, t := range []*time.Time{&ev.FirstSeen, &ev.LastSeen, &ev.FirstPublished, &ev.LastPublished} {
		*t = d.Time()
	}
	return ev, d.End()
}
