package feedstatus

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// refFill is Table.fill as it was before round 22: select, Sort all, then
// a stable sort that moves the removed feeds last, asking the list again
// inside the comparator.
func refFill(t *Table) {
	t.Total, t.Feeds = len(t.latest), nil
	for _, s := range t.latest {
		if t.filter.match(s, t.IsRemoved(s)) {
			t.Feeds = append(t.Feeds, s)
		}
	}
	Sort(t.Feeds)
	removedLast := func(s record.FeedStatus) int {
		if t.IsRemoved(s) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(t.Feeds, func(a, b record.FeedStatus) int {
		return cmp.Compare(removedLast(a), removedLast(b))
	})
}

// fill looks each feed up in its list once and sorts the listed and the
// removed feeds apart; the rule it must keep is the order the one sort
// and the stable move gave: the same feeds, the same order, the same
// total, for any records, lists and filter.
func TestFillOrdersFeedsAsSortingAllThenMovingTheRemovedLast(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 0xf111))
	healths := append(slices.Clone(HealthOrder), "odd")
	kinds := map[string]int{}
	for range 3000 {
		latest := map[string]record.FeedStatus{}
		var urls []string
		for i := range rng.IntN(30) {
			s := record.FeedStatus{
				FeedURL:             fmt.Sprintf("https://%c.example/%d", 'a'+rng.IntN(5), i),
				Health:              healths[rng.IntN(len(healths))],
				ConsecutiveFailures: rng.IntN(4),
			}
			if rng.IntN(2) == 0 {
				s.Tags = []string{"News"}
			}
			switch rng.IntN(3) {
			case 1:
				s.FeedList = TopicList("wirestream.feeds")
			case 2:
				s.FeedList = FileList("/etc/other.yaml") // a list not read: compared with none
			}
			latest[s.FeedURL] = s
			urls = append(urls, s.FeedURL)
		}
		var held []string
		for _, u := range urls {
			if rng.IntN(3) > 0 {
				held = append(held, u)
			}
		}
		var byDefault *List
		if rng.IntN(4) > 0 {
			byDefault = NewList(FileList("/etc/wirestream.yaml"), "the configuration's feeds", held)
		}
		topic := NewList(TopicList("wirestream.feeds"), "the feed list wirestream.feeds", held[:len(held)/2])
		var f Filter
		if rng.IntN(2) == 0 {
			f.Health = []record.Health{healths[rng.IntN(len(healths))], Removed}
		}
		if rng.IntN(3) == 0 {
			f.Tag = "news"
		}

		got := Table{latest: latest, filter: f}
		got.CompareWith(byDefault, topic)
		want := Table{latest: latest, filter: f, List: got.List, lists: got.lists}
		refFill(&want)
		if got.Total != want.Total || !slices.EqualFunc(got.Feeds, want.Feeds, func(a, b record.FeedStatus) bool { return a.FeedURL == b.FeedURL }) {
			t.Fatalf("fill: total %d, %v\nthe sort and move: total %d, %v", got.Total, urlsOf(got.Feeds), want.Total, urlsOf(want.Feeds))
		}
		removed := 0
		for _, s := range got.Feeds {
			if got.IsRemoved(s) {
				removed++
			}
		}
		switch {
		case len(got.Feeds) == 0:
			kinds["none selected"]++
		case removed == 0:
			kinds["none removed"]++
		case removed == len(got.Feeds):
			kinds["all removed"]++
		default:
			kinds["both"]++
		}
	}
	t.Logf("tables by case: %v", kinds)
	for _, k := range []string{"none selected", "none removed", "all removed", "both"} {
		if kinds[k] < 50 {
			t.Errorf("only %d random tables reached %q: the comparison barely checks it (%v)", kinds[k], k, kinds)
		}
	}
}

func urlsOf(feeds []record.FeedStatus) []string {
	var out []string
	for _, s := range feeds {
		out = append(out, s.FeedURL)
	}
	return out
}
