package kafka

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// itemIDPins are items whose ids are pinned: processors dedupe on them,
// so a change of how ItemID is computed must not change one.
func itemIDPins() []record.Item {
	return []record.Item{
		{},
		{Feed: record.FeedRef{URL: "https://example.com/feed"}, GUID: "urn:1", Link: "https://example.com/a", Title: "A title", Description: "Some text", UpdatedRaw: "Tue, 10 Mar 2014 16:00:00 GMT"},
		{Feed: record.FeedRef{URL: "https://example.com/feed"}, GUID: "urn:1:", Link: "https://example.com/a", Title: "A title", Description: "Some text"},
		{Feed: record.FeedRef{URL: "https://example.com/feed"}, GUID: "urn:1", Link: ":https://example.com/a", Title: "A title", Description: "Some text"},
		{Feed: record.FeedRef{URL: "https://xn--bcher-kva.example/feed"}, Title: "Ünïcödé — “quotes”", Content: strings.Repeat("<p>body</p>", 500)},
	}
}

func TestItemIDsStayAsPinned(t *testing.T) {
	want := []string{"i_6db2d5a4b4209856d3249ada", "i_96f1f05ff71d4601bb801add", "i_1aaf31e4c1da3e230691d7bb",
		"i_c7c75dd916f6fdd906c6ab89", "i_1bd7209237a74d6fbc8e42e4"}
	for i, it := range itemIDPins() {
		if got := ItemID(&it); got != want[i] {
			t.Errorf("ItemID of pin %d = %q, want %q", i, got, want[i])
		}
	}
	it := itemIDPins()[1]
	if n := testing.AllocsPerRun(100, func() { ItemID(&it) }); n > 2 {
		t.Errorf("ItemID allocates %v times, want at most 2 (the id, and a buffer for a long item)", n)
	}
}
