package dedupe

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// sketch is what Check derives from a story's fingerprint text.
type sketch struct {
	simhash  uint64
	sig      []uint32 // nil when the text is too short for near dedupe
	bodyHash bodyHex  // the body's hash, when hasBody
	hasBody  bool     // false when too short for an exact body key
}

func (d *Deduper) sketch(text string) sketch {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.words = appendWords(sc.words[:0], text)
	defer clear(sc.words) // the pool must not keep the text alive
	words := sc.words
	sc.shingles = shingleSet(sc.shingles[:0], &sc.hashes, &sc.seen, words, d.cfg.ShingleWords)
	sh := sc.shingles
	k := sketch{simhash: SimHash(sh)}
	if len(words) >= d.cfg.MinNearWords {
		k.sig = MinHash(sh, d.cfg.MinHashes)
	}
	if len(words) >= d.cfg.MinBodyWords {
		k.bodyHash, sc.joined = bodyHash(sc.joined, words)
		k.hasBody = true
	}
	return k
}

// scratch holds a sketch's buffers, reused from story to story.
type scratch struct {
	words                  []string
	hashes, shingles, seen []uint64
	joined                 []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Check decides what s is. text is normalize.FingerprintText(s): the
// lowercased body without datelines and boilerplate. Check sets
// s.Fingerprint, and for revisions s.Version and s.FirstSeen (and s.ID
// when the feed re-issued the story's GUID under a new URL); new stories
// get version 1. The decision is pending until t commits.
//
// Order: the story itself (same id, or same GUID within its feed: a
// revision or unchanged), a copy already reported, then copies of other
// stories: same canonical URL, same global GUID, same body, near-identical
// text.
func (t *Txn) Check(s *record.Story, text string, now time.Time) (Decision, error) {
	return t.CheckSketch(s, t.d.Sketch(text), now)
}

// Sketch is what Check derives from a story's fingerprint text (its
// shingles' SimHash and MinHash signature, its body hash). It depends on
// the text alone, so a caller may sketch a batch's stories at once, on
// several goroutines, and check them in order with CheckSketch.
type Sketch struct{ k sketch }

// Sketch sketches text, normalize.FingerprintText of a story. It is safe
// for concurrent use.
func (d *Deduper) Sketch(text string) Sketch { return Sketch{d.sketch(text)} }

// CheckSketch is Check with the story's text already sketched.
func (t *Txn) CheckSketch(s *record.Story, sk Sketch, now time.Time) (Decision, error) {
	d := t.d
	if t.done {
		return Decision{}, fmt.Errorf("dedupe: check in a finished batch")
	}
	start := time.Now()
	k := sk.k
	s.Fingerprint = fingerprint(k.simhash)

	d.mu.Lock()
	defer d.mu.Unlock()
	st := storyTime(s, now)
	d.clock, t.clock = max(d.clock, st), max(t.clock, st)
	d.reading = t
	dec := t.decide(s, k, now)
	d.reading = nil
	method := ""
	if dec.Duplicate != nil {
		method = dec.Duplicate.Method
	}
	d.m.Decisions.WithLabelValues(dec.Kind.String(), method).Inc()
	d.m.CheckDuration.Observe(time.Since(start).Seconds())
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	return dec, nil
}

func (t *Txn) decide(s *record.Story, k sketch, now time.Time) Decision {
	d := t.d
	feed := s.Feed.URL
	feedKey := hkey(feed)

	own, ok := d.get(s.ID)
	if ok && own.copy {
		ok = false // cannot be: ids and copy keys never collide; a corrupt entry is ignored
	}
	if ok && own.feed == feedKey && !anotherItem(own, feed, s.GUID) {
		return t.same(s, own, k, now)
	}
	if !ok && s.GUID != "" {
		// The feed kept the GUID but changed the link (a slug fixed with the
		// headline): the same story, under its first id.
		if id, found := d.alias(guidAlias(feed, s.GUID)); found {
			if e, ok2 := d.get(id); ok2 && !e.copy && e.feed == feedKey {
				s.ID = id
				return t.same(s, e, k, now)
			}
		}
	}

	// A copy's own id: the id it would have had as a story, unless that is
	// the original's (the same canonical URL, from another feed or under
	// another GUID in the same one): then one of its own, from its feed and
	// GUID, so no duplicate record is its own original.
	copyID := s.ID
	if ok {
		copyID = CopyID(feed, s.GUID, s.URL)
		// The feed's story of its own under its copy id: another feed's
		// claim held its URL's id when it came (claim.go).
		if e, found := d.get(copyID); found && !e.copy && e.feed == feedKey {
			s.ID = copyID
			return t.same(s, e, k, now)
		}
	}
	dupKey := copyKey(feed, copyID)
	known, copyKnown := d.getKey(dupKey)
	if copyKnown && known.content == hkey(s.ContentHash) {
		t.touchKey(dupKey, known)
		return Decision{Kind: KindUnchanged}
	}
	// A new copy, or a known copy whose text changed: decide it afresh.

	if ok {
		switch t.weigh(s, own.id, k, true) {
		case claimTaken:
			// The URL's site takes its story id over from another
			// feed's claim: a revision, now of its feed.
			own.feed, own.guid = feedKey, 0
			return t.same(s, own, k, now)
		case claimOwn:
			s.ID, ok = copyID, false
		}
	}
	of, method, sim := t.match(s, own, ok, k, now)
	if of != "" {
		first := now.UnixNano()
		if copyKnown {
			first = known.first
		}
		t.putKey(dupKey, seen{content: hkey(s.ContentHash), first: first, last: d.seenNow(), copy: true})
		return Decision{Kind: KindDuplicate, Duplicate: &record.Duplicate{
			Type: record.TypeDuplicate, ID: copyID, SchemaVersion: record.SchemaVersion,
			DuplicateOf: of, Method: method, Similarity: sim,
			URL: s.URL, CanonicalURL: s.CanonicalURL, GUID: s.GUID, Title: s.Title,
			Feed: s.Feed, Publisher: s.Publisher, SeenAt: now, Published: s.Published,
			ContentHash: s.ContentHash,
		}}
	}
	return t.add(s, k, now)
}

// anotherItem reports whether a story stored under the id of an item of
// the same feed is another item: both have GUIDs and they differ. A feed
// that lists the same link twice under two GUIDs (once with utm_
// parameters) carries a copy, not a revision.
func anotherItem(own seen, feed, guid string) bool {
	return guid != "" && own.guid != 0 && own.guid != guidAlias(feed, guid)
}

// guidKey is the key of the story's GUID within its feed, 0 without one.
func guidKey(s *record.Story) uint64 {
	if s.GUID == "" {
		return 0
	}
	return guidAlias(s.Feed.URL, s.GUID)
}

// CopyID is the id of a copy whose story id is its original's: "c_" and
// 22 base32 characters of the hash of its feed and GUID (its link when it
// has no GUID), so it is stable across runs and machines like a story id.
func CopyID(feedURL, guid, link string) string {
	key := guid
	if key == "" {
		key = link
	}
	sum := sha256.Sum256([]byte("copy\x00" + feedURL + "\x00" + key))
	return "c_" + copyEncoding.EncodeToString(sum[:])[:22]
}

// copyEncoding is the story ids' alphabet: lowercase base32, no padding.
var copyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// match finds the story s copies, if any. own is the entry under s.ID
// from another feed (ok=true): the same canonical URL read through a
// second feed.
func (t *Txn) match(s *record.Story, own seen, ok bool, k sketch, now time.Time) (string, string, float64) {
	d := t.d
	if ok {
		return own.id, MethodURL, 1
	}
	type exact struct {
		key    uint64
		method string
	}
	var buf [3]exact
	keys := buf[:0]
	if s.CanonicalURL != "" {
		keys = append(keys, exact{urlAlias(s.CanonicalURL), MethodURL})
	}
	if s.GUID != "" && GlobalGUID(s.GUID) {
		keys = append(keys, exact{globalGUIDAlias(s.GUID), MethodGUID})
	}
	if k.hasBody {
		keys = append(keys, exact{bodyAlias(&k.bodyHash), MethodBody})
	}
	for _, e := range keys {
		if id, found := d.alias(e.key); found && id != s.ID {
			// A claim on the URL or global GUID is weighed (claim.go);
			// the same body is a copy whoever published it first.
			if e.method != MethodBody && t.weigh(s, id, k, e.method == MethodURL) != claimCopy {
				continue
			}
			return id, e.method, 1
		}
	}
	if k.sig != nil {
		key, sim, found := d.idx.query(k.sig, d.clock-int64(d.cfg.Window), hkey(s.ID))
		if found {
			d.m.NearSimilarity.Observe(sim)
			if sim >= d.nearAt {
				if e, ok := d.getKey(key); ok && !e.copy {
					return e.id, MethodNear, sim
				}
			}
		}
	}
	return "", "", 0
}

// add records a new story.
func (t *Txn) add(s *record.Story, k sketch, now time.Time) Decision {
	if s.Version < 1 {
		s.Version = 1
	}
	if s.FirstSeen.IsZero() {
		s.FirstSeen = now
	}
	e := seen{
		id: s.ID, version: s.Version, content: hkey(s.ContentHash), feed: hkey(s.Feed.URL),
		first: s.FirstSeen.UnixNano(), last: t.d.seenNow(), guid: guidKey(s), home: fromHome(s),
	}
	t.addAliases(s, k)
	t.put(s.ID, e)
	t.index(s, k)
	return Decision{Kind: KindNew}
}

// maxAliases is the most aliases addAliases gives a story: its GUID's,
// a global GUID's, its URL's, its declared site's (declaresHome) and its
// body's. (Before round 27 a story its URL's site published kept a
// homeAlias too: a log may still hold it; its story's mark says it now.)
const maxAliases = 5

// fromHome reports whether s's feed is its URL's site (atHome): the mark
// its story keeps (seen.home).
func fromHome(s *record.Story) bool {
	return s.CanonicalURL != "" && atHome(s.Feed.URL, s.CanonicalURL)
}

func (t *Txn) addAliases(s *record.Story, k sketch) {
	var buf [maxAliases]uint64
	keys := buf[:0]
	if s.GUID != "" {
		keys = append(keys, guidAlias(s.Feed.URL, s.GUID))
		if GlobalGUID(s.GUID) {
			keys = append(keys, globalGUIDAlias(s.GUID))
		}
	}
	if s.CanonicalURL != "" {
		keys = append(keys, urlAlias(s.CanonicalURL))
		if declaresHome(s) {
			keys = append(keys, siteAlias(s.CanonicalURL))
		}
	}
	if k.hasBody {
		keys = append(keys, bodyAlias(&k.bodyHash))
	}
	for _, a := range keys {
		// An alias already held by another story stays with it: the first
		// seen copy is the story.
		if id, found := t.d.alias(a); found && id != s.ID {
			continue
		}
		t.putAlias(a, s.ID)
	}
}

// index puts the story's signature in the near index, pending until the
// Txn commits.
func (t *Txn) index(s *record.Story, k sketch) {
	if k.sig == nil {
		return
	}
	d := t.d
	key := hkey(s.ID)
	if !d.idx.has(key) {
		d.owners[key] = t
		t.added = append(t.added, key)
	}
	d.idx.add(key, storyTime(s, s.FirstSeen), k.sig, true)
	t.fps = append(t.fps, key)
}

// same handles a story seen before in its own feed: unchanged, or a
// revision with the next version number.
func (t *Txn) same(s *record.Story, e seen, k sketch, now time.Time) Decision {
	if e.content == hkey(s.ContentHash) {
		t.touch(s.ID, e)
		return Decision{Kind: KindUnchanged}
	}
	s.Version = e.version + 1
	s.FirstSeen = time.Unix(0, e.first).UTC()
	e.version, e.content, e.last = s.Version, hkey(s.ContentHash), t.d.seenNow()
	if g := guidKey(s); g != 0 {
		e.guid = g // a revision that gained a GUID keeps it, as its alias does
	}
	e.home = e.home || fromHome(s) // kept, as the URL alias is, by a revision from elsewhere
	t.addAliases(s, k)
	t.put(s.ID, e)
	t.index(s, k)
	return Decision{Kind: KindRevision}
}

// touch refreshes the last-seen time of an entry a feed still carries, at
// most once per TouchInterval of story time, so it does not expire while
// in the feed.
func (t *Txn) touch(key string, e seen) { t.touchKey(hkey(key), e) }

// touchKey is touch by the entry's hkey.
func (t *Txn) touchKey(k uint64, e seen) {
	now := t.d.seenNow()
	if now-e.last < int64(t.d.cfg.TouchInterval/time.Second) {
		return
	}
	e.last = now
	t.putKey(k, e)
}

// fingerprint is a SimHash as the record carries it: 16 lowercase hex
// digits, zero-padded (what fmt's %016x wrote, without fmt's machinery).
func fingerprint(h uint64) string {
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = "0123456789abcdef"[h&0xf]
		h >>= 4
	}
	return string(b[:])
}

// storyTime is the time s is indexed at and moves the window's clock to:
// its event time (published, clamped; first seen without it), or
// fallback when it has neither yet.
func storyTime(s *record.Story, fallback time.Time) int64 {
	if t := s.EventTime(); !t.IsZero() {
		return t.UnixNano()
	}
	return fallback.UnixNano()
}
