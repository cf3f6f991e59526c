package feed

import (
	"slices"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// newestFirst splits items into the max that Limit keeps and the rest,
// each in document order. Kept are the newest by date — an item's
// published date, else its updated date — so that a feed listing its
// oldest first (an archive, a podcast, a CMS export) does not lose its
// newest stories on every poll. An item without a date ranks with the
// newer of its nearest dated neighbours in the document (see
// undatedByNeighbours): a feed lists its items in time order, so an
// undated item at the top of a newest-first feed, or at the end of an
// oldest-first one, is among its newest and is kept — ranking every
// undated item last dropped those on every poll. Items of the same rank
// keep their place in the document, earlier first. A feed without dates
// therefore keeps its first max, as feeds list their newest first. A
// date no item can truly carry ranks as none (see itemDate): one old
// item dated 2099 by mistake would otherwise rank newest and displace
// the oldest item that should be kept. It never reorders what it keeps.
//
// dates and dated are itemDates(items) and order is their dateOrder;
// newestFirst fills in the undated ones (undatedByNeighbours), so the
// caller reads its summary first.
func newestFirst(items []record.Item, max int, dates []time.Time, dated []bool, order datesInOrder) (kept, over []record.Item) {
	if len(items) <= max {
		return items, nil
	}
	if order.firstMaxAreNewest() {
		// The common cases, a feed without dates or listing its newest
		// first: its first max, with no sort and no copy.
		return items[:max:max], items[max:]
	}
	ranked := make([]int, len(items))
	for i := range ranked {
		ranked[i] = i
	}
	// With one item dated (order.n > 0), undatedByNeighbours dates every other.
	undatedByNeighbours(dates, dated)
	slices.SortStableFunc(ranked, func(a, b int) int {
		return dates[b].Compare(dates[a]) // newest first
	})
	keep := make([]bool, len(items))
	prefix := true
	for _, i := range ranked[:max] {
		keep[i] = true
		prefix = prefix && i < max
	}
	if prefix {
		// The common case, a feed listing its newest first: no copy.
		return items[:max:max], items[max:]
	}
	out := make([]record.Item, 0, len(items))
	for i := range items {
		if keep[i] {
			out = append(out, items[i])
		}
	}
	for i := range items {
		if !keep[i] {
			out = append(out, items[i])
		}
	}
	return out[:max:max], out[max:]
}

// undatedByNeighbours gives each undated item the newer date of the
// nearest dated items before and after it in the document, and marks it
// dated when it has either. An item's place in a feed is the only clue to
// its time that it carries: between two dated items it is as new as the
// newer of them at most, and at an end it is as new as the end's
// neighbour. The same rank keeps document order, so an undated item
// listed above its dated neighbour comes before it.
func undatedByNeighbours(dates []time.Time, dated []bool) {
	before := make([]int, len(dates)) // index of the nearest dated item before, -1 if none
	last := -1
	for i := range dates {
		before[i] = last
		if dated[i] {
			last = i
		}
	}
	next := -1
	for i := len(dates) - 1; i >= 0; i-- {
		if dated[i] {
			next = i
			continue
		}
		switch b := before[i]; {
		case b >= 0 && next >= 0:
			dates[i] = dates[b]
			if dates[next].After(dates[b]) {
				dates[i] = dates[next]
			}
		case b >= 0:
			dates[i] = dates[b]
		case next >= 0:
			dates[i] = dates[next]
		default:
			continue
		}
		dated[i] = true
	}
}

// itemDate is the date newestFirst ranks an item by: when it was
// published, else when it was updated — the first of the two that can be
// true when the item was fetched: not before the web
// (record.MinPlausibleDate, where normalize reads a date as none) and not
// later than the fetch plus skew (record.BeyondSkew, normalize's
// future_skew: the line past which the story's date is clamped).
func itemDate(it *record.Item, skew time.Duration) (time.Time, bool) {
	for _, t := range [2]*time.Time{it.PublishedParsed, it.UpdatedParsed} {
		if t != nil && !t.Before(record.MinPlausibleDate) && !record.BeyondSkew(*t, it.FetchedAt, skew) {
			return *t, true
		}
	}
	return time.Time{}, false
}

// itemDates is itemDate of every item, read once for Limit's several
// uses (its message, the order summary, the ranking).
func itemDates(items []record.Item, skew time.Duration) (dates []time.Time, dated []bool) {
	dates = make([]time.Time, len(items))
	dated = make([]bool, len(items))
	for i := range items {
		dates[i], dated[i] = itemDate(&items[i], skew)
	}
	return dates, dated
}

// datesInOrder sums up the believed dates of a document in document
// order: how many of its items have one (n of total), whether they never
// rise (newest first; equal dates keep the first) and whether they
// strictly rise (oldest first). Limit reads it once for its three uses:
// the dated count of its message, newestAtAnEnd and newestFirst's
// shortcut.
type datesInOrder struct {
	n, total int
	down, up bool
}

// dateOrder is the datesInOrder of itemDates' dates and dated.
func dateOrder(dates []time.Time, dated []bool) datesInOrder {
	o := datesInOrder{total: len(dates), down: true, up: true}
	var prev time.Time
	for i, t := range dates {
		if !dated[i] {
			continue
		}
		if o.n > 0 {
			o.down = o.down && !t.After(prev)
			o.up = o.up && t.After(prev)
		}
		o.n++
		prev = t
	}
	return o
}

// firstMaxAreNewest says whether the document's first items are its
// newest, so that newestFirst keeps its first max without a sort: none is
// dated (feeds list their newest first), or all are, newest first.
func (o datesInOrder) firstMaxAreNewest() bool {
	return o.n == 0 || (o.n == o.total && o.down)
}

// newestAtAnEnd says whether the items Limit keeps lie at one end of
// the document, where ParseAtMost reads: none is dated (the first are
// kept), or all are, newest first (ties keep the first) or strictly
// oldest first. Dates in no order, or equal at the end of an oldest-first
// list (ties keep the first of them), can put them in the middle.
func (o datesInOrder) newestAtAnEnd() bool {
	return o.n == 0 || (o.n == o.total && (o.down || o.up))
}
