package spikes

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/cespare/xxhash/v2"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The detector's state in the state log (table spikes), so baselines,
// firing alerts, the open buckets' counts and the stories already counted
// survive a restart. Keys:
//
//	't' term            → its baseline and alert state; of a term evicted
//	                      after it fired, its last firing (evictedFired)
//	't' NUL "text"[:w]  → the words the text search counts, and from which
//	                      bucket (watchsince.go)
//	'k' seen key:8      → the bucket a story id or fingerprint was counted in
//	'o' story key:8     → an observation in an open bucket (tombstoned when it closes)
//	'g'                 → started, first, next, pruned, and the observation counter
//
// A snapshot folds the open buckets' observations into their counts:
//
//	'b' bucket:8 term   → one term's count in an open bucket
//	'l' bucket:8        → the keys of the observations folded in (to tombstone them at close)
//	'a'                 → the observation counter the counts include: later ones are replayed on top
//
// Every observation and every changed baseline is written with the batch
// that made it, so a restart — a clean one or a crash — counts on exactly.

var _ state.Owner = (*Detector)(nil)

func seenKey(s string) uint64 { return xxhash.Sum64String(s) }

// fingerprintKey is seenKey("fp:" + fp), built on the stack.
func fingerprintKey(fp string) uint64 {
	var buf [64]byte
	return xxhash.Sum64(append(append(buf[:0], "fp:"...), fp...))
}

// changes is what the state log has not been told yet; nothing is
// recorded unless on (TrackChanges).
type changes struct {
	on       bool
	seenKeys []uint64
	forgot   []uint64
	obs      []*observation
	openObs  map[int64][]uint64 // observation keys of each open bucket
	gone     []uint64           // observations of buckets closed since
	terms    map[string]struct{}
	global   bool
}

// maxTermSet bounds the set of changed terms that Changes keeps between
// calls: a bucket's close or an eviction lists every term, and a map
// cleared keeps that capacity.
const maxTermSet = 4096

func newChanges() changes {
	return changes{openObs: map[int64][]uint64{}, terms: map[string]struct{}{}}
}

func (l *changes) seen(k uint64) {
	if l.on {
		l.seenKeys = append(l.seenKeys, k)
	}
}

func (l *changes) unseen(k uint64) {
	if l.on {
		l.forgot = append(l.forgot, k)
	}
}

func (l *changes) observed(o *observation) {
	if l.on {
		l.obs = append(l.obs, o)
		l.openObs[o.bucket] = append(l.openObs[o.bucket], seenKey(o.id))
		l.global = true
	}
}

func (l *changes) closed(bucket int64) {
	if l.on {
		l.gone = append(l.gone, l.openObs[bucket]...)
		delete(l.openObs, bucket)
		l.global = true
	}
}

func (l *changes) term(k string) {
	if l.on {
		l.terms[k] = struct{}{}
	}
}

// TrackChanges turns on (or off) the record of what changed for Changes.
func (d *Detector) TrackChanges(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.log.on = on
}

// Reset forgets every baseline, open bucket and counted story, as New
// left the detector, so that a state.Store.Rewind loads it again from the
// log. The terms gauge follows at once: Restored sets it only when the
// log had entries for the detector.
func (d *Detector) Reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.forget()
	d.m.terms.Set(0)
}

// Tables is the detector's table in the state log.
func (d *Detector) Tables() []state.Table { return []state.Table{state.Spikes} }

// Changes returns the log entries for what changed since the last call.
// Their keys and values are cut from one buffer (a headline changes about
// five entries here, each two allocations before), each capped so an
// append by the caller cannot overwrite the next.
func (d *Detector) Changes() []state.Entry {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := &d.log
	n := len(l.seenKeys) + len(l.forgot) + len(l.obs) + len(l.gone) + len(l.terms)
	if n == 0 && !l.global {
		return nil
	}
	spans := make([]state.Span, 0, n+1)
	var buf []byte
	// put ends the entry whose key is buf[at:val] and value buf[val:]
	put := func(at, val int, tomb bool) {
		if tomb {
			buf, val = buf[:val], -1
		}
		spans = append(spans, state.Span{Key: at, Val: val, End: len(buf)})
	}
	for _, k := range l.seenKeys {
		if b, ok := d.seen[k]; ok {
			at := len(buf)
			buf = appendKey8(buf, 'k', k)
			v := len(buf)
			buf = binary.AppendVarint(buf, b)
			put(at, v, false)
		}
	}
	for _, k := range l.forgot {
		at := len(buf)
		buf = appendKey8(buf, 'k', k)
		put(at, len(buf), true)
	}
	for _, o := range l.obs {
		if _, open := d.open[o.bucket]; open {
			at := len(buf)
			buf = appendKey8(buf, 'o', seenKey(o.id))
			v := len(buf)
			buf = encodeObservation(buf, o)
			put(at, v, false)
		}
	}
	for _, k := range l.gone {
		at := len(buf)
		buf = appendKey8(buf, 'o', k)
		put(at, len(buf), true)
	}
	for _, k := range slices.Sorted(maps.Keys(l.terms)) {
		at := len(buf)
		buf = append(append(buf, 't'), k...)
		v := len(buf)
		var ok bool
		buf, ok = d.appendTermOf(buf, k)
		put(at, v, !ok)
	}
	if l.global {
		at := len(buf)
		buf = append(buf, 'g')
		v := len(buf)
		buf = d.appendGlobal(buf)
		put(at, v, false)
	}
	clear(l.obs) // the observations (and the stories' strings they hold) are the log's now
	l.seenKeys, l.forgot, l.obs, l.gone = l.seenKeys[:0], l.forgot[:0], l.obs[:0], l.gone[:0]
	if len(l.terms) > maxTermSet {
		l.terms = map[string]struct{}{} // clear keeps (and walks) the capacity of an eviction's every term
	} else {
		clear(l.terms)
	}
	l.global = false
	return state.CutEntries(state.Spikes, buf, spans)
}

func key8(kind byte, k uint64) []byte { return appendKey8(nil, kind, k) }

func appendKey8(b []byte, kind byte, k uint64) []byte {
	return binary.LittleEndian.AppendUint64(append(b, kind), k)
}

func bucketKey(kind byte, bucket int64, rest string) []byte {
	return append(binary.BigEndian.AppendUint64([]byte{kind}, uint64(bucket)), rest...)
}

func (d *Detector) encodeGlobal() []byte { return d.appendGlobal(nil) }

func (d *Detector) appendGlobal(b []byte) []byte {
	started := byte(0)
	if d.started {
		started = 1
	}
	b = append(b, started)
	for _, x := range []int64{d.first, d.next, d.pruned} {
		b = binary.AppendVarint(b, x)
	}
	return binary.AppendUvarint(b, d.seq)
}

// encodeTerm is term k's state, nil (a tombstone) when it was forgotten.
func (d *Detector) encodeTerm(k string) []byte {
	b, ok := d.appendTermOf(nil, k)
	if !ok {
		return nil
	}
	return b
}

// appendTermOf appends term k's state to b; false, and b as it was, when
// the term was forgotten.
func (d *Detector) appendTermOf(b []byte, k string) ([]byte, bool) {
	if isTextRecord(k) {
		return d.appendTextRecord(b, k)
	}
	if ts, ok := d.terms.lookup(k); ok {
		return appendTerm(b, &ts), true
	}
	if at, ok := d.evictedFired[k]; ok {
		return appendEvictedFiring(b, at), true
	}
	return b, false
}

// evictedFlag marks a term's entry that holds only the last firing of a
// term evicted (evictedFired), in the baseline's encoding: a binary that
// predates it reads a term with no baseline that fired then.
const evictedFlag = 1 << 3

// appendEvictedFiring appends the entry of a term evicted after its last
// firing, in bucket at.
func appendEvictedFiring(b []byte, at int64) []byte {
	return appendTermFlags(b, &termState{hasFired: true, firedAt: at, updated: at}, evictedFlag)
}

// appendTerm appends ts's encoding (encodeTerm) to b.
func appendTerm(b []byte, ts *termState) []byte { return appendTermFlags(b, ts, 0) }

// appendTermFlags appends ts's encoding with flags set besides its own.
func appendTermFlags(b []byte, ts *termState, flags byte) []byte {
	for i, f := range []bool{ts.watched, ts.firing, ts.hasFired} {
		if f {
			flags |= 1 << i
		}
	}
	b = state.AppendString(state.AppendString(append(b, flags), ts.name), ts.kind.String())
	b = state.AppendFloat(b, ts.mean)
	b = state.AppendFloat(b, ts.variance)
	b = binary.AppendVarint(b, ts.updated)
	b = binary.AppendVarint(b, ts.firedAt)
	return binary.AppendUvarint(b, uint64(ts.quiet))
}

func encodeObservation(b []byte, o *observation) []byte {
	b = binary.AppendUvarint(b, o.seq)
	b = binary.AppendVarint(b, o.bucket)
	b = state.AppendString(state.AppendString(state.AppendString(b, o.id), o.pub), o.eventID)
	b = binary.AppendUvarint(b, uint64(len(o.terms)))
	for _, t := range o.terms {
		kw := byte(0)
		if t.keyword {
			kw = 1
		}
		b = append(state.AppendString(state.AppendString(b, t.key), t.name), kw)
	}
	return b
}

// encodeCount is count c of bucket ob.
func encodeCount(ob *openBucket, c *count) []byte { return appendCount(nil, ob, c) }

// appendCount appends c's encoding (encodeCount) to b.
func appendCount(b []byte, ob *openBucket, c *count) []byte {
	b = state.AppendString(state.AppendString(b, ob.counts.name(c)), c.kind.String())
	b = binary.AppendUvarint(b, uint64(c.stories))
	if c.more == nil && c.stories > 0 { // most counts: one story's publisher, as AppendStrings spells a list of one
		b = state.AppendString(binary.AppendUvarint(b, 1), ob.pubs.names[c.pub])
	} else {
		b = state.AppendStrings(b, ob.sortedPublishers(c))
	}
	// the samples' ids, then the events', as AppendStrings spells each
	var one [1]uint32
	refs := ob.sampleRefs(c, &one)
	b = binary.AppendUvarint(b, uint64(len(refs)))
	for _, n := range refs {
		b = state.AppendString(b, ob.stories[n].id)
	}
	refs = ob.eventRefs(c, &one)
	b = binary.AppendUvarint(b, uint64(len(refs)))
	for _, n := range refs {
		b = state.AppendString(b, ob.stories[n].event)
	}
	return b
}

// restore holds what Load gathered until Restored rebuilds the open
// buckets.
type restore struct {
	obs    map[uint64]*observation
	counts map[int64]*openBucket
	lists  map[int64][]uint64
	folded uint64 // observations below this are in counts
	// stories is, by bucket, the number among its stories of each story a
	// restored count names (a sample's id or an event), so that the
	// bucket lists each once
	stories map[int64]map[countStory]uint32
}

// story is s's number among restored bucket ob's stories, listing it
// there when no count restored before named it.
func (r *restore) story(bucket int64, ob *openBucket, s countStory) uint32 {
	m := r.stories[bucket]
	if m == nil {
		if r.stories == nil {
			r.stories = map[int64]map[countStory]uint32{}
		}
		m = map[countStory]uint32{}
		r.stories[bucket] = m
	}
	if n, ok := m[s]; ok {
		return n
	}
	n := uint32(len(ob.stories))
	ob.stories = append(ob.stories, s)
	m[s] = n
	return n
}

func (d *Detector) restoring() *restore {
	if d.restore == nil {
		d.restore = &restore{obs: map[uint64]*observation{}, counts: map[int64]*openBucket{}, lists: map[int64][]uint64{}}
	}
	return d.restore
}

// Load applies one restored entry. It reads the whole entry before it
// changes anything: an entry it refuses (cut short, bytes left over, a
// kind it does not know) leaves the detector as it was, as
// state.UnreadableEntryError promises the log, which skips it.
func (d *Detector) Load(e state.Entry) error {
	if len(e.Key) == 0 {
		return errors.New("spikes: empty key")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	apply, err := d.readEntry(e)
	if err != nil {
		return fmt.Errorf("spikes: %s: %w", entryName(e.Key), err)
	}
	apply()
	return nil
}

// entryName says what the entry of key is and where, for an error: its
// kind, and its term, bucket or story key.
func entryName(key []byte) string {
	switch {
	case key[0] == 't':
		return fmt.Sprintf("baseline entry of term %q", key[1:])
	case (key[0] == 'k' || key[0] == 'o') && len(key) == 9:
		what := map[byte]string{'k': "seen story", 'o': "observation"}[key[0]]
		return fmt.Sprintf("%s entry %016x", what, binary.LittleEndian.Uint64(key[1:]))
	case key[0] == 'b' && len(key) >= 9:
		return fmt.Sprintf("count entry of %q in bucket %d", key[9:], binary.BigEndian.Uint64(key[1:9]))
	case key[0] == 'l' && len(key) >= 9:
		return fmt.Sprintf("story list entry of bucket %d", binary.BigEndian.Uint64(key[1:9]))
	case key[0] == 'g' && len(key) == 1:
		return "clock entry"
	case key[0] == 'a' && len(key) == 1:
		return "folded mark entry"
	}
	return fmt.Sprintf("entry %x", key)
}

// readEntry reads entry e whole, and returns what applies it: nothing is
// changed until then. Only the entries a restore gathers until Restored
// (observations, counts, story lists, the folded mark) make one
// (restoring): a baseline, a seen story or the clock loaded while the
// detector runs leaves none pending.
func (d *Detector) readEntry(e state.Entry) (func(), error) {
	v := state.Decoder{B: e.Value}
	// end checks that v was read to its end: bytes left after the value
	// are another format's (a newer wirestream, a damaged log), not
	// something to ignore.
	end := func(apply func()) (func(), error) {
		if err := v.End(); err != nil {
			return nil, err
		}
		return apply, nil
	}
	switch e.Key[0] {
	case 'k', 'o':
		if len(e.Key) != 9 {
			return nil, fmt.Errorf("key of %d bytes", len(e.Key))
		}
		k := binary.LittleEndian.Uint64(e.Key[1:])
		switch {
		case e.Key[0] == 'k' && e.Value == nil:
			return func() { delete(d.seen, k) }, nil
		case e.Key[0] == 'k':
			bucket := v.Varint()
			return end(func() { d.seen[k] = bucket })
		case e.Value == nil:
			return func() { delete(d.restoring().obs, k) }, nil
		}
		o := &observation{seq: v.Uvarint(), bucket: v.Varint(), id: v.String(), pub: v.String(), eventID: v.String()}
		for range v.Count() {
			o.terms = append(o.terms, obsTerm{key: v.String(), name: v.String(), keyword: v.Byte() == 1})
		}
		return end(func() { d.restoring().obs[k] = o })
	case 't':
		return d.readTerm(string(e.Key[1:]), e.Value)
	case 'g':
		started := v.Byte() == 1
		first, next, pruned := v.Varint(), v.Varint(), v.Varint()
		seq := v.Uvarint()
		return end(func() {
			d.started, d.first, d.next, d.pruned, d.seq = started, first, next, pruned, seq
			d.busy = false // not known: silentSince asks the baselines
		})
	case 'b', 'l':
		if len(e.Key) < 9 {
			return nil, fmt.Errorf("bucket key of %d bytes", len(e.Key))
		}
		bucket := int64(binary.BigEndian.Uint64(e.Key[1:9]))
		if e.Key[0] == 'l' {
			if len(v.B)%8 != 0 {
				return nil, fmt.Errorf("%d bytes left over after the story keys", len(v.B)%8)
			}
			var keys []uint64
			for ; len(v.B) >= 8; v.B = v.B[8:] {
				keys = append(keys, binary.LittleEndian.Uint64(v.B))
			}
			return func() {
				r := d.restoring()
				r.lists[bucket] = append(r.lists[bucket], keys...)
			}, nil
		}
		return d.readCount(bucket, string(e.Key[9:]), &v)
	case 'a':
		folded := v.Uvarint()
		return end(func() { d.restoring().folded = folded })
	}
	return nil, fmt.Errorf("unknown key kind %q", e.Key[0])
}

// readTerm reads the baseline entry of term k ('t'; value nil: a
// tombstone).
func (d *Detector) readTerm(k string, value []byte) (func(), error) {
	if value == nil {
		if isTextRecord(k) {
			return func() { d.loadTextRecord(k, nil) }, nil
		}
		return func() {
			delete(d.evictedFired, k)
			d.terms.remove(k)
			d.loadedFiring(k, false)
		}, nil
	}
	v := state.Decoder{B: value}
	flags := v.Byte()
	ts := &termState{key: k, watched: flags&1 != 0, firing: flags&2 != 0, hasFired: flags&4 != 0}
	if ts.name = v.String(); ts.name == k {
		ts.name = k // one copy of the text, as close makes it
	}
	kindName := v.String()
	ts.mean, ts.variance = v.Float(), v.Float()
	ts.updated, ts.firedAt, ts.quiet = v.Varint(), v.Varint(), int32(min(v.Uvarint(), math.MaxInt32))
	if err := v.End(); err != nil {
		return nil, err
	}
	// A live mean is an EWMA of counts, finite and never negative; a live
	// variance is finite (rounding may take it a hair below 0). A NaN
	// stayed NaN through every fold, so the term never fired again and
	// the NaN was logged back (round 40).
	if !(ts.mean >= 0) || math.IsInf(ts.mean, 1) {
		return nil, fmt.Errorf("baseline mean %v, want a finite mean of 0 or more", ts.mean)
	}
	if math.IsNaN(ts.variance) || math.IsInf(ts.variance, 0) {
		return nil, fmt.Errorf("baseline variance %v, want a finite one", ts.variance)
	}
	var known bool
	if ts.kind, known = kindOf(kindName); !known {
		return nil, fmt.Errorf("unknown kind %q", kindName)
	}
	return func() {
		delete(d.evictedFired, k) // the term's newest entry says which it is
		switch {
		case isTextRecord(k):
			d.loadTextRecord(k, ts)
		case flags&evictedFlag != 0:
			d.terms.remove(k)
			d.evictedFired[k] = ts.firedAt
			d.loadedFiring(k, false)
		default:
			// The stored flag is the list of the run that wrote it; this run's
			// spikes.watch decides, so a term added to it (or taken off) is
			// judged by its bars after a restart, not only once it is new.
			ts.watched = d.watches(k, ts.name)
			d.terms.put(ts)
			d.loadedFiring(k, ts.firing)
		}
	}, nil
}

// loadedFiring makes d.firing hold term k as its newest entry says: a
// baseline firing, or not; a tombstone or an evicted firing not, as
// eviction takes only terms that are not firing. Restored rebuilds
// d.firing from the baselines a restore loaded; this keeps it so for an
// entry loaded while the detector runs (another instance's write), where
// a term left in d.firing with a baseline that is not firing would never
// clear (judge clears only a baseline that fires) and, with none, would
// be made a nameless baseline again at every close. No alert: the
// instance whose entry it is gave the cleared one.
func (d *Detector) loadedFiring(k string, firing bool) {
	if firing {
		d.firing[strings.Clone(k)] = struct{}{}
	} else {
		delete(d.firing, k)
	}
}

// readCount reads the entry of term key's count in open bucket bucket
// ('b') from v.
func (d *Detector) readCount(bucket int64, key string, v *state.Decoder) (func(), error) {
	name, kindName := v.String(), v.String()
	stories := int32(min(v.Uvarint(), math.MaxInt32))
	pubs, samples, events := v.Strings(), v.Strings(), v.Strings()
	if err := v.End(); err != nil {
		return nil, err
	}
	kind, ok := kindOf(kindName)
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", kindName)
	}
	// the bucket's table as the restore holds it so far; a bucket not
	// begun is an empty one, which a count's key and name alone may pass
	t := &countTable{}
	if r := d.restore; r != nil && r.counts[bucket] != nil {
		t = &r.counts[bucket].counts
	}
	need := countTextSize(key, name) // a new count's, or a renamed one's name
	if c := t.get(key); c != nil {
		need = countTextSize(key, name) - len(key)
		if t.name(c) == name {
			need = 0
		}
	}
	if !t.room(need) {
		return nil, fmt.Errorf("the bucket's text is past its %d bytes", maxCountText)
	}
	return func() {
		r := d.restoring()
		ob := r.counts[bucket]
		if ob == nil {
			ob = newOpenBucket()
			r.counts[bucket] = ob
		}
		c := ob.counts.get(key)
		if c == nil {
			c = ob.counts.add(key, name)
		} else if ob.counts.name(c) != name { // a count written twice: its newest entry says
			ob.counts.rename(c, name)
		}
		c.kind, c.stories = kind, stories
		l := &countLists{}
		for _, p := range pubs {
			l.pubs.add(ob.pubs.id(p))
		}
		// at most what a live count takes (apply): a damaged or foreign
		// entry's thousands would ride along in the term's alert
		samples, events = firstOf(samples, d.cfg.SampleStories), firstOf(events, d.cfg.SampleStories)
		l.stories, l.samples = make([]uint32, 0, len(samples)+len(events)), int32(len(samples))
		// a sample is a story of no event as the bucket keeps it; the log
		// keeps no story per event: these name their events as counted (a
		// story of no id), and what apply adds later lines up after them.
		// Each is listed once in the bucket, however many counts name it.
		for _, id := range samples {
			l.stories = append(l.stories, r.story(bucket, ob, countStory{id: id}))
		}
		for _, e := range events {
			l.stories = append(l.stories, r.story(bucket, ob, countStory{event: e}))
		}
		c.more = l
	}, nil
}

// firstOf is s cut to its first n items, in an array of its own when cut
// (the rest is not kept alive).
func firstOf(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return slices.Clone(s[:max(n, 0)])
}

// Restored rebuilds the open buckets: a snapshot's counts, then the
// observations after them replayed in their order.
func (d *Detector) Restored() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started || d.textRecorded { // else the start records the list (recordTextWatches)
		d.recordTextWatches()
	}
	// The baselines are rebuilt whether or not an entry of the open
	// buckets made a restore (readEntry): a log of baselines alone is one.
	r := d.restore
	d.restore = nil
	d.boundRestoredClock()
	for n := range d.terms.rows {
		if d.terms.rows[n].flags&rowFiring != 0 {
			d.firing[strings.Clone(d.terms.key(n))] = struct{}{}
		}
	}
	// A restart with a lower max_terms: the evicted firings the log holds
	// may be past the new bound, which only the next eviction would trim.
	d.forgetOldFirings()
	if r == nil {
		d.m.terms.Set(float64(d.terms.len()))
		return nil
	}
	for bucket, ob := range r.counts {
		if bucket > d.restoreLimit { // far past the state's own story times
			d.leaveOut(r.lists[bucket]...)
			continue
		}
		if bucket >= d.next { // a bucket closed since the snapshot is gone
			d.keepAndSingles(ob)
			d.open[bucket] = ob
			d.log.openObs[bucket] = r.lists[bucket]
		}
	}
	obs := slices.Collect(maps.Values(r.obs))
	slices.SortFunc(obs, func(a, b *observation) int { return cmp.Compare(a.seq, b.seq) })
	for _, o := range obs {
		if o.bucket > d.restoreLimit {
			d.leaveOut(seenKey(o.id))
			continue
		}
		if o.bucket < d.next || o.seq < r.folded {
			continue
		}
		d.apply(o)
		if d.log.on {
			d.log.openObs[o.bucket] = append(d.log.openObs[o.bucket], seenKey(o.id))
		}
	}
	d.m.terms.Set(float64(d.terms.len()))
	return nil
}

// leaveOut tombstones observations a restore left out (their bucket far
// past the state's own story times), as a close tombstones its bucket's:
// else every restore read them again.
func (d *Detector) leaveOut(keys ...uint64) {
	if d.log.on {
		d.log.gone = append(d.log.gone, keys...)
	}
}

// keepAndSingles sets what apply sets on the counts of a bucket restored
// from a snapshot, which the log does not keep: which counts
// max_bucket_terms keeps, and how many it may drop. Restored calls it once
// d.firing is rebuilt: keeps asks it.
func (d *Detector) keepAndSingles(ob *openBucket) {
	ob.singles = 0
	for k, c := range ob.counts.all() {
		c.keep = d.keeps(k, ob.counts.name(c))
		if c.stories == 1 && !c.keep {
			ob.singles++
		}
	}
}

// Count is the number of terms' entries ('t') the state holds: the
// baselines, the last firings of terms evicted after they fired, and the
// record of the words the text search counts (watchsince.go).
func (d *Detector) Count(state.Table) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.terms.len() + len(d.evictedFired) + len(d.textRecordKeys())
}

// Snapshot hands emit the baselines, the stories counted, the open
// buckets' counts (with the observation counter they include) and the
// globals. It locks the detector for the baselines in stretches of
// snapshotChunk terms, so that a background snapshot holds Observe up for
// a few milliseconds at a time, not for the whole encode: the state log
// may take it while batches are decided, and keeps it only once what it
// took is committed (state.Store). A baseline ('t') is its key's newest
// value, so a term forgotten or changed meanwhile is set right by the
// log's entries after the snapshot. The open buckets' counts are running
// totals up to the observation counter ('a'), which a restore replays
// the logged observations above: they are copied with it, and with the
// stories counted, in one hold — an Observe between two holds would be
// in neither the counts nor the replay. In that hold they are handed to
// emit a chunk at a time (the state log copies them into its record), so
// a large open bucket is not held twice over, as counts and as entries.
//
// The entries' keys and values are appended to shared arrays
// (entryArena), not two allocations an entry.
//
// The entries come in the order the detector keeps them — the baselines'
// rows, each open bucket's counts as they were added — not sorted by key:
// a restore needs no order, and sorting every key of a news-sized
// vocabulary for each snapshot was ≈ 40 % of the snapshot's CPU across
// the owners (round 43, snap43). The file stays a function of the
// stories read (the rows are a slice, the counts' table hashes with a
// fixed function), and a restore adds the rows and counts back in the
// file's order, so a restored detector keeps the original's order and
// snapshots to the same bytes. What a Go map holds (the evicted terms'
// firings, the text-search records, the stories counted: a few entries
// beside the baselines, or plain integers) is still sorted, so that a
// map's random order never reaches the file.
func (d *Detector) Snapshot(emit func(state.Entry) error) error {
	d.mu.Lock()
	rest := d.textRecordKeys()
	terms := make([]string, 0, d.terms.len()+len(d.evictedFired)+len(rest))
	for n := range d.terms.rows {
		terms = append(terms, d.terms.key(n)) // over the baselines' text, which is never written again
	}
	for k := range d.evictedFired { // no key is in both
		rest = append(rest, k)
	}
	d.mu.Unlock()
	slices.Sort(rest)
	terms = append(terms, rest...)
	var es []state.Entry
	var a entryArena
	put := func(key, value []byte) {
		es = append(es, state.Entry{Table: state.Spikes, Key: key, Value: value})
	}
	// flush hands emit the entries gathered, which emit copies what it
	// keeps of (state.Owner.Snapshot): the arena's bytes are then free to
	// be written again, so a snapshot allocates a chunk's entries, not
	// every entry's (round 38: ≈ 50 MB a compaction at 10k feeds).
	flush := func() error {
		for _, e := range es {
			if err := emit(e); err != nil {
				return err
			}
		}
		clear(es)
		es = es[:0]
		a.reuse()
		return nil
	}
	for i := 0; i < len(terms); i += snapshotChunk {
		d.mu.Lock()
		for _, k := range terms[i:min(i+snapshotChunk, len(terms))] {
			a.begin()
			a.b = append(append(a.b, 't'), k...)
			a.mid()
			var ok bool
			if a.b, ok = d.appendTermOf(a.b, k); ok {
				put(a.end())
			} else {
				a.b = a.b[:a.start] // forgotten meanwhile: its tombstone follows in the log
			}
		}
		d.mu.Unlock()
		if err := flush(); err != nil {
			return err
		}
	}
	d.mu.Lock()
	for _, bucket := range slices.Sorted(maps.Keys(d.open)) {
		ob := d.open[bucket]
		for k, c := range ob.counts.all() { // in the order they were added
			a.begin()
			a.b = append(binary.BigEndian.AppendUint64(append(a.b, 'b'), uint64(bucket)), k...)
			a.mid()
			a.b = appendCount(a.b, ob, c)
			put(a.end())
			// Handed out as they are encoded, still in this hold: a
			// cold start's one open bucket holds a count for every term
			// of 100k stories, and gathering all their entries before
			// the first emit held some 160 bytes a count at once
			// (round 32: 30–64 MB at 2,000 feeds, 5× that at 10,000).
			if len(es) >= snapshotChunk {
				if err := flush(); err != nil {
					d.mu.Unlock()
					return err
				}
			}
		}
		a.begin()
		a.b = binary.BigEndian.AppendUint64(append(a.b, 'l'), uint64(bucket))
		a.mid()
		for _, k := range d.log.openObs[bucket] {
			a.b = binary.LittleEndian.AppendUint64(a.b, k)
		}
		key, list := a.end()
		if len(list) == 0 {
			list = nil // a list entry of no story is written as it always was
		}
		put(key, list)
	}
	a.begin()
	a.b = append(a.b, 'a')
	a.mid()
	a.b = binary.AppendUvarint(a.b, d.seq)
	put(a.end())
	a.begin()
	a.b = append(a.b, 'g')
	a.mid()
	a.b = d.appendGlobal(a.b)
	put(a.end())
	seen := make([][2]int64, 0, len(d.seen))
	for k, b := range d.seen {
		seen = append(seen, [2]int64{int64(k), b})
	}
	d.mu.Unlock()
	if err := flush(); err != nil {
		return err
	}
	// key order: the same state snapshots to the same bytes
	slices.SortFunc(seen, func(a, b [2]int64) int { return cmp.Compare(uint64(a[0]), uint64(b[0])) })
	for _, s := range seen {
		a.begin()
		a.b = binary.LittleEndian.AppendUint64(append(a.b, 'k'), uint64(s[0]))
		a.mid()
		a.b = binary.AppendVarint(a.b, s[1])
		k, v := a.end()
		if err := emit(state.Entry{Table: state.Spikes, Key: k, Value: v}); err != nil {
			return err
		}
		a.reuse() // emit copied what it keeps
	}
	return nil
}

// snapshotChunk is how many terms Snapshot encodes per hold of the lock.
const snapshotChunk = 1024

// entryArena gathers snapshot entries' keys and values in a shared
// array: begin, append the key to b, mid, append the value, end. An
// array too full for the next entry is left to the entries that slice it
// and one twice as large started (the entries of a chunk soon fit in
// one); reuse writes the array again from its start once emit has had
// (and copied) every entry that slices it.
type entryArena struct {
	b          []byte
	start, key int
}

// arenaChunk is the size of the first shared array.
const arenaChunk = 64 << 10

func (a *entryArena) begin() {
	if cap(a.b)-len(a.b) < 512 {
		a.b = make([]byte, 0, max(arenaChunk, 2*cap(a.b)))
	}
	a.start = len(a.b)
}

func (a *entryArena) mid() { a.key = len(a.b) }

// end returns the key and the value appended since begin; an append that
// outgrew the array moved both to a new one, which end slices.
func (a *entryArena) end() (key, value []byte) {
	n := len(a.b)
	return a.b[a.start:a.key:a.key], a.b[a.key:n:n]
}

// reuse lets the array be written again: no entry handed out slices it
// any more.
func (a *entryArena) reuse() { a.b = a.b[:0] }
