package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// ErrDecidedAfterFailure acks a batch that was decided after one that
// failed, on memory that held that one's decisions: it is read again
// once memory is back to what the state log holds.
var ErrDecidedAfterFailure = errors.New("decided after a failed batch; not committed")

// forget drops what w decided after its write or its commit failed: its
// dedupe decisions, and its state entries (with those carried from
// earlier failures, entries) — either carried to the next commit, as the
// stages' memory keeps them, or, when the store can rewind, dropped with
// that memory before the next batch is decided. Called with commitMu held.
func (p *Pipeline) forget(w *work, entries []state.Entry) {
	for _, t := range w.txns {
		t.Release()
	}
	p.noteForgotten(w)
	p.stale = append(p.stale, w.noted...) // the next commit, after what supersedes them, deletes them
	if p.d.Store.CanRewind() {
		p.rewind, p.carry = true, nil
	} else {
		p.carry = entries
	}
	p.d.Store.Settle(w.decided2, false)
}

// rewindIfFailed forgets the decisions of the batches that failed since
// the last rewind, and of those decided after them: it waits until all
// of them are finished (failed), then loads the stages' memory again from
// the state log (state.Store.Rewind) and the event clock with it. The
// feeds of those batches read them again, and their stories are counted
// once, as if the write had never been tried. If the rewind fails, the
// batches decided now fail as well, and the next one tries again. quiet,
// if not nil, is called before a rewind and returns once no other
// goroutine changes the stages' memory (Run's events stage has decided
// every work handed to it).
func (p *Pipeline) rewindIfFailed(ctx context.Context, quiet func()) {
	p.commitMu.Lock()
	pending := p.rewind
	var resend []*record.Event
	if !pending && !p.d.Store.CanRewind() {
		// memory kept what the failed batches decided: what their writes
		// carried is published again (republishing)
		resend = p.takeForgotten()
		p.forgottenStories = nil
		p.forgottenAlerts = nil // the detector kept what fired: its own clear follows
	}
	p.commitMu.Unlock()
	if len(resend) > 0 {
		p.stageMu.Lock()
		p.resend = append(p.resend, resend...)
		p.stageMu.Unlock()
	}
	if !pending {
		return
	}
	if quiet != nil {
		quiet()
	}
	if err := p.d.Store.Rewind(ctx); err != nil {
		p.d.Log.Error("state not rewound after a failed batch; batches fail until it is", "err", err)
		return
	}
	p.commitMu.Lock()
	p.rewind, p.carry = false, nil
	p.unjoinStories() // its tombstones are in forgets already
	forgotten := p.takeForgotten()
	stories := p.forgottenStories
	p.forgottenStories = nil
	alerts := p.takeForgottenAlerts()
	p.commitMu.Unlock()
	p.stageMu.Lock()
	p.clock = restoredClock(p.d.Events)
	p.withdraw = append(p.withdraw, forgotten...)
	p.retract = append(p.retract, alerts...)
	p.decidedAgain(slices.Collect(maps.Keys(stories)))
	p.restoreDeferred()
	p.retractNoted = retractNotedUnknown // the log may not hold what the failed commit noted
	p.stageMu.Unlock()
}

// Withdrawer is a Clusterer that supersedes on the sink the event records
// of batches that were not committed, once its memory is back to the log
// (events.Clusterer.Withdraw): published holds the last of each event's;
// it returns what to publish before any later state of those events.
type Withdrawer interface {
	Withdraw(published []*record.Event, again func(storyID string) bool) []*record.Event
}

// Republisher is a Clusterer that tells what to publish again of the
// event records that writes which failed carried, while the stages'
// memory kept what their batches decided (a store that cannot rewind):
// nothing decides those events again, and a close or a merge's end the
// sink refused would be lost (events.Clusterer.Republish).
type Republisher interface {
	Republish(published []*record.Event) []*record.Event
}

// republishing returns what publishes again the records p.resend holds
// (Republisher), for the start of a second-stage run. Called under
// stageMu.
func (p *Pipeline) republishing(now time.Time) []record.Record {
	if len(p.resend) == 0 {
		return nil
	}
	given := lastOfEach(p.resend)
	p.resend = nil
	rp, ok := p.d.Events.(Republisher)
	if !ok {
		return nil
	}
	evs := rp.Republish(given)
	p.d.Log.Info("event records of failed writes published again", "events", len(evs))
	return p.handOut(nil, evs, now)
}

// handOut appends evs to recs as records the run publishes, noting each
// as published and settling what waited on its id. Called under stageMu.
func (p *Pipeline) handOut(recs []record.Record, evs []*record.Event, now time.Time) []record.Record {
	for _, ev := range evs {
		recs = append(recs, ev)
		p.notePublished(ev, now)
		p.settleDeferred(ev.ID)
	}
	return recs
}

// decidedAgain adds ids to the stories decided again before the next
// second-stage run supersedes what the sink holds. Called with stageMu
// held, or by New.
func (p *Pipeline) decidedAgain(ids []string) {
	if len(ids) == 0 {
		return
	}
	if p.again == nil {
		p.again = map[string]bool{}
	}
	for _, id := range ids {
		p.again[id] = true
	}
}

// noteForgotten keeps the last record of each event w handed to the sink:
// its write may have reached the sink (a batch acked with
// ErrDecidedAfterFailure was written; a failed write may have been in
// part) while its state will never reach the log. Called with commitMu
// held.
func (p *Pipeline) noteForgotten(w *work) {
	for _, ev := range w.superseded {
		p.keepForgotten(ev)
	}
	for _, r := range w.recs {
		switch r := r.(type) {
		case *record.Event:
			p.keepForgotten(r)
		case *record.Story:
			if p.forgottenStories == nil {
				p.forgottenStories = map[string]bool{}
			}
			p.forgottenStories[r.ID] = true
		case *record.Alert:
			if p.forgottenAlerts == nil {
				p.forgottenAlerts = map[string]*record.Alert{}
			}
			if r.Retracted {
				// A retraction whose write failed: what it took back may
				// still say firing on the sink.
				r = withState(r, record.AlertFiring, false)
			}
			p.forgottenAlerts[r.Term] = r // a work's alerts are in their order
		}
	}
}

// keepForgotten keeps ev if it is the highest revision of its event kept
// so far. Called with commitMu held.
func (p *Pipeline) keepForgotten(ev *record.Event) {
	if p.forgotten == nil {
		p.forgotten = map[string]*record.Event{}
	}
	if old := p.forgotten[ev.ID]; old == nil || ev.Revision >= old.Revision {
		p.forgotten[ev.ID] = ev
	}
}

// takeForgotten returns and forgets the records noteForgotten kept.
// Called with commitMu held.
func (p *Pipeline) takeForgotten() []*record.Event {
	out := slices.Collect(maps.Values(p.forgotten))
	p.forgotten = nil
	return out
}

// takeForgottenAlerts returns and forgets the alerts noteForgotten kept.
// Called with commitMu held.
func (p *Pipeline) takeForgottenAlerts() []*record.Alert {
	out := slices.Collect(maps.Values(p.forgottenAlerts))
	p.forgottenAlerts = nil
	return out
}

// AlertRetracter is a SpikeDetector that tells whether a term's spike is
// firing in its memory (spikes.Detector.Firing), whether it fired a term
// in a bucket or later (spikes.Detector.FiredSince: a noted alert whose
// commit landed), and whether it has judged the bucket that starts at a
// time (spikes.Detector.Judged): an alert a batch not committed fired,
// which the memory restored from the log does not hold, is cleared on the
// sink once its bucket is judged without firing its term (retracting).
type AlertRetracter interface {
	Firing(term string) bool
	FiredSince(term string, bucketStart time.Time) bool
	Judged(bucketStart time.Time) bool
}

// retracting appends to alerts, the alerts of a second-stage run, for
// each firing alert in p.retract whose bucket the detector has judged
// without firing its term, the record that clears it on the sink: the
// same bucket's alert, cleared and marked retracted. Without it the
// term's last alert on the sink said firing for ever when the stories
// read again did not fire it again (a feed that dropped them meanwhile):
// nothing clears a spike the detector never saw. It is called after the
// run's stories were counted, so that stories read again that fire the
// alert again (in this run, or a later one while its bucket is still
// open) leave no retraction between two firings on the sink. An alert
// whose bucket is still open waits, noted in the run's commit
// (pendingAlertsKey), so that the partition's next owner retracts it if
// it moves first. Called under stageMu.
func (p *Pipeline) retracting(alerts []record.Record) []record.Record {
	if len(p.retract) == 0 && p.retractNoted == "" {
		return alerts
	}
	given := p.retract
	p.retract = nil
	if ar, ok := p.d.Spikes.(AlertRetracter); ok {
		n := 0
		alerts, n = p.retractJudged(ar, given, alerts)
		if n > 0 {
			p.d.Log.Info("firing alerts of batches not committed retracted on the sink", "alerts", n)
		}
	}
	p.notePending()
	return alerts
}

// retractJudged appends to alerts the retraction of each term's last
// firing alert among given whose bucket ar has judged without firing it,
// and keeps in p.retract those whose bucket is still open. A term the
// detector holds firing, or whose state the run's own alerts published
// from that bucket on, is the detector's again: its own clear follows.
// Called under stageMu.
func (p *Pipeline) retractJudged(ar AlertRetracter, given []*record.Alert, alerts []record.Record) ([]record.Record, int) {
	// Of each term, the alert of its latest bucket (of one bucket, the one
	// handed over last): the order given is not the order written — the
	// pending note's key sorts after the numbered notes it predates.
	last := map[string]*record.Alert{}
	for _, a := range given {
		if old := last[a.Term]; old == nil || !a.BucketStart.Before(old.BucketStart) {
			last[a.Term] = a
		}
	}
	published := map[string]time.Time{} // of each term, the latest bucket the run published
	for _, r := range alerts {
		if a, ok := r.(*record.Alert); ok && a.BucketStart.After(published[a.Term]) {
			published[a.Term] = a.BucketStart
		}
	}
	n := 0
	for _, term := range slices.Sorted(maps.Keys(last)) {
		a := last[term]
		at, ran := published[term]
		switch {
		case a.State != record.AlertFiring || ar.Firing(term) || ar.FiredSince(term, a.BucketStart) || ran && !at.Before(a.BucketStart):
		case !ar.Judged(a.BucketStart):
			p.retract = append(p.retract, a)
		default:
			alerts = append(alerts, withState(a, record.AlertCleared, true))
			n++
		}
	}
	return alerts, n
}

// notePending notes in the run's commit the retractions still pending
// (or that none is), if that changed. Called under stageMu.
func (p *Pipeline) notePending() {
	ids := make([]string, 0, len(p.retract))
	for _, a := range p.retract {
		ids = append(ids, a.ID)
	}
	key := strings.Join(ids, "\n")
	if key == p.retractNoted {
		return
	}
	e := state.Entry{Table: state.Written, Key: []byte(pendingAlertsKey)}
	if len(p.retract) > 0 {
		v, err := json.Marshal(p.retract)
		if err != nil {
			p.d.Log.Error("retractions pending not noted in the state log", "err", err)
			return
		}
		e.Value = v
	}
	p.notes = append(p.notes, e)
	p.retractNoted = key
}

// withState is a copy of a in state, retracted or not, under the id the
// detector gives that state's alert of a's bucket.
func withState(a *record.Alert, state string, retracted bool) *record.Alert {
	c := *a
	c.State, c.Retracted = state, retracted
	c.ID = record.AlertID(a.Term, a.BucketStart, state)
	return &c
}

// ForgottenAlerts returns, and forgets, the last alert of each term that
// batches not committed handed to the sink, and those RetractAlerts was
// given that no run has retracted yet: the processor hands them to the
// pipeline it builds from the state log next, as it does ForgottenEvents.
func (p *Pipeline) ForgottenAlerts() []*record.Alert {
	p.stageMu.Lock()
	pending := p.retract
	p.retract = nil
	p.stageMu.Unlock()
	p.commitMu.Lock()
	defer p.commitMu.Unlock()
	return append(pending, p.takeForgottenAlerts()...)
}

// RetractAlerts has the next batch (or maintenance run) clear on the sink
// those of alerts that fired in batches not committed and that the
// detector's memory does not hold (retracting). Call it before Run or
// Process.
func (p *Pipeline) RetractAlerts(alerts []*record.Alert) {
	p.stageMu.Lock()
	defer p.stageMu.Unlock()
	p.retract = append(p.retract, alerts...)
}

// ForgottenEvents returns, and forgets, the last record of each event that
// batches not committed handed to the sink since the last commit, and
// those Supersede was given that no run has published yet. A caller that
// drops this pipeline after a failed batch and builds another from the
// state log (the processor role) hands them to the new one's Supersede,
// so that what the sink may hold is set right, also when this pipeline
// failed before its first second-stage run.
func (p *Pipeline) ForgottenEvents() []*record.Event {
	p.stageMu.Lock()
	pending := append(p.withdraw, p.resend...)
	p.withdraw, p.resend = nil, nil
	p.stageMu.Unlock()
	p.commitMu.Lock()
	defer p.commitMu.Unlock()
	for _, ev := range pending {
		p.keepForgotten(ev) // one record per event, its highest revision
	}
	return p.takeForgotten()
}

// Supersede has the next batch (or maintenance run) publish, before its
// own records, what supersedes published on the sink: for each event, its
// state in the memory the pipeline was built with, at a higher revision,
// or a retraction when it holds no such event (Withdrawer). Call it
// before Run or Process.
func (p *Pipeline) Supersede(published []*record.Event) {
	p.stageMu.Lock()
	defer p.stageMu.Unlock()
	p.withdraw = append(p.withdraw, published...)
}

// superseding returns the records that supersede p.withdraw on the sink,
// and the clusterer notes the revisions they spent, for the state log.
// It also returns what it was given (the last record of each event), for
// the work of the run (work.superseded): Withdraw may answer a record
// with nothing to publish — an event whose last record is its retraction
// or a close that stands — and keep what it learnt only in memory and in
// the run's state entries (the id's floor). Should the work not be
// committed, the rewind forgets both, and unless the given records are
// superseded again, the event's founding story, read again, would found
// its id at revision 1 below what the sink holds.
// Called under stageMu, at the start of a second-stage run.
func (p *Pipeline) superseding(now time.Time) (recs []record.Record, given []*record.Event) {
	recs = p.republishing(now)
	if len(p.withdraw) == 0 {
		p.again = nil
		return recs, nil
	}
	wd, ok := p.d.Events.(Withdrawer)
	if !ok {
		p.withdraw, p.again = nil, nil // no clusterer, or one that cannot: nothing to set right
		return recs, nil
	}
	again := p.again
	given = lastOfEach(p.withdraw) // a note restored and a forgotten record may both name an event
	evs := wd.Withdraw(given, func(id string) bool { return again[id] })
	p.withdraw, p.again = nil, nil
	p.d.Log.Info("event records of batches decided again superseded on the sink", "events", len(evs))
	return p.handOut(recs, evs, now), given
}
