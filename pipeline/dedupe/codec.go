package dedupe

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The deduper's tables in the state log. Keys are 8-byte little-endian
// hkeys; values:
//
//	stories:      's' packed-id:16B | 'r' len:uvarint id, then feed:8 content:8 first:8 last:4 version:uvarint [guid:8]
//	              'R': 'r' for a story its URL's site published (seen.home); a packed id marks it in its own bits (idHome)
//	              'c' content:8 first:8 last:4                       (a copy published as a duplicate)
//	aliases:      story key:8
//	fingerprints: first:8 k:1 bands:1 checks:1 values:k checks:bands*checks   (the index's stored form)
//
// Before round 27 a story its URL's site published was logged without
// the mark and kept a home alias (homeAlias) beside its others; such a log
// is restored as it was written (the alias still counts: fromItsSite). A
// build before round 27 reads a packed id with idHome set as the same id
// (it reads 110 bits and the mark bit) and keeps the bit through its own
// snapshots; it refuses an 'R' entry ("unknown story kind"): a story
// under an id normalize.StoryID did not make whose URL's site published
// it, which takes a relinked c_ story.
//
// Two keys are not hkeys: the stories table's empty key is a snapshot's
// sizes hint, and the fingerprints table's empty key is the window's
// clock (unix ns:8, little-endian) as of the last batch that moved it.

// Tables are the deduper's tables in the state log.
func (d *Deduper) Tables() []state.Table {
	return []state.Table{state.Stories, state.Aliases, state.Fingerprints}
}

func keyBytes(k uint64) []byte { return binary.LittleEndian.AppendUint64(make([]byte, 0, 8), k) }

// sortedKeys returns m's keys in order, in keys' array.
func sortedKeys[V any](keys []uint64, m map[uint64]V) []uint64 {
	keys = keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// maxPackedSeen is what encodeSeen writes for a story with a packed id and
// a version below 2^21: the entries' buffer is sized by it.
const maxPackedSeen = 1 + 16 + 8 + 8 + 8 + 4 + 3 + 8

func encodeSeen(b []byte, e seen) []byte {
	le := binary.LittleEndian
	if e.copy {
		b = append(b, 'c')
		b = le.AppendUint64(b, e.content)
		b = le.AppendUint64(b, uint64(e.first))
		return le.AppendUint32(b, clampSeconds(e.last))
	}
	p, ok := e.pid, e.pid.packed()
	if !ok {
		p, ok = packID(e.id)
	}
	switch {
	case ok:
		if e.home {
			p[1] |= idHome
		}
		b = append(b, 's')
		b = le.AppendUint64(b, p[0])
		b = le.AppendUint64(b, p[1])
	case e.home:
		b = state.AppendString(append(b, 'R'), e.id)
	default:
		b = state.AppendString(append(b, 'r'), e.id)
	}
	b = le.AppendUint64(b, e.feed)
	b = le.AppendUint64(b, e.content)
	b = le.AppendUint64(b, uint64(e.first))
	b = le.AppendUint32(b, clampSeconds(e.last))
	b = binary.AppendUvarint(b, uint64(e.version))
	if e.guid != 0 {
		b = le.AppendUint64(b, e.guid)
	}
	return b
}

var errShort = errors.New("value cut short")

func decodeSeen(v []byte) (seen, error) {
	le := binary.LittleEndian
	if len(v) == 0 {
		return seen{}, errShort
	}
	kind, v := v[0], v[1:]
	if kind == 'c' {
		if len(v) != 20 {
			return seen{}, errShort
		}
		return seen{copy: true, content: le.Uint64(v), first: int64(le.Uint64(v[8:])), last: int64(le.Uint32(v[16:]))}, nil
	}
	var e seen
	switch kind {
	case 's':
		if len(v) < 16 {
			return seen{}, errShort
		}
		e.pid = packedID{le.Uint64(v), le.Uint64(v[8:])} // unpacked only when a decision needs it
		if !e.pid.packed() {
			return seen{}, errors.New("packed id without its mark")
		}
		e.home, e.pid[1] = e.pid[1]&idHome != 0, e.pid[1]&^idHome
		v = v[16:]
	case 'r', 'R':
		e.home = kind == 'R'
		d := state.Decoder{B: v}
		if e.id = d.String(); d.Err != nil {
			return seen{}, errShort
		}
		v = d.B
	default:
		return seen{}, fmt.Errorf("unknown story kind %q", kind)
	}
	if len(v) < 28 {
		return seen{}, errShort
	}
	e.feed, e.content, e.first, e.last = le.Uint64(v), le.Uint64(v[8:]), int64(le.Uint64(v[16:])), int64(le.Uint32(v[24:]))
	ver, k := binary.Uvarint(v[28:])
	if k <= 0 {
		return seen{}, errShort
	}
	e.version = int(ver)
	switch rest := v[28+k:]; len(rest) {
	case 0:
	case 8:
		e.guid = le.Uint64(rest)
	default:
		return seen{}, fmt.Errorf("story entry with %d bytes after its version", len(rest))
	}
	return e, nil
}

// Entries are the log entries of the Txn's decisions: stories and copies,
// aliases (each in key order, so the same input logs the same bytes), then
// signatures (in the index's stored form, in decision order).
func (t *Txn) Entries() []state.Entry {
	t.d.mu.Lock()
	logged := t.d.logged
	t.d.mu.Unlock()
	es, _ := t.entries(logged)
	return es
}

// entries is Entries as if the log held the clock logged; it returns the
// clock the log holds after them.
func (t *Txn) entries(logged int64) ([]state.Entry, int64) {
	d := t.d
	es := make([]state.Entry, 0, len(t.stories)+len(t.aliases)+len(t.fps)+1)
	// Every key and value is encoded into one buffer, cut into the
	// entries' slices once it stops growing (each capped at its own end,
	// so an append to one never writes over the next): one allocation for
	// the batch where each entry's key and value took one to four.
	// Nothing keeps an entry past its commit: the log encodes it, the
	// changelog sends it.
	d.mu.Lock()
	slot := 8 + 3 + d.idx.k + d.idx.bands*d.idx.checks
	d.mu.Unlock()
	buf := make([]byte, 0, len(t.stories)*(8+maxPackedSeen)+len(t.aliases)*16+len(t.fps)*(8+slot))
	ends := make([]int, 0, 2*cap(es)) // each entry's key end, then its value end
	add := func(table state.Table, b []byte) []byte {
		es = append(es, state.Entry{Table: table})
		ends = append(ends, len(b))
		return b
	}
	keys := make([]uint64, 0, max(len(t.stories), len(t.aliases)))
	for _, k := range sortedKeys(keys, t.stories) {
		buf = binary.LittleEndian.AppendUint64(buf, k)
		buf = encodeSeen(add(state.Stories, buf), t.stories[k])
		ends = append(ends, len(buf))
	}
	for _, k := range sortedKeys(keys, t.aliases) {
		buf = binary.LittleEndian.AppendUint64(buf, k)
		buf = binary.LittleEndian.AppendUint64(add(state.Aliases, buf), hkey(t.aliases[k]))
		ends = append(ends, len(buf))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, s := range t.keptFingerprints() {
		buf = binary.LittleEndian.AppendUint64(buf, k)
		buf = d.idx.encodeSlot(add(state.Fingerprints, buf), s)
		ends = append(ends, len(buf))
	}
	at := 0
	for i := range es {
		k, v := ends[2*i], ends[2*i+1]
		es[i].Key, es[i].Value = buf[at:k:k], buf[k:v:v]
		at = v
	}
	// The clock rides with a batch that logs something anyway. A batch of
	// unchanged stories logs nothing (TouchInterval), yet an undated story
	// moves the clock to its check time: logging that move alone would
	// append (and fsync) an entry on every re-poll of an undated feed, so
	// it waits until it is at least clockLogStep ahead. A restart then
	// resumes at most that far behind, until the next undated story.
	if logged = t.logClock(logged, len(es)); t.logsClock {
		es = append(es, clockEntry(t.clock))
	}
	return es, logged
}

// logClock decides whether the Txn's entries, n besides the clock's, log
// the clock (t.logsClock), as if the log held the clock logged; it
// returns the clock the log holds after them.
func (t *Txn) logClock(logged int64, n int) int64 {
	t.logsClock = t.clock > logged && (n > 0 || t.clock-logged >= clockLogStep)
	if t.logsClock {
		return t.clock
	}
	return logged
}

// entryCount is len(t.entries(…)) but for the clock's entry, without
// encoding them.
func (t *Txn) entryCount() int {
	n := len(t.stories) + len(t.aliases)
	t.d.mu.Lock()
	defer t.d.mu.Unlock()
	for range t.keptFingerprints() {
		n++
	}
	return n
}

// keptFingerprints yields those of t's fingerprint keys the index still
// holds, each with its slot: the fingerprints t's entries log (entries
// encodes them, entryCount counts them). Called with t.d.mu held.
func (t *Txn) keptFingerprints() iter.Seq2[uint64, uint32] {
	return func(yield func(uint64, uint32) bool) {
		for _, k := range t.fps {
			if s, ok := t.d.idx.byKey.get(k); ok && !yield(k, s) {
				return
			}
		}
	}
}

// clockLogStep is how far the window clock may run ahead of the log in
// batches that log nothing else.
const clockLogStep = int64(time.Hour)

// clockEntry records the window's clock.
func clockEntry(clock int64) state.Entry {
	return state.Entry{Table: state.Fingerprints, Key: []byte{}, Value: binary.LittleEndian.AppendUint64(nil, uint64(clock))}
}

// encodeSlot writes slot s's stored form: its time, its setting (k, bands
// and check bytes a band, one byte each: 256, which Validate allows for k
// and bands, is written as 0 — see settingByte) and its values and check
// bytes.
func (x *index) encodeSlot(b []byte, s uint32) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(x.firstOf(s)))
	b = append(b, byte(x.k), byte(x.bands), byte(x.checks))
	b = append(b, x.slotVals(s)...)
	return append(b, x.slotChk(s)...)
}

// Load applies one restored entry.
func (d *Deduper) Load(e state.Entry) error {
	if len(e.Key) != 8 && !(len(e.Key) == 0 && (e.Table == state.Stories || e.Table == state.Fingerprints)) {
		return fmt.Errorf("dedupe: %s key of %d bytes, want 8", e.Table, len(e.Key))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.mem.beginRestore()
	switch {
	case e.Table == state.Stories && len(e.Key) == 0:
		return d.expect(e.Value)
	case len(e.Key) == 0:
		return d.loadClock(e.Value)
	}
	k := binary.LittleEndian.Uint64(e.Key)
	switch e.Table {
	case state.Stories:
		if e.Value == nil {
			d.mem.del(k)
			return nil
		}
		s, err := decodeSeen(e.Value)
		if err != nil {
			return fmt.Errorf("dedupe: story: %w", err)
		}
		d.mem.put(k, s)
	case state.Aliases:
		if e.Value == nil {
			d.mem.delAlias(k)
			return nil
		}
		if len(e.Value) != 8 {
			return fmt.Errorf("dedupe: alias value of %d bytes, want 8", len(e.Value))
		}
		// putAlias finds the story's slot (a probe of the story table,
		// not memory.story, which spelt each id: that cost a restore of
		// 1M stories ~1.3 CPU-s), comparing the restore's keys
		// (beginRestore), not keys spelt from the story records. The
		// first prune after a restore still sweeps every alias once.
		d.mem.putAlias(k, binary.LittleEndian.Uint64(e.Value))
		d.mem.strays = true
	case state.Fingerprints:
		if e.Value == nil {
			d.idx.remove(k)
			return nil
		}
		v := e.Value
		if len(v) < 11 {
			return fmt.Errorf("dedupe: fingerprint: %w", errShort)
		}
		kk, bands, checks := settingByte(v[8]), settingByte(v[9]), int(v[10])
		x := d.idx
		if !x.readsPrefixOf(kk, bands, checks) {
			// Made under a setting this one cannot read: it ages out of
			// the log with the window.
			d.notes.note(&d.notes.dropped, fingerprintSetting{kk, bands, checks})
			return nil
		}
		if kk != x.k || bands != x.bands {
			d.notes.note(&d.notes.converted, fingerprintSetting{kk, bands, checks})
		}
		if len(v) != 11+kk+bands*checks {
			return fmt.Errorf("dedupe: fingerprint: %w", errShort)
		}
		x.bulk = true
		at := int64(binary.LittleEndian.Uint64(v))
		vals, chk := v[11:11+kk], v[11+kk:]
		x.addStored(k, at, vals[:x.k], chk[:x.bands*x.checks], false)
		d.clock, d.logged = max(d.clock, at), max(d.logged, at)
	default:
		return fmt.Errorf("dedupe: not a dedupe table: %s", e.Table)
	}
	d.notePeak()
	return nil
}

// settingByte reads a fingerprint's k or bands byte. Both are 1..maxK
// (256), written as byte(n): 256 comes back as 0, which no setting is.
// Read as 0 it dropped every fingerprint of minhashes 256 at each restart.
func settingByte(b byte) int {
	const _ = uint8(maxK - 1) // maxK must fit a byte this way: a larger one fails to compile
	if b == 0 {
		return maxK
	}
	return int(b)
}

// loadClock restores the window's clock. A log written before it was
// kept has none: the clock then starts from the newest signature.
func (d *Deduper) loadClock(v []byte) error {
	if v == nil {
		return nil
	}
	if len(v) != 8 {
		return fmt.Errorf("dedupe: window clock of %d bytes, want 8", len(v))
	}
	c := int64(binary.LittleEndian.Uint64(v))
	d.clock, d.logged = max(d.clock, c), max(d.logged, c)
	return nil
}

// The sizes entry (the stories table's empty key) leads a snapshot, and
// the store keeps the latest beside the log (SizeHint): how many stories,
// copies, aliases and signatures there are, so a restore sizes its arrays
// once. The store's hint says the most there were at once since the last
// snapshot (peak), not how many there are: a restore replays that whole
// stretch of the log, signatures and stories the window expired later
// included, and holds them all before their tombstones come.

var _ state.Sizer = (*Deduper)(nil)

// SizeHint is the sizes entry of what the deduper remembers now, which
// the store keeps beside the log so that a restore sizes its arrays for
// the whole log, not only for the snapshot at its start.
func (d *Deduper) SizeHint() (state.Entry, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notePeak()
	d.hinted = d.peak
	return state.Entry{Table: state.Stories, Key: []byte{}, Value: encodeSizes(d.peak)}, true
}

var _ state.HintOutgrower = (*Deduper)(nil)

// HintOutgrown reports whether a count has passed the last SizeHint by
// more than half the room a restore reserves over its hint
// (withDeadRoom's 1/128): a crash now would restore more than the saved
// hint sizes for, and the arrays would grow during the replay. Between
// the store's timed saves (every 30 s) this saves the hint about every
// 1/256 of growth: ≈ 2,000 small writes over a fill to a million.
func (d *Deduper) HintOutgrown() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, n := range d.counts() {
		if h := d.hinted[i]; n > h+h/256 {
			return true
		}
	}
	return false
}

// counts are the sizes the hint speaks of: live stories and copies,
// aliases, signatures.
func (d *Deduper) counts() [4]int {
	return [4]int{d.mem.live[0], d.mem.live[1], d.mem.aliases.len(), d.idx.Len()}
}

// notePeak raises peak to the counts now. Called with d.mu held wherever
// the counts stop rising: after a restored entry, a batch applied, and
// before a prune.
func (d *Deduper) notePeak() {
	for i, n := range d.counts() {
		d.peak[i] = max(d.peak[i], n)
	}
}

func encodeSizes(n [4]int) []byte {
	var b []byte
	for _, v := range n {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return b
}

func (d *Deduper) expect(v []byte) error {
	if v == nil {
		return nil // a hint deleted is no hint
	}
	dec := state.Decoder{B: v}
	stories, copies, aliases, sigs := dec.Uvarint(), dec.Uvarint(), dec.Uvarint(), dec.Uvarint()
	if err := dec.End(); err != nil {
		return fmt.Errorf("dedupe: sizes: %w", err)
	}
	// A bound so that a damaged entry cannot ask for the machine, which
	// a true hint never reaches. Pruning keeps at most MaxEntries stories
	// and copies, but the hint is the most held at once since the last
	// snapshot: the stories admitted between two prunes lift it above
	// MaxEntries (twice is room for a prune interval of a whole window),
	// and each story keeps up to maxAliases aliases (one more in a log
	// written before round 27: loggedAliases). Cut at MaxEntries,
	// a 1M-story window restored from a snapshot and a tail grew its alias
	// table by half four times over and its story and signature arrays by
	// append (round 26: restore28).
	most := uint64(1 << 24)
	if d.bounds.MaxEntries > 0 {
		most = 2 * uint64(d.bounds.MaxEntries)
	}
	d.mem.reserve(int(min(stories, most)), int(min(copies, most)), int(min(aliases, loggedAliases*most)))
	d.idx.reserve(int(min(sigs, most)))
	return nil
}

// loggedAliases is the most aliases a story may hold in a restored log:
// maxAliases, and the home alias of a log written before round 27.
const loggedAliases = maxAliases + 1

// Restored builds the near index's tables once every signature is in.
func (d *Deduper) Restored() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	// Entries after the snapshot's size hint (the segments after it, or
	// the changelog's tail) grew the arrays by append, leaving up to a
	// quarter of them spare: give that back before the band tables are
	// made, so they can use the memory freed.
	d.mem.fit()
	d.mem.endRestore()
	d.idx.fit()
	d.boundRestoredTimes()
	if d.idx.bulk {
		// A signature older than the window at the restored clock decides
		// nothing (queries skip it) but would hold its values, check bytes
		// and band cells until the first prune: demote it before the
		// tables are built. Its story keeps its exact keys (seen_ttl).
		d.demoted = append(d.demoted, d.idx.expire(d.clock-int64(d.cfg.Window))...)
		d.idx.build()
	}
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	d.notes.report(d.cfg)
	return nil
}

// Count reports the live entries of each table.
func (d *Deduper) Count(t state.Table) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch t {
	case state.Stories:
		return d.mem.live[0] + d.mem.live[1]
	case state.Aliases:
		return d.mem.aliases.len()
	case state.Fingerprints:
		return d.idx.Len()
	}
	return 0
}

// snapshotChunk bounds how long a snapshot holds the deduper's lock.
const snapshotChunk = 4096

// Snapshot hands emit every acknowledged entry, a chunk at a time under
// the lock. Slots do not move while it runs (compaction waits), and
// pruning waits for it, so every entry that was there when it began and
// has not changed since is emitted; what changes meanwhile is in the log
// after the snapshot.
func (d *Deduper) Snapshot(emit func(state.Entry) error) error {
	d.mu.Lock()
	d.mem.frozen++
	d.idx.frozen++
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.mem.frozen--
		d.idx.frozen--
		d.mu.Unlock()
	}()
	var buf []state.Entry
	// A chunk's keys and values are appended to one array (a), the
	// entries slicing it, instead of two allocations an entry. The array
	// is reused from chunk to chunk: emit copies what it keeps
	// (state.Owner), so a snapshot allocates a chunk, not the state (a
	// fresh array a chunk was ≈ 260 MB a compaction at 1M stories, and
	// what it allocated while the collector marked counted as live).
	// The array is made for a chunk of the largest kind of entry, so once
	// (it grows for a longer entry): a story's key and packed seen, a
	// copy's key and seen, a fingerprint's key and slot (walk's three
	// calls below, in that order).
	var a []byte
	maxRoom := max(8+maxPackedSeen, 8+21, 8+11+d.idx.k+d.idx.bands*d.idx.checks)
	buf = make([]state.Entry, 0, snapshotChunk)
	// at appends the entry's key and value to a and returns their lengths.
	walk := func(t state.Table, n func() int, at func(a []byte, i int) ([]byte, int, int, bool)) error {
		for i := 0; ; {
			buf = buf[:0]
			d.mu.Lock()
			end := n()
			if need := min(snapshotChunk, max(0, end-i)) * maxRoom; cap(a) < need {
				a = make([]byte, 0, need)
			}
			a = a[:0]
			for ; i < end && len(buf) < snapshotChunk; i++ {
				start := len(a)
				var kn, vn int
				var ok bool
				if a, kn, vn, ok = at(a, i); ok {
					k, v := a[start:start+kn:start+kn], a[start+kn:start+kn+vn:start+kn+vn]
					buf = append(buf, state.Entry{Table: t, Key: k, Value: v})
				}
			}
			d.mu.Unlock()
			for _, e := range buf {
				if err := emit(e); err != nil {
					return err
				}
			}
			if len(buf) == 0 && i >= end {
				return nil
			}
		}
	}
	m, x := d.mem, d.idx
	d.mu.Lock()
	// The snapshot's own hint is what it holds; from here the peak counts
	// what the log appends after it.
	d.peak = d.counts()
	hint := state.Entry{Table: state.Stories, Key: []byte{}, Value: encodeSizes(d.peak)}
	clock := d.logged // what the log holds, not the pending batches' clock
	d.mu.Unlock()
	if err := emit(hint); err != nil {
		return err
	}
	if clock != 0 {
		if err := emit(clockEntry(clock)); err != nil {
			return err
		}
	}
	le := binary.LittleEndian
	err := walk(state.Stories, func() int { return m.stories.len() }, func(a []byte, i int) ([]byte, int, int, bool) {
		r := m.rec(uint32(i))
		if !r.live() {
			return a, 0, 0, false
		}
		k := r.key()
		n := len(a)
		a = le.AppendUint64(a, k)
		a = encodeSeen(a, m.storyAt(uint32(i), false))
		return a, 8, len(a) - n - 8, true
	})
	if err == nil {
		err = walk(state.Stories, func() int { return len(m.copies) }, func(a []byte, i int) ([]byte, int, int, bool) {
			r := &m.copies[i]
			if r.key == 0 {
				return a, 0, 0, false
			}
			e, _ := m.copyOf(r.key)
			n := len(a)
			a = le.AppendUint64(a, r.key)
			a = encodeSeen(a, e)
			return a, 8, len(a) - n - 8, true
		})
	}
	if err == nil {
		err = d.snapshotAliases(emit)
	}
	if err == nil {
		err = walk(state.Fingerprints, func() int { return x.slots() }, func(a []byte, i int) ([]byte, int, int, bool) {
			k := x.key(uint32(i))
			if k == 0 || x.isPending(uint32(i)) {
				return a, 0, 0, false
			}
			n := len(a)
			a = le.AppendUint64(a, k)
			a = x.encodeSlot(a, uint32(i))
			return a, 8, len(a) - n - 8, true
		})
	}
	return err
}

// snapshotAliases emits the alias table cell by cell. A pairMap's seed is
// a function of its size and the process's secret (sizeSeed), so the same
// aliases put in the same order lie in the same cells and snapshot to the
// same bytes within a process; another process lists them in another
// order, and a restore loads by key and needs no order. (Before round 45 the
// seed was random and the aliases were collected and sorted by key in
// ranges of 256k: at 3M aliases 16 walks of the table and their sorts.)
//
// A chunk of cells is read under the lock and emitted outside it. Slots
// do not move and pruning waits for a snapshot, so nothing but a resize
// moves an alias; a resize moves them all. The walk then starts over in
// the new table, passing over the aliases it emitted from the old one:
// those in its cells before where the walk had come to, which the old
// table, left as it was by the resize, still says.
func (d *Deduper) snapshotAliases(emit func(state.Entry) error) error {
	var left []walkedTable // tables a resize replaced during the walk
	var at pairMap         // the table walked, as the last chunk saw it
	run := make([][2]uint64, 0, snapshotChunk)
	kv16 := new([16]byte)
	for i := 0; ; {
		run = run[:0]
		d.mu.Lock()
		a := &d.mem.aliases
		if at.keys != nil && a.resizes != at.resizes {
			left = append(left, walkedTable{at, i})
			i = 0
		}
		at = *a
		end := min(i+snapshotChunk, len(a.keys))
		for ; i < end; i++ {
			k := a.keys[i]
			if k == 0 || emittedBefore(left, k) {
				continue
			}
			s := a.vals[i]
			story := d.mem.aliasStory(k, s)
			if d.mem.liveSlot(s) || d.mem.hasStory(story) { // not story(), which spells the id: the key is the log's value
				run = append(run, [2]uint64{k, story})
			}
		}
		done := i >= len(a.keys)
		d.mu.Unlock()
		for _, kv := range run {
			// one entry's bytes, reused: emit copies what it keeps (state.Owner)
			binary.LittleEndian.PutUint64(kv16[:8], kv[0])
			binary.LittleEndian.PutUint64(kv16[8:], kv[1])
			if err := emit(state.Entry{Table: state.Aliases, Key: kv16[:8:8], Value: kv16[8:16:16]}); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
	}
}

// walkedTable is an alias table a resize replaced while a snapshot walked
// it, and the cell the walk had come to: the aliases in its cells before
// that were emitted.
type walkedTable struct {
	t    pairMap
	upTo int
}

// emittedBefore says whether a snapshot emitted alias k from a table a
// resize replaced.
func emittedBefore(left []walkedTable, k uint64) bool {
	for _, w := range left {
		if c, ok := w.t.cell(k); ok && c < w.upTo {
			return true
		}
	}
	return false
}
