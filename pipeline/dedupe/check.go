package dedupe

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// sketch is what Check derives from a story's fingerprint text.
type sketch struct {
	simhash  uint64
	sig      []uint32 // nil when the text is too short for near dedupe
	bodyHash string   // "" when too short for an exact body key
}

func (d *Deduper) sketch(text string) sketch {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.words = appendWords(sc.words[:0], text)
	defer clear(sc.words) // the pool must not keep the text alive
	words := sc.words
	sc.shingles = shingleSet(sc.shingles[:0], &sc.hashes, words, d.cfg.ShingleWords)
	sh := sc.shingles
	k := sketch{simhash: SimHash(sh)}
	if len(words) >= d.cfg.MinNearWords {
		k.sig = MinHash(sh, d.cfg.MinHashes)
	}
	if len(words) >= d.cfg.MinBodyWords {
		k.bodyHash = BodyHash(words)
	}
	return k
}

// scratch holds a sketch's buffers, reused from story to story.
type scratch struct {
	words            []string
	hashes, shingles []uint64
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
	s.Fingerprint = fmt.Sprintf("%016x", k.simhash)

	d.mu.Lock()
	defer d.mu.Unlock()
	dec, err := t.decide(s, k, now)
	if err != nil {
		return Decision{}, fmt.Errorf("dedupe story %s of %s: %w", s.ID, s.Feed.URL, err)
	}
	method := ""
	if dec.Duplicate != nil {
		method = dec.Duplicate.Method
	}
	d.m.Decisions.WithLabelValues(dec.Kind.String(), method).Inc()
	d.m.CheckDuration.Observe(time.Since(start).Seconds())
	d.m.IndexEntries.Set(float64(d.idx.Len()))
	return dec, nil
}

func (t *Txn) decide(s *record.Story, k sketch, now time.Time) (Decision, error) {
	d := t.d
	feed := s.Feed.URL

	own, ok, err := d.story(s.ID)
	if err != nil {
		return Decision{}, err
	}
	if ok && own.FeedURL == feed && !anotherItem(own, feed, s.GUID) {
		return t.same(s, own, k, now), nil
	}
	if !ok && s.GUID != "" {
		// The feed kept the GUID but changed the link (a slug fixed with the
		// headline): the same story, under its first id.
		id, found, err := d.alias(state.GUIDAlias(feed, s.GUID))
		if err != nil {
			return Decision{}, err
		}
		if found {
			if e, ok2, err := d.story(id); err != nil {
				return Decision{}, err
			} else if ok2 && e.FeedURL == feed {
				s.ID = id
				return t.same(s, e, k, now), nil
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
	}
	dupKey := state.DuplicateKey(feed, copyID)
	known, copyKnown, err := d.story(dupKey)
	if err != nil {
		return Decision{}, err
	}
	if copyKnown && known.ContentHash == s.ContentHash {
		t.touch(dupKey, known, now)
		return Decision{Kind: KindUnchanged}, nil
	}
	// A new copy, or a known copy whose text changed: decide it afresh.

	of, method, sim, err := t.match(s, own, ok, k, now)
	if err != nil {
		return Decision{}, err
	}
	if of != "" {
		first := now
		if copyKnown {
			first = known.FirstSeen
		}
		t.putStory(dupKey, state.Seen{
			ID: copyID, ContentHash: s.ContentHash, FeedURL: feed, CanonicalURL: s.CanonicalURL,
			Fingerprint: s.Fingerprint, DuplicateOf: of, FirstSeen: first, LastSeen: now,
		})
		return Decision{Kind: KindDuplicate, Duplicate: &record.Duplicate{
			Type: record.TypeDuplicate, ID: copyID, SchemaVersion: record.SchemaVersion,
			DuplicateOf: of, Method: method, Similarity: sim,
			URL: s.URL, CanonicalURL: s.CanonicalURL, GUID: s.GUID, Title: s.Title,
			Feed: s.Feed, Publisher: s.Publisher, SeenAt: now, Published: s.Published,
		}}, nil
	}
	return t.add(s, k, now), nil
}

// anotherItem reports whether a story stored under the id of an item of
// the same feed is another item: both have GUIDs and they differ. A feed
// that lists the same link twice under two GUIDs (once with utm_
// parameters) carries a copy, not a revision.
func anotherItem(own state.Seen, feed, guid string) bool {
	return guid != "" && own.GUIDKey != "" && own.GUIDKey != state.GUIDAlias(feed, guid)
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
func (t *Txn) match(s *record.Story, own state.Seen, ok bool, k sketch, now time.Time) (string, string, float64, error) {
	d := t.d
	if ok {
		return own.ID, MethodURL, 1, nil
	}
	type exact struct {
		key, method string
	}
	var keys []exact
	if s.CanonicalURL != "" {
		keys = append(keys, exact{state.URLAlias(s.CanonicalURL), MethodURL})
	}
	if s.GUID != "" && GlobalGUID(s.GUID) {
		keys = append(keys, exact{state.GlobalGUIDAlias(s.GUID), MethodGUID})
	}
	if k.bodyHash != "" {
		keys = append(keys, exact{state.BodyAlias(k.bodyHash), MethodBody})
	}
	for _, e := range keys {
		id, found, err := d.alias(e.key)
		if err != nil {
			return "", "", 0, err
		}
		if found && id != s.ID {
			return id, e.method, 1, nil
		}
	}
	if k.sig != nil {
		id, sim, found := d.idx.query(k.sig, now.Add(-d.cfg.Window).UnixNano(), s.ID)
		if found {
			d.m.NearSimilarity.Observe(sim)
			if sim >= d.cfg.Threshold {
				return id, MethodNear, sim, nil
			}
		}
	}
	return "", "", 0, nil
}

// add records a new story.
func (t *Txn) add(s *record.Story, k sketch, now time.Time) Decision {
	if s.Version < 1 {
		s.Version = 1
	}
	if s.FirstSeen.IsZero() {
		s.FirstSeen = now
	}
	e := state.Seen{
		ID: s.ID, Version: s.Version, ContentHash: s.ContentHash, FeedURL: s.Feed.URL,
		CanonicalURL: s.CanonicalURL, BodyHash: k.bodyHash, Fingerprint: s.Fingerprint,
		FirstSeen: s.FirstSeen, LastSeen: now,
	}
	t.addAliases(&e, s, k)
	t.putStory(s.ID, e)
	t.index(s, k)
	return Decision{Kind: KindNew}
}

func (t *Txn) addAliases(e *state.Seen, s *record.Story, k sketch) {
	var keys []string
	if s.GUID != "" {
		e.GUIDKey = state.GUIDAlias(s.Feed.URL, s.GUID)
		keys = append(keys, e.GUIDKey)
		if GlobalGUID(s.GUID) {
			keys = append(keys, state.GlobalGUIDAlias(s.GUID))
		}
	}
	if s.CanonicalURL != "" {
		keys = append(keys, state.URLAlias(s.CanonicalURL))
	}
	if k.bodyHash != "" {
		keys = append(keys, state.BodyAlias(k.bodyHash))
	}
	for _, a := range keys {
		// An alias already held by another story stays with it: the first
		// seen copy is the story.
		if id, found, err := t.d.alias(a); err == nil && found && id != s.ID {
			continue
		}
		t.putAlias(a, s.ID)
		if !slices.Contains(e.Aliases, a) {
			e.Aliases = append(e.Aliases, a)
		}
	}
}

// index puts the story's signature in the near index and the changes.
func (t *Txn) index(s *record.Story, k sketch) {
	if k.sig == nil {
		return
	}
	d := t.d
	if _, had := d.idx.byID[s.ID]; !had {
		d.owners[s.ID] = t
		t.added = append(t.added, s.ID)
	}
	d.idx.add(s.ID, s.FirstSeen.UnixNano(), k.sig)
	t.changes.Fingerprints = append(t.changes.Fingerprints, state.Fingerprint{
		StoryID: s.ID, FirstSeen: s.FirstSeen, Sig: encodeSig(k.simhash, k.sig),
	})
}

// same handles a story seen before in its own feed: unchanged, or a
// revision with the next version number.
func (t *Txn) same(s *record.Story, e state.Seen, k sketch, now time.Time) Decision {
	if e.ContentHash == s.ContentHash {
		t.touch(s.ID, e, now)
		return Decision{Kind: KindUnchanged}
	}
	s.Version = e.Version + 1
	s.FirstSeen = e.FirstSeen
	e.Version, e.ContentHash, e.LastSeen = s.Version, s.ContentHash, now
	e.CanonicalURL, e.BodyHash, e.Fingerprint = s.CanonicalURL, k.bodyHash, s.Fingerprint
	t.addAliases(&e, s, k)
	t.putStory(s.ID, e)
	t.index(s, k)
	return Decision{Kind: KindRevision}
}

// touch refreshes the last-seen time of an entry a feed still carries, at
// most once per TouchInterval, so it does not expire while in the feed.
func (t *Txn) touch(key string, e state.Seen, now time.Time) {
	if now.Sub(e.LastSeen) < t.d.cfg.TouchInterval {
		return
	}
	e.LastSeen = now
	t.putStory(key, e)
}
