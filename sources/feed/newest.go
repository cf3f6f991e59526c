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
// newest stories on every poll. Items without a date rank after every
// dated one; items of the same rank keep their place in the document,
// earlier first. A feed without dates therefore keeps its first max,
// as feeds list their newest first. It never reorders what it keeps.
func newestFirst(items []record.Item, max int) (kept, over []record.Item) {
	if len(items) <= max {
		return items, nil
	}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ta, oka := itemDate(&items[a])
		tb, okb := itemDate(&items[b])
		switch {
		case oka && okb:
			return tb.Compare(ta) // newest first
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	keep := make([]bool, len(items))
	prefix := true
	for _, i := range order[:max] {
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

// itemDate is the date newestFirst ranks an item by: when it was
// published, else when it was updated.
func itemDate(it *record.Item) (time.Time, bool) {
	if it.PublishedParsed != nil {
		return *it.PublishedParsed, true
	}
	if it.UpdatedParsed != nil {
		return *it.UpdatedParsed, true
	}
	return time.Time{}, false
}
