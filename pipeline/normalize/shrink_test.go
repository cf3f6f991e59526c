package normalize

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

func TestShrinkKeepsTheStoryOrCutsNothing(t *testing.T) {
	n := New(DefaultConfig(), nil)
	base := record.Item{Feed: record.FeedRef{URL: "https://wire.example/rss"}, Link: "https://wire.example/a", GUID: "a",
		Title: "Council approves the budget", Description: "The council approved the budget on Tuesday."}
	under := func(limit int) func(*record.Item) bool {
		return func(it *record.Item) bool { b, _ := json.Marshal(it); return len(b) <= limit }
	}
	long := func(f func(*record.Item)) record.Item { it := base; f(&it); return it }
	for _, c := range []struct {
		name    string
		item    record.Item
		limit   int
		fits    bool
		changed bool
	}{
		{"an item that fits is handed back as it is", base, 1 << 20, true, false},
		{"a megabyte headline is cut to what the normalizer reads of it", long(func(it *record.Item) {
			it.Title = strings.Repeat("Budget ", 150_000)
		}), 1 << 20, true, true},
		{"a megabyte of author names is cut the same way", long(func(it *record.Item) {
			it.Authors = []string{strings.Repeat("Jane Doe ", 120_000)}
		}), 1 << 20, true, true},
		{"a long article is halved until it fits, its story unchanged", long(func(it *record.Item) {
			it.Content = strings.Repeat("<p>The river rose again overnight across the region.</p>\n", 30_000)
		}), 1 << 20, true, true},
		{"an item that only fits by losing text the story keeps is not cut", long(func(it *record.Item) {
			it.Content = strings.Repeat("<p>The river rose again overnight across the region.</p>\n", 3_000)
		}), 40 << 10, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, fits := n.Shrink(c.item, under(c.limit))
			if fits != c.fits {
				t.Fatalf("fits = %v, want %v", fits, c.fits)
			}
			if changed := !reflect.DeepEqual(got, c.item); changed != c.changed {
				t.Fatalf("item changed = %v, want %v", changed, c.changed)
			}
			if !fits {
				return
			}
			now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			whole, err1 := n.Normalize(c.item, now)
			short, err2 := n.Normalize(got, now)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !reflect.DeepEqual(whole, short) {
				t.Errorf("the cut item makes another story: truncated %v vs %v, title %.40q vs %.40q",
					whole.Truncated, short.Truncated, whole.Title, short.Title)
			}
		})
	}
}
