package feed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// poller.max_items keeps the newest items whatever the document's order:
// a feed listing its oldest first (an archive, a podcast, a CMS export)
// with more than max_items items lost its newest on every poll, since the
// first max_items were kept. Without dates the first are kept, as before.
func TestLimitKeepsTheNewestItemsWhateverTheOrder(t *testing.T) {
	const max = 5
	rss := func(items string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>` + items + `</channel></rss>`)
	}
	guids := func(from, to int) (out []string) {
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprintf("g%d", i))
		}
		return out
	}
	reversed := func(s []string) []string { s = slices.Clone(s); slices.Reverse(s); return s }
	var undated strings.Builder
	for i := range 3 * max {
		fmt.Fprintf(&undated, `<item><guid>g%d</guid></item>`, i)
	}
	for _, c := range []struct {
		name string
		body []byte
		want []string // in document order
		// left says which items were left out, as the entry's message
		// must: "the N oldest" only where they are (%d: how many).
		left string
	}{
		{"oldest first: the last max, the newest", rss(datedItems(3*max, false)), guids(2*max, 3*max), "the %d oldest were not read"},
		{"newest first: the first max, as before", rss(datedItems(3*max, true)), reversed(guids(2*max, 3*max)), "the %d oldest were not read"},
		{"no dates: the first max, as before", rss(undated.String()), guids(0, max), "it has no dates, so its first 5 were kept and the %d after them were not read"},
		{"an undated item ranks with its newer dated neighbour: oldest first, the undated last are newest",
			rss(`<item><guid>u0</guid></item>` + datedItems(max-1, false) + `<item><guid>u1</guid></item><item><guid>u2</guid></item>`),
			append(guids(1, max-1), "u1", "u2"),
			"the %d oldest were not read (3 of its items have no date: each ranks with the newer of its dated neighbours)"},
		// Round 19 ranked every undated item last: a newest-first feed
		// over max_items whose newest items carry no date gofeed can
		// read lost them on every poll (review20).
		{"newest first, the newest undated: kept with the top",
			rss(`<item><guid>new0</guid><pubDate>not a date</pubDate></item><item><guid>new1</guid></item>` + datedItems(3*max, true)),
			append([]string{"new0", "new1"}, reversed(guids(3*max-(max-2), 3*max))...),
			"the %d oldest were not read (2 of its items have no date: each ranks with the newer of its dated neighbours)"},
	} {
		for _, atMost := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, read at most %v", c.name, atMost), func(t *testing.T) {
				var doc Document
				var err error
				if atMost {
					doc, err = ParseAtMost(c.body, "", "https://old.example/rss", fetchedAt, max)
				} else {
					doc, err = Parse(c.body, "", "https://old.example/rss", fetchedAt)
				}
				if err != nil {
					t.Fatal(err)
				}
				n := len(doc.Items)
				doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
				var got []string
				for _, it := range doc.Items {
					got = append(got, it.GUID)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("kept %q, want %q", got, c.want)
				}
				if want := fmt.Sprintf("the document has %d items, over the limit of %d (poller.max_items): ", n, max) + fmt.Sprintf(c.left, n-max); overflow(doc) != want {
					t.Errorf("overflow %q, want %q", overflow(doc), want)
				}
			})
		}
	}
}

// An archive far past the read-ahead, oldest first, has only its ends
// built, and its newest items kept; so does an Atom feed dated by
// <updated> alone.
func TestParseAtMostKeepsTheNewestOfAnOldestFirstArchive(t *testing.T) {
	const n, max = 10_000, 50
	rss := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title>` + datedItems(n, false) + `</channel></rss>`)
	var atom strings.Builder
	atom.WriteString(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>`)
	for i := range n {
		fmt.Fprintf(&atom, `<entry><id>g%d</id><title>E%d</title><updated>%s</updated></entry>`, i, i, fetchedAt.Add(time.Duration(i-n)*time.Hour).Format(time.RFC3339))
	}
	atom.WriteString(`</feed>`)
	for name, body := range map[string][]byte{"rss": rss, "atom": []byte(atom.String())} {
		doc, err := ParseAtMost(body, "", "https://archive.example/feed", fetchedAt, max)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Items) != 2*readAhead(max) || doc.NotRead != n-2*readAhead(max) {
			t.Fatalf("%s: built %d items, %d not read; want %d at each end built", name, len(doc.Items), doc.NotRead, readAhead(max))
		}
		doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
		if len(doc.Items) != max || doc.Items[0].GUID != fmt.Sprintf("g%d", n-max) || doc.Items[max-1].GUID != fmt.Sprintf("g%d", n-1) {
			t.Errorf("%s: kept %d items, %q…%q; want g%d…g%d", name, len(doc.Items), doc.Items[0].GUID, doc.Items[len(doc.Items)-1].GUID, n-max, n-1)
		}
		if want := fmt.Sprintf("the document has %d items, over the limit of %d (poller.max_items): the %d oldest were not read", n, max, n-max); overflow(doc) != want {
			t.Errorf("%s: overflow %q, want %q", name, overflow(doc), want)
		}
	}
}

// A date no item can truly carry ranks as none when max_items keeps the
// newest: later than the fetch plus normalize.future_skew (the line past
// which the story's date is clamped, record.BeyondSkew), or before the
// web. One old item of a newest-first feed dated 2099 by mistake ranked
// newest and displaced the oldest item the feed's order kept; a date
// within the skew is still believed.
func TestAFarFutureDateRanksAsUndatedForTheNewestItems(t *testing.T) {
	const max = 5
	rss := func(items string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>` + items + `</channel></rss>`)
	}
	item := func(guid string, at time.Time) string {
		return fmt.Sprintf(`<item><guid>%s</guid><title>%s</title><pubDate>%s</pubDate></item>`, guid, guid, at.Format(time.RFC1123Z))
	}
	newestFirst := datedItems(2*max, true) // g9 … g0, an hour apart, the newest an hour before the fetch
	undated := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<item><guid>u%d</guid><title>U%d</title></item>`, i, i)
		}
		return b.String()
	}
	for _, c := range []struct {
		name string
		body []byte
		want []string
		skew time.Duration // normalize.future_skew; the default when 0
	}{
		{"an old item dated 2099 ranks after the dated ones",
			rss(newestFirst + item("bogus", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))),
			[]string{"g9", "g8", "g7", "g6", "g5"}, 0},
		{"a new item dated 2099 at the top of a newest-first feed ranks with the top, kept",
			rss(item("bogus", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)) + newestFirst),
			[]string{"bogus", "g9", "g8", "g7", "g6"}, 0},
		{"an item dated 1970 ranks with the undated, by its place",
			rss(undated(2*max) + item("epoch", time.Unix(0, 0))),
			[]string{"u0", "u1", "u2", "u3", "u4"}, 0},
		{"just past the skew: undated",
			rss(newestFirst + item("ahead", fetchedAt.Add(record.DefaultFutureSkew+time.Minute))),
			[]string{"g9", "g8", "g7", "g6", "g5"}, 0},
		{"within the skew: believed, the newest",
			rss(newestFirst + item("ahead", fetchedAt.Add(record.DefaultFutureSkew-time.Minute))),
			[]string{"g9", "g8", "g7", "g6", "ahead"}, 0},
		{"a configured skew of 2h believes a date 1h ahead",
			rss(newestFirst + item("ahead", fetchedAt.Add(time.Hour))),
			[]string{"g9", "g8", "g7", "g6", "ahead"}, 2 * time.Hour},
	} {
		for _, atMost := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, read at most %v", c.name, atMost), func(t *testing.T) {
				var doc Document
				var err error
				if atMost {
					doc, err = ParseAtMost(c.body, "", "https://news.example/rss", fetchedAt, max)
				} else {
					doc, err = Parse(c.body, "", "https://news.example/rss", fetchedAt)
				}
				if err != nil {
					t.Fatal(err)
				}
				skew := c.skew
				if skew == 0 {
					skew = record.DefaultFutureSkew
				}
				doc.Limit(max, skew, MaxItemsSetting)
				var got []string
				for _, it := range doc.Items {
					got = append(got, it.GUID)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("kept %q, want %q", got, c.want)
				}
			})
		}
	}
}

// A document read at its two ends only (ParseAtMost, past 4 × max_items
// entries) whose dates are in no order keeps the newest of its two ends —
// by design: feeds list their newest first or last, and reading the
// middle would give back the bound on parsing — and its over-limit entry
// says that newer items may lie unread in the middle, instead of calling
// the unread ones the oldest.
func TestADocumentWithItsNewestInTheMiddleSaysSo(t *testing.T) {
	const n, max = 10_000, 50
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Sections</title>`)
	for i := range n {
		age := i // a peak: oldest at both ends, the newest in the middle
		if i >= n/2 {
			age = n - 1 - i
		}
		fmt.Fprintf(&b, `<item><guid>g%d</guid><title>S%d</title><pubDate>%s</pubDate></item>`, i, i, fetchedAt.Add(time.Duration(age-n)*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	doc, err := ParseAtMost([]byte(b.String()), "", "https://sections.example/rss", fetchedAt, max)
	if err != nil {
		t.Fatal(err)
	}
	doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	built := 2 * readAhead(max)
	// The newest read are the last of the first end and the first of the
	// last end: g(built/2-50…built/2-1) and g(n-built/2…), by date
	// alternately; what matters is that none comes from the middle.
	for _, it := range doc.Items {
		var i int
		fmt.Sscanf(it.GUID, "g%d", &i)
		if i >= built/2 && i < n-built/2 {
			t.Fatalf("kept %s, from the middle that was not read", it.GUID)
		}
	}
	want := fmt.Sprintf("the document has %d items, over the limit of %d (poller.max_items): the newest %d of the %d read at its two ends were kept; "+
		"its dates are in no order, so the %d between them, not read, may hold newer ones", n, max, max, built, n-built)
	if got := overflow(doc); got != want {
		t.Errorf("overflow %q,\nwant %q", got, want)
	}
}
