// Package events groups stories into events as they arrive: an online,
// single-pass clusterer that assigns each story to the most similar active
// event or founds a new one, and keeps every event's current state as a
// record.Event.
//
// What it promises:
//   - Event time: the clock is the stories' published time
//     (record.Story.EventTime, clamped by normalize), never the wall
//     clock, and every decision iterates slices, never maps, so a replay
//     of an archive — `process` over a day of news in seconds — yields
//     the event ids, revisions and memberships the live run did. Events
//     expire on that clock by themselves; Expire only hands out the
//     closed events, and how often it is called changes no decision.
//   - Flat cost per story: a story is only compared with events that share
//     one of its most discriminative terms (an inverted index with capped
//     postings), so the work per story does not grow with the number of
//     active events.
//   - Bounded memory: centroids keep a fixed number of terms (half as
//     many again when headlines without a text join them), events keep
//     their last MaxMembers story ids, at most MaxEvents events are active,
//     and the document-frequency table is pruned at MaxVocabulary terms.
//   - Old events do not swallow new stories: similarity decays with the time
//     since an event's last story (HalfLife), a story never joins an event
//     founded more than Window ago, and events idle for Expiry are closed.
//
// Similarity is the cosine between a story's TF-IDF vector and an event's
// centroid. The vector space holds title words (weighted up), body words
// (for a story with neither body nor summary, the words of its link's
// slug the title lacks), and — when enrichment filled them — entity keys
// and keywords as extra
// dimensions, so text alone works and entities sharpen it: "Starmer" and
// "Keir Starmer" meet on one entity key even when the words differ.
package events
