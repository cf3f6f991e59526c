// The stages: the first (normalize and dedupe, screen) and the second (enrichment, events and
// spikes, enrich), what time alone produces (maintenance), and pruning expired state.

package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wirestream/wirestream/internal/parallel"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// screenBatch runs the first stage on b, then prunes expired state (at
// most once per PruneInterval); a batch that could not be screened is
// rejected, and its error returned.
func (p *Pipeline) screenBatch(ctx context.Context, b *record.Batch) (*work, error) {
	p.screenMu.Lock()
	w, err := p.screen(b)
	p.prune(ctx, p.d.Now())
	p.screenMu.Unlock()
	if err != nil {
		p.reject(ctx, b, err)
	}
	return w, err
}

// reject acks a batch that could not be screened: nothing of it was
// decided, so its source reads it again.
func (p *Pipeline) reject(ctx context.Context, b *record.Batch, err error) {
	p.d.Log.Error("batch not processed; it will be read again", "feed_url", record.RedactURL(b.Feed.URL), "err", err)
	p.m.Batches.WithLabelValues("failed").Inc()
	b.Done(ctx, err)
}

// screen is the first stage: normalize every item and let dedupe decide.
// Items the normalizer rejects become dead letters; the batch proceeds
// without them. Called under screenMu.
func (p *Pipeline) screen(b *record.Batch) (*work, error) {
	now := p.d.Now()
	txn := p.d.Dedupe.Begin()
	w := &work{batches: []*record.Batch{b}, txns: []*dedupe.Txn{txn}, slots: 1, decided: now, done: make(chan error, 1)}
	for _, dl := range b.DeadLetters {
		w.dead = append(w.dead, dl)
	}
	m := p.m
	// Normalizing and sketching an item depend on the item alone: the
	// batch's items are prepared on every core, then decided in order.
	type prepared struct {
		story *record.Story
		sk    dedupe.Sketch
		err   error
	}
	ps := make([]prepared, len(b.Items))
	parallel.For(len(b.Items), func(i int) {
		s, text, err := p.d.Normalizer.NormalizeText(b.Items[i], now)
		ps[i] = prepared{story: s, err: err}
		if err == nil {
			ps[i].sk = p.d.Dedupe.Sketch(text)
		}
	})
	for i := range b.Items {
		it := b.Items[i]
		s, err := ps[i].story, ps[i].err
		if err != nil {
			if i < len(b.Origins) && b.Origins[i] != "" {
				err = fmt.Errorf("%s: %w", b.Origins[i], err) // "items.jsonl:12: normalize item …"
			}
			p.d.Log.Warn("item rejected", "feed_url", record.RedactURL(it.Feed.URL), "guid", record.Truncate(it.GUID, 200), "link", record.Truncate(it.Link, 500), "err", err)
			m.Items.WithLabelValues("dead_letter").Inc()
			subject := it.Feed.URL + "\x00" + it.GUID + "\x00" + it.Link + "\x00" + it.Title
			if b.Document != "" {
				subject = b.Document + "\x00" + subject
			}
			dl := record.NewDeadLetter(record.StageNormalize, subject, it.Feed.URL, err, now)
			w.dead = append(w.dead, dl.WithItem(it))
			continue
		}
		dec, err := txn.CheckSketch(s, ps[i].sk, now)
		if err != nil {
			// The store could not be read: deciding without it could re-publish
			// or drop stories, so the whole batch waits for the next poll.
			txn.Release()
			return nil, fmt.Errorf("pipeline: batch of %s: %w", b.Feed.URL, err)
		}
		m.Items.WithLabelValues(dec.Kind.String()).Inc()
		p.tally.add(dec.Kind)
		p.noteIfNothingNew(allSeenAfter)
		if dec.Kind == dedupe.KindNew || dec.Kind == dedupe.KindRevision || dec.Kind == dedupe.KindDuplicate {
			w.screened = append(w.screened, screened{story: s, dec: dec, feedLang: it.FeedLanguage})
		}
	}
	return w, nil
}

// enrichStories is the second stage's first part: enrichment of what
// the first stage kept, in batch order, its per-story part in parallel,
// then what the enricher learned from it (w.enriched), for w's commit.
// Enrichment reads nothing the later stages write, so Run runs it for
// a work while the events stage (enrich) decides the work before it;
// every write of the enricher's memory is on this goroutine. A
// maintenance work takes the enricher's clock entries, as every work
// does.
func (p *Pipeline) enrichStories(w *work) {
	if p.d.Enricher == nil {
		return
	}
	var todo []*record.Story
	var langs []string
	for _, sc := range w.screened {
		if sc.dec.Kind == dedupe.KindNew || sc.dec.Kind == dedupe.KindRevision {
			todo = append(todo, sc.story)
			langs = append(langs, sc.feedLang)
		}
	}
	if len(todo) > 0 {
		p.d.Enricher.EnrichAll(todo, langs)
	}
	if c, ok := p.d.Enricher.(Changer); ok {
		// taken, not copied, when nothing came before (every work but a
		// merged one's): the caller owns what Changes returns
		if len(w.enriched) == 0 {
			w.enriched = c.Changes()
		} else {
			w.enriched = append(w.enriched, c.Changes()...)
		}
	}
}

// enrich is the second stage's second part: events and spikes for what
// the first stage kept, in batch order, once enrichStories enriched it,
// then the batch's records. Called under stageMu.
func (p *Pipeline) enrich(w *work) {
	now := p.d.Now()
	first, superseded := p.superseding(now)
	var stories, dups []record.Record
	var spiking []spikeStep // what the spike detector is told, in order
	events := newEventSet()
	for _, sc := range w.screened {
		s, dec := sc.story, sc.dec
		switch dec.Kind {
		case dedupe.KindNew, dedupe.KindRevision:
			p.advance(s.EventTime())
			if p.d.Events != nil {
				if id := p.d.Events.Assign(s); id != "" {
					if s.EventID == "" {
						s.EventID = id
					}
					events.touch(id)
				}
			}
			step := spikeStep{clock: p.clock}
			if dec.Kind == dedupe.KindNew {
				step.story = s
			}
			spiking = append(spiking, step)
			stories = append(stories, s)
		case dedupe.KindDuplicate:
			p.advance(dec.Duplicate.Published)
			spiking = append(spiking, spikeStep{clock: p.clock})
			if p.d.Events != nil {
				if id := p.d.Events.AssignDuplicate(dec.Duplicate); id != "" {
					if dec.Duplicate.EventID == "" {
						dec.Duplicate.EventID = id
					}
					events.touch(id)
				}
			}
			dups = append(dups, dec.Duplicate)
		}
	}
	w.screened = nil
	if p.d.Events != nil {
		// a later story of the run may have folded the event an earlier
		// one joined into another: the records, written after the run,
		// name the event that survives (its state goes out in this write,
		// as the folded one's final state does)
		for _, r := range stories {
			s := r.(*record.Story)
			s.EventID = p.survivor(events, s.EventID, s.ID)
		}
		for _, r := range dups {
			d := r.(*record.Duplicate)
			d.EventID = p.survivor(events, d.EventID, d.DuplicateOf)
		}
	}
	// after the run's merges, so an alert names the events that survive
	// them (merges of later runs: spikes.Detector.FollowMerges)
	alerts := p.retracting(p.spikes(spiking))
	if p.d.Events != nil {
		p.settleEvents(events, now, false)
	}
	w.recs = slices.Concat(first, w.dead, stories, dups, events.records(), alerts)
	w.superseded = append(w.superseded, superseded...)
	for _, b := range w.batches {
		if b.Status != nil {
			w.recs = append(w.recs, b.Status) // the source's, as it is: the source owns every field
		}
	}
	w.delta = p.changes(w.enriched, p.takeNotes()...)
	w.enriched = nil
}

// spikeStep is one story or copy of a work as the spike detector sees
// it: the event clock once it was decided, and the story, if new.
type spikeStep struct {
	clock time.Time
	story *record.Story // nil: a revision or a copy, which moved the clock only
}

// spikes tells the spike detector, in order, each time a story or a copy
// of the work moved the event clock and each new story, and returns the
// alerts of the buckets that closed. Moving the detector once per story,
// to the clock as it was when that story was decided, judges a bucket at
// the same story whatever batches were decided with it as one work, so
// the same stories in the same order fire the same alerts however they
// queued (decide_queued_together) and after a rewind; the detector
// itself closes what a story's own time ends as it counts it. A batch
// with no story on a fresh state (a first poll that failed, so only its
// feed status came) has no event time, so there is nothing to advance
// the detector to: it would start in year 1. Called under stageMu.
func (p *Pipeline) spikes(steps []spikeStep) []record.Record {
	if p.d.Spikes == nil {
		return nil
	}
	var out []record.Record
	for _, st := range steps {
		if !st.clock.IsZero() {
			for _, a := range p.d.Spikes.Advance(st.clock) {
				out = append(out, a)
			}
		}
		if st.story != nil {
			for _, a := range p.d.Spikes.Observe(st.story) {
				out = append(out, a)
			}
		}
	}
	return out
}

// settleEvents adds to es what the events stage owes once a batch has
// been assigned or the clock has moved (enrich and maintenance alike):
// the deferred events whose interval passed by now (all of them with
// all: Flush); the state of each event es touched, once, after its last
// story; then the events the clock or the stories closed (expired on the
// event clock, merged, over capacity), which replace the state of the
// same event — or go before it, when the event's founding story founded
// its id again (eventSet); with an interval, the updates of events
// published in it wait, and waiting ones it ended go out (coalesce.go).
// Called under stageMu, with p.d.Events set.
func (p *Pipeline) settleEvents(es *eventSet, now time.Time, all bool) {
	p.dueDeferred(es, now, all)
	es.snapshot(p.d.Events, p.mayWait(now))
	for _, ev := range p.d.Events.Expire(p.clock) {
		es.add(ev)
	}
	p.holdBack(es, now)
	es.fill(p.d.Events)
}

// survivor returns the id of the event that holds story now, if a merge
// moved it from id, the event it was assigned to in this run, touching it
// in es so its state goes out with the record; else id ("": none).
// Called under stageMu.
func (p *Pipeline) survivor(es *eventSet, id, story string) string {
	if id == "" {
		return id
	}
	if now := p.d.Events.EventOf(story); now != "" && now != id {
		es.touch(now)
		return now
	}
	return id
}

// changes collects what the second stage's stateful stages changed —
// the enricher's as enrichStories took them (enriched), then the events'
// and the spikes' — then extra. Called under stageMu.
func (p *Pipeline) changes(enriched []state.Entry, extra ...state.Entry) []state.Entry {
	// One slice of the exact size: a batch's changes are thousands of
	// entries, which appending stage by stage copied as it grew. When one
	// part holds them all (a work whose stories were all copies: only the
	// enricher's clock entries; a maintenance work's expiries) it is the
	// delta as it came: the caller owns what Changes returns.
	var parts [3][]state.Entry
	parts[0] = enriched
	n := len(extra) + len(enriched)
	for i, st := range []any{p.d.Events, p.d.Spikes} {
		if c, ok := st.(Changer); ok && c != nil {
			parts[i+1] = c.Changes()
			n += len(parts[i+1])
		}
	}
	if n == 0 {
		return nil
	}
	for _, es := range parts {
		if len(es) == n {
			return es
		}
	}
	out := make([]state.Entry, 0, n)
	for _, es := range parts {
		out = append(out, es...)
	}
	return append(out, extra...)
}

// advance moves the event clock to t if t is later.
func (p *Pipeline) advance(t time.Time) {
	if t.After(p.clock) {
		p.clock = t
	}
}

// maintenance moves the event clock to eventNow, if later, and collects
// what time alone produces: expired events and spike alerts. decided is
// the wall-clock time of the request; enriched are the enricher's
// changes (enrichStories). Called under stageMu.
func (p *Pipeline) maintenance(eventNow, decided time.Time, all bool, enriched []state.Entry) *work {
	p.advance(eventNow)
	recs, superseded := p.superseding(decided)
	if !p.clock.IsZero() { // no story yet and no clock: nothing can have expired
		events := newEventSet()
		if p.d.Events != nil {
			p.settleEvents(events, decided, all)
		}
		recs = append(recs, events.records()...)
		if p.d.Spikes != nil {
			var alerts []record.Record
			for _, a := range p.d.Spikes.Advance(p.clock) {
				alerts = append(alerts, a)
			}
			recs = append(recs, p.retracting(alerts)...)
		}
	}
	delta := p.changes(enriched, p.takeNotes()...)
	if len(recs) == 0 && len(delta) == 0 && len(superseded) == 0 {
		return nil
	}
	return &work{recs: recs, delta: delta, superseded: superseded, decided: decided, done: make(chan error, 1)}
}

// prune drops expired state, at most once per PruneInterval, and appends
// the tombstones to the state log. Called under screenMu.
func (p *Pipeline) prune(ctx context.Context, now time.Time) {
	if now.Sub(p.lastPrune) < p.cfg.PruneInterval {
		return
	}
	start := time.Now()
	var ps dedupe.PruneStats
	done := false
	err := p.d.Store.Update(ctx, func() []state.Entry {
		es, stats, ok := p.d.Dedupe.Prune()
		ps, done = stats, ok
		return es
	})
	if !done {
		return // a snapshot is being written: prune at the next batch
	}
	p.lastPrune = now
	p.m.PruneDuration.Observe(time.Since(start).Seconds())
	pruned := p.d.Store.Metrics().Pruned
	pruned.WithLabelValues("ttl").Add(float64(ps.Stories))
	pruned.WithLabelValues("evicted").Add(float64(ps.Evicted))
	pruned.WithLabelValues("fingerprint").Add(float64(ps.Fingerprints))
	pruned.WithLabelValues("alias").Add(float64(ps.Aliases))
	if err != nil {
		// Memory forgot them; after a restart the log brings them back and
		// the next prune drops them again.
		p.d.Log.Error("append pruned state to the log", "err", err)
		return
	}
	p.d.Log.Debug("pruned state", "stories", ps.Stories, "evicted", ps.Evicted, "fingerprints", ps.Fingerprints, "aliases", ps.Aliases)
}
