package pipeline

import (
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// With Config.EventPublishInterval set, an event's record goes out at
// most once per interval: below capacity every write would otherwise
// publish again every event its stories touched, each record carrying
// all the event's story ids. An update sooner than the interval after
// the event's last record waits (deferred): the event's record on the
// sink is stale until a later second-stage run publishes the state the
// event then has. A stale record is what the Written table is for
// (written.go): the run that defers an event notes it there, committed
// with that run's state, and the run that publishes the event deletes
// the note in its own commit. A start hands every note it finds to
// Supersede, so an update a crash or a stop left waiting is published by
// the next start, at a higher revision.
//
// Only updates wait. An event's first record goes out at once (a story
// record's event_id never names an event the sink has not seen), and so
// do final states (expired, merged, over capacity) and what supersedes a
// record (Withdraw): they change what other records mean.
//
// The interval runs on the wall clock (Deps.Now), not on event time: it
// bounds how late a consumer sees an event's state, and event time
// stands still while no story comes and races through a replay. Flush
// (`process`, at the end of its input) publishes every deferred event.

// deferPrefix starts the Written table's key of a deferred event's note,
// apart from the notes of written records (id@rN): no record id starts
// with a NUL byte.
const deferPrefix = "\x00deferred\x00"

func deferKey(id string) []byte { return []byte(deferPrefix + id) }

// dueDeferred adds to es the deferred events whose interval has passed
// since their last record, or all of them, so that the run snapshots and
// publishes them, and forgets publication times that can defer nothing
// any more. Called under stageMu, before es's snapshot.
func (p *Pipeline) dueDeferred(es *eventSet, now time.Time, all bool) {
	iv := p.cfg.EventPublishInterval
	for id := range p.deferred {
		if t, ok := p.published[id]; all || !ok || now.Sub(t) >= iv {
			es.touch(id)
			delete(p.published, id) // published in this run, whatever else touches it
		}
	}
	for id, t := range p.published {
		if now.Sub(t) >= iv {
			delete(p.published, id)
		}
	}
}

// mayWait returns whether the update of an event may wait at now: its
// last record went out less than the interval ago. Only such an event's
// state is taken without its lists (eventSet.snapshot), as holdBack
// drops it unless the run also ends the event. Called under stageMu.
func (p *Pipeline) mayWait(now time.Time) func(id string) bool {
	return func(id string) bool {
		t, ok := p.published[id]
		return ok && now.Sub(t) < p.cfg.EventPublishInterval
	}
}

// holdBack takes out of es the updates of events published less than the
// interval ago, noting each newly deferred event for the run's commit
// (p.notes), and notes the time of every other event record es carries.
// Called under stageMu, once es holds the run's event records.
func (p *Pipeline) holdBack(es *eventSet, now time.Time) {
	if p.cfg.EventPublishInterval <= 0 {
		return
	}
	for _, id := range es.order {
		recs := es.byID[id]
		if t, ok := p.published[id]; ok && len(recs) == 1 && !recs[0].Expired && now.Sub(t) < p.cfg.EventPublishInterval {
			es.byID[id] = nil
			if !p.deferred[id] {
				p.deferred[id] = true
				p.notes = append(p.notes, state.Entry{Table: state.Written, Key: deferKey(id), Value: encodeWritten(recs[0])})
			}
			continue
		}
		if len(recs) > 0 {
			p.notePublished(recs[len(recs)-1], now)
		}
		p.settleDeferred(id) // published, or gone from the clusterer with nothing to publish
	}
	p.waiting.Store(int64(len(p.deferred)))
}

// notePublished notes when ev, the last record of its event in a run,
// was handed to the sink. A final state (a retraction is one) is the end
// of its id: the next record of that id would be the first of an event
// founded again, which goes out at once. Called under stageMu.
func (p *Pipeline) notePublished(ev *record.Event, now time.Time) {
	if p.cfg.EventPublishInterval <= 0 {
		return
	}
	if ev.Expired {
		delete(p.published, ev.ID)
		return
	}
	p.published[ev.ID] = now
}

// settleDeferred ends the deferral of event id, if any: its note is
// deleted in the run's commit. Called under stageMu.
func (p *Pipeline) settleDeferred(id string) {
	if p.deferred[id] {
		delete(p.deferred, id)
		p.notes = append(p.notes, state.Entry{Table: state.Written, Key: deferKey(id)})
		p.waiting.Store(int64(len(p.deferred)))
	}
}

// takeNotes returns and forgets the run's notes of deferred events, for
// its state entries. Called under stageMu.
func (p *Pipeline) takeNotes() []state.Entry {
	n := p.notes
	p.notes = nil
	return n
}

// restoreDeferred sets the deferred events to those the Written table
// notes: after a rewind, memory and the notes are what the log holds.
// Called under stageMu.
func (p *Pipeline) restoreDeferred() {
	clear(p.deferred)
	p.notes = nil
	for _, e := range p.d.Store.Written() {
		if id, ok := strings.CutPrefix(string(e.Key), deferPrefix); ok {
			p.deferred[id] = true
		}
	}
	p.waiting.Store(int64(len(p.deferred)))
}
