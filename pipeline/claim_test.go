package pipeline

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A feed that lists another site's links before the site's own feed does
// — under other text, or none — cannot suppress the site's stories or keep
// its text under their ids: each of the site's stories is published once,
// from its feed, with its text, under its URL's id, and is the latest
// record under that id. A wire republication of the same text under the
// same URL is still a duplicate.
func TestAFeedClaimingAnotherSitesLinksCannotSuppressOrOverwriteItsStories(t *testing.T) {
	const (
		site = "https://a.example/rss"
		h    = "https://h.example/feed"
		wire = "https://wire.example/feed"
	)
	links := []string{"https://a.example/2026/03/ecb-holds", "https://a.example/2026/03/brazil-floods", "https://a.example/2026/03/samsung"}
	titles := []string{"ECB holds rates", "Floods in Brazil", "Samsung launch"}
	mk := func(feed string, items ...record.Item) record.Batch {
		return record.Batch{Feed: record.FeedRef{URL: feed}, Items: items}
	}
	sink := &memSink{}
	p := newPipeline(t, nil, sink, DefaultConfig())
	runAll(t, p, []record.Batch{
		mk(h,
			item(h, 0, "h-1", links[0], "You won a prize", texts[1]), // another story's text
			item(h, 0, "h-2", links[1], titles[1], "")),              // a headline, no text
		mk(wire,
			item(wire, 0, "w-3", links[2], titles[2], republish(texts[2]))), // the wire's copy, first
		mk(site,
			item(site, 1, "a-1", links[0], titles[0], texts[0]),
			item(site, 1, "a-2", links[1], titles[1], texts[1]),
			item(site, 1, "a-3", links[2], titles[2], texts[2])),
		mk(h, // h polled again, its text changed
			item(h, 2, "h-1", links[0], "You won a bigger prize", texts[2]),
			item(h, 2, "h-2", links[1], titles[1], "Click here.")),
	})
	got := sink.byType()
	latest := map[string]*record.Story{} // by id: what a compacted topic keeps
	fromSite := map[string]int{}
	for _, r := range got[record.TypeStory] {
		s := r.(*record.Story)
		latest[s.ID] = s
		if s.Feed.URL == site {
			fromSite[s.URL]++
		}
	}
	for i, link := range links[:2] {
		if fromSite[link] != 1 {
			t.Errorf("the site's story %s published %d times from its feed, want once", link, fromSite[link])
			continue
		}
		var id string
		for _, r := range got[record.TypeStory] {
			if s := r.(*record.Story); s.Feed.URL == site && s.URL == link {
				id = s.ID
			}
		}
		s := latest[id]
		if s.Feed.URL != site || s.Title != titles[i] {
			t.Errorf("the latest story under %s (%s) is %q of %s, want the site's %q", id, link, s.Title, s.Feed.URL, titles[i])
		}
	}
	var siteCopies int
	for _, r := range got[record.TypeDuplicate] {
		if d := r.(*record.Duplicate); d.Feed.URL == site {
			siteCopies++
			if d.URL != links[2] || d.Method != "url" {
				t.Errorf("the site's %s is a %s duplicate: only its wire-republished story is a copy", d.URL, d.Method)
			}
		}
	}
	if siteCopies != 1 {
		t.Errorf("%d of the site's items are duplicates, want 1 (the story the wire republished under its URL first)", siteCopies)
	}
}
