// Package pipeline turns the batches a source yields into published
// records: normalize → dedupe → enrich → cluster → spikes → sink. Only
// after the sink acknowledged every record derived from a batch does it
// commit the batch's state — dedupe's decisions and what the batch changed
// in events and spikes — to the state log, and only after that does it ack
// the batch to its source (record.Batch.Ack), which then saves its own
// progress: outputs acknowledged → state appended → source progress.
//
// Delivery is at-least-once. A batch that fails — screening, the sink's
// write, the commit of its state — is acked with the error at once: its
// dedupe decisions are forgotten and the source keeps its old progress, so
// the feed is re-read and its stories re-decided and re-published. What
// its second stage decided (events, spikes, enrichment) is in memory
// already: with a state log that replays again (the file log), the
// batches decided after it fail too and that memory is loaded again from
// the log before the next batch, so re-read stories count once, and the
// next batch first publishes what supersedes the event records those
// batches may have put on the sink (Withdrawer): an event's state at a
// higher revision, or a retraction of an id the log does not hold; with
// another log it is committed with the next batch (the processor role
// rebuilds its pipeline from the changelog instead, and hands the new one
// those records: Supersede). A crash
// re-publishes at most the batches that were in flight, and the state log
// notes the event records of every write until its commit (written.go),
// so the restart supersedes those of writes a crash left uncommitted. Decisions are made
// in batch order (normalizing, sketching and enrichment's per-story part in
// parallel); batches that queued for the second stage while it was busy
// are decided together, as one work (pipeline.decide_queued_together), so
// what costs per batch (snapshots of the events they changed, the stages'
// state changes, a write, a commit) is paid once for them; up to
// max_in_flight_writes sink writes overlap — never two with a record key
// in common, as the sink keeps one key's order only within a write —,
// batches decided while all of them are out share the next write, batches
// whose writes were acknowledged while an earlier commit waited are
// committed with it in one state append, and commits and acks happen in
// batch order.
package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/internal/parallel"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Sink is where records go (sinks/kafka, sinks/jsonl implement it). Write
// blocks until every record is durably written (acknowledged) or ctx
// ends; it retries transient failures itself; an error means not all
// records were written.
type Sink interface {
	Write(ctx context.Context, recs []record.Record) error
}

// Enricher fills language, entities, keywords and topics. EnrichAll
// enriches stories as if one at a time in the order given — what one
// story teaches the enricher is known to the next — and may do the part
// that depends on a story alone concurrently. feedLanguages[i] is the
// declared language of stories[i]'s feed.
type Enricher interface {
	EnrichAll(stories []*record.Story, feedLanguages []string)
}

// Clusterer groups stories into events. Assign and AssignDuplicate put a
// story or a republication in its event and return the event's id ("":
// none); Current returns an active event's state as a fresh value the
// caller owns (the clusterer keeps changing its own state while a sink
// serialises it), nil once the event closed, whose final state Expire
// hands out. The pipeline takes one snapshot per changed event per batch.
// An id its founding story founded again may be both active and among
// the closed Expire hands out, its active state at the higher revision.
type Clusterer interface {
	Assign(s *record.Story) string
	AssignDuplicate(d *record.Duplicate) string
	Current(id string) *record.Event
	// Head is Current without the lists (publishers, entities, keywords,
	// topics, languages, story ids), for an update that may wait; Fill
	// completes a head to what Current would have returned, false if the
	// event changed since.
	Head(id string) *record.Event
	Fill(head *record.Event) bool
	Expire(now time.Time) []*record.Event
	// EventOf returns the id of the event a story belongs to now,
	// following merges ("": none).
	EventOf(storyID string) string
}

// SpikeDetector watches term frequencies.
type SpikeDetector interface {
	Observe(s *record.Story)
	Advance(now time.Time) []*record.Alert
}

// Changer is a stage whose state the state log keeps (enrich, events,
// spikes):
// Changes returns the entries for what changed since the last call. The
// pipeline calls it after each batch's second stage and commits the
// entries with the batch, once the sink acknowledged it.
type Changer interface {
	Changes() []state.Entry
}

// Deps are the pipeline's collaborators. Enricher, Events and Spikes are
// optional (nil: the stage is skipped).
type Deps struct {
	Normalizer *normalize.Normalizer
	Dedupe     *dedupe.Deduper
	Store      *state.Store // restored with Dedupe (and Events and Spikes) as owners
	Enricher   Enricher
	Events     Clusterer
	Spikes     SpikeDetector
	Sink       Sink
	Log        *slog.Logger
	Now        func() time.Time
}

// Pipeline is the orchestrator.
type Pipeline struct {
	cfg Config
	d   Deps
	m   *Metrics

	// Decisions run in two sequential stages, each in batch order:
	// screenMu guards the first (normalize, dedupe, prune), stageMu the
	// second (enrich, events, spikes). Run overlaps them across batches —
	// batch N+1 is screened while batch N is enriched — so two cores work
	// while every stateful stage still sees batches in arrival order.
	screenMu  sync.Mutex
	stageMu   sync.Mutex
	lastPrune time.Time // zero: prune at the first batch, dropping what expired while stopped

	// clock is event time: the latest published time of the stories the
	// second stage has seen (record.Story.EventTime), moved on by Run's
	// maintenance ticks to the wall clock less Lateness while no story
	// comes. Events and spikes run on it, never on the wall clock, so a
	// replay of an archive decides as the live run did. Guarded by stageMu.
	clock time.Time

	// tally, notedAllSeen and stateNote belong to the first stage
	// (screenMu).
	tally        Tally
	notedAllSeen bool
	stateNote    string

	// carry holds state entries of batches that failed, committed before the
	// next batch's: the stages' memory kept those changes, so the log must
	// too — unless the store can rewind that memory (rewind). Guarded by
	// commitMu, with the commits.
	commitMu sync.Mutex
	carry    []state.Entry
	// rewind is set when a batch failed and the store can take the
	// stages' memory back to the log (state.Store.CanRewind): then nothing
	// is carried; every batch that finishes meanwhile fails too (it was
	// decided on that memory), and the second stage rewinds the store
	// before it decides the next batch (rewindIfFailed). Guarded by
	// commitMu.
	rewind bool
	// open is the newest work Run handed to the writer and has not
	// finished: state changes without records are committed with it (see
	// hand). Guarded by commitMu.
	open *work
	// forgotten is the last record of each event that a batch not
	// committed handed to the sink since the last commit (forget): the
	// sink may hold it although the state log does not. Guarded by
	// commitMu.
	forgotten map[string]*record.Event
	// forgottenStories are the ids of the stories those batches carried:
	// their items are read again and the stories decided again. Guarded
	// by commitMu.
	forgottenStories map[string]bool
	// withdraw is what the next second-stage run must supersede on the
	// sink (withdraw), once memory is back to the log, and again the ids
	// of the stories decided again meanwhile, which let the close of an
	// event that lists only them be retracted (events.Clusterer.Withdraw).
	// Guarded by stageMu.
	withdraw []*record.Event
	again    map[string]bool
	// stale are the keys of the state log's notes of written event
	// records (written.go) that batches which failed, or a crash, left
	// behind: the next commit deletes them, after the records that
	// supersede them were written. Guarded by commitMu.
	stale [][]byte
	// forgets are dedupe's entries that make it decide again the stories
	// of writes a crash left uncommitted, or committed in part
	// (supersedeWritten): the next commit logs them before its own.
	// Guarded by commitMu.
	forgets []state.Entry
	// unjoin are the ids of those stories, until forgets are committed: a
	// rewind before that takes the clusterer back to memberships they
	// undo (unjoinStories). Guarded by commitMu.
	unjoin []string
	// noteSeq numbers the notes of the stories a write carries
	// (noteWritten).
	noteSeq atomic.Uint64
	// published is when each event's last record went to the sink, for
	// the events whose next update would still wait; deferred are the
	// events whose newest state waits, each noted in the state log; notes
	// are the notes' changes of the current run (coalesce.go). Guarded
	// by stageMu.
	published map[string]time.Time
	deferred  map[string]bool
	notes     []state.Entry
	// waiting is len(deferred), read by Run's loop without stageMu: a
	// tick shortened to the publish interval does maintenance (and a
	// commit) only while updates wait.
	waiting atomic.Int64
}

// New checks cfg and the required dependencies; the pipeline records its
// work in m (nil: unregistered metrics).
func New(cfg Config, d Deps, m *Metrics) (*Pipeline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	switch {
	case d.Normalizer == nil:
		return nil, errors.New("pipeline: Deps.Normalizer is required")
	case d.Dedupe == nil:
		return nil, errors.New("pipeline: Deps.Dedupe is required")
	case d.Store == nil:
		return nil, errors.New("pipeline: Deps.Store is required")
	case d.Sink == nil:
		return nil, errors.New("pipeline: Deps.Sink is required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	p := &Pipeline{cfg: cfg, d: d, m: m, published: map[string]time.Time{}, deferred: map[string]bool{}}
	p.clock = restoredClock(d.Events)
	p.supersedeWritten()
	return p, nil
}

// restoredClock is the event clock the clusterer's state holds (zero
// without one): event time goes on from where the log left it.
func restoredClock(ev Clusterer) time.Time {
	if c, ok := ev.(interface{ Clock() time.Time }); ok {
		return c.Clock()
	}
	return time.Time{}
}

// work is one batch on its way through the stages to the sink, or
// several that queued for the second stage and were decided together
// (merge): they share one run of it, one write and one commit, and each
// is acked with their verdict.
type work struct {
	batches  []*record.Batch // none for maintenance output (expired events, alerts)
	txns     []*dedupe.Txn   // one per batch, in batch order
	slots    int             // Run's in-flight slots the work holds: one per work screened into it
	delta    []state.Entry   // events' and spikes' state changed by the second stage
	decided2 int             // the second-stage runs (state.Store.Decide) whose changes delta holds
	screened []screened      // first stage's decisions, for the second
	dead     []record.Record // the source's dead letters, then items the normalizer rejected
	maint    bool            // a request for maintenance output at decided
	recs     []record.Record
	noted    [][]byte // keys of the notes of recs' events in the state log (noteWritten), set before the write
	decided  time.Time
	done     chan error // the sink's verdict
	werr     error      // the verdict, once taken from done (wrote)
	wrote    bool
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

// Process decides, writes and commits one batch synchronously, acks it,
// and returns the error it acked with; on any error nothing is committed.
func (p *Pipeline) Process(ctx context.Context, b record.Batch) error {
	w, err := p.screenBatch(ctx, &b)
	if err != nil {
		return err
	}
	p.decide(ctx)
	p.stageMu.Lock()
	p.enrich(w)
	p.stageMu.Unlock()
	w.decided2 = 1
	return p.finish(ctx, p.write(ctx, w), w)
}

// decide tells the store that the second stage is about to change the
// memory of events, spikes and enrichment ahead of the log, so that a
// snapshot that takes it in is kept only once it is committed (it never
// waits for one: state.Store.Decide); every call is settled once
// (finish, or settleNothing when the stage produced no work). After a
// failed batch it first takes that memory back to the log.
func (p *Pipeline) decide(ctx context.Context) {
	p.rewindIfFailed(ctx)
	p.d.Store.Decide(ctx)
}

// settleNothing settles a second-stage run that changed no state.
func (p *Pipeline) settleNothing() { p.d.Store.SettleUnchanged(1) }

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
	p.d.Log.Error("batch not processed; it will be read again", "feed_url", b.Feed.URL, "err", err)
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
			p.d.Log.Warn("item rejected", "feed_url", it.Feed.URL, "guid", record.Truncate(it.GUID, 200), "link", record.Truncate(it.Link, 500), "err", err)
			m.Items.WithLabelValues("dead_letter").Inc()
			dl := record.NewDeadLetter(record.StageNormalize, it.Feed.URL+"\x00"+it.GUID+"\x00"+it.Link+"\x00"+it.Title, it.Feed.URL, err, now)
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

// enrich is the second stage: enrichment, events and spikes for what the
// first stage kept, in batch order, then the batch's records. Called
// under stageMu.
func (p *Pipeline) enrich(w *work) {
	now := p.d.Now()
	first, superseded := p.superseding(now)
	if p.d.Enricher != nil {
		// Enrichment reads nothing the later stages write, so the whole
		// batch is enriched first, its per-story part in parallel.
		var todo []*record.Story
		var langs []string
		for _, sc := range w.screened {
			if sc.dec.Kind == dedupe.KindNew || sc.dec.Kind == dedupe.KindRevision {
				todo = append(todo, sc.story)
				langs = append(langs, sc.feedLang)
			}
		}
		p.d.Enricher.EnrichAll(todo, langs)
	}
	var stories, dups []record.Record
	var observe []*record.Story // new stories for the spike detector, in order
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
			if dec.Kind == dedupe.KindNew {
				observe = append(observe, s)
			}
			stories = append(stories, s)
		case dedupe.KindDuplicate:
			p.advance(dec.Duplicate.Published)
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
	if p.d.Spikes != nil {
		// after the run's merges, so an alert names the events that survive
		// them (merges of later runs: spikes.Detector.FollowMerges)
		for _, s := range observe {
			p.d.Spikes.Observe(s)
		}
	}
	if p.d.Events != nil {
		// the state of each event the batch changed, once, after its last
		// story; then the events its stories closed (expired on the event
		// clock, merged, over capacity), which replace the state of the
		// same event — or go before it, when the event's founding story
		// founded its id again (eventSet); with an interval, the updates
		// of events published in it wait, and waiting ones it ended go
		// out (coalesce.go)
		p.dueDeferred(events, now, false)
		events.snapshot(p.d.Events, p.mayWait(now))
		for _, ev := range p.d.Events.Expire(p.clock) {
			events.add(ev)
		}
		p.holdBack(events, now)
		events.fill(p.d.Events)
	}
	w.recs = slices.Concat(first, w.dead, stories, dups, events.records())
	w.superseded = append(w.superseded, superseded...)
	// A batch with no story on a fresh state (a first poll that failed, so
	// only its feed status came) has no event time, so there is nothing to
	// advance the detector to: it would start in year 1. (The detector
	// itself skips the gap to the first story in one step and restarts its
	// warm-up there, but a start in year 1 would still be logged as state.)
	if p.d.Spikes != nil && !p.clock.IsZero() {
		for _, a := range p.d.Spikes.Advance(p.clock) {
			w.recs = append(w.recs, a)
		}
	}
	for _, b := range w.batches {
		if b.Status != nil {
			w.recs = append(w.recs, b.Status) // the source's, as it is: the source owns every field
		}
	}
	w.delta = append(p.changes(), p.takeNotes()...)
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

// changes collects what the second stage's stateful stages changed.
// Called under stageMu.
func (p *Pipeline) changes() []state.Entry {
	var out []state.Entry
	for _, st := range []any{p.d.Enricher, p.d.Events, p.d.Spikes} {
		if c, ok := st.(Changer); ok && c != nil {
			out = append(out, c.Changes()...)
		}
	}
	return out
}

// advance moves the event clock to t if t is later.
func (p *Pipeline) advance(t time.Time) {
	if t.After(p.clock) {
		p.clock = t
	}
}

// maintenance moves the event clock to eventNow, if later, and collects
// what time alone produces: expired events and spike alerts. decided is
// the wall-clock time of the request. Called under stageMu.
func (p *Pipeline) maintenance(eventNow, decided time.Time, all bool) *work {
	p.advance(eventNow)
	recs, superseded := p.superseding(decided)
	if !p.clock.IsZero() { // no story yet and no clock: nothing can have expired
		events := newEventSet()
		if p.d.Events != nil {
			// deferred events whose interval passed (all of them: Flush)
			p.dueDeferred(events, decided, all)
			events.snapshot(p.d.Events, p.mayWait(decided))
			for _, ev := range p.d.Events.Expire(p.clock) {
				events.add(ev)
			}
			p.holdBack(events, decided)
			events.fill(p.d.Events)
		}
		recs = append(recs, events.records()...)
		if p.d.Spikes != nil {
			for _, a := range p.d.Spikes.Advance(p.clock) {
				recs = append(recs, a)
			}
		}
	}
	delta := append(p.changes(), p.takeNotes()...)
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

// eventSet keeps the records of each event changed in a batch, in the
// order the batch first changed them: its last state, and before it the
// final states of events of the same id that closed in the batch — an id
// that its founding story founded again (see events.Clusterer.Expire) —
// each in the order of its revision, so that the last record of the id,
// the one a compacted topic keeps, is the state the clusterer holds. A
// state that a later one of the same event supersedes is dropped. The
// clusterer hands out fresh values, so they are kept as they are.
type eventSet struct {
	order []string
	byID  map[string][]*record.Event // by revision; nil until snapshot or add gives a state
	heads []*record.Event            // states snapshot took without their lists, for fill
}

func newEventSet() *eventSet { return &eventSet{byID: map[string][]*record.Event{}} }

// touch notes that the batch changed event id.
func (s *eventSet) touch(id string) {
	if _, ok := s.byID[id]; !ok {
		s.order = append(s.order, id)
		s.byID[id] = nil
	}
}

// snapshot takes the state of every touched event that is still active:
// without its lists (Clusterer.Head) where mayWait says its update may
// wait, since then it is most often dropped.
func (s *eventSet) snapshot(c Clusterer, mayWait func(id string) bool) {
	for _, id := range s.order {
		if s.byID[id] != nil {
			continue
		}
		ev := (*record.Event)(nil)
		if mayWait(id) {
			if ev = c.Head(id); ev != nil {
				s.heads = append(s.heads, ev)
			}
		} else {
			ev = c.Current(id)
		}
		if ev != nil {
			s.byID[id] = []*record.Event{ev}
		}
	}
}

// fill completes the states snapshot took without their lists that are
// still to be published: not waiting, not superseded. Called once the
// set holds the run's records and nothing has changed the events since
// snapshot (Expire only closes events, whose final states replace these).
func (s *eventSet) fill(c Clusterer) {
	for _, h := range s.heads {
		recs := s.byID[h.ID]
		i := slices.Index(recs, h)
		if i < 0 || c.Fill(h) {
			continue
		}
		// Not reached while the contract above holds (an event Expire
		// closed was superseded by its final state, so h is gone from
		// recs). Kept so that a future caller that breaks it publishes
		// the event's state now rather than a record without its lists.
		if ev := c.Current(h.ID); ev != nil {
			recs[i] = ev
		} else {
			s.byID[h.ID] = slices.Delete(recs, i, i+1)
		}
	}
	s.heads = nil
}

// add puts ev among the records of its id by revision. Of those, an
// expired one is the end of an event and is published; one that is not
// is a state of the event, superseded by any record after it.
func (s *eventSet) add(ev *record.Event) {
	s.touch(ev.ID)
	recs := s.byID[ev.ID]
	i, _ := slices.BinarySearchFunc(recs, ev.Revision, func(e *record.Event, rev int) int { return cmp.Compare(e.Revision, rev) })
	recs = slices.Insert(recs, i, ev)
	last := recs[len(recs)-1]
	s.byID[ev.ID] = slices.DeleteFunc(recs, func(e *record.Event) bool { return !e.Expired && e != last })
}

func (s *eventSet) records() []record.Record {
	out := make([]record.Record, 0, len(s.order))
	for _, id := range s.order {
		for _, ev := range s.byID[id] {
			out = append(out, ev)
		}
	}
	return out
}

// Clock returns the event clock: the latest published time of the
// stories processed so far (zero before the first).
func (p *Pipeline) Clock() time.Time {
	p.stageMu.Lock()
	defer p.stageMu.Unlock()
	return p.clock
}

// Flush publishes what time alone would produce by until, in event time —
// spike buckets that close, events that expire — and the state of every
// event whose update waits (EventPublishInterval), for `process`, whose
// input ends before the clock moves on.
func (p *Pipeline) Flush(ctx context.Context, until time.Time) error {
	p.decide(ctx)
	p.stageMu.Lock()
	w := p.maintenance(until, p.d.Now(), true)
	p.stageMu.Unlock()
	if w == nil {
		p.settleNothing()
		return nil
	}
	w.decided2 = 1
	return p.finish(ctx, p.write(ctx, w), w)
}
