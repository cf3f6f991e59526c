package feed

import (
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// docDiff is a parsed document compared with the one the feed was last
// read as.
type docDiff struct {
	counts
	items    []record.Item // to deliver: new and revised items
	rejected []Rejected    // rejected entries not reported before
	changed  int           // known items whose content changed
	outdated int           // pushed items older than the version read: not delivered
	stale    int           // pushed items unknown and older than the feed's horizon: not delivered
	arrivals int           // new items of a feed whose dates the schedule does not trust
	seen     seenList
	memo     memoList
}

// diff sorts the document's items. An item under a key (GUID, else link)
// the feed carried before (in the last document, or one before it: Gone)
// is unchanged or revised. One under a new key is
// new — unless the last document held its link or its text: then the feed
// gave a known item a new GUID ("rotated"). A rotated item with the same
// link and content is not delivered at all; one whose text changed is,
// for the pipeline to decide. Rotated items are not new: they neither
// trigger the gap rule nor count as arrivals. Rejected entries are
// remembered by their keys, so each is reported once.
//
// A pushed document (push) is what a hub sent, not the feed now: a hub
// retries a failed delivery later, and a signed delivery can be replayed
// once the callback's window has moved on. A pushed item in a version
// whose updated date is older than the one the feed already read is not a
// revision: it is not delivered, and the newer version stays remembered
// ("outdated"). Nor is a pushed item the feed's state does not know,
// dated before the feed's horizon (feedState.Horizon: the oldest entry of
// the last poll's document) — an entry the feed dropped and the state has
// forgotten, replayed or retried long after ("stale"), while the feed's
// dates are trusted (a feed that stamps every entry at each request has
// its horizon at the last poll, and a hub's copy may be stamped before
// it): a poll never
// delivers an entry older than all the feed shows, and a push delivers
// what a poll could. It is not remembered either, so a poll that does
// find it in the feed delivers it. A poll's document is the feed now, and
// is taken as it is.
func (l *loop) diff(ns *feedState, doc Document, trusted, push bool, now time.Time) docDiff {
	// What the document shows, by key: made here and kept as sorted
	// slices (seenList, memoList), which hold an item in 56 bytes where
	// these maps hold it in ≈ 96.
	seen, memos := make(map[uint64]uint64, len(doc.Items)+len(doc.Rejected)), make(map[uint64]memo, len(doc.Items))
	var d docDiff
	d.found, d.counts.rejected = len(doc.Items), len(doc.Rejected)
	// The last document's items by link (→ content hash) and by text.
	links := make(map[uint64]uint64, ns.Memo.len())
	texts := make(map[uint64]bool, ns.Memo.len())
	for e := range ns.Memo.all() {
		k, m := e.Key, e.memo
		if m.Link != 0 {
			links[m.Link], _ = ns.Seen.get(k)
		}
		if m.Text != 0 {
			texts[m.Text] = true
		}
	}
	// The items documents before the last one showed (carryGone).
	var gone map[uint64]uint64
	if len(ns.Gone) > 0 {
		gone = make(map[uint64]uint64, len(ns.Gone))
		for _, g := range ns.Gone {
			gone[g[0]] = g[1]
		}
	}
	for i := range doc.Items {
		it := &doc.Items[i]
		if l.spec.Name != "" {
			it.Feed.Title = l.spec.Name
		}
		it.Feed.Tags = l.spec.Tags
		k, c := itemKey(it), contentHash(it)
		seen[k] = c
		m := newMemo(it, now.Unix())
		old, _ := ns.Memo.get(k)
		if old.First > 0 {
			m.First = old.First
		}
		memos[k] = m
		prev, known := ns.Seen.get(k)
		if !known {
			prev, known = gone[k]
		}
		switch {
		case known && prev == c:
		case known && push && m.Updated > 0 && old.Updated > m.Updated:
			seen[k], memos[k] = prev, old
			d.outdated++
		case known:
			d.changed++
			d.items = append(d.items, *it)
		case push && trusted && beforeHorizon(it, ns.Horizon):
			delete(seen, k)
			delete(memos, k)
			d.stale++
		case m.Link != 0 && links[m.Link] == c:
			d.rotated++
		case m.Link != 0 && links[m.Link] != 0, m.Text != 0 && texts[m.Text]:
			d.rotated++
			d.items = append(d.items, *it)
		default:
			d.fresh++
			d.items = append(d.items, *it)
			if !trusted {
				d.arrivals++
			}
		}
	}
	for _, r := range doc.Rejected {
		k := parseHash(r.Key)
		seen[k] = reasonCode(r.Reason)
		if _, before := gone[k]; !ns.Seen.has(k) && !before {
			d.rejected = append(d.rejected, r)
		}
	}
	d.seen, d.memo = seenListOf(seen), memoListOf(memos)
	return d
}

// beforeHorizon reports whether the item is dated (published or
// updated, the later of them) before horizon, Unix seconds; an undated
// item or no horizon (0) is not.
func beforeHorizon(it *record.Item, horizon int64) bool {
	t := latestDate(it)
	return horizon != 0 && !t.IsZero() && t.Unix() < horizon
}

// latestDate is the later of an item's published and updated dates, zero
// when it has neither.
func latestDate(it *record.Item) time.Time {
	var t time.Time
	for _, d := range [2]*time.Time{it.PublishedParsed, it.UpdatedParsed} {
		if d != nil && d.After(t) {
			t = *d
		}
	}
	return t
}

// horizon is the oldest latestDate of a document's dated items, Unix
// seconds, and no later than now, when the document was read: a feed whose
// clock runs ahead (trustDates lets futureTolerance pass) has its entries
// dated after the poll, and an entry new since is dated before them. 0
// when none is dated.
func horizon(items []record.Item, now time.Time) int64 {
	var oldest time.Time
	for i := range items {
		if t := latestDate(&items[i]); !t.IsZero() && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	if oldest.IsZero() {
		return 0
	}
	return min(oldest.Unix(), now.Unix())
}

// warnings says what about the document the feed's operator should know
// (record.FeedStatus.Warnings).
func warnings(doc Document, n counts, trusted bool) []string {
	var w []string
	if !trusted {
		w = append(w, record.WarnDatesUntrusted)
	}
	if n.rotated >= 2 && 2*n.rotated >= n.found {
		w = append(w, record.WarnGUIDsRotate)
	}
	if doc.DuplicateGUIDs > 0 {
		w = append(w, record.WarnGUIDsShared)
	}
	if len(doc.Rejected) > 0 {
		w = append(w, record.WarnItemsRejected)
	}
	return w
}
