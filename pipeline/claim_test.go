package pipeline

import (
	"strings"
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

// A site whose feed is on a feed host (its items carrying the site the
// feed declares, record.FeedRef.Site, as sources/feed sets it) keeps its
// stories against a feed that listed their links first, with full text
// or a headline alone: each is the latest story under its URL's id, from
// the site's feed; a hostile feed declaring the same site after it takes
// nothing over.
func TestASiteWhoseFeedIsOnAFeedHostKeepsItsStoriesAgainstAClaim(t *testing.T) {
	const (
		host = "https://feeds.feedhost.example/a"
		h    = "https://h.example/feed"
	)
	siteRef := record.FeedRef{URL: host, Site: "https://www.a.example/"}
	links := []string{"https://www.a.example/2026/03/ecb-holds", "https://www.a.example/2026/03/brazil-floods"}
	titles := []string{"ECB holds rates", "Floods in Brazil: thousands leave their homes as rivers burst their banks"}
	onHost := func(n int, guid, link, title, html string) record.Item {
		it := item(host, n, guid, link, title, html)
		it.Feed = siteRef
		return it
	}
	hostileRef := record.FeedRef{URL: h, Site: "https://www.a.example/"}
	hostile := func(n int, guid, link, title, html string) record.Item {
		it := item(h, n, guid, link, title, html)
		it.Feed = hostileRef
		return it
	}
	sink := &memSink{}
	p := newPipeline(t, nil, sink, DefaultConfig())
	runAll(t, p, []record.Batch{
		{Feed: record.FeedRef{URL: h}, Items: []record.Item{
			item(h, 0, "h-1", links[0], "You won a prize", texts[1]),
			item(h, 0, "h-2", links[1], "You won a car", texts[2])}},
		{Feed: siteRef, Items: []record.Item{
			onHost(1, "a-1", links[0], titles[0], texts[0]),
			onHost(1, "a-2", links[1], titles[1], "")}}, // headline only
		{Feed: hostileRef, Items: []record.Item{ // h again, now declaring the site
			hostile(2, "h-1", links[0], "You won a bigger prize", texts[2]),
			hostile(2, "h-2", links[1], "You won a bigger car", texts[1])}},
	})
	latest := map[string]*record.Story{}
	for _, r := range sink.byType()[record.TypeStory] {
		s := r.(*record.Story)
		latest[s.ID] = s
	}
	for i, link := range links {
		var s *record.Story
		for _, l := range latest {
			if l.URL == link && !strings.HasPrefix(l.ID, "c_") {
				s = l
			}
		}
		switch {
		case s == nil:
			t.Errorf("no story under %s's id", link)
		case s.Feed.URL != host || s.Title != titles[i] || s.Feed.Site != siteRef.Site:
			t.Errorf("the latest story under %s's id %s is %q of %s (site %q), want the site's %q", link, s.ID, s.Title, s.Feed.URL, s.Feed.Site, titles[i])
		}
	}
}
