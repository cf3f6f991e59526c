// Package dedupe decides, for each normalized story, whether it is new, a
// revision of a story already published, a copy of one (the same GUID,
// canonical URL or body, or a near-identical text: a wire story
// republished by another outlet), or unchanged.
//
// It promises at-least-once with the sink: a decision is remembered in
// memory at once (so a copy in the next batch is caught while the first
// batch is still being written) but reaches the state store only when the
// batch is acknowledged (Txn.Commit), and is forgotten when it is not
// (Txn.Release), so a failed write is re-decided — and re-published —
// when the feed is read again.
//
// Exact lookups go to the state store; the near-duplicate MinHash LSH
// index of the window's stories lives in memory and is rebuilt from the
// store at start.
package dedupe

import (
	"fmt"
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

// Deduper holds the pending (decided, unacknowledged) entries and the
// near-duplicate index. Its methods are safe for concurrent use, but
// decisions are meant to be made by one goroutine, in batch order.
type Deduper struct {
	cfg   Config
	store state.Store
	m     *Metrics

	mu      sync.Mutex
	idx     *index
	stories map[string]pendingSeen  // overlay over store.Story
	aliases map[string]pendingAlias // overlay over store.Alias
	owners  map[string]*Txn         // index entries added by a pending Txn (new stories)
}

type pendingSeen struct {
	s   state.Seen
	txn *Txn
}

type pendingAlias struct {
	id  string
	txn *Txn
}

// New builds a Deduper over store and loads the near-duplicate index of
// the stories first seen within the window before now. m may be nil.
func New(cfg Config, store state.Store, m *Metrics, now time.Time) (*Deduper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	d := &Deduper{
		cfg: cfg, store: store, m: m,
		idx:     newIndex(cfg.MinHashes, cfg.Bands),
		stories: map[string]pendingSeen{}, aliases: map[string]pendingAlias{}, owners: map[string]*Txn{},
	}
	err := store.Fingerprints(now.Add(-cfg.Window), func(f state.Fingerprint) error {
		if _, sig, ok := decodeSig(f.Sig); ok && len(sig) == cfg.MinHashes {
			d.idx.add(f.StoryID, f.FirstSeen.UnixNano(), sig)
		}
		// Signatures of another length were made under another
		// minhashes setting: skipped, they age out with the window.
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dedupe: rebuild near-duplicate index: %w", err)
	}
	m.IndexEntries.Set(float64(d.idx.Len()))
	return d, nil
}

// Txn groups the decisions of one batch until the sink acknowledges or
// fails it.
type Txn struct {
	d       *Deduper
	changes state.Changes
	added   []string // story ids this Txn put in the near index
	done    bool
}

// Begin starts a batch.
func (d *Deduper) Begin() *Txn {
	return &Txn{d: d, changes: state.Changes{Stories: map[string]state.Seen{}, Aliases: map[string]string{}}}
}

// Changes are what Commit will write; for tests and for stores that
// want them with other writes.
func (t *Txn) Changes() state.Changes { return t.changes }

// Commit writes the Txn's decisions to the store in one transaction and
// drops them from the pending overlay. Call it only after the sink has
// acknowledged every record of the batch, and in Begin order.
func (t *Txn) Commit() error {
	d := t.d
	if t.done {
		return fmt.Errorf("dedupe: commit of a finished batch")
	}
	if err := d.store.Apply(t.changes); err != nil {
		return fmt.Errorf("dedupe: commit batch: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.forget(t)
	for _, id := range t.added {
		if d.owners[id] == t {
			delete(d.owners, id)
		}
	}
	t.done = true
	return nil
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
	for _, id := range t.added {
		if d.owners[id] == t {
			delete(d.owners, id)
			d.idx.remove(id)
		}
	}
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	t.done = true
}

// forget drops the overlay entries that t still owns (a later Txn may
// have replaced some: a revision of a revision).
func (d *Deduper) forget(t *Txn) {
	for k := range t.changes.Stories {
		if p, ok := d.stories[k]; ok && p.txn == t {
			delete(d.stories, k)
		}
	}
	for k := range t.changes.Aliases {
		if p, ok := d.aliases[k]; ok && p.txn == t {
			delete(d.aliases, k)
		}
	}
	d.m.PendingEntries.Set(float64(len(d.stories)))
}

// Expire drops near-index entries older than the window; the store's
// Prune does the same on disk.
func (d *Deduper) Expire(now time.Time) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := d.idx.expire(now.Add(-d.cfg.Window).UnixNano())
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	return n
}

func (d *Deduper) story(key string) (state.Seen, bool, error) {
	if p, ok := d.stories[key]; ok {
		return p.s, true, nil
	}
	return d.store.Story(key)
}

func (d *Deduper) alias(key string) (string, bool, error) {
	if p, ok := d.aliases[key]; ok {
		return p.id, true, nil
	}
	return d.store.Alias(key)
}

func (t *Txn) putStory(key string, s state.Seen) {
	t.changes.Stories[key] = s
	t.d.stories[key] = pendingSeen{s: s, txn: t}
	t.d.m.PendingEntries.Set(float64(len(t.d.stories)))
}

func (t *Txn) putAlias(key, id string) {
	t.changes.Aliases[key] = id
	t.d.aliases[key] = pendingAlias{id: id, txn: t}
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
