package feed

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The reference: Limit's three date scans as they were before itemDates
// and dateOrder (round 21's mend, 06dde0a), each reading every item's
// date again. CI failed on the mend, in a test that never calls Limit
// (the failure was a pipeline bug: an event founded again below a
// retraction whose floor a failed batch had held); this keeps the proof
// that the mend decides as they did.

func refCountDated(items []record.Item, skew time.Duration) int {
	n := 0
	for i := range items {
		if _, ok := itemDate(&items[i], skew); ok {
			n++
		}
	}
	return n
}

func refNewestAtAnEnd(items []record.Item, skew time.Duration) bool {
	dated := 0
	down, up := true, true
	var prev time.Time
	for i := range items {
		t, ok := itemDate(&items[i], skew)
		if !ok {
			continue
		}
		if dated > 0 {
			down = down && !t.After(prev)
			up = up && t.After(prev)
		}
		dated++
		prev = t
	}
	return dated == 0 || (dated == len(items) && (down || up))
}

func refUndatedOrNewestFirst(items []record.Item, skew time.Duration) bool {
	dated := 0
	var prev time.Time
	for i := range items {
		t, ok := itemDate(&items[i], skew)
		switch {
		case !ok:
			continue
		case dated > 0 && t.After(prev):
			return false
		}
		dated++
		prev = t
	}
	return dated == 0 || dated == len(items)
}

// refNewestFirst is newestFirst before the mend: it read the dates
// itself, after its own undatedOrNewestFirst scan.
func refNewestFirst(items []record.Item, max int, skew time.Duration) (kept, over []record.Item) {
	if len(items) <= max {
		return items, nil
	}
	if refUndatedOrNewestFirst(items, skew) {
		return items[:max:max], items[max:]
	}
	dates := make([]time.Time, len(items))
	dated := make([]bool, len(items))
	for i := range items {
		dates[i], dated[i] = itemDate(&items[i], skew)
	}
	return rankNewestFirst(items, max, dates, dated)
}

// rankNewestFirst is the ranking both versions share, given the dates.
func rankNewestFirst(items []record.Item, max int, dates []time.Time, dated []bool) (kept, over []record.Item) {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	undatedByNeighbours(dates, dated)
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case dated[a] && dated[b]:
			return dates[b].Compare(dates[a])
		case dated[a]:
			return -1
		case dated[b]:
			return 1
		}
		return 0
	})
	keep := make([]bool, len(items))
	for _, i := range order[:max] {
		keep[i] = true
	}
	var out []record.Item
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
	return out[:max], out[max:]
}

// randomDatedItems is a document of up to 24 items whose dates are drawn
// from few values (so ties come up), listed oldest first, newest first
// or in no order, some missing, some before the web, some past the fetch
// plus skew (itemDate reads those as none), in the published or the
// updated field.
func randomDatedItems(rng *rand.Rand, skew time.Duration) []record.Item {
	fetched := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	items := make([]record.Item, rng.IntN(25))
	hours := make([]int, len(items))
	for i := range hours {
		hours[i] = rng.IntN(8)
	}
	switch rng.IntN(3) {
	case 0:
		slices.Sort(hours) // hours ago, rising: newest first
	case 1:
		slices.Sort(hours)
		slices.Reverse(hours) // oldest first
	}
	bad := rng.IntN(4) == 0 // this document has items without a believed date
	date := func(i int) *time.Time {
		var t time.Time
		switch k := rng.IntN(12); {
		case bad && k < 2:
			return nil
		case bad && k == 2:
			t = record.MinPlausibleDate.Add(-time.Hour)
		case bad && k == 3:
			t = fetched.Add(skew + time.Hour)
		default:
			t = fetched.Add(-time.Duration(hours[i]) * time.Hour)
		}
		return &t
	}
	for i := range items {
		items[i] = record.Item{GUID: string(rune('a' + i)), FetchedAt: fetched}
		if !bad || rng.IntN(4) > 0 {
			items[i].PublishedParsed = date(i)
		}
		if items[i].PublishedParsed == nil || rng.IntN(4) == 0 {
			items[i].UpdatedParsed = date(i)
		}
	}
	return items
}

// Limit's decisions with each date read once (itemDates, dateOrder) are
// those of the three scans that read them again: the dated count its
// message gives, whether the kept items lie at an end (its "unordered"
// note), whether the first max are kept without a sort, and which items
// are kept and left over, in which order.
func TestDateOrderDecidesAsTheScansItReplaced(t *testing.T) {
	skew := record.DefaultFutureSkew
	rng := rand.New(rand.NewPCG(21, 0xda7e))
	kinds := map[string]int{} // the cases the documents reached, so none is left unchecked
	for range 20000 {
		items := randomDatedItems(rng, skew)
		max := 1 + rng.IntN(len(items)+1)
		dates, dated := itemDates(items, skew)
		order := dateOrder(dates, dated)
		if want := refCountDated(items, skew); order.n != want {
			t.Fatalf("dateOrder counts %d dated items, the scan %d: %v", order.n, want, items)
		}
		atEnd := order.newestAtAnEnd()
		if want := refNewestAtAnEnd(items, skew); atEnd != want {
			t.Fatalf("newestAtAnEnd says %v, the scan %v: %v", atEnd, want, items)
		}
		firstMax := order.firstMaxAreNewest()
		if want := refUndatedOrNewestFirst(items, skew); firstMax != want {
			t.Fatalf("dateOrder keeps the first max: %v, undatedOrNewestFirst: %v: %v", firstMax, want, items)
		}
		kept, over := newestFirst(items, max, dates, dated, order)
		wantKept, wantOver := refNewestFirst(items, max, skew)
		if !slices.Equal(guidsOf(kept), guidsOf(wantKept)) || !slices.Equal(guidsOf(over), guidsOf(wantOver)) {
			t.Fatalf("max %d: newestFirst keeps %v and leaves %v, the scans kept %v and left %v",
				max, guidsOf(kept), guidsOf(over), guidsOf(wantKept), guidsOf(wantOver))
		}
		switch {
		case len(items) <= max:
			kinds["under the limit"]++
		case firstMax:
			kinds["the first max"]++
		case atEnd:
			kinds["sorted, at an end"]++
		default:
			kinds["sorted, in no order"]++
		}
		if order.n > 0 && order.n < len(items) {
			kinds["some undated"]++
		}
	}
	t.Logf("documents by case: %v", kinds)
	for _, k := range []string{"under the limit", "the first max", "sorted, at an end", "sorted, in no order", "some undated"} {
		if kinds[k] < 100 {
			t.Errorf("only %d random documents reached %q: the comparison barely checks it (%v)", kinds[k], k, kinds)
		}
	}
}

func guidsOf(items []record.Item) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = items[i].GUID
	}
	return out
}
