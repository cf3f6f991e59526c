package dedupe

// memory is what the deduper remembers of acknowledged batches: the
// stories published, the copies published as duplicates, and the alias
// keys that find a story. Flat arrays of fixed-size records indexed by
// 64-bit keys — no per-entry strings, maps or pointers — so a remembered
// story costs ~62 bytes here plus ~18 per alias (the near index adds its
// own). Removal marks a slot dead; the arrays are compacted when a fifth
// is dead.
type memory struct {
	stories  chunked[storyRec] // in chunks: growth copies no array
	storyIdx slotMap
	odd      map[uint64]string // story ids that do not pack (not normalize.StoryID's form), by key
	copies   []copyRec
	copyIdx  slotMap
	// aliases maps an alias key to its story's slot in stories (12 bytes
	// a cell, not 16 with the story's key), or to strayRef: its story's
	// key is in strayAliases. An alias still means its story's key: a
	// dead slot keeps its story's key (storyRec.key), so an alias whose
	// story was forgotten and put again finds it at its new slot, and
	// compaction moves the aliases of dead slots to strayAliases
	// (remapAliases).
	aliases      pairMap
	strayAliases map[uint64]uint64 // alias key → story key, for aliases without a slot
	// restoreKeys holds, while a restore runs (beginRestore to
	// endRestore), each story slot's key, and the story table reads its
	// keys from it: a restored alias finds its story's slot with a probe
	// that compares these 8-byte keys, where spelling each compared key
	// from its 56-byte record (storyRec.key: a random read and a hash)
	// made a 1M-story restore 2.96× the CPU (round 35).
	restoreKeys []uint64
	// liveBits has bit s set exactly when story slot s is live
	// (storyRec.live): 1 bit a slot, 128 KB at a million. The alias
	// sweep asks it of each of its 3M aliases where reading each one's
	// 56-byte record at random (liveSlot) was half a prune's CPU (round
	// 36, rev36c). put, del and compactStories keep it exact.
	liveBits []uint64
	live     [2]int // live stories, copies
	frozen   int    // snapshots being written: slots must not move

	// Whether the next alias sweep (sweepAliases) has anything to do.
	// After a sweep every alias's story is remembered; an alias comes to
	// point to one that is not only when its story is forgotten
	// (forgotten) or when it is put so or restored (strays). Either way
	// the sweep walks every alias: it needs no list of the keys.
	forgotten, strays bool
}

// storyRec is a remembered story: 56 bytes. Its key, hkey(story id), is
// not kept but spelt from its packed id when asked (key): 8 bytes a story
// for ~30 ns a probe of storyIdx. An id that does not pack, or whose
// hkey is not the key it was put under (a damaged log), is kept in odd
// and its record's id holds the key instead: {key, 0}, which is not
// packed. A dead slot keeps its id (so its key, which the aliases that
// name the slot mean) with deadBit set; a slot never used is zero.
type storyRec struct {
	id      packedID
	feed    uint64 // hkey(feed URL)
	content uint64 // hkey(content hash)
	first   int64  // first seen, unix ns (published again in revisions)
	last    uint32 // last seen, unix seconds
	version uint32 // the version, and homeBit
	guid    uint64 // hkey(guidAlias(feed, GUID)) of its item; 0: none
}

// deadBit marks a forgotten story's record, in its id's second word: a
// bit no packed id uses (its 110 bits end at bit 18; bit 1 is the log's
// idHome), and beside an unpacked id's key, whose second word is 0.
const deadBit = 1 << 2

// key returns the story's key, a dead slot's too (the aliases that name
// the slot mean it).
func (r *storyRec) key() uint64 {
	if r.id.packed() {
		return r.id.key()
	}
	return r.id[0]
}

// live says whether the record holds a story.
func (r *storyRec) live() bool { return r.id != packedID{} && r.id[1]&deadBit == 0 }

// homeBit marks, in a storyRec's version, a story its URL's site
// published (seen.home): a flag on the story's own record, where it took
// an alias of its own (~20 bytes a story) before round 27. No story
// reaches 2^31 versions (put clamps below it).
const homeBit = 1 << 31

// copyRec is a copy published as a duplicate, by copyKey: 32 bytes.
type copyRec struct {
	key     uint64 // hkey(copyKey(feed, id)); 0: dead slot
	content uint64
	first   int64
	last    uint32
	_       uint32
}

// seen is a story or copy as the decisions read it.
type seen struct {
	id      string   // the story's id; "" for a copy, or when pid holds it
	pid     packedID // the id packed, when it is normalize.StoryID's form (restores skip the string)
	feed    uint64
	content uint64
	version int
	first   int64 // unix ns
	last    int64 // unix seconds
	copy    bool
	guid    uint64 // a story's GUID key in its feed; 0: none
	// home: an item of the story came from its URL's site (atHome), so
	// another feed's claim on the URL is its copy (claim.go).
	home bool
}

func newMemory() *memory {
	m := &memory{stories: newChunked[storyRec](1), odd: map[uint64]string{}, strayAliases: map[uint64]uint64{}}
	m.storyIdx.keyOf = m.spelledKey
	m.copyIdx.keyOf = func(s uint32) uint64 { return m.copies[s].key }
	return m
}

// spelledKey is the key of the story at slot s, spelt from its record.
func (m *memory) spelledKey(s uint32) uint64 { return m.rec(s).key() }

// rec is the story record at slot s.
func (m *memory) rec(s uint32) *storyRec { return m.stories.at(int(s)) }

// restoredKey is the key of the story at slot s while a restore runs.
func (m *memory) restoredKey(s uint32) uint64 { return m.restoreKeys[s] }

// beginRestore spells every story's key once into restoreKeys, for the
// story table to read until endRestore. Calling it again is a no-op.
func (m *memory) beginRestore() {
	if m.restoreKeys != nil {
		return
	}
	keys := make([]uint64, m.stories.len(), m.stories.cap())
	for s := range keys {
		keys[s] = m.rec(uint32(s)).key()
	}
	m.restoreKeys = keys
	m.storyIdx.keyOf = m.restoredKey
}

// endRestore drops restoreKeys: the story table spells its keys again.
func (m *memory) endRestore() {
	m.restoreKeys = nil
	m.storyIdx.keyOf = m.spelledKey
}

func (m *memory) story(key uint64) (seen, bool) {
	s, ok := m.storyIdx.get(key)
	if !ok {
		return seen{}, false
	}
	return m.storyAt(s, true), true
}

// hasStory reports whether a story is remembered under key: story's
// answer without reading the story or spelling its id.
func (m *memory) hasStory(key uint64) bool {
	_, ok := m.storyIdx.get(key)
	return ok
}

// storyAt returns the story in slot s; spell false leaves a packed id as
// pid alone (id ""), for encodeSeen, which writes pid then.
func (m *memory) storyAt(s uint32, spell bool) seen {
	r := m.rec(s)
	var id string
	pid := r.id
	switch {
	case !r.id.packed():
		id, pid = m.odd[r.id[0]], packedID{}
	case spell:
		id = r.id.String()
	}
	return seen{id: id, pid: pid, feed: r.feed, content: r.content, version: int(r.version &^ homeBit), first: r.first, last: int64(r.last), guid: r.guid, home: r.version&homeBit != 0}
}

func (m *memory) copyOf(key uint64) (seen, bool) {
	s, ok := m.copyIdx.get(key)
	if !ok {
		return seen{}, false
	}
	r := &m.copies[s]
	return seen{content: r.content, first: r.first, last: int64(r.last), copy: true}, true
}

// get returns the story or copy under key.
func (m *memory) get(key uint64) (seen, bool) {
	if e, ok := m.story(key); ok {
		return e, true
	}
	return m.copyOf(key)
}

// put upserts e under key. A story keeps the earliest first-seen time it
// was ever given.
func (m *memory) put(key uint64, e seen) {
	if e.copy {
		r := copyRec{key: key, content: e.content, first: e.first, last: clampSeconds(e.last)}
		if s, ok := m.copyIdx.get(key); ok {
			r.first = min(r.first, m.copies[s].first)
			m.copies[s] = r
			return
		}
		if m.fullOfDead(len(m.copies), cap(m.copies), m.live[1]) {
			m.compactCopies()
		} else if len(m.copies) == cap(m.copies) {
			m.copies = growTo(m.copies, grownSlots(len(m.copies)))
		}
		m.copies = append(m.copies, r)
		m.copyIdx.putNew(key, uint32(len(m.copies)-1))
		m.live[1]++
		return
	}
	r := storyRec{feed: e.feed, content: e.content, first: e.first, last: clampSeconds(e.last), version: uint32(min(max(e.version, 0), homeBit-1)), guid: e.guid}
	if e.home {
		r.version |= homeBit
	}
	r.id = e.pid
	if !r.id.packed() {
		r.id, _ = packID(e.id)
	}
	if r.id.packed() && r.id.key() == key {
		delete(m.odd, key)
	} else {
		id := e.id
		if id == "" {
			id = e.pid.String()
		}
		m.odd[key] = id
		r.id = packedID{key, 0}
	}
	if s, ok := m.storyIdx.get(key); ok {
		r.first = min(r.first, m.rec(s).first)
		*m.rec(s) = r
		return
	}
	if m.fullOfDead(m.stories.len(), m.stories.cap(), m.live[0]) {
		m.compactStories()
	} else if m.stories.len() == m.stories.cap() {
		m.stories.setRoom(grownSlots(m.stories.len()))
	}
	m.stories.push(r)
	s := uint32(m.stories.len() - 1)
	m.markLive(s)
	if m.restoreKeys != nil {
		m.restoreKeys = append(m.restoreKeys, key) // before the table asks it
	}
	m.storyIdx.putNew(key, s)
	m.live[0]++
}

// fullOfDead reports whether an array of n records (live of them live) is
// to be compacted before one more is appended: it is full, so the append
// would copy it into a larger one (which a restore's fit copies back),
// and at least 1/256 of it is dead slots to reuse. A restore of a
// snapshot and a tail replays the tail's new stories before the prune's
// tombstones that make room for them, so without it the array outgrows
// the size hint's reserve (index.makeRoom does the same for signatures).
// Live, a window held at its bound by prunes frees slots as it fills
// them: the array compacts at each fill and holds the window and about a
// prune interval's stories. When it must grow (nothing dead, or a
// snapshot being written) it grows by a sixteenth (grownSlots), not by
// append's quarter.
func (m *memory) fullOfDead(n, capacity, live int) bool {
	return n == capacity && m.frozen == 0 && (n-live)*256 >= n && n > live
}

// reserve makes room for stories, copies and aliases, so a restore that
// knows how many it will load does not grow the arrays (and keep the old
// ones as garbage) on the way.
func (m *memory) reserve(stories, copies, aliases int) {
	// The hint may come late or be stale: never shrink, never panic.
	// growTo, not slices.Grow: that rounds the capacity up to the
	// allocator's size, which fit then copies away (for 56-byte records
	// at a few thousand stories, more than fitCap's 1/32).
	m.stories.setRoom(withDeadRoom(stories))
	if m.restoreKeys != nil {
		m.restoreKeys = growTo(m.restoreKeys, m.stories.cap())
	}
	m.copies = growTo(m.copies, withDeadRoom(copies))
	m.storyIdx.reserve(stories)
	m.copyIdx.reserve(copies)
	m.aliases.reserve(aliases)
}

// fit ends a restore: the arrays lose the spare capacity that growing
// past the size hint left, and tables that growth left sparse are made
// restoreLoad full (a table grows by half at 80 %, so a restore that
// just crossed that point would otherwise keep it a third empty).
func (m *memory) fit() {
	m.stories.fit()
	m.copies = fitCap(m.copies)
	m.storyIdx.fit()
	m.copyIdx.fit()
	m.aliases.fit()
}

// fitCap returns s in an array of its length when more than 1/32 of its
// capacity is spare.
func fitCap[T any](s []T) []T {
	if cap(s)-len(s) <= cap(s)/32 {
		return s
	}
	c := make([]T, len(s)) // not slices.Clone: append rounds its capacity up
	copy(c, s)
	return c
}

func clampSeconds(s int64) uint32 {
	return uint32(min(max(s, 0), 1<<32-1))
}

// del forgets the story or copy under key.
func (m *memory) del(key uint64) bool {
	if s, ok := m.storyIdx.get(key); ok {
		m.storyIdx.del(key)
		// An odd story's record already holds {key, 0}: its key stays
		// when its id leaves odd.
		m.rec(s).id[1] |= deadBit
		m.markDead(s)
		delete(m.odd, key)
		m.live[0]--
		m.forgotten = true
		m.maybeCompact()
		return true
	}
	if s, ok := m.copyIdx.get(key); ok {
		m.copyIdx.del(key)
		m.copies[s].key = 0
		m.live[1]--
		m.maybeCompact()
		return true
	}
	return false
}

// putAlias points alias key at story key: at its slot, or, when no
// story is remembered under it (a restore's order, or a story gone), at
// strayRef and the key in strayAliases.
func (m *memory) putAlias(key, story uint64) {
	s, ok := m.storyIdx.get(story)
	if !ok {
		m.aliases.put(key, strayRef)
		m.strayAliases[key] = story
		m.strays = true
		return
	}
	m.aliases.put(key, s)
	if len(m.strayAliases) > 0 {
		delete(m.strayAliases, key)
	}
}

// strayRef is the slot of an alias whose story's key is in strayAliases.
const strayRef = 1<<32 - 1

// delAlias forgets alias key.
func (m *memory) delAlias(key uint64) {
	m.aliases.del(key)
	if len(m.strayAliases) > 0 {
		delete(m.strayAliases, key)
	}
}

// eachAlias calls fn for every alias and its slot; fn must not change
// the aliases.
func (m *memory) eachAlias(fn func(key uint64, slot uint32) bool) {
	m.aliases.each(fn)
}

// aliasStory returns the key of the story alias key, held at slot, means.
func (m *memory) aliasStory(key uint64, slot uint32) uint64 {
	if slot == strayRef {
		return m.strayAliases[key]
	}
	return m.rec(slot).key()
}

// liveSlot says whether slot holds a remembered story: then it is the
// story the alias means (a key has one live slot at most). It reads
// liveBits, not the slot's record.
func (m *memory) liveSlot(slot uint32) bool {
	return slot != strayRef && m.liveBits[slot>>6]&(1<<(slot&63)) != 0
}

// markLive sets slot's bit in liveBits, growing it to hold the slot.
func (m *memory) markLive(slot uint32) {
	for int(slot>>6) >= len(m.liveBits) {
		m.liveBits = append(m.liveBits, 0)
	}
	m.liveBits[slot>>6] |= 1 << (slot & 63)
}

// markDead clears slot's bit in liveBits.
func (m *memory) markDead(slot uint32) {
	m.liveBits[slot>>6] &^= 1 << (slot & 63)
}

// allLive makes liveBits say that slots 0 to n-1 are live and no other:
// the story array after compaction.
func (m *memory) allLive(n int) {
	words := (n + 63) / 64
	if cap(m.liveBits) < words || cap(m.liveBits) > 2*words+1 {
		m.liveBits = make([]uint64, words)
	}
	m.liveBits = m.liveBits[:words]
	for w := range m.liveBits {
		m.liveBits[w] = ^uint64(0)
	}
	if n%64 != 0 {
		m.liveBits[words-1] = 1<<(n%64) - 1
	}
}

// sweepAliases returns what a prune's alias sweep asks of each alias's
// story, whether the alias is to go: exactly when its story is not
// remembered. Nil when no story was forgotten and no alias put astray
// since the last sweep: no alias can be one to go, nothing to walk. It
// asks only whether the story is remembered, never spelling its id: at a
// million stories the sweep walks 3M aliases every prune, and asking
// each one's story (memory.story) was most of a steady state's CPU and,
// through the ids it spelt, most of its garbage collections (round 29,
// gcscan29). An alias at a live slot (liveBits) is kept without a probe;
// only one at a dead slot or a stray one asks for its story by key.
// (Before round 35 an alias held its story's key and the sweep asked
// only of the keys forgotten since the last one; round 36 dropped that
// list, which nothing read any more.) Call it only for a sweep that
// follows at once.
func (m *memory) sweepAliases() func(key uint64, slot uint32) bool {
	due := m.forgotten || m.strays
	m.forgotten, m.strays = false, false
	if !due {
		return nil
	}
	return func(key uint64, slot uint32) bool {
		return !m.liveSlot(slot) && !m.hasStory(m.aliasStory(key, slot))
	}
}

// alias returns the id of the live story alias key points to.
func (m *memory) alias(key uint64) (seen, bool) {
	s, ok := m.aliases.get(key)
	if !ok {
		return seen{}, false
	}
	if m.liveSlot(s) {
		return m.storyAt(s, true), true
	}
	return m.story(m.aliasStory(key, s)) // an alias whose story is gone is absent; pruning sweeps it
}

func (m *memory) maybeCompact() {
	if m.frozen > 0 {
		return
	}
	if dead := m.stories.len() - m.live[0]; dead >= 1024 && dead*4 >= m.live[0] {
		m.compactStories()
	}
	if dead := len(m.copies) - m.live[1]; dead >= 1024 && dead*4 >= m.live[1] {
		m.compactCopies()
	}
}

// compactStories drops the dead story records and indexes the rest
// at their new slots.
func (m *memory) compactStories() {
	m.remapAliases()
	if m.restoreKeys != nil {
		w := 0
		for s := range m.stories.len() {
			if m.rec(uint32(s)).live() {
				m.restoreKeys[w] = m.restoreKeys[s]
				w++
			}
		}
		m.restoreKeys = m.restoreKeys[:w]
	}
	w := 0
	for r := range m.stories.len() {
		if m.rec(uint32(r)).live() {
			m.stories.move(w, r)
			w++
		}
	}
	m.stories.truncate(w)
	m.allLive(w)
	reindex(&m.storyIdx, w, func(s int) uint64 { return m.storyIdx.keyOf(uint32(s)) })
}

// remapAliases points the aliases at the slots compactStories is about to
// move their stories to; an alias at a dead slot keeps its story's key in
// strayAliases (the next sweep drops it, or finds the story put again).
func (m *memory) remapAliases() {
	if m.aliases.len() == 0 {
		return
	}
	to := make([]uint32, m.stories.len())
	next := uint32(0)
	for s := range to {
		if m.rec(uint32(s)).live() {
			to[s] = next
			next++
		} else {
			to[s] = strayRef
		}
	}
	a := &m.aliases
	for i, k := range a.keys {
		s := a.vals[i]
		if k == 0 || s == strayRef {
			continue
		}
		if to[s] == strayRef {
			m.strayAliases[k] = m.rec(s).key()
			m.strays = true
		}
		a.vals[i] = to[s]
	}
}

// compactCopies drops the dead copy records and indexes the rest at
// their new slots.
func (m *memory) compactCopies() {
	m.copies = compactRecs(m.copies, func(r *copyRec) bool { return r.key != 0 })
	reindex(&m.copyIdx, len(m.copies), func(s int) uint64 { return m.copies[s].key })
}

// compactRecs moves live records down over dead ones, in order.
func compactRecs[R any](rs []R, live func(*R) bool) []R {
	w := 0
	for r := range rs {
		if live(&rs[r]) {
			rs[w] = rs[r]
			w++
		}
	}
	return shrink(rs[:w])
}

func reindex(m *slotMap, n int, key func(int) uint64) {
	m.rebuild(n)
	for s := 0; s < n; s++ {
		m.insertNew(key(s), uint32(s))
	}
}
