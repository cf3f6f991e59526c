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
// the feed is re-read and its stories re-decided and re-published, and so
// does every later batch whose dedupe decisions read its stories while
// they were pending (a copy of one: dedupe.Txn.Stale). What
// its second stage decided (events, spikes, enrichment) is in memory
// already: with a state log that replays again (the file log) or none
// (memory only, which keeps what was committed of that memory), the
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
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

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

// SpikeDetector watches term frequencies. Observe returns the alerts of
// the buckets the story's event time closes, Advance those that now
// closes.
type SpikeDetector interface {
	Observe(s *record.Story) []*record.Alert
	Advance(now time.Time) []*record.Alert
}

// Changer is a stage whose state the state log keeps (enrich, events,
// spikes):
// Changes returns the entries for what changed since the last call. The
// pipeline calls it after each batch's second stage and commits the
// entries with the batch, once the sink acknowledged it. The caller owns
// the slice (the pipeline hands it on as a batch's delta uncopied when no
// other stage changed anything: a batch's changes are thousands of
// entries).
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
	// second's events and spikes; its enrichment (enrichStories) runs
	// before them on a goroutine of its own in Run, the only writer of the
	// enricher's memory. Run overlaps the three across batches — batch N+2 is
	// screened while N+1 is enriched and N assigned to events — so two
	// cores work while every stateful stage still sees batches in arrival
	// order.
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
	// forgottenAlerts is the last alert of each term that those batches
	// handed to the sink: the sink may hold it although the spike
	// detector's state in the log does not. Guarded by commitMu.
	forgottenAlerts map[string]*record.Alert
	// retract is those alerts once memory is back to the log, and those a
	// start found noted in it: the second-stage run after which the
	// restored detector has judged an alert's bucket without firing its
	// term clears it on the sink (retracting). Guarded by stageMu.
	retract []*record.Alert
	// retractNoted is what the state log's note of the retractions still
	// pending holds (pendingAlertsKey; "" none, retractNotedUnknown when
	// not known), so that a run notes them only when they changed.
	// Guarded by stageMu.
	retractNoted string
	// withdraw is what the next second-stage run must supersede on the
	// sink (withdraw), once memory is back to the log, and again the ids
	// of the stories decided again meanwhile, which let the close of an
	// event that lists only them be retracted (events.Clusterer.Withdraw).
	// Guarded by stageMu.
	withdraw []*record.Event
	again    map[string]bool
	// resend is, when the store cannot rewind, what failed writes carried
	// (forgotten): memory kept their batches' decisions, so the next
	// second-stage run publishes them again (republishing). Guarded by
	// stageMu.
	resend []*record.Event
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

// Process decides, writes and commits one batch synchronously, acks it,
// and returns the error it acked with; on any error nothing is committed,
// and the caller stops on it: a one-shot run reads nothing again.
func (p *Pipeline) Process(ctx context.Context, b record.Batch) error {
	w, err := p.screenBatch(ctx, &b)
	if err != nil {
		return err
	}
	return p.decideNow(ctx, w)
}

// decideNow takes one screened work through the second stage, writes,
// commits and acks it, synchronously (Process; a test that merges works
// as Run does decides them by it too, so it runs what Process runs).
func (p *Pipeline) decideNow(ctx context.Context, w *work) error {
	p.decide(ctx, nil)
	p.enrichStories(w)
	p.stageMu.Lock()
	p.enrich(w)
	p.stageMu.Unlock()
	w.decided2 = 1
	return p.finish(ctx, p.write(ctx, w), true, w)
}

// decide tells the store that the second stage is about to change the
// memory of events, spikes and enrichment ahead of the log, so that a
// snapshot that takes it in is kept only once it is committed (it never
// waits for one: state.Store.Decide); every call is settled once
// (finish, or settleNothing when the stage produced no work). After a
// failed batch it first takes that memory back to the log, once quiet
// has returned (nil: nothing else changes that memory; rewindIfFailed).
func (p *Pipeline) decide(ctx context.Context, quiet func()) {
	p.rewindIfFailed(ctx, quiet)
	p.d.Store.Decide(ctx)
}

// settleNothing settles a second-stage run that changed no state.
func (p *Pipeline) settleNothing() { p.d.Store.SettleUnchanged(1) }

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
	p.decide(ctx, nil)
	var en work
	p.enrichStories(&en)
	p.stageMu.Lock()
	w := p.maintenance(until, p.d.Now(), true, en.enriched)
	p.stageMu.Unlock()
	if w == nil {
		p.settleNothing()
		return nil
	}
	w.decided2 = 1
	return p.finish(ctx, p.write(ctx, w), true, w)
}
