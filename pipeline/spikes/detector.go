// Package spikes detects terms — entity keys and keywords — that suddenly
// appear in far more distinct stories than usual, and emits an alert record
// when such a burst starts and another when it subsides. The operator's
// watched words and phrases (Config.Watch) are terms too, counted in every
// story whose text says them (watchtext.go), and judged at lower bars; a
// watched name the enrichment's gazetteer knows watches its entity
// (watchsince.go).
//
// What it promises:
//   - It counts distinct stories, never republications: only stories reach
//     Observe, and a story id or fingerprint already counted is not counted
//     again (a revision, or a wire copy that slipped past dedupe).
//   - A burst needs several distinct publishers, so one outlet flooding its
//     feed, or one story copied everywhere, does not fire.
//   - One burst gives one "firing" alert (Cooldown) and one "cleared" alert.
//   - Deterministic: time is event time (a story's published time, see
//     record.Story.EventTime, and the event time given to Advance), never
//     the wall clock; alerts come out in a fixed order with ids derived
//     from term, bucket and state, so a replay of an archive produces the
//     alerts the live run did. A bucket is judged when the first story
//     past it is observed or Advance passes it, and Advance(a) then
//     Advance(b) does what Advance(b) alone does: the alerts are a
//     function of the stories, in their order, not of how often Advance
//     is called between them (how the pipeline grouped batches into
//     works, a live run's maintenance ticks).
//   - Bounded memory: at most MaxTerms baselines, story ids for StoryMemory,
//     and the last firing of at most MaxTerms/16 terms evicted (evictedFired).
//
// The baseline of each term is an exponentially weighted mean and variance
// of its stories per bucket, bias-corrected for the detector's age (as in
// Adam) so a fresh detector neither waits a day nor fires on everything.
package spikes

import (
	"cmp"
	"log/slog"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Detector counts terms per bucket and compares them with their baselines.
// It is safe for concurrent use.
type Detector struct {
	mu  sync.Mutex
	cfg Config
	m   *Metrics
	// restoreLog is where a restore says what it cut (SetLog); nil:
	// slog.Default.
	restoreLog *slog.Logger
	// restoreLimit is the last bucket a restore opens: open buckets and
	// observations past it lie far past the state's own story times
	// (boundRestoredClock) and are left out.
	restoreLimit int64

	watch, ignore map[string]bool
	watchKeys     map[string]bool // the entity keys the watch list's names spell (watchedEntityKeys)
	watchWords    map[string]bool // the keys of entries written keyword:…, matched as keys only
	watching      bool            // the list watches anything
	watchText     []watchWords    // the watch entries searched in a story's text
	// textSince is, of the terms the text search counts (watchText), the
	// bucket each has been counted so from, as the state log recorded it
	// (fromStart: the detector's start); textRecorded says the log held
	// that record (watchsince.go).
	textSince    map[string]int64
	textRecorded bool
	// learning is the terms of textSince counted so only since a bucket
	// after the start: each is judged by its own warm-up and baseline age.
	learning map[string]int64
	// resuming is the words new to the list at the restore, counted from
	// the bucket the stream resumes in (resumeTextWatches).
	resuming map[string]bool
	// ignoreSince is the state log's record of the ignore list: an entry
	// on it now (ignoredNow), or taken off it and counted since a bucket;
	// unignoring the entries taken off at the restore, counted from the
	// bucket the stream resumes in (ignoresince.go).
	ignoreSince map[string]int64
	unignoring  map[string]bool
	// relearns caches relearning() for a close: true once any term has been
	// taken off the ignore list, for as long as the record keeps it (past
	// its warm-up, for relearnedHalfLives), so that countedFrom asks
	// unignoredSince only then.
	relearns bool
	alpha    float64 // EWMA weight of a new bucket
	weights  [2]weightOf

	started bool
	first   int64 // index of the first bucket
	next    int64 // index of the next bucket to close
	open    map[int64]*openBucket
	terms   baselines           // by term key
	firing  map[string]struct{} // the terms firing (a copy of each key)
	seen    map[uint64]int64    // seenKey(story id or "fp:"+fingerprint) → bucket counted in
	pruned  int64               // bucket at which seen was last pruned
	busy    bool                // a bucket after the first counted a story (false: no, or not known: silentSince)
	recent  []record.Alert      // the last alerts given out, oldest first (Recent)
	seq     uint64              // observations made, in order (the state log replays open buckets by it)

	// evictedFired is, of terms evicted after they fired, the bucket of
	// their last firing (at most firedKeptFor; the oldest go first): the
	// witness FiredSince gives a pipeline that an alert a leftover note
	// names was the detector's, and a term's cooldown if it comes back.
	evictedFired map[string]int64

	log     changes  // what the state log has not been told yet (state.go)
	restore *restore // what a restore loaded, until Restored
	// unlogged is the observation Observe reuses while no log keeps
	// them (TrackChanges(false): `process`): apply copies what it counts
	// out of it, so nothing holds it after.
	unlogged observation

	// eventOf, when set (FollowMerges), gives the event a story belongs
	// to now, so an alert names the event that survived a merge made
	// after the story was counted.
	eventOf func(storyID string) string
}

// count is one term's tally in one open bucket, in its bucket's table
// (countTable), which holds its key's and name's text. Most counts of a
// bucket see one story (a cold start of 10k feeds put 100k stories' terms
// in one bucket): that story is kept as its number among the bucket's
// stories and its publisher's, 40 bytes a count in all, and the lists in
// more only from the second story on (round 32: a count was 208 bytes;
// round 36: 80, with a map entry and a key string of its own).
type count struct {
	more      *countLists // the stories counted, from the second on (or from a restore)
	key, name textRef
	stories   int32
	one       uint32 // the only story counted (openBucket.stories), while more is nil and stories is 1
	pub       uint32 // its publisher (publishers)
	kind      termKind
	// keep: max_bucket_terms never drops the count, as one story is half
	// its term's bar (a watched term, watch_min_stories 2) and so could
	// keep a firing term on.
	keep bool
}

// countStory is what a bucket keeps of a story its counts name: a count
// of one story (count.one), or a count's lists (countLists.stories).
type countStory struct {
	id, event string
}

// countLists are a count's distinct publishers, its sample stories and a
// story of each of its distinct events (to find where a later merge
// moved the event), the stories by their numbers among the bucket's
// (openBucket.stories): stories[:samples] the samples, the rest the
// events, each its story's event. The story of an event is not kept in
// the state log: a count restored from a snapshot (Load) names its events
// by stories of no id, which are named as counted.
//
// 64 bytes and a 16-byte array for a term of two stories (round 41: 80
// bytes, its samples and events as strings in two arrays of 32 and 32–64;
// round 40: 128).
type countLists struct {
	pubs    pubSet
	stories []uint32
	samples int32 // how many of stories are samples
}

// sampleRefs is l's sample stories, by number.
func (l *countLists) sampleRefs() []uint32 { return l.stories[:l.samples] }

// eventRefs is, by number, a story of each of l's events.
func (l *countLists) eventRefs() []uint32 { return l.stories[l.samples:] }

// addSample lists story n as a sample, after the samples before it.
func (l *countLists) addSample(n uint32) {
	l.stories = slices.Insert(l.stories, int(l.samples), n)
	l.samples++
}

// hasEvent says whether l counted event.
func (ob *openBucket) hasEvent(l *countLists, event string) bool {
	for _, n := range l.eventRefs() {
		if ob.stories[n].event == event {
			return true
		}
	}
	return false
}

// termKind is a term's kind as a count keeps it: a byte, not the string.
type termKind uint8

const (
	noKind termKind = iota // a placeholder count (close: a firing term without stories)
	entityKind
	keywordKind
)

var kindNames = [...]string{noKind: "", entityKind: "entity", keywordKind: "keyword"}

func (k termKind) String() string { return kindNames[k] }

// kindOf is the kind named k, false for a name no count was made with.
func kindOf(k string) (termKind, bool) {
	for i, n := range kindNames {
		if n == k {
			return termKind(i), true
		}
	}
	return noKind, false
}

// lists returns c's lists, moving the one story it counted into them.
func (ob *openBucket) lists(c *count) *countLists {
	if c.more == nil {
		l := &countLists{}
		if c.stories > 0 {
			// room for a second story's sample and event: one 16-byte array
			l.stories = make([]uint32, 1, 4)
			l.stories[0], l.samples = c.one, 1
			l.pubs.add(c.pub)
			if ob.stories[c.one].event != "" {
				l.stories = append(l.stories, c.one)
			}
		}
		c.more = l
	}
	return c.more
}

// publishers is the number of distinct publishers c counted.
func (c *count) publishers() int {
	switch {
	case c.more != nil:
		return c.more.pubs.len()
	case c.stories > 0:
		return 1
	}
	return 0
}

// sampleRefs is, by number among ob's stories, the stories count c keeps
// for an alert; one is room for a count of one story's, which the result
// may lie in.
func (ob *openBucket) sampleRefs(c *count, one *[1]uint32) []uint32 {
	switch {
	case c.more != nil:
		return c.more.sampleRefs()
	case c.stories > 0:
		one[0] = c.one
		return one[:]
	}
	return nil
}

// samples is the story ids count c keeps for an alert.
func (ob *openBucket) samples(c *count) []string {
	var one [1]uint32
	return ob.storyField(ob.sampleRefs(c, &one), storyID)
}

// storyField is field of each of ob's stories numbered refs; nil for none.
func (ob *openBucket) storyField(refs []uint32, field func(countStory) string) []string {
	if len(refs) == 0 {
		return nil
	}
	out := make([]string, len(refs))
	for i, n := range refs {
		out[i] = field(ob.stories[n])
	}
	return out
}

func storyID(s countStory) string    { return s.id }
func storyEvent(s countStory) string { return s.event }

// eventRefs is, by number among ob's stories, a story of each distinct
// event c counted, as counted; one is room for a count of one story's,
// which the result may lie in.
func (ob *openBucket) eventRefs(c *count, one *[1]uint32) []uint32 {
	switch {
	case c.more != nil:
		return c.more.eventRefs()
	case c.stories > 0 && ob.stories[c.one].event != "":
		one[0] = c.one
		return one[:]
	}
	return nil
}

// events is the distinct events c counted, as counted.
func (ob *openBucket) events(c *count) []string {
	var one [1]uint32
	return ob.storyField(ob.eventRefs(c, &one), storyEvent)
}

// eventStories is a story counted in each of c's events ("" for an event
// a restore brought).
func (ob *openBucket) eventStories(c *count) []string {
	var one [1]uint32
	return ob.storyField(ob.eventRefs(c, &one), storyID)
}

// sortedPublishers is the distinct publishers c counted, in order.
func (ob *openBucket) sortedPublishers(c *count) []string {
	switch {
	case c.more != nil:
		return c.more.pubs.sorted(ob.pubs.names)
	case c.stories > 0:
		return []string{ob.pubs.names[c.pub]}
	}
	return nil
}

// pubSet is a count's distinct publishers, by their number in the
// bucket (publishers): a sorted slice while it is smaller than a bitset
// over the numbers it holds, then the bitset. Most terms of a bucket have
// one or two publishers (4 bytes each); a term every outlet names, at
// 10,000 feeds, takes 1.25 KB as bits where round 32's map of their names
// took some 400 KB (42 MB of such maps in one bucket).
//
// The sorted numbers and the bits share one slice (round 41: two, 24
// bytes more in every countLists).
type pubSet struct {
	ids  []uint32 // sorted numbers; the bitset's 32-bit words once isBits
	n    int32    // the numbers set in the bitset
	bits bool     // ids holds the bitset
}

// minBitset is the fewest publishers a set holds as bits: below it the
// slice is as small, and simpler to read.
const minBitset = 16

func (p *pubSet) add(id uint32) {
	if p.bits {
		p.set(id)
		return
	}
	i, found := slices.BinarySearch(p.ids, id)
	if found {
		return
	}
	p.ids = slices.Insert(p.ids, i, id)
	if top := p.ids[len(p.ids)-1]; len(p.ids) >= minBitset && 4*len(p.ids) >= 8*(int(top/64)+1) {
		ids := p.ids
		p.ids, p.bits = make([]uint32, 2*(top/64+1)), true
		for _, id := range ids {
			p.set(id)
		}
	}
}

// set adds id to the bitset, growing it to id's word.
func (p *pubSet) set(id uint32) {
	w := int(id / 32)
	for len(p.ids) <= w {
		p.ids = append(p.ids, 0)
	}
	if bit := uint32(1) << (id % 32); p.ids[w]&bit == 0 {
		p.ids[w] |= bit
		p.n++
	}
}

func (p *pubSet) len() int {
	if p.bits {
		return int(p.n)
	}
	return len(p.ids)
}

// sorted is the set's publishers by name, in order; names is the
// bucket's publishers (publishers.names).
func (p *pubSet) sorted(names []string) []string {
	out := make([]string, 0, p.len())
	if !p.bits {
		for _, id := range p.ids {
			out = append(out, names[id])
		}
	} else {
		for w, word := range p.ids {
			for ; word != 0; word &= word - 1 {
				out = append(out, names[w*32+bits.TrailingZeros32(word)])
			}
		}
	}
	slices.Sort(out)
	return out
}

// publishers numbers an open bucket's publishers, so that each of its
// counts keeps a publisher as 4 bytes (pubSet), and the bucket keeps its
// name once: the numbers go with the bucket when it closes.
type publishers struct {
	ids   map[string]uint32
	names []string // by number
}

// id is pub's number in the bucket, a new one for a publisher not seen
// in it yet (its name copied: a story's publisher may be a slice of a
// larger text).
func (p *publishers) id(pub string) uint32 {
	if id, ok := p.ids[pub]; ok {
		return id
	}
	if p.ids == nil {
		p.ids = map[string]uint32{}
	}
	pub = strings.Clone(pub)
	id := uint32(len(p.names))
	p.ids[pub] = id
	p.names = append(p.names, pub)
	return id
}

// openBucket is one open bucket: its counts by term key, and the
// publishers and stories they name.
type openBucket struct {
	counts  countTable
	pubs    publishers
	stories []countStory // by number: the stories counts of one story name
	// singles is how many counts hold one story and may be dropped
	// (not keep): what makeRoom would free.
	singles int
}

func newOpenBucket() *openBucket { return &openBucket{} }

// keepNamedStories keeps of ob.stories those its counts still name (a
// count of one story, or a count's lists), numbered anew: once makeRoom
// dropped counts, the stories only they named would otherwise stay until
// the bucket closes, a flood's every story (round 36 freed them with the
// counts). It returns, by old number, 1 + the new one, 0 for a story no
// longer listed.
func (ob *openBucket) keepNamedStories() []uint32 {
	// by old number: 1 + the new one, 0 while no count kept names it
	// (the numbers are dense: a slice, not a map of up to a bucket's
	// every story)
	renumbered := make([]uint32, len(ob.stories))
	var stories []countStory
	renumber := func(n uint32) uint32 {
		if renumbered[n] == 0 {
			stories = append(stories, ob.stories[n])
			renumbered[n] = uint32(len(stories))
		}
		return renumbered[n] - 1
	}
	for _, c := range ob.counts.all() {
		switch {
		case c.more != nil:
			for i, n := range c.more.stories {
				c.more.stories[i] = renumber(n)
			}
		case c.stories == 1:
			c.one = renumber(c.one)
		}
	}
	ob.stories = stories
	return renumbered
}

// termState is one term's baseline and alert state as the detector works
// on it: read out of the baselines' table (baselines.get) and put back,
// where it is kept in 32 bytes and its text (round 37: this struct, 80
// bytes with its size class, its key's string and a map entry).
type termState struct {
	key, name      string // name shares key's bytes when equal
	mean, variance float64
	updated        int64 // last bucket folded into the baseline
	firedAt        int64 // bucket of the last firing alert
	quiet          int32 // consecutive quiet buckets while firing
	kind           termKind
	watched        bool
	firing         bool
	hasFired       bool
}

// New returns a Detector that records its work in m (nil: unregistered
// metrics). cfg must have passed Validate.
func New(cfg Config, m *Metrics) *Detector {
	if m == nil {
		m = NewMetrics(nil)
	}
	d := &Detector{
		cfg:    cfg,
		m:      m,
		ignore: lowerSet(cfg.Ignore),
		alpha:  1 - math.Exp2(-float64(cfg.Bucket)/float64(cfg.BaselineHalfLife)),
	}
	d.setWatch(nil)
	d.forget()
	return d
}

// forget empties the detector's memory: no baseline, bucket or story
// counted. Change tracking stays, and so do the recent alerts (Recent),
// which no log keeps. Called with d.mu held, or before d is shared.
func (d *Detector) forget() {
	d.started, d.first, d.next, d.pruned, d.seq, d.busy = false, 0, 0, 0, 0, false
	d.open = make(map[int64]*openBucket)
	d.terms = newBaselines()
	d.firing = make(map[string]struct{})
	d.evictedFired = make(map[string]int64)
	d.textSince, d.textRecorded, d.learning, d.resuming = map[string]int64{}, false, map[string]int64{}, map[string]bool{}
	d.ignoreSince, d.unignoring, d.relearns = map[string]int64{}, map[string]bool{}, false
	d.seen = make(map[uint64]int64)
	on := d.log.on
	d.log = newChanges()
	d.log.on = on
	d.restore = nil
}

func lowerSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		if x = termKey(x); x != "" {
			m[x] = true
		}
	}
	return m
}

// termKey is a watch or ignore entry as a term's key has it: in lower
// case, one space between words.
func termKey(x string) string {
	return strings.Join(strings.Fields(strings.ToLower(x)), " ")
}

func (d *Detector) bucketOf(t time.Time) int64 {
	n, b := t.UnixNano(), int64(d.cfg.Bucket)
	if n < 0 && n%b != 0 {
		return n/b - 1
	}
	return n / b
}

func (d *Detector) bucketStart(i int64) time.Time {
	return time.Unix(0, i*int64(d.cfg.Bucket)).UTC()
}

// Observe counts s once for each of its entity keys and keywords, in the
// bucket of its event time (or the oldest open bucket, if that one has
// closed already). First it closes the buckets that end by s's event
// time, as Advance would, and returns their alerts: a bucket is judged
// when the first story past it comes, whichever batch or work brings it,
// so the alerts are a function of the stories, in their order, and of
// the times given to Advance — not of how often Advance was called
// between them (decide_queued_together decides several batches as one
// work, and a batch read again after a failure may queue with others).
func (d *Detector) Observe(s *record.Story) []*record.Alert {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := s.EventTime()
	idx := d.bucketOf(t)
	var out []*record.Alert
	if !d.started {
		d.started, d.first, d.next, d.pruned = true, idx, idx, idx
		d.recordTextWatches()
	} else {
		out = d.advance(t)
		d.resumeTextWatches()
	}
	if idx < d.next {
		idx = d.next // late: counted now rather than lost
	}
	if s.ID != "" {
		if _, dup := d.seen[seenKey(s.ID)]; dup {
			d.repeat()
			return out
		}
	}
	if s.Fingerprint != "" {
		k := fingerprintKey(s.Fingerprint)
		if _, dup := d.seen[k]; dup {
			d.repeat()
			return out
		}
		d.seen[k] = idx
		d.log.seen(k)
	}
	if s.ID != "" {
		k := seenKey(s.ID)
		d.seen[k] = idx
		d.log.seen(k)
	}
	d.m.stories.Inc()
	pub := s.Publisher
	if pub == "" {
		pub = s.Feed.URL
	}
	o := &d.unlogged
	if d.log.on {
		o = &observation{terms: make([]obsTerm, 0, len(s.Entities)+len(s.Keywords))} // the log keeps it
	}
	o.seq, o.bucket, o.id, o.pub, o.eventID, o.terms = d.seq, idx, s.ID, pub, s.EventID, o.terms[:0]
	d.seq++
	add := func(key, name string, keyword bool) {
		// Keys keep their case (entity keys like "place:ua" must match the
		// stories' keys); watch and ignore lists match either case.
		key = strings.TrimSpace(key)
		if key == "" || o.has(key) || len(d.ignore) > 0 && (d.ignore[strings.ToLower(key)] || d.ignore[strings.ToLower(name)]) {
			return
		}
		o.terms = append(o.terms, obsTerm{key: key, name: name, keyword: keyword})
	}
	for _, e := range s.Entities {
		add(e.Key, e.Name, false)
	}
	for _, k := range s.Keywords {
		add(k, strings.TrimSpace(k), true)
	}
	if len(d.watchText) > 0 {
		texts := []string{strings.ToLower(s.Title), strings.ToLower(s.Summary), strings.ToLower(s.Body)}
		for _, w := range d.watchText {
			if !o.has(w.key) && w.saidIn(texts) {
				add(w.key, w.name, true)
			}
		}
	}
	d.apply(o)
	d.log.observed(o)
	if o == &d.unlogged {
		clear(o.terms) // the story's strings: not held past it
	}
	return out
}

// observation is what one story adds to its open bucket: its terms, after
// the ignore list, with what the counts keep of the story.
type observation struct {
	seq     uint64
	bucket  int64
	id      string
	pub     string // publisher, or the feed when it has none
	eventID string
	terms   []obsTerm
}

// has says whether o counts key already: a story's terms are a few dozen
// at most, fewer than a map of them would be worth.
func (o *observation) has(key string) bool {
	for _, t := range o.terms {
		if t.key == key {
			return true
		}
	}
	return false
}

type obsTerm struct {
	key, name string
	keyword   bool // else an entity
}

// apply counts o in its bucket. A restore replays the observations of the
// open buckets through it, in their order.
func (d *Detector) apply(o *observation) {
	ob := d.open[o.bucket]
	if ob == nil {
		ob = newOpenBucket()
		d.open[o.bucket] = ob
	}
	b := &ob.counts
	pub := ob.pubs.id(o.pub)
	story := -1 // o's number among ob.stories, once a count names it
	for _, t := range o.terms {
		c := b.get(t.key)
		if c == nil {
			// A watched term is let in past the cap: the watch list is
			// short, and the configuration's, so a restart admits it alike.
			// So is a firing term: few are, and which are is fixed while
			// the bucket is open (firingAsOpened).
			if b.len() >= d.cfg.MaxBucketTerms && !d.watchedTerm(t.key, t.name) && !d.firingAsOpened(t.key) {
				var room bool
				// makeRoom may number the bucket's stories anew: o's, if a
				// count it kept names it, keeps its new number, so that
				// the story is not listed a second time
				story, room = d.makeRoom(ob, story)
				if !room {
					d.m.bucketFull.Inc()
					continue
				}
			}
			if !b.room(countTextSize(t.key, t.name)) { // its text full (4 GiB): refused, never wrapped
				d.m.bucketFull.Inc()
				continue
			}
			kind := entityKind
			if t.keyword {
				kind = keywordKind
			}
			c = b.add(t.key, t.name)
			c.kind, c.keep = kind, d.keeps(t.key, t.name)
			if !c.keep {
				ob.singles++ // it holds one story once this loop is done
			}
			if d.cfg.SampleStories > 0 { // else the lists say there is no sample
				if story < 0 {
					story = len(ob.stories)
					ob.stories = append(ob.stories, countStory{o.id, o.eventID})
				}
				c.stories, c.one, c.pub = 1, uint32(story), pub
				continue
			}
		}
		if c.stories == 1 && !c.keep {
			ob.singles--
		}
		l := ob.lists(c)
		c.stories++
		l.pubs.add(pub)
		sample := int(l.samples) < d.cfg.SampleStories
		event := o.eventID != "" && len(l.eventRefs()) < d.cfg.SampleStories && !ob.hasEvent(l, o.eventID)
		if (sample || event) && story < 0 {
			story = len(ob.stories)
			ob.stories = append(ob.stories, countStory{o.id, o.eventID})
		}
		if sample {
			l.addSample(uint32(story))
		}
		if event {
			l.stories = append(l.stories, uint32(story))
		}
	}
}

// makeRoom drops bucket ob's counts of one story that may be dropped
// (not keep), to stay under MaxBucketTerms: such a count cannot fire, or
// keep a firing term on, in judge (a story is less than half its bar),
// and the term is not firing, with no other story in the bucket to lose.
// It does so only when they are at least an eighth of the cap, so that a
// bucket full of larger counts does not walk all of them for each new
// term; false when the bucket is still full, and a new term is not
// counted. Which counts go depends only on the counts, so a detector
// restored from a snapshot drops what the one that took it drops. story
// is a story's number among ob.stories (-1: none), and makeRoom returns
// its number after (-1 when no count kept names it any more).
func (d *Detector) makeRoom(ob *openBucket, story int) (int, bool) {
	if ob.singles < d.cfg.MaxBucketTerms/8 {
		return story, false
	}
	ob.counts.dropWhere(func(c *count) bool { return c.stories == 1 && !c.keep })
	renumbered := ob.keepNamedStories()
	if story >= 0 {
		story = int(renumbered[story]) - 1
	}
	d.m.bucketOneStory.Add(float64(ob.singles))
	ob.singles = 0
	return story, ob.counts.len() < d.cfg.MaxBucketTerms
}

// keeps says whether max_bucket_terms keeps the term's count of one
// story: one story is half its bar (oneStoryMatters), or the term is
// firing, and its count is what keeps it on — dropped, its later stories
// in the bucket would count from none again.
func (d *Detector) keeps(key, name string) bool {
	return d.oneStoryMatters(key, name) || d.firingAsOpened(key)
}

// firingAsOpened says whether the term was firing when the open bucket
// that counts a story now opened. A count is only ever made in bucket
// d.next (Observe closes the buckets before a story's own, and counts a
// late one in d.next), and only a close changes d.firing, so the answer
// is fixed from the bucket's first story to its close; a restore rebuilds
// d.firing from the closes the log holds, the same, before it replays
// the bucket's observations (Restored). So a full bucket admits a firing
// term after a restart as the run that never stopped did.
func (d *Detector) firingAsOpened(key string) bool {
	_, ok := d.firing[key]
	return ok
}

// oneStoryMatters says whether one story is half the bar of stories the
// term is judged by (min_stories, watch_min_stories), so that a count of
// one could keep a firing term on: max_bucket_terms keeps such a count.
func (d *Detector) oneStoryMatters(key, name string) bool {
	bar := d.cfg.MinStories
	if d.watchedTerm(key, name) {
		bar = min(bar, d.cfg.WatchMinStories)
	}
	return 2*1 >= bar
}

func (d *Detector) repeat() {
	d.m.repeats.Inc()
}

// Advance closes every bucket ending at or before now (event time), folds
// it into the baselines and returns the alerts it caused, in bucket then
// term order. Reaching now in several calls, with no story between, gives
// the alerts of one call, and leaves the same baselines.
func (d *Detector) Advance(now time.Time) []*record.Alert {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.started {
		end := d.bucketOf(now)
		d.started, d.first, d.next, d.pruned = true, end, end, end
		d.recordTextWatches()
		if d.log.on {
			d.log.global = true
		}
		return nil
	}
	out := d.advance(now)
	d.resumeTextWatches()
	return out
}

// advance closes every bucket ending at or before now (Advance). Called
// with d.mu held, once d has started.
func (d *Detector) advance(now time.Time) []*record.Alert {
	end := d.bucketOf(now) // buckets before this one have ended by now
	if end <= d.next {
		return nil // nothing ended: nothing to close, prune or log
	}
	was := d.globals()
	defer func() {
		if d.log.on && d.globals() != was {
			d.log.global = true // next, maybe first, pruned and seq moved
		}
	}()
	var out []*record.Alert
	for d.next < end {
		if len(d.firing) == 0 {
			// Nothing to clear: skip the empty buckets before the oldest
			// open one (catchUp folds them in closed form when a term is
			// next counted), so a gap costs one step, not one per bucket.
			to := end
			for i := range d.open {
				to = min(to, i)
			}
			if to > d.next {
				d.skip(to)
				continue
			}
		}
		out = d.close(d.next, out)
		d.next++
		d.evict()
	}
	d.prune()
	d.m.terms.Set(float64(d.terms.len()))
	d.remember(out)
	return out
}

// skip moves next over empty buckets to bucket to. A silence longer than
// the warm-up right after the first bucket restarts the warm-up at to:
// that bucket was empty (a start by a batch of feed statuses only) or a
// lone story from long before the stream (an old item first in a feed on
// a fresh start), not the stream's start, and counting the warm-up from it
// would let the first burst alert against baselines that saw nothing.
func (d *Detector) skip(to int64) {
	if from, ok := d.silentSince(); ok && d.bucketStart(to).Sub(d.bucketStart(from)) >= d.cfg.Warmup {
		d.first = to
	}
	d.next = to
}

// silentSince is the bucket the silence after the stream's start began
// in — after the last bucket that counted a story, or at first when none
// did — and false once a bucket after the first counted one. It asks the
// baselines, not where this skip started, so that a silence crossed in
// steps (a maintenance tick a minute through a quiet spell) restarts the
// warm-up where one step over it does: the alerts of a live run and of a
// replay without ticks are the same. Until a story is counted the stream
// has not started, and the silence is as long as it gets.
func (d *Detector) silentSince() (int64, bool) {
	if d.busy {
		return 0, false
	}
	if d.terms.len() == 0 {
		return min(d.first, d.next) - int64(d.cfg.Warmup/d.cfg.Bucket) - 1, true
	}
	last := int64(math.MinInt64)
	for n := range d.terms.rows {
		updated := d.terms.rows[n].updated
		if updated > d.first {
			d.busy = true // sticks: only a restart of the warm-up moves first, and it needs silence
			return 0, false
		}
		last = max(last, updated)
	}
	return last + 1, true
}

// globalState is what encodeGlobal writes, to tell whether Advance moved
// it: a tick that moved nothing leaves nothing to write to the state log.
type globalState struct {
	started             bool
	first, next, pruned int64
	seq                 uint64
}

func (d *Detector) globals() globalState {
	return globalState{d.started, d.first, d.next, d.pruned, d.seq}
}

// close folds bucket i into the baselines and appends its alerts.
func (d *Detector) close(i int64, out []*record.Alert) []*record.Alert {
	ob := d.open[i]
	if ob == nil {
		ob = newOpenBucket()
	}
	delete(d.open, i)
	d.log.closed(i)
	d.m.buckets.Inc()
	d.forgetRelearned(i)
	b := &ob.counts
	terms := make([]textorder.Keyed[*count], 0, b.len()+len(d.firing))
	for k, c := range b.all() {
		terms = append(terms, textorder.Make(k, c))
	}
	for k := range d.firing {
		if b.get(k) == nil {
			terms = append(terms, textorder.Make(k, &count{}))
		}
	}
	textorder.Sort(terms)
	warm := d.bucketStart(i).Sub(d.bucketStart(d.first)) >= d.cfg.Warmup
	d.busy = d.busy || i > d.first && b.len() > 0
	for _, t := range terms {
		k, c := t.Key, t.Val // k lies in the bucket's text: the baselines copy it in (put)
		ts, known := d.terms.lookup(k)
		name := b.name(c)
		if known {
			name = ts.name
		}
		// asked once a term and close: it looks the term up in the
		// records of the learning starts
		from := d.countedFrom(k, name)
		if !known {
			// Its baseline starts where it is counted from (countedFrom): zeros
			// folded in for buckets before, which counted it by other rules, say
			// it was absent when it was not counted.
			ts = termState{key: k, name: name, kind: c.kind, updated: from - 1, watched: d.watches(k, name)}
			if at, ok := d.evictedFired[k]; ok { // back after its eviction: its last firing, and cooldown, are its own
				ts.hasFired, ts.firedAt = true, at
				delete(d.evictedFired, k)
			}
		}
		d.catchUp(&ts, i-1, from)
		if a := d.judge(&ts, ob, c, i, from, warm && d.learned(from, i)); a != nil {
			out = append(out, a)
		}
		d.fold(&ts, float64(c.stories), i-from+1)
		ts.updated = i
		d.log.term(d.terms.put(&ts))
	}
	return out
}

// watches reports whether spikes.watch names the term: by its key, in
// either case; as the entity key a name on the list spells (watchKeys:
// "Beyoncé" watches person:beyonce whether a story spells it "Beyonce"
// or "Beyoncé"); or by name, in either case (a gazetteer's entity, whose
// key is no spelling of its name: "Ukraine" and place:ua); an entry
// written keyword:… by its key only.
func (d *Detector) watches(key, name string) bool {
	return d.watching && (d.watch[strings.ToLower(key)] || d.watchKeys[key] || d.watch[strings.ToLower(name)] || d.watchWords[strings.ToLower(key)])
}

// watchedTerm is whether the term a story names key (as name) is watched,
// the one answer the bucket cap's admission, its keep and judge all give:
// the baseline's (ts.watched, asked with the name of the term's first
// story) when the term has one, else watches with name — which, counted,
// becomes the count's name and then the baseline's. A story naming the
// term otherwise does not change it, so a term is not let in or kept as
// watched and then judged as not (rev33b). Whether a baseline exists
// changes only when a bucket closes, so a restore answers alike.
func (d *Detector) watchedTerm(key, name string) bool {
	if !d.watching {
		return false
	}
	if n, ok := d.terms.find(key); ok {
		return d.terms.rows[n].flags&rowWatched != 0
	}
	return d.watches(key, name)
}

// catchUp folds the empty buckets after ts.updated up to i into the
// baseline, in closed form; from is the bucket the baseline counts from
// (countedFrom). The baseline keeps m, the zero-started EWMA of the
// counts, and v = Q - m²/W, where Q is that of their squares and W the
// weight given so far (weight): v/W is then the weighted variance of the
// buckets counted (baseline). k zeros scale m and Q by β^k (β = 1-α).
func (d *Detector) catchUp(ts *termState, i, from int64) {
	if k := i - ts.updated; k > 0 && (ts.mean != 0 || ts.variance != 0) {
		bk := math.Pow(1-d.alpha, float64(k))
		// was is 1-β^N, N = ts.updated-from+1; now is 1-β^(N+k) and
		// the same for most terms of a close (weight's memo): was from
		// it, β^N = β^(N+k)/β^k, saves a Pow a term while β^k is not small
		// (above 1e-3, rounding stays under 1e-13)
		now := d.weight(i - from + 1)
		var was float64
		if n := ts.updated - from + 1; n >= 1 && bk > 1e-3 {
			was = 1 - (1-now)/bk
		} else {
			was = d.weight(n) // 1 for n < 1
		}
		m2 := ts.mean * ts.mean
		ts.variance = bk*(ts.variance+m2/was) - bk*bk*m2/now
		ts.mean *= bk
	}
	ts.updated = i
}

// weight is the weight an EWMA started at zero has given after n buckets,
// 1-(1-α)^n; 1 for n < 1, a baseline holding what it counted before its
// start moved (skip), which it weighs as learned. It remembers the last
// two it computed: a close asks most of its terms for the same two (those
// counted from the detector's first bucket), a Pow each otherwise.
func (d *Detector) weight(n int64) float64 {
	if n < 1 {
		return 1
	}
	for _, m := range d.weights {
		if m.n == n {
			return m.w
		}
	}
	w := 1 - math.Pow(1-d.alpha, float64(n))
	d.weights[1], d.weights[0] = d.weights[0], weightOf{n, w}
	return w
}

// weightOf is a weight remembered (weight): n = 0 is never asked.
type weightOf struct {
	n int64
	w float64
}

// fold adds the count x of the n-th bucket the baseline counts (n from 1)
// to its EWMA mean and variance. The deviation is taken from the mean of
// the buckets counted so far, bias-corrected, and weighed as their share
// of the weight: the incremental weighted variance. Taken from the
// zero-started mean, as before round 37, the first bucket's jump from
// nothing to the term's rate was learned as variance — a standard
// deviation about the rate itself, halving only with the half-life — and
// a burst of five times the rate right after the warm-up did not fire.
func (d *Detector) fold(ts *termState, x float64, n int64) {
	if n > 1 {
		was := d.weight(n - 1)
		diff := x - ts.mean/was
		ts.variance += d.alpha * was / d.weight(n) * diff * diff
	}
	ts.variance *= 1 - d.alpha
	ts.mean += d.alpha * (x - ts.mean)
}

// baseline returns the bias-corrected mean and variance before bucket i:
// an EWMA started at zero underestimates by the weight not yet given,
// 1-(1-α)^n after n buckets; dividing by it fixes that. n counts from the
// detector's first bucket, or from the one a term newly watched as text
// was first counted in: from (countedFrom). The variance so corrected is
// the weighted variance of the buckets counted (fold).
func (d *Detector) baseline(ts *termState, i, from int64) (mean, variance float64) {
	if i-from <= 0 {
		return 0, 0
	}
	w := d.weight(i - from)
	return ts.mean / w, ts.variance / w
}

// judge decides whether term ts, counted from bucket from (countedFrom),
// fires or clears in bucket i, where ob counted it c.
func (d *Detector) judge(ts *termState, ob *openBucket, c *count, i, from int64, warm bool) *record.Alert {
	mean, variance := d.baseline(ts, i, from)
	sd := math.Sqrt(max(variance, d.cfg.VarianceFloor))
	x := float64(c.stories)
	z := (x - mean) / sd
	ratio := x / max(mean, d.cfg.BaselineFloor)
	minStories, minPubs, thr := d.cfg.MinStories, d.cfg.MinPublishers, d.cfg.Threshold
	if ts.watched {
		minStories, minPubs, thr = d.cfg.WatchMinStories, d.cfg.WatchMinPublishers, d.cfg.WatchThreshold
	}
	stories, pubs := int(c.stories), c.publishers()
	hot := stories >= minStories && pubs >= minPubs && z >= thr && ratio >= d.cfg.MinRatio
	// Hysteresis: a burst already firing stays on at half the bars, so a
	// sustained burst (which also lifts its own baseline) or one thin
	// bucket does not end it early.
	stillHot := 2*stories >= minStories && 2*pubs >= minPubs && 2*z >= thr && 2*ratio >= d.cfg.MinRatio
	state := ""
	switch {
	case ts.firing && stillHot:
		ts.quiet = 0
	case ts.firing:
		ts.quiet++
		if time.Duration(ts.quiet)*d.cfg.Bucket >= d.cfg.ClearAfter {
			ts.firing, ts.quiet = false, 0
			delete(d.firing, ts.key)
			state = record.AlertCleared
		}
	case hot && warm && (!ts.hasFired || d.bucketStart(i).Sub(d.bucketStart(ts.firedAt)) >= d.cfg.Cooldown):
		ts.firing, ts.hasFired, ts.firedAt, ts.quiet = true, true, i, 0
		d.firing[strings.Clone(ts.key)] = struct{}{}
		state = record.AlertFiring
	}
	if state == "" {
		return nil
	}
	d.m.alerts.WithLabelValues(state).Inc()
	start := d.bucketStart(i)
	// ts's key and name lie in the baselines' or the bucket's text: the
	// alert outlives both
	key := strings.Clone(ts.key)
	return &record.Alert{
		Type:          record.TypeAlert,
		ID:            record.AlertID(key, start, state),
		SchemaVersion: record.SchemaVersion,
		Term:          key,
		TermName:      strings.Clone(cmp.Or(ts.name, ob.counts.name(c), key)),
		TermKind:      cmp.Or(ts.kind, c.kind).String(),
		State:         state,
		Watched:       ts.watched,
		BucketStart:   start,
		BucketEnd:     start.Add(d.cfg.Bucket),
		Stories:       stories,
		Publishers:    pubs,
		Baseline:      round(mean),
		Score:         round(z),
		Ratio:         round(ratio),
		SampleStories: ob.samples(c),
		EventIDs:      d.survivingEvents(ob, c),
		At:            start.Add(d.cfg.Bucket),
	}
}

// Firing reports whether the spike of term (an alert's Term) is firing:
// it fired and has not cleared.
func (d *Detector) Firing(term string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.firing[term]
	return ok
}

// FiredSince reports whether the detector's memory holds a firing of
// term (an alert's Term) in the bucket that starts at bucketStart or a
// later one. An alert the log noted as written is then the detector's
// own — its commit landed, or the stories read again fired it again —
// and no pipeline retracts it, even once the spike has cleared.
//
// A term evicted since (max_terms) answers from evictedFired, which keeps
// the last firing of the most recently fired of them.
func (d *Detector) FiredSince(term string, bucketStart time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ts, ok := d.terms.lookup(term); ok {
		return ts.hasFired && ts.firedAt >= d.bucketOf(bucketStart)
	}
	at, ok := d.evictedFired[term]
	return ok && at >= d.bucketOf(bucketStart)
}

// Judged reports whether the detector has closed the bucket that starts
// at bucketStart: an alert of that bucket has fired by now or never will.
// A pipeline retracts an alert the sink may hold from a batch never
// committed only then, so that the stories read again that fire it again
// leave no retraction between two firings.
func (d *Detector) Judged(bucketStart time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.started && d.bucketOf(bucketStart) < d.next
}

// FollowMerges makes alerts name the event each counted story belongs to
// when the alert is made, by eventOf (events.Clusterer.EventOf): a bucket
// spans many batches, and an event its early stories joined may since
// have been folded into another.
func (d *Detector) FollowMerges(eventOf func(storyID string) string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.eventOf = eventOf
}

// survivingEvents is the event ids of c, counted in ob, each moved to
// where its story is now when FollowMerges is set and the story is still
// in an event, once each.
func (d *Detector) survivingEvents(ob *openBucket, c *count) []string {
	if d.eventOf == nil {
		return ob.events(c)
	}
	var one [1]uint32
	refs := ob.eventRefs(c, &one)
	out := make([]string, 0, len(refs))
	for _, n := range refs {
		id := ob.stories[n].event
		if story := ob.stories[n].id; story != "" {
			if now := d.eventOf(story); now != "" {
				id = now
			}
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// prune forgets story ids older than StoryMemory, once per StoryMemory/8
// of stream time (so the cost is amortized), at the multiples of it: the
// ids forgotten by a bucket do not depend on the steps Advance took to it.
func (d *Detector) prune() {
	every := max(int64(d.cfg.StoryMemory/d.cfg.Bucket/8), 1)
	at := d.next / every * every
	if at > d.next { // a negative next: round down
		at -= every
	}
	if at > d.pruned {
		d.pruned = at
		horizon := at - int64(d.cfg.StoryMemory/d.cfg.Bucket)
		var old []uint64
		for k, i := range d.seen {
			if i < horizon {
				old = append(old, k)
			}
		}
		// in key order, so the log's tombstones do not follow the map's
		slices.Sort(old)
		for _, k := range old {
			delete(d.seen, k)
			d.log.unseen(k)
		}
	}
}

// evict forgets the quietest terms past MaxTerms. Advance asks after each
// bucket it closes, so the terms kept do not depend on the steps it took.
// A term that fired leaves its last firing in evictedFired, under the
// same log key as its baseline (one entry: no commit cut part-way keeps
// the baseline's tombstone without the firing).
func (d *Detector) evict() {
	if d.terms.len() <= d.cfg.MaxTerms {
		return
	}
	// bring every baseline to the same bucket before comparing them
	quiet := make([]int, 0, d.terms.len()) // rows
	for n := range d.terms.rows {
		if d.terms.rows[n].flags&rowFiring == 0 {
			ts := d.terms.get(n)
			d.catchUp(&ts, d.next-1, d.countedFrom(ts.key, ts.name))
			d.terms.put(&ts)
			d.log.term(ts.key)
			quiet = append(quiet, n)
		}
	}
	slices.SortFunc(quiet, func(a, b int) int {
		return cmp.Or(cmp.Compare(d.terms.rows[a].mean, d.terms.rows[b].mean), strings.Compare(d.terms.key(a), d.terms.key(b)))
	})
	drop := d.terms.len() - d.cfg.MaxTerms*9/10 // leave headroom so this stays rare
	dropped := make([]bool, d.terms.len())
	for _, n := range quiet[:min(drop, len(quiet))] {
		dropped[n] = true
		if ts := d.terms.get(n); ts.hasFired {
			d.evictedFired[strings.Clone(ts.key)] = ts.firedAt
		}
	}
	// the log is told by d.log.term: gone means a tombstone, or its firing
	d.terms.dropWhere(func(n int) bool { return dropped[n] })
	d.m.evicted.Add(float64(min(drop, len(quiet))))
	d.forgetOldFirings()
}

// firedKeptFor is how many evicted terms' last firings a detector of cfg
// keeps: a sixteenth of max_terms, 16 at least. Few terms ever fire, and
// a leftover note names a firing of the last writes before a crash.
func firedKeptFor(cfg Config) int { return max(cfg.MaxTerms/16, 16) }

// forgetOldFirings drops the oldest of evictedFired past firedKeptFor
// (of one bucket, by key), down to nine tenths of it so this stays rare.
func (d *Detector) forgetOldFirings() {
	limit := firedKeptFor(d.cfg)
	if len(d.evictedFired) <= limit {
		return
	}
	keys := slices.Collect(maps.Keys(d.evictedFired))
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(d.evictedFired[a], d.evictedFired[b]), strings.Compare(a, b))
	})
	for _, k := range keys[:len(keys)-limit*9/10] {
		delete(d.evictedFired, k)
		d.log.term(k) // a tombstone
	}
}

// Terms returns the number of terms with a baseline in memory.
func (d *Detector) Terms() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.terms.len()
}
