package feed

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// One JSON Feed item that is not a JSON Feed item (a title that is a
// number, an author that is a string, null) used to reject the whole
// feed. The other items are read and the bad ones rejected with the
// reason, as RSS loses only the broken item. (Issue 13, point 6.)
func TestParseKeepsAJSONFeedWithBadItems(t *testing.T) {
	body := []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"Wire","home_page_url":"https://wire.example/","items":[
		{"id":"1","url":"https://wire.example/1","title":"Council approves the budget","content_text":"The council approved it."},
		{"id":"2","url":"https://wire.example/2","title":42,"content_text":"A number for a title."},
		null,
		{"id":"4","url":"https://wire.example/4","title":"Rail strike called off","author":"Jane Doe","content_text":"An author that is a string."},
		{"id":5,"url":"https://wire.example/5","title":"Storm warning","content_text":"A numeric id is coerced, as the spec says.","date_published":"soon"}
	]}`)
	doc, err := Parse(body, "application/feed+json", "https://wire.example/feed.json", fetchedAt)
	if err != nil {
		t.Fatalf("the feed was rejected for its bad items: %v", err)
	}
	var titles []string
	for _, it := range doc.Items {
		titles = append(titles, it.Title)
	}
	if strings.Join(titles, "|") != "Council approves the budget|Storm warning" || doc.Items[1].GUID != "5" {
		t.Errorf("items %q (guid %q), want the two valid ones", titles, doc.Items[len(doc.Items)-1].GUID)
	}
	if len(doc.Rejected) != 3 {
		t.Fatalf("rejected %d entries, want 3: %+v", len(doc.Rejected), doc.Rejected)
	}
	for i, want := range []string{"item 2 of 5", "item 3 of 5", "item 4 of 5"} {
		r := doc.Rejected[i]
		if r.Reason != RejectInvalid || !strings.Contains(r.Error, want) || r.Raw == "" || r.Key == "" {
			t.Errorf("rejected[%d] = %+v, want %s, invalid, with its raw JSON", i, r, want)
		}
	}
	dls := DeadLetters("https://wire.example/feed.json", "", doc.Rejected, fetchedAt)
	if len(dls) != 3 || dls[0].Stage != record.StageRead || !strings.Contains(dls[0].Error, "https://wire.example/feed.json") || dls[0].Payload == "" {
		t.Errorf("dead letters = %+v", dls)
	}
	// A document that is not a JSON Feed at all still fails as a whole.
	if _, err := Parse([]byte(`{"version":"x","items":"not a list"}`), "application/feed+json", "https://wire.example/feed.json", fetchedAt); err == nil {
		t.Error("items that are not an array were accepted")
	}
}

// Hubs of the wrong shape cost the feed its hubs, not its items: the
// bad item is still rejected alone.
func TestParseKeepsAJSONFeedWithMalformedHubs(t *testing.T) {
	body := []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"Wire","hubs":{"type":"WebSub"},"items":[
		{"id":"1","url":"https://wire.example/1","title":"Council approves the budget"},
		{"id":"2","url":"https://wire.example/2","title":42}
	]}`)
	doc, err := Parse(body, "application/feed+json", "https://wire.example/feed.json", fetchedAt)
	if err != nil {
		t.Fatalf("the feed was rejected for its hubs: %v", err)
	}
	if len(doc.Items) != 1 || doc.Items[0].Title != "Council approves the budget" || len(doc.Rejected) != 1 {
		t.Errorf("items %+v, rejected %+v: want the good item kept and the bad one rejected", doc.Items, doc.Rejected)
	}
	if len(doc.Links.Hubs) != 0 {
		t.Errorf("hubs %q from a hubs field that is not a list", doc.Links.Hubs)
	}
}

// A document whose 60 items share one GUID but have distinct links and
// titles used to yield 5 items and a counter: 55 stories vanished. The
// GUID identifies none of them, so they are all read and told apart by
// their links; only an exact repeat (same GUID and link) is rejected, with
// the reason. (Issue 13, point 8.)
func TestParseSettlesRepeatedGUIDs(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Shared</title><link>https://cms.example/</link>`)
	for i := range 60 {
		fmt.Fprintf(&b, `<item><title>Story number %d</title><link>https://cms.example/story/%d</link><guid>https://cms.example/</guid></item>`, i, i)
	}
	// Two items with their own GUID, the second an exact repeat; one
	// without a GUID repeated by link.
	b.WriteString(`<item><title>Own</title><link>https://cms.example/own</link><guid>own-1</guid></item>`)
	b.WriteString(`<item><title>Own</title><link>https://cms.example/own</link><guid>own-1</guid></item>`)
	b.WriteString(`<item><title>No GUID</title><link>https://cms.example/plain</link></item>`)
	b.WriteString(`<item><title>No GUID, edited</title><link>https://cms.example/plain</link></item>`)
	b.WriteString(`</channel></rss>`)
	doc, err := Parse([]byte(b.String()), "", "https://cms.example/rss", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 62 || doc.DuplicateGUIDs != 60 {
		t.Fatalf("%d items and %d shared GUIDs, want 62 and 60", len(doc.Items), doc.DuplicateGUIDs)
	}
	for i, it := range doc.Items[:60] {
		if it.GUID != "" || it.Link != fmt.Sprintf("https://cms.example/story/%d", i) {
			t.Fatalf("item %d: guid %q link %q, want no GUID and its own link", i, it.GUID, it.Link)
		}
	}
	if doc.Items[60].GUID != "own-1" {
		t.Errorf("a GUID of its own was lost: %+v", doc.Items[60])
	}
	if len(doc.Rejected) != 2 {
		t.Fatalf("rejected %+v, want the two repeats", doc.Rejected)
	}
	if r := doc.Rejected[0]; !strings.Contains(r.Error, `guid "own-1", same text`) || r.Item == nil {
		t.Errorf("rejected[0] = %+v", r)
	}
	if r := doc.Rejected[1]; !strings.Contains(r.Error, "different text: the first is read") || r.Item.Title != "No GUID, edited" {
		t.Errorf("rejected[1] = %+v", r)
	}
}

// A document over max_items keeps its first items and rejects the rest as
// one entry that names them.
func TestDocumentLimitRejectsTheRestAsOneEntry(t *testing.T) {
	var items []string
	for i := range 12 {
		items = append(items, fmt.Sprintf("g%d", i))
	}
	doc, err := Parse(rssDoc("Big", items...), "", "https://big.example/rss", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	doc.Limit(10, record.DefaultFutureSkew, MaxItemsSetting)
	if len(doc.Items) != 10 || len(doc.Rejected) != 1 {
		t.Fatalf("%d items, %d rejected", len(doc.Items), len(doc.Rejected))
	}
	r := doc.Rejected[0]
	if r.Reason != RejectOverLimit || !strings.Contains(r.Error, "12 items, over the limit of 10") || !strings.Contains(r.Raw, `guid \"g11\"`) {
		t.Errorf("rejected = %+v", r)
	}
	again, _ := Parse(rssDoc("Big", items...), "", "https://big.example/rss", fetchedAt)
	again.Limit(10, record.DefaultFutureSkew, MaxItemsSetting)
	if again.Rejected[0].Key != r.Key {
		t.Error("the same overflow got another key: it would be reported on every poll")
	}
}

// A feed-level field of the wrong type (a number for the title, text for
// the author) cost every item of a JSON Feed, with gofeed's message naming
// its internal types ("Go struct field .alias.title of type string"). The
// feed is read without the field, which is reported as a rejected entry
// naming it; a document that cannot be read (items that are no list, a
// version that is no text, JSON cut off) fails with a message that says
// which field or byte.
func TestAJSONFeedWithAWrongTypedFieldLosesTheFieldNotItsItems(t *testing.T) {
	const item = `{"id":"1","url":"https://wire.example/1","title":"Council approves the budget"}`
	doc, err := Parse([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":7,"author":"Desk","home_page_url":["a"],"items":[`+item+`]}`),
		"application/feed+json", "https://wire.example/feed.json", fetchedAt)
	if err != nil {
		t.Fatalf("the feed was rejected for its wrong-typed fields: %v", err)
	}
	if len(doc.Items) != 1 || doc.Items[0].Title != "Council approves the budget" {
		t.Errorf("items %+v, want the one item", doc.Items)
	}
	var said []string
	for _, r := range doc.Rejected {
		said = append(said, r.Error)
	}
	for _, want := range []string{
		`the JSON Feed's "title" is a number, not text: the feed is read without it`,
		`the JSON Feed's "author" is text, not an object: the feed is read without it`,
		`the JSON Feed's "home_page_url" is an array, not text: the feed is read without it`,
	} {
		if !slices.Contains(said, want) {
			t.Errorf("rejected %q, want %q among them", said, want)
		}
	}
	for body, want := range map[string]string{
		`{"version":"https://jsonfeed.org/version/1.1","items":{"id":"1"}}`: `not a JSON Feed: its "items" is an object, not a list`,
		`{"version":1.1,"items":[]}`:                                        `not a JSON Feed: its "version" is a number, not text`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[` + item:    `not a JSON Feed: the JSON ends early, at byte 134 (truncated?)`,
	} {
		if _, err := Parse([]byte(body), "application/feed+json", "https://wire.example/feed.json", fetchedAt); err == nil || err.Error() != want {
			t.Errorf("Parse(%s)\n got: %v\nwant: %s", body, err, want)
		}
	}
}
