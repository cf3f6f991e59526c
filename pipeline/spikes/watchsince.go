package spikes

import (
	"maps"
	"math"
	"strings"
)

// What a watch entry watches, and what a change of the list does.
//
// A name the enrichment's gazetteer knows (ResolveWatchNames: "Britain",
// "US", "Zelensky") watches that entity by its key, in the stories whose
// entities carry it, however they spelt it; it is not searched in the
// text: "US" would count every story saying "us", and "Britain" would
// fire a second alert, the keyword's, beside the country's. Any other
// word or phrase is literal: searched in the text (watchtext.go), and so
// is one written "keyword:Amazon", the word when the name is not meant.
//
// Whether a term is watched changes only its bars, and the state log
// keeps no list: a restart judges every term by the list it runs with
// (Load). What the text search counts changes the term's counts, though,
// and the log keeps no story's text to count again: a word added to the
// list is counted from the restart that brings it on, in the stories
// decided from then on, while the open bucket's stories from before the
// restart (replayed from the log as they were counted) and the term's
// baseline say nothing of it. Judged against that baseline, an ordinary
// day's "strike" looked like a burst and fired at once. So a term the
// text search counts from a bucket after the detector's start learns
// its baseline from that bucket on, and fires no sooner than `warmup`
// after it, as every term does after a fresh start (learning). Which
// words the text search counted, from which bucket, the state log
// records ('t' entries under textWatchKey, below). A word taken off the
// list is counted as the keyword it is again: its baseline, counted from
// the text, is higher than that for a while, which makes it fire less,
// never more.

// fromStart is the bucket a text-searched term is counted from when it
// has been since the detector's start.
const fromStart = math.MinInt64

// textMark and textWatchKey(word) are the keys, under 't', of the record
// of the text search: the mark says the record is kept (a log from
// before round 35 has none, and an empty list none of the others), each
// word's entry the bucket it is counted from. They are written in the
// encoding of an evicted term's last firing (the bucket as the firing's),
// so a binary of round 34 reads them as firings of terms no alert names
// rather than refusing the log; no term's key begins with NUL.
const (
	textMark   = "\x00text"
	textPrefix = textMark + ":"
)

func textWatchKey(word string) string { return textPrefix + word }

// setWatch builds what the watch list watches; keyOf, when not nil,
// names the entity a name stands for (ResolveWatchNames).
func (d *Detector) setWatch(keyOf func(name string) (string, bool)) {
	d.watch = map[string]bool{}
	named := map[string]bool{}
	if keyOf != nil {
		for _, e := range WatchedEntities(d.cfg.Watch, keyOf) {
			d.watch[strings.ToLower(e.Key)] = true
			named[e.Name] = true
		}
	}
	var literal, words []string // words: written keyword:…, no name's
	for _, w := range d.cfg.Watch {
		if word, ok := keywordEntry(w); ok {
			words = append(words, word)
		} else if !named[strings.TrimSpace(w)] {
			literal = append(literal, w)
		}
	}
	maps.Copy(d.watch, lowerSet(literal))
	d.watchWords = lowerSet(words)
	d.watchKeys = watchedEntityKeys(literal)
	d.watchText = textWatches(append(literal, words...))
	d.watching = len(d.watch) > 0 || len(d.watchWords) > 0
}

// ResolveWatchNames has the watch list's names watch the entities they
// name by keyOf, the enrichment's gazetteer (enrich.Enricher.EntityKey):
// `watch: [Britain]` watches place:gb, `[US]` place:us, and neither is
// searched in the text any longer. A name keyOf does not know stays
// literal. Call it before the detector is restored: Load and Restored
// ask the list.
func (d *Detector) ResolveWatchNames(keyOf func(name string) (string, bool)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.setWatch(keyOf)
}

// countedFrom is the bucket the baseline of term key (as name) has learned
// from: the detector's first, or the later one the text search began
// counting it in (learning), or the one it was counted from after it was
// taken off the ignore list (ignoresince.go).
func (d *Detector) countedFrom(key, name string) int64 {
	from := d.first
	if len(d.learning) > 0 {
		if since, ok := d.learning[key]; ok && since > from {
			from = since
		}
	}
	if d.relearns {
		if since, ok := d.unignoredSince(key, name); ok && since > from {
			from = since
		}
	}
	return from
}

// learned says whether a term counted from bucket from (countedFrom) has
// counted for warmup by bucket i (the detector's own warm-up is judged
// apart).
func (d *Detector) learned(from, i int64) bool {
	return d.bucketStart(i).Sub(d.bucketStart(from)) >= d.cfg.Warmup
}

// recordTextWatches records the words the text search counts: when the
// detector starts, every one from the start; once a restored state is
// loaded, against those it recorded — a word new to the list is counted
// from the bucket open now (d.next), its baseline started again there; a
// word off the list leaves the record. A log from before round 35 holds
// no record: its list is taken as this one, from the start.
func (d *Detector) recordTextWatches() {
	now := map[string]bool{}
	for _, w := range d.watchText {
		now[w.key] = true
	}
	if !d.textRecorded {
		clear(d.textSince)
	}
	for k := range d.textSince {
		if !now[k] {
			delete(d.textSince, k)
			d.log.term(textWatchKey(k))
		}
	}
	clear(d.resuming)
	for k := range now {
		if _, ok := d.textSince[k]; ok {
			continue
		}
		if d.started && d.textRecorded {
			// counted from the bucket the stream resumes in, which the
			// first story or tick after the restore says: the state's open
			// bucket is where the process stopped, maybe hours before
			d.resuming[k] = true
			d.startLearning(k, d.next)
			continue
		}
		d.textSince[k] = fromStart
		d.log.term(textWatchKey(k))
	}
	if !d.textRecorded {
		d.textRecorded = true
		d.log.term(textMark)
	}
	clear(d.learning)
	for k, since := range d.textSince {
		if since != fromStart {
			d.learning[k] = since
		}
	}
	for k := range d.resuming { // learning meanwhile: no firing from the buckets the stop left open
		d.learning[k] = d.next
	}
	d.recordIgnores()
}

// resumeTextWatches records the words added at the restore (resuming) as
// counted from the bucket open now, once the first story or tick after
// it has closed the buckets the stop left behind, and starts their
// baselines there. Recorded at the restore instead, from the state's
// open bucket, a word added during two hours of downtime was taken as
// learned for longer than its warm-up at the first bucket after the
// restart, its baseline empty, and an ordinary hour of it fired
// (rev35a). Until then the record leaves them out: a restart before any
// story takes them as new again.
func (d *Detector) resumeTextWatches() {
	d.resumeIgnores()
	if len(d.resuming) == 0 {
		return // every story but the first after a restore that added a word
	}
	for k := range d.resuming {
		d.textSince[k] = d.next
		d.learning[k] = d.next
		d.startLearning(k, d.next)
		d.log.term(textWatchKey(k))
	}
	clear(d.resuming)
}

// startLearning starts term key's baseline again at bucket since: what it
// held was counted by other rules.
func (d *Detector) startLearning(key string, since int64) {
	if ts, ok := d.terms.lookup(key); ok {
		ts.mean, ts.variance, ts.updated = 0, 0, since-1
		d.log.term(d.terms.put(&ts))
	}
}

// appendTextRecord appends the record's entry k (textMark or a
// textWatchKey); false when it holds none.
func (d *Detector) appendTextRecord(b []byte, k string) ([]byte, bool) {
	if isIgnoreRecord(k) {
		return d.appendIgnoreRecord(b, k)
	}
	if k == textMark {
		if !d.textRecorded {
			return b, false
		}
		return appendEvictedFiring(b, 0), true
	}
	since, ok := d.textSince[strings.TrimPrefix(k, textPrefix)]
	if !ok {
		return b, false
	}
	return appendEvictedFiring(b, since), true
}

// loadTextRecord applies a restored entry of the record: its value is an
// evicted firing's encoding, nil for a tombstone.
func (d *Detector) loadTextRecord(k string, ts *termState) {
	if isIgnoreRecord(k) {
		d.loadIgnoreRecord(k, ts)
		return
	}
	if k == textMark {
		d.textRecorded = ts != nil
		return
	}
	word := strings.TrimPrefix(k, textPrefix)
	if ts == nil {
		delete(d.textSince, word)
		return
	}
	d.textSince[word] = ts.firedAt
}

// textRecordKeys is the record's keys, the ignore record's included, for a
// snapshot.
func (d *Detector) textRecordKeys() []string {
	keys := d.ignoreRecordKeys()
	if !d.textRecorded {
		return keys
	}
	keys = append(keys, textMark)
	for k := range d.textSince {
		keys = append(keys, textWatchKey(k))
	}
	return keys
}

func isTextRecord(k string) bool { return strings.HasPrefix(k, textMark) }

// WatchedEntity is a name of the watch list and the entity key it
// watches (ResolveWatchNames).
type WatchedEntity struct{ Name, Key string }

// WatchedEntities is the watch list's names that keyOf resolves, in the
// list's order, with their keys: what ResolveWatchNames watches them as,
// for `validate` to print.
func WatchedEntities(watch []string, keyOf func(name string) (string, bool)) []WatchedEntity {
	var out []WatchedEntity
	for _, w := range watch {
		if name, ok := nameEntry(w); ok {
			if key, ok := keyOf(name); ok {
				out = append(out, WatchedEntity{name, key})
			}
		}
	}
	return out
}

// CapitalName is a watch entry searched as a word whose capitals would
// be a name keyOf knows: Entry "uk", Name "UK", Key place:gb.
type CapitalName struct{ Entry, Name, Key string }

// WordsOfCapitalNames is the watch list's entries that are words as
// written but names in capitals ("uk", "u.s.", "us": an acronym counts
// only in capitals), for `validate` to say which spelling watches the
// entity: `watch: [us]` counts every story saying "us".
func WordsOfCapitalNames(watch []string, keyOf func(name string) (string, bool)) []CapitalName {
	var out []CapitalName
	for _, w := range watch {
		w, ok := nameEntry(w)
		if !ok {
			continue
		}
		if _, ok := keyOf(w); ok {
			continue
		}
		if key, ok := keyOf(strings.ToUpper(w)); ok {
			out = append(out, CapitalName{w, strings.ToUpper(w), key})
		}
	}
	return out
}
