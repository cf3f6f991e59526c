package dedupe

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A feed that lists another site's link (with its own text, garbage or
// none) before that site's feed does must not be able to suppress the
// site's story or put its own text under the story's id; a real
// republication of the same story under the same URL is still a copy.
func TestAnotherFeedsClaimOnAURLCannotSuppressOrOverwriteTheStory(t *testing.T) {
	const (
		home = "https://a.example/rss"
		url  = "https://a.example/ecb"
		id   = "s_a1" // normalize's id of url: every feed's item of url gets it
	)
	real := item{feed: home, id: id, guid: "a-1", url: url, title: "ECB holds rates", text: wire}
	excerpt := strings.Join(strings.Fields(wire)[:30], " ")
	tests := []struct {
		name     string
		claim    item // seen first
		later    item // the story's own item, or a copy
		wantKind Kind
		wantID   string // the later item's id: its story's, or the duplicate's original
	}{
		{"another feed's other text under the site's URL does not suppress the site's story: the site keeps its URL's id",
			item{"https://h.example/feed", id, "h-1", url, "You won a prize", other}, real, KindRevision, id},
		{"another feed's empty item under the site's URL does not suppress the site's story",
			item{"https://h.example/feed", id, "h-2", url, "ECB holds rates", ""}, real, KindRevision, id},
		{"another feed's title-only item under the site's URL does not suppress the site's story",
			item{"https://h.example/feed", id, "h-3", url, "ECB holds rates as inflation eases more slowly than expected", "ECB holds rates as inflation eases more slowly than expected"}, real, KindRevision, id},
		{"a site feed on a host of its own is not suppressed either: its story is published under an id of its own",
			item{"https://h.example/feed", id, "h-1", url, "You won a prize", other},
			item{"https://feeds.feedhost.example/a", id, "a-1", url, "ECB holds rates", wire}, KindNew, CopyID("https://feeds.feedhost.example/a", "a-1", url)},
		{"a republication of the same text under the same URL is still a copy (syndication)",
			item{"https://wire.example/feed", id, "w-1", url, "ECB holds rates", edit(wire)}, real, KindDuplicate, id},
		{"the site's story under its URL copies the site's excerpt in another of its feeds",
			item{"https://www.a.example/world/rss", id, "a-1", url, "ECB holds rates", excerpt}, real, KindDuplicate, id},
		{"another feed's other text after the site's story is a copy of it, not a revision",
			real, item{"https://h.example/feed", id, "h-1", url, "You won a prize", other}, KindDuplicate, id},
		{"another feed's empty item after the site's story is a copy of it",
			real, item{"https://h.example/feed", id, "h-2", url, "ECB holds rates", ""}, KindDuplicate, id},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, st := newDeduper(t, nil)
			tx := d.Begin()
			c, ctext := story(tc.claim)
			if dec, err := tx.Check(c, ctext, t0); err != nil || dec.Kind != KindNew {
				t.Fatalf("the first item: %v %v, want new", dec.Kind, err)
			}
			commit(t, tx, st)

			tx = d.Begin()
			s, text := story(tc.later)
			dec, err := tx.Check(s, text, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if dec.Kind != tc.wantKind {
				t.Fatalf("the later item: %v, want %v", dec.Kind, tc.wantKind)
			}
			got := s.ID
			if dec.Kind == KindDuplicate {
				got = dec.Duplicate.DuplicateOf
			}
			if got != tc.wantID {
				t.Errorf("the later item's story is %s, want %s", got, tc.wantID)
			}
			commit(t, tx, st)

			// Both feeds polled again, the claim with new text: the later
			// item is unchanged, and a claim the site's story replaced
			// does not publish its text under the site's id again.
			tx = d.Begin()
			s, text = story(tc.later)
			if dec, _ := tx.Check(s, text, t0.Add(2*time.Hour)); dec.Kind != KindUnchanged {
				t.Errorf("the later item polled again: %v, want unchanged", dec.Kind)
			}
			again := tc.claim
			again.text += " Updated."
			c, ctext = story(again)
			dec, _ = tx.Check(c, ctext, t0.Add(2*time.Hour))
			if tc.later.feed == home && tc.wantKind != KindDuplicate && dec.Kind == KindRevision && c.ID == id {
				t.Errorf("the claim polled again with new text is a revision of the site's story %s", id)
			}
		})
	}
}

// A site's feed on a feed host or a CDN (feeds.feedhost.example serving
// a.example's feed) declares its site (record.FeedRef.Site: its channel
// link, set by the source only when every item is on that site): after
// another feed's claim it takes its URL's story id over as a feed on the
// site's own host does, with full text or a headline alone. A declared
// site ranks below the URL's own host and below an earlier declared
// site: a hostile feed declaring another site cannot take over what that
// site's feed published, nor keep what the site's own host publishes.
func TestAFeedOnAFeedHostDeclaringItsSiteIsItsURLsSite(t *testing.T) {
	const (
		url  = "https://www.a.example/ecb"
		id   = "s_a1"
		site = "https://www.a.example/"
		host = "https://feeds.feedhost.example/a"
	)
	hostile := item{"https://h.example/feed", id, "h-1", url, "You won a prize", other}
	onHost := item{host, id, "a-1", url, "ECB holds rates", wire}
	headline := item{host, id, "a-1", url, "ECB holds rates as inflation eases more slowly than expected", ""}
	atHome := item{"https://a.example/rss", id, "a-1", url, "ECB holds rates", wire}
	tests := []struct {
		name                 string
		claim, later         item
		claimSite, laterSite string
		wantKind             Kind
		wantID               string
	}{
		{"after a hostile claim, the site's feed on a feed host declaring its site takes its URL's id over",
			hostile, onHost, "", site, KindRevision, id},
		{"after a hostile claim, the site's headline-only feed on a feed host declaring its site takes its URL's id over",
			hostile, headline, "", site, KindRevision, id},
		{"a site declared by a feed that names another site is no claim to the URL: its story is its own",
			hostile, onHost, "", "https://b.example/", KindNew, CopyID(host, "a-1", url)},
		{"a hostile feed declaring the site after the site's feed on a feed host does not take the id over",
			onHost, hostile, site, site, KindNew, CopyID(hostile.feed, hostile.guid, url)},
		{"a hostile feed declaring the site cannot keep the id from the site's feed on its own host",
			hostile, atHome, site, "", KindRevision, id},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, st := newDeduper(t, nil)
			tx := d.Begin()
			c, ctext := story(tc.claim)
			c.Feed.Site = tc.claimSite
			if dec, err := tx.Check(c, ctext, t0); err != nil || dec.Kind != KindNew {
				t.Fatalf("the first item: %v %v, want new", dec.Kind, err)
			}
			commit(t, tx, st)
			tx = d.Begin()
			s, text := story(tc.later)
			s.Feed.Site = tc.laterSite
			dec, err := tx.Check(s, text, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			got := s.ID
			if dec.Kind == KindDuplicate {
				got = dec.Duplicate.DuplicateOf
			}
			if dec.Kind != tc.wantKind || got != tc.wantID {
				t.Fatalf("the later item: %v of %s, want %v of %s", dec.Kind, got, tc.wantKind, tc.wantID)
			}
			commit(t, tx, st)
		})
	}
}

// A story its URL's site published holds the URL against another feed's
// claim by a mark on its own record, not by an alias of its own: it keeps
// the aliases a story from any other feed keeps (round 26 gave it a fifth,
// ~20 bytes of the ≤ 400 a remembered story may take), and the mark
// survives a restart from the log and from a snapshot.
func TestAStoryItsSitePublishedHoldsItsURLWithoutAnAliasOfItsOwn(t *testing.T) {
	const url = "https://a.example/ecb"
	site := item{"https://a.example/rss", "s_a1", "a-1", url, "ECB holds rates", wire}
	elsewhere := item{"https://wire.example/rss", "s_b1", "b-1", "https://b.example/ecb", "ECB holds rates", other}
	claim := item{"https://h.example/feed", "s_a1", "h-1", url, "You won a prize", strings.Repeat("prize money winner lottery ", 20)}

	for _, restart := range []string{"none", "log", "snapshot"} {
		t.Run("restart="+restart, func(t *testing.T) {
			dir := t.TempDir()
			d, st := fileDeduper(t, dir)
			tx := d.Begin()
			for _, it := range []item{site, elsewhere} {
				s, text := story(it)
				if dec, err := tx.Check(s, text, t0); err != nil || dec.Kind != KindNew {
					t.Fatalf("%s: %v %v, want new", it.id, dec.Kind, err)
				}
			}
			commit(t, tx, st)
			if got := d.Count(state.Aliases); got != 6 {
				t.Errorf("%d aliases, want 6: each story's GUID, URL and body, none more for its site", got)
			}
			switch restart {
			case "snapshot":
				if err := st.Compact(); err != nil {
					t.Fatal(err)
				}
				fallthrough
			case "log":
				st.Close()
				d, st = fileDeduper(t, dir)
			}
			tx = d.Begin()
			s, text := story(claim)
			dec, err := tx.Check(s, text, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if dec.Kind != KindDuplicate || dec.Duplicate.DuplicateOf != site.id || dec.Duplicate.Method != MethodURL {
				t.Errorf("another feed's other text under the site's URL: %v %+v, want a url duplicate of %s", dec.Kind, dec.Duplicate, site.id)
			}
			tx.Release()
		})
	}
}
