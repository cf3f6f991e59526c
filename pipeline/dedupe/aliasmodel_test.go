package dedupe

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// aliasModel is what the memory must answer, kept the simplest way: the
// live stories by key (their feed field tells the puts apart) and each
// alias's story key. An alias finds its story exactly when that story is
// live; a sweep drops the aliases whose story is not.
type aliasModel struct {
	stories map[uint64]uint64 // story key → feed of its last put
	aliases map[uint64]uint64 // alias key → story key
}

// slotModelRun drives one Deduper's memory through random puts, prunes (a
// forget then a sweep), Forgets, compactions, snapshots written while
// batches commit, and restores from the snapshot, the full log, a
// compacted log and a shuffled one — with and without Restored — and
// checks every story and alias against the model after every step.
type slotModelRun struct {
	t         *testing.T
	rng       *rand.Rand
	d         *Deduper
	model     aliasModel
	ids       []string // the story universe; a few do not pack (odd)
	keys      []uint64 // hkey(ids[i])
	akeys     []uint64 // the alias universe
	log       []state.Entry
	feed      uint64
	step      int
	forgotten []int // stories forgotten, latest last
	seed      uint64
	before    string // the last steps, for a failure's message
}

func newSlotModelRun(t *testing.T, seed uint64, nStories, nAliases int) *slotModelRun {
	r := &slotModelRun{t: t, rng: rand.New(rand.NewPCG(seed, 36)), seed: seed,
		model: aliasModel{stories: map[uint64]uint64{}, aliases: map[uint64]uint64{}}}
	for i := range nStories {
		id := normalize.StoryID(fmt.Sprintf("https://m%d.example/%d", seed, i), "", "")
		if i%9 == 0 {
			id = fmt.Sprintf("odd-%d-%d", seed, i) // does not pack: kept in odd
		}
		r.ids = append(r.ids, id)
		r.keys = append(r.keys, hkey(id))
	}
	for a := range nAliases {
		r.akeys = append(r.akeys, mix64(seed<<20|uint64(a))|1)
	}
	r.d = r.newDeduper()
	return r
}

func (r *slotModelRun) newDeduper() *Deduper {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: 1000 * time.Hour, MaxEntries: 1 << 20}, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	return d
}

func (r *slotModelRun) note(format string, args ...any) {
	r.before += fmt.Sprintf("%d: ", r.step) + fmt.Sprintf(format, args...) + "\n"
	if len(r.before) > 4000 {
		r.before = r.before[len(r.before)-4000:]
	}
}

func (r *slotModelRun) record(t state.Table, k uint64, v []byte) {
	r.log = append(r.log, state.Entry{Table: t, Key: keyBytes(k), Value: v})
}

func (r *slotModelRun) storySeen(i int, feed uint64) seen {
	e := seen{feed: feed, first: int64(feed), last: int64(feed)}
	if pid, ok := packID(r.ids[i]); ok {
		e.pid = pid
	} else {
		e.id = r.ids[i]
	}
	return e
}

func (r *slotModelRun) putStory(i int) {
	r.feed++
	e := r.storySeen(i, r.feed)
	r.d.mu.Lock()
	r.d.mem.put(r.keys[i], e)
	r.d.mu.Unlock()
	r.record(state.Stories, r.keys[i], encodeSeen(nil, e))
	r.model.stories[r.keys[i]] = r.feed
	r.note("put story %d (feed %d)", i, r.feed)
}

// putAlias points alias a at story i, remembered or not.
func (r *slotModelRun) putAlias(a, i int) {
	r.d.mu.Lock()
	r.d.mem.putAlias(r.akeys[a], r.keys[i])
	r.d.mu.Unlock()
	r.record(state.Aliases, r.akeys[a], keyBytes(r.keys[i]))
	r.model.aliases[r.akeys[a]] = r.keys[i]
	r.note("put alias %d → story %d", a, i)
}

func (r *slotModelRun) delAlias(a int) {
	r.d.mu.Lock()
	r.d.mem.delAlias(r.akeys[a])
	r.d.mu.Unlock()
	r.record(state.Aliases, r.akeys[a], nil)
	delete(r.model.aliases, r.akeys[a])
	r.note("del alias %d", a)
}

func (r *slotModelRun) tomb(t state.Table, k uint64) {
	if t == state.Aliases {
		delete(r.model.aliases, k)
	}
	r.record(t, k, nil)
}

// prune forgets some live stories (the way Prune does, compacting on the
// way) and then sweeps the aliases; nothing while a snapshot is written.
func (r *slotModelRun) prune(n int) {
	d := r.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mem.frozen > 0 {
		return
	}
	for _, i := range r.liveStories(n) {
		d.mem.del(r.keys[i])
		r.record(state.Stories, r.keys[i], nil)
		delete(r.model.stories, r.keys[i])
		r.forgotten = append(r.forgotten, i)
		r.note("prune story %d", i)
	}
	if drop := d.mem.sweepAliases(); drop != nil {
		d.dropAliases(drop, r.tomb)
	}
	r.sweepModel()
	r.note("sweep")
}

func (r *slotModelRun) sweepModel() {
	for a, s := range r.model.aliases {
		if _, ok := r.model.stories[s]; !ok {
			delete(r.model.aliases, a)
		}
	}
}

// forget is Forget's path: the stories go, and their aliases with them.
func (r *slotModelRun) forget(n int) {
	d := r.d
	d.mu.Lock()
	defer d.mu.Unlock()
	gone := map[uint64]bool{}
	for _, i := range r.liveStories(n) {
		d.mem.del(r.keys[i])
		r.record(state.Stories, r.keys[i], nil)
		delete(r.model.stories, r.keys[i])
		gone[r.keys[i]] = true
		r.forgotten = append(r.forgotten, i)
		r.note("forget story %d", i)
	}
	if len(gone) == 0 {
		return
	}
	d.dropAliases(func(k uint64, s uint32) bool { return gone[d.mem.aliasStory(k, s)] }, r.tomb)
	for a, s := range r.model.aliases {
		if gone[s] {
			delete(r.model.aliases, a)
		}
	}
}

// forgetUnswept forgets stories and leaves their aliases for a later
// sweep, as a restore's story tombstone does: an alias whose story is
// put again before that sweep finds it again.
func (r *slotModelRun) forgetUnswept(n int) {
	r.d.mu.Lock()
	defer r.d.mu.Unlock()
	for _, i := range r.liveStories(n) {
		r.d.mem.del(r.keys[i])
		r.record(state.Stories, r.keys[i], nil)
		delete(r.model.stories, r.keys[i])
		r.forgotten = append(r.forgotten, i)
		r.note("forget story %d, unswept", i)
	}
}

func (r *slotModelRun) liveStories(n int) []int {
	var live []int
	for _, i := range r.rng.Perm(len(r.keys)) {
		if _, ok := r.model.stories[r.keys[i]]; ok && len(live) < n {
			live = append(live, i)
		}
	}
	return live
}

func (r *slotModelRun) compact() {
	r.d.mu.Lock()
	defer r.d.mu.Unlock()
	if r.d.mem.frozen == 0 {
		r.d.mem.compactStories()
		r.note("compact")
	}
}

// batch is what a commit does between a snapshot's chunks: new stories
// and aliases of live stories, or a Forget.
func (r *slotModelRun) batch() {
	switch r.rng.IntN(4) {
	case 0:
		r.forget(1 + r.rng.IntN(3))
	default:
		i := r.rng.IntN(len(r.keys))
		r.putStory(i)
		for range r.rng.IntN(3) {
			r.putAlias(r.rng.IntN(len(r.akeys)), i)
		}
	}
}

// liveStep is one random step of a live deduper.
func (r *slotModelRun) liveStep() {
	switch x := r.rng.IntN(100); {
	case x < 35:
		// Often a story forgotten lately: put again, maybe at another slot.
		i := r.rng.IntN(len(r.keys))
		if n := len(r.forgotten); n > 0 && r.rng.IntN(2) == 0 {
			i = r.forgotten[n-1-r.rng.IntN(min(n, 8))]
		}
		r.putStory(i)
	case x < 60:
		// Mostly a live story, sometimes one forgotten or never put.
		i := r.rng.IntN(len(r.keys))
		if l := r.liveStories(1); len(l) > 0 && r.rng.IntN(4) > 0 {
			i = l[0]
		}
		r.putAlias(r.rng.IntN(len(r.akeys)), i)
	case x < 65:
		r.delAlias(r.rng.IntN(len(r.akeys)))
	case x < 80:
		r.prune(1 + r.rng.IntN(len(r.keys)/3))
	case x < 86:
		r.forget(1 + r.rng.IntN(4))
	case x < 92:
		r.compact()
	case x < 96:
		r.forgetUnswept(1 + r.rng.IntN(4))
	default:
		r.prune(0) // a sweep alone
	}
}

// check asks the memory for every story and alias of the universe.
func (r *slotModelRun) check(what string) {
	r.t.Helper()
	m := r.d.mem
	r.d.mu.Lock()
	defer r.d.mu.Unlock()
	fail := func(format string, args ...any) {
		r.t.Helper()
		r.t.Fatalf("seed %d step %d (%s): %s\nlast steps:\n%s", r.seed, r.step, what, fmt.Sprintf(format, args...), r.before)
	}
	for i, k := range r.keys {
		got, ok := m.story(k)
		feed, want := r.model.stories[k]
		if ok != want || (ok && (got.feed != feed || hkey(got.id) != k)) {
			fail("story %d: %+v %v, want feed %d %v", i, got, ok, feed, want)
		}
	}
	for a, ak := range r.akeys {
		got, ok := m.alias(ak)
		sk, named := r.model.aliases[ak]
		feed, live := r.model.stories[sk]
		if want := named && live; ok != want {
			fail("alias %d: found %v (%+v), want %v", a, ok, got, want)
		}
		if ok && (hkey(got.id) != sk || got.feed != feed) {
			fail("alias %d finds story %q feed %d, want key %x feed %d: a wrong story", a, got.id, got.feed, sk, feed)
		}
	}
	if m.live[0] != len(r.model.stories) {
		fail("%d live stories, want %d", m.live[0], len(r.model.stories))
	}
	if err := liveBitsDisagree(m); err != "" {
		fail("%s", err)
	}
}

// snapshotWhileCommitting writes a snapshot with batches committed
// between its chunks, and returns it and the log written meanwhile.
func (r *slotModelRun) snapshotWhileCommitting() (snap, tail []state.Entry) {
	// A prune first (as the store does before it snapshots, or not): a
	// snapshot leaves out aliases whose story is gone.
	r.prune(0)
	mark := len(r.log)
	err := r.d.Snapshot(func(e state.Entry) error {
		snap = append(snap, state.Entry{Table: e.Table, Key: append([]byte(nil), e.Key...), Value: append([]byte(nil), e.Value...)})
		if e.Value == nil {
			snap[len(snap)-1].Value = nil
		}
		if r.rng.IntN(8) == 0 {
			r.batch()
		}
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return snap, append([]state.Entry(nil), r.log[mark:]...)
}

// restore makes a new deduper from entries, which hold what the model
// does (a snapshot follows a sweep, so it leaves out no alias the model
// has); without Restored the deduper goes on with restoreKeys kept.
func (r *slotModelRun) restore(how string, entries []state.Entry, restored bool) {
	d := r.newDeduper()
	for _, e := range entries {
		if err := d.Load(e); err != nil {
			r.t.Fatalf("seed %d: %s: load %s %x: %v", r.seed, how, e.Table, e.Key, err)
		}
	}
	if restored {
		if err := d.Restored(); err != nil {
			r.t.Fatal(err)
		}
	}
	r.d = d
	r.log = append([]state.Entry(nil), entries...)
	r.note("restore from %s (%d entries, Restored %v)", how, len(entries), restored)
	r.check("after restore from " + how)
}

// compacted is the log as a compacted topic keeps it: each key's last
// entry, in the order written; tombstones kept or dropped.
func compacted(log []state.Entry, keepTombs bool) []state.Entry {
	type tk struct {
		t state.Table
		k uint64
	}
	last := map[tk]int{}
	for i, e := range log {
		if len(e.Key) == 8 {
			last[tk{e.Table, binary.LittleEndian.Uint64(e.Key)}] = i
		}
	}
	var out []state.Entry
	for i, e := range log {
		if len(e.Key) != 8 || last[tk{e.Table, binary.LittleEndian.Uint64(e.Key)}] != i {
			continue
		}
		if e.Value == nil && !keepTombs {
			continue
		}
		out = append(out, e)
	}
	return out
}

func (r *slotModelRun) restoreStep() {
	restored := r.rng.IntN(5) > 0 // sometimes Restored is never called
	switch r.rng.IntN(4) {
	case 0:
		snap, tail := r.snapshotWhileCommitting()
		r.restore("a snapshot written while batches committed, and its tail", append(snap, tail...), restored)
	case 1:
		r.restore("the full log", r.log, restored)
	case 2:
		r.restore("a compacted log", compacted(r.log, r.rng.IntN(2) == 0), restored)
	default:
		// A changelog's partitions: each key's last live entry, in any
		// order (aliases before their stories).
		live := compacted(r.log, false)
		r.rng.Shuffle(len(live), func(i, j int) { live[i], live[j] = live[j], live[i] })
		r.restore("a shuffled compacted log", live, restored)
	}
}

// An alias never finds another story than the one it names, through any
// sequence of puts, prunes (forget then sweep), Forgets, forgets swept
// only later (a story put again before the sweep), compactions that
// move and reuse slots, snapshots written while batches commit, and
// restores of every kind (with and without Restored, and going on live
// after them): checked against a map model after every step.
func TestAnAliasFindsExactlyItsStoryUnderRandomPrunesCompactionsAndRestores(t *testing.T) {
	seeds, steps := 24, 400
	if testing.Short() {
		seeds = 6
	}
	for seed := range uint64(seeds) {
		r := newSlotModelRun(t, seed+1, 40+int(seed%3)*30, 90)
		for r.step = 0; r.step < steps; r.step++ {
			if r.rng.IntN(40) == 0 {
				r.restoreStep()
				continue
			}
			r.liveStep()
			r.check("live")
		}
	}
}

// Snapshots written on another goroutine while the steps run (go test
// -race): slots do not move under a snapshot, and the aliases still find
// exactly their stories; a snapshot taken last restores to the model.
func TestSnapshotsBesideRandomStepsLeaveEveryAliasOnItsStory(t *testing.T) {
	r := newSlotModelRun(t, 99, 70, 90)
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := r.d.Snapshot(func(state.Entry) error { return nil }); err != nil {
				done <- err
				return
			}
		}
	}()
	for r.step = 0; r.step < 600; r.step++ {
		r.liveStep()
		r.check("beside snapshots")
	}
	close(stop)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the snapshot goroutine did not stop within a minute")
	}
	snap, tail := r.snapshotWhileCommitting()
	r.restore("the last snapshot", append(snap, tail...), true)
}
