package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A crash between a write and its batch's commit leaves the write's event
// records on the sink while the state log never heard of them; the
// restart decides those stories again, maybe in another order and under
// other event ids. So before a write goes out, each event record it
// carries is noted in the state log (state.Written: what retraction and
// Withdraw need), the notes are deleted once the batch's commit is in the
// log (dropNotes), and a start hands those it finds to Supersede: the
// first second-stage run publishes what supersedes them, and they are
// deleted after its commit.
//
// A commit is one append, but the Kafka changelog may store any part of
// it when the process dies (or is fenced) part-way: its 250-entry produce
// batches are acknowledged one by one. The log may then hold a story's
// dedupe entries without the event entries its write published, and the
// restart, which retracts the noted events the log does not hold, would
// decide the re-read item unchanged: its record would name a retracted
// event for good. So a write also notes the stories it carries (one note
// per work, storiesPrefix), and a start makes dedupe decide those again
// (dedupe.Deduper.Forget): they are published again and join the events
// the log holds, or new ones.
//
// A write's spike alerts are noted too (one note per work, alertsPrefix):
// a firing alert on the sink whose commit never reached the log names a
// spike the restored detector never saw, and nothing would ever clear
// it. A start hands the noted firing alerts (and retractions, whose
// write may not have landed) to RetractAlerts, so the first second-stage
// run retracts those the detector does not hold firing — on the
// partition's next owner too, which never sees the memory of the one
// that wrote them.

// storiesPrefix starts the Written table's key of a note of the stories a
// write carried, followed by a sequence number (8 bytes, big-endian),
// apart from the notes of event records (id@rN) and of deferred events:
// no record id starts with a NUL byte.
const storiesPrefix = "\x00stories\x00"

// alertsPrefix starts the Written table's key of a note of the alerts a
// write carried, followed by a sequence number as storiesPrefix's.
const alertsPrefix = "\x00alerts\x00"

// pendingAlertsKey is the Written table's key of the note of the firing
// alerts whose retraction waits for their bucket to be judged
// (retracting): deleted when none waits, never by a commit's dropNotes.
const pendingAlertsKey = alertsPrefix + "pending"

// retractNotedUnknown is Pipeline.retractNoted when the log's note of the
// pending retractions is not known (a start that found one, a commit that
// failed): it equals no list of ids, so the next run notes them again.
const retractNotedUnknown = "\x00"

// noteWritten notes the event records of ws, and the stories each work
// carries, in the state log before their write, and keeps the notes'
// keys on each work for its commit. An error fails the write: a record
// the log could not note is not sent.
func (p *Pipeline) noteWritten(ctx context.Context, ws []*work) error {
	if !p.d.Store.Logged() {
		return nil
	}
	var es []state.Entry
	note := func(w *work, prefix string, value []byte) {
		key := binary.BigEndian.AppendUint64([]byte(prefix), p.noteSeq.Add(1))
		es = append(es, state.Entry{Table: state.Written, Key: key, Value: value})
		w.noted = append(w.noted, key)
	}
	for _, w := range ws {
		var stories []byte
		var alerts []*record.Alert
		n := 0
		for _, r := range w.recs {
			switch r := r.(type) {
			case *record.Event:
				e := state.Entry{Table: state.Written, Key: []byte(r.RecordID()), Value: encodeWritten(r)}
				es = append(es, e)
				w.noted = append(w.noted, e.Key)
			case *record.Story:
				stories = state.AppendString(stories, r.ID)
				stories = binary.AppendUvarint(stories, uint64(r.Version))
				n++
			case *record.Alert:
				alerts = append(alerts, r)
			}
		}
		if n > 0 {
			note(w, storiesPrefix, append(binary.AppendUvarint(nil, uint64(n)), stories...))
		}
		if len(alerts) > 0 {
			v, err := json.Marshal(alerts)
			if err != nil {
				return fmt.Errorf("note the alerts of a write: %w", err)
			}
			note(w, alertsPrefix, v)
		}
	}
	return p.d.Store.NoteWritten(ctx, es)
}

// retractable returns, of the alerts a note lists, those a start hands to
// RetractAlerts: a firing alert, and a retraction as the firing it took
// back (its write may not have landed). A normal clear is left out: the
// term's firing noted before it, if any, stays the last of its term, and
// is retracted unless the restored detector holds the spike firing.
func retractable(v []byte) ([]*record.Alert, error) {
	var alerts []*record.Alert
	if err := json.Unmarshal(v, &alerts); err != nil {
		return nil, err
	}
	out := alerts[:0]
	for _, a := range alerts {
		switch {
		case a.Retracted:
			out = append(out, withState(a, record.AlertFiring, false))
		case a.State == record.AlertFiring:
			out = append(out, a)
		}
	}
	return out, nil
}

// decodeStories reads a note of the stories a write carried.
func decodeStories(v []byte) ([]dedupe.Carried, error) {
	d := state.Decoder{B: v}
	n := d.Count()
	out := make([]dedupe.Carried, 0, n)
	for range n {
		out = append(out, dedupe.Carried{ID: d.String(), Version: int(d.Uvarint())})
	}
	return out, d.End()
}

// clearWritten returns ws's commit: what makes dedupe forget the stories
// a crash left (forgets), then entries, which may decide those stories
// again. The notes of ws, and of the batches that failed (or a crash
// left) since the last commit, are not deleted in it but after it
// (dropNotes): a commit cut part-way may keep any part of its entries,
// and a note must outlive every entry of the write it describes. Called
// with commitMu held.
func (p *Pipeline) clearWritten(entries []state.Entry) []state.Entry {
	if len(p.forgets) == 0 {
		return entries // nearly always: no copy of a batch's thousands of entries
	}
	out := make([]state.Entry, 0, len(p.forgets)+len(entries))
	out = append(out, p.forgets...)
	return append(out, entries...)
}

// dropNotes deletes, once the commit of entries and ws is in the log, the
// notes of ws and those the commit left stale, except those the commit
// noted again (a deferred event's, coalesce.go). Should it fail, or the
// process die first, the notes stay: the next commit deletes them, or
// the restart decides again stories and events the log holds (published
// again, at least once, never lost). Called with commitMu held.
func (p *Pipeline) dropNotes(ctx context.Context, entries []state.Entry, ws []*work) {
	keys := p.stale
	for _, w := range ws {
		keys = append(keys, w.noted...)
	}
	p.stale = nil
	if len(keys) == 0 {
		return
	}
	renoted := map[string]bool{}
	for _, e := range entries {
		if e.Table == state.Written && e.Value != nil {
			renoted[string(e.Key)] = true
		}
	}
	var es []state.Entry
	for _, k := range keys {
		if !renoted[string(k)] {
			es = append(es, state.Entry{Table: state.Written, Key: k})
		}
	}
	if err := p.d.Store.NoteWritten(ctx, es); err != nil {
		p.d.Log.Warn("notes of committed writes not deleted; the next commit tries again", "notes", len(es), "err", err)
		// not the notes this commit wrote again: a deferred event's note
		// stays until the update it stands for is published
		for _, e := range es {
			p.stale = append(p.stale, e.Key)
		}
	}
}

// supersedeWritten hands Supersede the records the state log noted as
// written and never committed (a crash after their write), and keeps
// their notes' keys for the next commit to delete. Called by New.
func (p *Pipeline) supersedeWritten() {
	var evs []*record.Event
	var stories []dedupe.Carried
	var alerts []*record.Alert
	for _, e := range p.d.Store.Written() {
		if string(e.Key) == pendingAlertsKey {
			as, err := retractable(e.Value)
			if err != nil {
				p.d.Log.Error("the note of the alerts waiting to be retracted cannot be read; it is dropped", "err", err)
			}
			alerts = append(alerts, as...)
			p.retractNoted = retractNotedUnknown // the first run notes what it leaves pending
			continue
		}
		p.stale = append(p.stale, e.Key)
		if seq, ok := bytes.CutPrefix(e.Key, []byte(alertsPrefix)); ok {
			p.keepSeqAbove(seq)
			as, err := retractable(e.Value)
			if err != nil {
				p.d.Log.Error("a note of the alerts a write carried cannot be read; it is dropped", "key", e.Key, "err", err)
			}
			alerts = append(alerts, as...)
			continue
		}
		if seq, ok := bytes.CutPrefix(e.Key, []byte(storiesPrefix)); ok {
			p.keepSeqAbove(seq)
			cs, err := decodeStories(e.Value)
			if err != nil {
				p.d.Log.Error("a note of the stories a write carried cannot be read; it is dropped", "key", e.Key, "err", err)
			}
			stories = append(stories, cs...)
			continue
		}
		ev, err := decodeWritten(e.Value)
		if err != nil {
			p.d.Log.Error("a note of a written event record cannot be read; it is dropped", "key", string(e.Key), "err", err)
			continue
		}
		evs = append(evs, ev)
	}
	if len(alerts) > 0 {
		p.d.Log.Info("firing alerts written before a crash and never committed; the first batch retracts those the restored spikes do not hold", "alerts", len(alerts))
		p.retract = append(p.retract, alerts...)
	}
	if len(evs) > 0 {
		p.d.Log.Info("event records written before a crash and never committed, or updates that waited (coalesce.go); the first batch supersedes them", "records", len(evs))
		p.withdraw = append(p.withdraw, evs...)
	}
	stories = p.undecided(stories, closedStories(p.d.Events, evs))
	if len(stories) > 0 {
		p.forgets = p.d.Dedupe.Forget(stories)
		for _, c := range stories {
			p.unjoin = append(p.unjoin, c.ID)
		}
		p.decidedAgain(p.unjoin)
		p.forgets = append(p.forgets, p.unjoinStories()...)
		p.d.Log.Info("stories written before a crash and never committed, or committed in part; they are decided again", "stories", len(stories))
	}
}

// keepSeqAbove has the notes written from now on take sequence numbers
// above seq, a restored note's: they must not reuse its key, which the
// first commit deletes. Called by New.
func (p *Pipeline) keepSeqAbove(seq []byte) {
	if len(seq) == 8 {
		p.noteSeq.Store(max(p.noteSeq.Load(), binary.BigEndian.Uint64(seq)))
	}
}

// undecided returns the noted stories whose decision the log does not
// hold whole: dedupe holds none at the noted version, or the clusterer
// has no live event that lists the story and the log holds no noted
// close that lists it (closed). A story dedupe holds at a later version
// was decided again since: the note is stale. A note can outlive a commit
// that landed whole (the process died before the note's deletion, or the
// deletion failed and the pipeline was dropped before the next commit
// retried it, its items acknowledged): deciding those stories again would
// make dedupe forget stories whose items are not read again, and would
// retract a close whose stories name it.
func (p *Pipeline) undecided(stories []dedupe.Carried, closed map[string]bool) []dedupe.Carried {
	u, placing := p.d.Events.(Unjoiner)
	return slices.DeleteFunc(stories, func(c dedupe.Carried) bool {
		switch held := p.d.Dedupe.Holds(c.ID); {
		case held > c.Version:
			return true
		case held < c.Version:
			return false
		}
		return p.d.Events == nil || closed[c.ID] || placing && u.Lists(c.ID)
	})
}

// closedStories returns the stories listed by the noted closes among evs
// whose close the log holds (events.Clusterer.Closed): their records name
// an event the log closed, not one it never heard of.
func closedStories(cl Clusterer, evs []*record.Event) map[string]bool {
	c, ok := cl.(Unjoiner)
	if !ok {
		return nil
	}
	out := map[string]bool{}
	for _, ev := range evs {
		if ev.Expired && c.Closed(ev.ID, ev.Revision) {
			for _, id := range ev.StoryIDs {
				out[id] = true
			}
		}
	}
	return out
}

// Unjoiner is a Clusterer that can tell a start which noted stories the
// log placed whole — a live event lists the story (Lists), or the log
// holds the close that lists it (Closed) — and take out the membership a
// commit kept only in part left to stories its events do not list
// (Unjoin), so they join an event again (events.Clusterer).
type Unjoiner interface {
	Unjoin(storyIDs []string) []state.Entry
	Lists(storyID string) bool
	Closed(eventID string, revision int) bool
}

// unjoinStories returns the clusterer's tombstones of the memberships of
// the stories a start decides again (unjoin), if it can take them out.
// Called by New, and after a rewind, which loads them again from the
// log, while the commit that logs the tombstones is still to come.
func (p *Pipeline) unjoinStories() []state.Entry {
	if u, ok := p.d.Events.(Unjoiner); ok && len(p.unjoin) > 0 {
		return u.Unjoin(p.unjoin)
	}
	return nil
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
// its id, revision, title and times, then whether it closed the event (a
// byte, 1 if Expired), and for a close the stories it lists (a count and
// the ids: a close stands unless each of them is decided again).
// Binaries before the close's stories read such a note as unreadable and
// drop it: after a crash and a roll-back to one, the close stands as it
// did in them.
func encodeWritten(ev *record.Event) []byte {
	b := make([]byte, 0, 64+len(ev.ID)+len(ev.Title))
	b = state.AppendString(b, ev.ID)
	b = binary.AppendUvarint(b, uint64(ev.Revision))
	b = state.AppendString(b, ev.Title)
	for _, t := range [...]time.Time{ev.FirstSeen, ev.LastSeen, ev.FirstPublished, ev.LastPublished} {
		b = state.AppendTime(b, t)
	}
	if !ev.Expired {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendUvarint(b, uint64(len(ev.StoryIDs)))
	for _, id := range ev.StoryIDs {
		b = state.AppendString(b, id)
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
	if len(d.B) > 0 { // not in the notes of earlier versions
		ev.Expired = d.Byte() == 1
	}
	if ev.Expired && len(d.B) > 0 { // nor this
		n := d.Count()
		ev.StoryIDs = make([]string, 0, n)
		for range n {
			ev.StoryIDs = append(ev.StoryIDs, d.String())
		}
		// A close lists at least its founding story: one that lists none
		// is a retraction, which Withdraw publishes again rather than
		// let stand (its write may not have landed).
		ev.Retracted = n == 0
	}
	return ev, d.End()
}
