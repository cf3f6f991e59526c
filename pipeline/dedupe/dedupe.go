// Package dedupe decides, for each normalized story, whether it is new, a
// revision of a story already published, a copy of one (the same GUID,
// canonical URL or body, or a near-identical text: a wire story
// republished by another outlet), or unchanged.
//
// It promises at-least-once with the sink: a decision is remembered at once
// in a pending overlay (so a copy in the next batch is caught while the
// first batch is still being written) but joins the deduper's memory, and
// its state log, only when the batch is acknowledged (Txn.Commit), and is
// forgotten when it is not (Txn.Release), so a failed write is re-decided —
// and re-published — when the feed is read again.
//
// Its memory is its own and compact (see memory and index): flat arrays of
// fixed-size records under 64-bit keys, b-bit MinHash signatures, about
// 342 bytes per remembered story in the near-duplicate window at a
// million (BenchmarkDedupeComponents, round 40: 290 at 48 in 24 bands). It is a
// state.Owner of the stories, aliases and fingerprints tables: restored
// from the state log at start, appended to on every commit, written whole
// into the log's snapshots.
package dedupe

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Kind is the outcome of a check.
type Kind int

const (
	KindNew       Kind = iota + 1 // first sighting: publish the story (version 1)
	KindRevision                  // same story, changed content: publish the new version
	KindDuplicate                 // a copy of another story: publish the Duplicate record
	KindUnchanged                 // seen before as it is: publish nothing
)

func (k Kind) String() string {
	switch k {
	case KindNew:
		return "new"
	case KindRevision:
		return "revision"
	case KindDuplicate:
		return "duplicate"
	case KindUnchanged:
		return "unchanged"
	}
	return "unknown"
}

// Duplicate methods.
const (
	MethodGUID = "guid"
	MethodURL  = "url"
	MethodBody = "body"
	MethodNear = "near"
)

// Decision is the verdict on one story.
type Decision struct {
	Kind      Kind
	Duplicate *record.Duplicate // set for KindDuplicate
}

// Bounds limit what the deduper remembers (state.seen_ttl and
// state.max_entries; the near index keeps Config.Window).
type Bounds struct {
	SeenTTL    time.Duration
	MaxEntries int
}

// BoundsOf takes the bounds from the state section of the configuration.
func BoundsOf(c state.Config) Bounds { return Bounds{SeenTTL: c.SeenTTL, MaxEntries: c.MaxEntries} }

// Deduper holds the remembered stories, the pending (decided,
// unacknowledged) entries and the near-duplicate index. Its methods are
// safe for concurrent use, but decisions are meant to be made by one
// goroutine, in batch order.
type Deduper struct {
	cfg    Config
	bounds Bounds
	m      *Metrics
	// nearAt is the least estimated similarity that is a near copy:
	// cfg.Threshold read at full values' grid through the 8-bit store
	// (Config.NearAt).
	nearAt float64

	mu      sync.Mutex
	mem     *memory
	idx     *index
	stories map[uint64]pendingSeen  // overlay over mem: stories and copies
	aliases map[uint64]pendingAlias // overlay over mem.aliases
	owners  map[uint64]*Txn         // index entries added by a pending Txn (new stories)
	// peak is the most of each count (sizes) held at once since the last
	// snapshot, or since the restore began: what the next restore, which
	// replays that stretch of the log, will hold at its fullest (codec.go).
	peak [4]int
	// hinted is the peak SizeHint last gave the store to save beside the
	// log (HintOutgrown).
	hinted [4]int

	// clock is the near-duplicate window's clock, unix ns: the latest
	// story time (record.Story.EventTime, clamped by normalize) checked
	// or restored, never the wall clock, so `process` over an archive
	// finds the near-duplicates a live run would have found.
	clock int64
	// reading is the Txn whose Check runs, for getKey and alias to note
	// the pending Txns it reads (Txn.Stale).
	reading *Txn
	// logged is the clock the log holds: the latest story time of the
	// committed batches. A restart starts the window's clock from it, not
	// from the newest signature, which lags it when the latest stories
	// were copies, unchanged or too short to sign.
	logged int64
	// notes counts the fingerprints a restore read under another setting,
	// for the lines Restored logs (restorelog.go).
	notes restoreNotes
	// demoted is the story keys whose restored signatures were older than
	// the window at the restored clock: Restored does not index them, and
	// the next Prune writes their tombstones, as it would have written
	// them had it dropped them itself.
	demoted []uint64
}

type pendingSeen struct {
	s   seen
	txn *Txn
}

type pendingAlias struct {
	id  string
	txn *Txn
}

var _ state.Owner = (*Deduper)(nil)

// New returns an empty Deduper; state.Open restores what it remembered. m
// may be nil.
func New(cfg Config, b Bounds, m *Metrics) (*Deduper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if b.SeenTTL <= 0 || b.MaxEntries <= 0 {
		return nil, fmt.Errorf("dedupe: bounds must be positive, got seen_ttl %s, max_entries %d", b.SeenTTL, b.MaxEntries)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	idx := newIndex(cfg.MinHashes, cfg.Bands)
	idx.visits = cfg.BucketVisits
	return &Deduper{
		cfg: cfg, bounds: b, m: m, nearAt: cfg.NearAt(),
		mem: newMemory(), idx: idx,
		stories: map[uint64]pendingSeen{}, aliases: map[uint64]pendingAlias{}, owners: map[uint64]*Txn{},
	}, nil
}

// Txn groups the decisions of one batch until the sink acknowledges or
// fails it.
type Txn struct {
	d         *Deduper
	stories   map[uint64]seen   // key → entry, upserted
	aliases   map[uint64]string // alias key → story id
	clock     int64             // the latest story time the Txn checked, unix ns
	logsClock bool              // Entries logged clock, so apply moves logged to it
	fps       []uint64          // story keys this Txn indexed
	added     []uint64          // of those, the ones the index did not hold before
	done      bool
	released  bool   // finished by Release: its decisions were forgotten
	deps      []*Txn // pending Txns whose entries its decisions read (Stale)
}

// Begin starts a batch.
func (d *Deduper) Begin() *Txn {
	return &Txn{d: d, stories: map[uint64]seen{}, aliases: map[uint64]string{}}
}

// Commit appends the Txn's decisions, with extra (the other stages'
// entries for the same batch), to st's log and then applies them to the
// deduper's memory; on error it forgets them (Release). Call it only after
// the sink has acknowledged every record of the batch, and in Begin order.
func (t *Txn) Commit(ctx context.Context, st *state.Store, extra ...state.Entry) error {
	return CommitAll(ctx, st, []*Txn{t}, extra...)
}

// CommitAll commits several batches' Txns, in Begin order, with one
// append to st's log (one fsync for the file log) and extra after their
// entries: what committing each in turn would log and apply, at the cost
// of one commit. On any error — a failed append, or a Txn in ts that was
// finished already (committed or released: the caller's bug) — it forgets
// every one of them that is not finished (Release), so that none is left
// holding its stories in the overlay.
func CommitAll(ctx context.Context, st *state.Store, ts []*Txn, extra ...state.Entry) error {
	var entries []state.Entry
	if len(ts) > 0 {
		d := ts[0].d
		d.mu.Lock()
		logged := d.logged
		d.mu.Unlock()
		// the Txns' entries, then extra, in one slice of the exact size:
		// extra is a batch's thousands of entries of the other stages
		var one [1][]state.Entry
		ess, n := one[:0], len(extra)
		for _, t := range ts {
			if t.done {
				release(ts)
				return fmt.Errorf("dedupe: commit of a finished batch")
			}
			// Each Txn decides whether to log the clock as if the ones
			// before it were applied already, so the log never goes back.
			if !st.KeepsEntries() {
				// Nothing reads the entries (no log, no copy in memory):
				// only whether the clock would be logged is decided, as
				// the log's clock moves with it.
				logged = t.logClock(logged, t.entryCount())
				continue
			}
			var es []state.Entry
			es, logged = t.entries(logged)
			ess, n = append(ess, es), n+len(es)
		}
		if n > 0 {
			entries = make([]state.Entry, 0, n)
		}
		for _, es := range ess {
			entries = append(entries, es...)
		}
	}
	entries = append(entries, extra...)
	err := st.Commit(ctx, entries, func() {
		for _, t := range ts {
			t.apply()
		}
	})
	if err != nil {
		release(ts)
		return fmt.Errorf("dedupe: commit %d batches: %w", len(ts), err)
	}
	return nil
}

// release forgets each of ts (Release: a no-op for one finished already).
func release(ts []*Txn) {
	for _, t := range ts {
		t.Release()
	}
}

// apply moves the Txn's decisions from the overlay into memory.
func (t *Txn) apply() {
	d := t.d
	d.mu.Lock()
	defer d.mu.Unlock()
	// In key order, as Entries logs them: memory's layout (the story
	// slots a snapshot walks) then follows from the input alone.
	keys := make([]uint64, 0, max(len(t.stories), len(t.aliases)))
	for _, k := range sortedKeys(keys, t.stories) {
		d.mem.put(k, t.stories[k])
	}
	for _, k := range sortedKeys(keys, t.aliases) {
		d.mem.putAlias(k, hkey(t.aliases[k]))
	}
	for _, k := range t.fps {
		d.idx.commit(k)
	}
	if t.logsClock {
		d.logged = max(d.logged, t.clock)
	}
	d.notePeak()
	d.forget(t)
	for _, k := range t.added {
		if d.owners[k] == t {
			delete(d.owners, k)
		}
	}
	t.done, t.deps = true, nil
}

// Release forgets the Txn's decisions: the batch was not written, its
// stories will be decided again when the feed is re-read.
func (t *Txn) Release() {
	d := t.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if t.done {
		return
	}
	d.forget(t)
	for _, k := range t.added {
		if d.owners[k] == t {
			delete(d.owners, k)
			d.idx.remove(k)
		}
	}
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	t.done, t.released, t.deps = true, true, nil
}

// Stale reports whether a decision of t read what an earlier Txn still
// pending decided, and that Txn was released since: a copy of a story
// that will not be committed, a revision of one, a claim on its URL. Its
// batch was decided on what no longer holds, and must not be committed;
// read again, it is decided on what does. A batch's Txn begins before
// the one of a batch screened after it, and batches are committed or
// released in that order, so the answer is final when t's turn comes.
func (t *Txn) Stale() bool {
	d := t.d
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, dep := range t.deps {
		if dep.released {
			return true
		}
	}
	return false
}

// read notes that the Check running (reading) read an entry pending in
// by: Stale asks by later. Called with d.mu held.
func (d *Deduper) read(by *Txn) {
	t := d.reading
	if t == nil || by == t || slices.Contains(t.deps, by) {
		return
	}
	t.deps = append(t.deps, by)
}

// forget drops the overlay entries that t still owns (a later Txn may
// have replaced some: a revision of a revision).
func (d *Deduper) forget(t *Txn) {
	for k := range t.stories {
		if p, ok := d.stories[k]; ok && p.txn == t {
			delete(d.stories, k)
		}
	}
	for k := range t.aliases {
		if p, ok := d.aliases[k]; ok && p.txn == t {
			delete(d.aliases, k)
		}
	}
	d.m.PendingEntries.Set(float64(len(d.stories)))
}

func (d *Deduper) get(key string) (seen, bool) { return d.getKey(hkey(key)) }

func (d *Deduper) getKey(k uint64) (seen, bool) {
	if p, ok := d.stories[k]; ok {
		d.read(p.txn)
		return p.s, true
	}
	e, ok := d.mem.get(k)
	return e, ok && !d.expired(e)
}

func (d *Deduper) alias(k uint64) (string, bool) {
	if p, ok := d.aliases[k]; ok {
		d.read(p.txn)
		return p.id, true
	}
	e, ok := d.mem.alias(k)
	return e.id, ok && !d.expired(e)
}

// expired reports whether a remembered story or copy was last seen more
// than SeenTTL before the window's clock (story time). Decisions treat it
// as forgotten whether or not a Prune has swept it yet, so they do not
// depend on when pruning ran (every PruneInterval of wall time).
func (d *Deduper) expired(e seen) bool { return e.last < d.seenCutoff() }

// seenCutoff is the last-seen time, unix seconds, before which a story is
// forgotten: SeenTTL before the window's clock.
func (d *Deduper) seenCutoff() int64 { return d.seenNow() - int64(d.bounds.SeenTTL/time.Second) }

// seenNow is the window's clock in unix seconds: what a story's last-seen
// time is stamped with.
func (d *Deduper) seenNow() int64 { return d.clock / int64(time.Second) }

func (t *Txn) put(key string, e seen) { t.putKey(hkey(key), e) }

// putKey is put by the entry's hkey.
func (t *Txn) putKey(k uint64, e seen) {
	t.stories[k] = e
	t.d.stories[k] = pendingSeen{s: e, txn: t}
	t.d.m.PendingEntries.Set(float64(len(t.d.stories)))
}

func (t *Txn) putAlias(k uint64, id string) {
	t.aliases[k] = id
	t.d.aliases[k] = pendingAlias{id: id, txn: t}
}

// GlobalGUID reports whether a GUID identifies a story on its own, not
// just within its feed: URNs, tag: URIs and UUIDs. (URL GUIDs are covered
// by the canonical-URL key; short or numeric GUIDs collide across feeds.)
func GlobalGUID(guid string) bool {
	g := strings.ToLower(guid)
	if strings.HasPrefix(g, "urn:") || strings.HasPrefix(g, "tag:") {
		return true
	}
	if len(g) == 36 && g[8] == '-' && g[13] == '-' && g[18] == '-' && g[23] == '-' {
		return true
	}
	return false
}

// Remembered returns how many stories and copies the deduper remembers
// (acknowledged), and how many signatures its near index holds.
func (d *Deduper) Remembered() (stories, copies, signatures int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.mem.live[0], d.mem.live[1], d.idx.Len()
}
