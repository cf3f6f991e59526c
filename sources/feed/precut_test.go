package feed

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/ninjs"
)

// archiveRSS is an RSS document of n tiny items, g0 first: a publisher
// dumping its archive into the feed.
func archiveRSS(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><guid>g%d</guid><title>Story %d</title></item>`, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// poller.max_items bounds the work of parsing, not only what is kept: a
// document of 100,000 items has readAhead(max_items) of them built at
// each end, the rest counted, and the same items kept and the same overflow reported
// as when every item was built. Whole, it allocated 301 MB (57 times the
// body); the bound here is 8 times the body, the cut document measured
// ~1.9 times.
func TestParseAtMostBuildsOnlyTheItemsItMayKeep(t *testing.T) {
	body := archiveRSS(100_000)
	const max = 500
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := ParseAtMost(body, "application/rss+xml", "https://archive.example/rss", fetchedAt, max)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 2*readAhead(max) || doc.NotRead != 100_000-2*readAhead(max) {
		t.Fatalf("built %d items, %d not read: want %d built (%d at each end) and the rest counted", len(doc.Items), doc.NotRead, 2*readAhead(max), readAhead(max))
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte document of 100,000 items: allocated %d bytes (%.1f times the body)", len(body), allocated, float64(allocated)/float64(len(body)))
	if allocated > 8*uint64(len(body)) && !raceOn {
		t.Errorf("parsing at most %d items allocated %d bytes, %.1f times the body", max, allocated, float64(allocated)/float64(len(body)))
	}
	doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	if len(doc.Items) != max || doc.Items[0].GUID != "g0" || doc.Items[max-1].GUID != fmt.Sprintf("g%d", max-1) || len(doc.Rejected) != 1 {
		t.Fatalf("%d items (%q…), %d rejected: want g0…g%d and one rejected entry", len(doc.Items), doc.Items[0].GUID, len(doc.Rejected), max-1)
	}
	if want := "the document has 100000 items, over the limit of 500 (poller.max_items): it has no dates, so its first 500 were kept and the 99500 after them were not read"; doc.Rejected[0].Error != want {
		t.Errorf("rejected %q, want %q", doc.Rejected[0].Error, want)
	}
	// One more unread item is another overflow, reported again; the same
	// document is the same one, reported once.
	again, _ := ParseAtMost(body, "", "https://archive.example/rss", fetchedAt, max)
	again.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	grown, _ := ParseAtMost(archiveRSS(100_001), "", "https://archive.example/rss", fetchedAt, max)
	grown.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	if again.Rejected[0].Key != doc.Rejected[0].Key || grown.Rejected[0].Key == doc.Rejected[0].Key {
		t.Error("the overflow's key does not follow the document: it would be reported on every poll, or never again")
	}
}

// A JSON Feed's items and a ninjs list's objects between the two margins stay raw,
// counted, and are reported as RSS items past it are.
func TestParseAtMostLeavesJSONEntriesRaw(t *testing.T) {
	const n, max = 20_000, 500
	var jsonFeed, wire strings.Builder
	jsonFeed.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[`)
	wire.WriteString(`[`)
	for i := range n {
		if i > 0 {
			jsonFeed.WriteByte(',')
			wire.WriteByte(',')
		}
		fmt.Fprintf(&jsonFeed, `{"id":"j%d","title":"Story %d"}`, i, i)
		fmt.Fprintf(&wire, `{"uri":"urn:n:%d","type":"text","headline":"Story %d"}`, i, i)
	}
	jsonFeed.WriteString(`]}`)
	wire.WriteString(`]`)
	for _, c := range []struct{ format, body, first string }{{"json", jsonFeed.String(), "j0"}, {"ninjs", wire.String(), "urn:n:0"}} {
		doc, err := ParseAtMost([]byte(c.body), "", "https://json.example/feed", fetchedAt, max)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Format != c.format || len(doc.Items) != 2*readAhead(max) || doc.NotRead != n-2*readAhead(max) {
			t.Fatalf("%s read as %s: built %d items, %d not read; want %d built (%d at each end) and the rest counted", c.format, doc.Format, len(doc.Items), doc.NotRead, 2*readAhead(max), readAhead(max))
		}
		doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
		if want := "the document has 20000 items, over the limit of 500 (poller.max_items): it has no dates, so its first 500 were kept and the 19500 after them were not read"; len(doc.Items) != max || doc.Items[0].GUID != c.first || overflow(doc) != want {
			t.Errorf("%s: %d items (%q first), overflow %q; want %d, %q first, %q", c.format, len(doc.Items), doc.Items[0].GUID, overflow(doc), max, c.first, want)
		}
	}
}

// The cut leaves out whole entries and nothing else, in every format
// gofeed reads, so a document read at most max items keeps the items, and
// reports the overflow, that reading it whole and limiting it does. Each
// case is a way a document could fool a scan for <item>. (One difference
// is by design: an entry between the margins that repeats a read one is
// counted among those not read, where a whole parse rejected it as a
// repeat and left it out of the count.)
func TestParseAtMostKeepsWhatAWholeParseKeeps(t *testing.T) {
	rss := func(items string) string {
		return `<?xml version="1.0"?><rss version="2.0" xmlns:x="https://x.example/ns"><channel><title>T</title>` + items + `</channel></rss>`
	}
	item := func(i int) string {
		return fmt.Sprintf(`<item><guid>g%d</guid><title>Story %d</title></item>`, i, i)
	}
	items := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			b.WriteString(item(i))
		}
		return b.String()
	}
	atom := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>`
	for i := range 15 {
		atom += fmt.Sprintf(`<entry><id>urn:e%d</id><title>E%d</title><link href="https://a.example/%d"/></entry>`, i, i, i)
	}
	atom += `</feed>`
	rdf := `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://r.example/"><title>R</title></channel>`
	for i := range 15 {
		rdf += fmt.Sprintf(`<item rdf:about="https://r.example/%d"><title>R%d</title><link>https://r.example/%d</link></item>`, i, i, i)
	}
	rdf += `</rdf:RDF>`
	jsonFeed := `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[`
	for i := range 15 {
		if i > 0 {
			jsonFeed += ","
		}
		jsonFeed += fmt.Sprintf(`{"id":"j%d","url":"https://j.example/%d","title":"J%d"}`, i, i, i)
	}
	jsonFeed += `]}`
	ninjsList := `[`
	for i := range 15 {
		if i > 0 {
			ninjsList += ","
		}
		ninjsList += fmt.Sprintf(`{"uri":"urn:n:%d","type":"text","headline":"N%d"}`, i, i)
	}
	ninjsList += `]`
	cases := []struct{ name, body string }{
		{"rss", rss(items(0, 15))},
		{"ninjs", ninjsList},
		{"atom", atom},
		{"rdf", rdf},
		{"json feed", jsonFeed},
		{"json feed with white space and new lines between items", strings.NewReplacer(`[`, "[\n  ", `,{`, " ,\n\t{", `]}`, "\n ]\n}").Replace(jsonFeed)},
		{"json feed whose items key repeats: the last list is read", strings.Replace(jsonFeed, `"items":[`, `"items":[{"id":"gone"}],"items":[`, 1)},
		{"json feed whose items key is upper-cased, as encoding/json reads it", strings.Replace(jsonFeed, `"items"`, `"ITEMS"`, 1)},
		{"json feed items holding quotes, escapes, brackets and nested lists in strings and values",
			strings.Replace(jsonFeed, `{"id":"j13"`, `{"x":[1,[2,{"y":"]},\\\"["}]],"n":-1.5e3,"t":true,"z":null,"s":"a\\\\","id":"j13"`, 1)},
		{"json feed items that are no objects, last: a number, true, null, text", strings.Replace(jsonFeed, `]}`, `,7 ,true,null , "s"]}`, 1)},
		{"json feed with a bad item among the last", strings.Replace(jsonFeed, `"title":"J14"`, `"title":14`, 1)},
		{"items upper-cased, as gofeed reads them", strings.ReplaceAll(rss(items(0, 15)), "item>", "ITEM>")},
		{"a channel element after the items is kept", rss(items(0, 15) + `<ttl>30</ttl>`)},
		{"repeats within the margin do not cost later items", rss(item(0) + item(0) + item(1) + item(1) + items(2, 15))},
		{"<item> in a comment and a CDATA section is text, and '>' in an attribute ends no tag",
			rss(item(0) + `<!-- <item><guid>c</guid></item> -->` + `<x:note a="x>y"/>` +
				`<item><guid>g1</guid><title><![CDATA[<item></item>]]></title></item>` + items(2, 15))},
		{"an item inside an item is part of it", rss(`<item><guid>g0</guid><x:item><item>in</item></x:item></item>` + items(1, 15))},
		{"a prefixed item is an extension, not an entry", rss(`<x:item>ext</x:item><x:item>ext</x:item>` + items(0, 15))},
		{"an empty item among the last", rss(items(0, 15) + `<item/>`)},
		{"an empty item in the middle", rss(items(0, 7) + `<item/>` + items(7, 15))},
		{"the last item never ends", rss(items(0, 15) + `<item><guid>open</guid>`)},
		{"dated, oldest first: the newest are at the end", rss(datedItems(15, false))},
		{"dated, newest first", rss(datedItems(15, true))},
		// The same tricks in the middle, whose entries the cut leaves out:
		// a scan misled there cuts inside an entry, not around it.
		{"a comment holding an end tag, in an entry the cut leaves out", rss(items(0, 7) + `<item><guid>g7</guid><!-- </item><item> --></item>` + items(8, 15))},
		{"a CDATA section holding an end tag, in an entry the cut leaves out", rss(items(0, 7) + `<item><guid>g7</guid><description><![CDATA[</item>]]></description></item>` + items(8, 15))},
		{"a processing instruction holding an end tag, in an entry the cut leaves out", rss(items(0, 7) + `<item><guid>g7</guid><?pi </item> ?></item>` + items(8, 15))},
		{"'/>' in an attribute of an entry the cut leaves out", rss(items(0, 7) + `<item x:a="1/>2"><guid>g7</guid></item>` + items(8, 15))},
		{"a DOCTYPE with an internal subset", `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "<item>">]>` + rss(items(0, 15))[len(`<?xml version="1.0"?>`):]},
	}
	const max = 3
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			whole, err := Parse([]byte(c.body), "", "https://cut.example/feed", fetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			whole.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
			cut, err := ParseAtMost([]byte(c.body), "", "https://cut.example/feed", fetchedAt, max)
			if err != nil {
				t.Fatal(err)
			}
			cut.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
			if got, want := identities(cut), identities(whole); !slices.Equal(got, want) {
				t.Errorf("kept %q, a whole parse keeps %q", got, want)
			}
			if got, want := overflow(cut), overflow(whole); got != want {
				t.Errorf("overflow %q, a whole parse reports %q", got, want)
			}
		})
	}
}

// datedItems are n RSS items g0…g(n-1), g(i) published i hours after
// the first, listed newest first or oldest first.
func datedItems(n int, newestFirst bool) string {
	var b strings.Builder
	for k := range n {
		i := k
		if newestFirst {
			i = n - 1 - k
		}
		fmt.Fprintf(&b, `<item><guid>g%d</guid><title>Story %d</title><pubDate>%s</pubDate></item>`,
			i, i, fetchedAt.Add(time.Duration(i-n)*time.Hour).Format(time.RFC1123Z))
	}
	return b.String()
}

func identities(d Document) []string {
	var ids []string
	for i := range d.Items {
		ids = append(ids, identity(&d.Items[i]))
	}
	return ids
}

// overflow is the over-limit entry's message, "" when there is none.
func overflow(d Document) string {
	for _, r := range d.Rejected {
		if r.Reason == RejectOverLimit {
			return r.Error
		}
	}
	return ""
}

// A JSON Feed's items between its two ends are walked past, not copied:
// read at most 500 items, a 100,000-item feed allocated 5.3 times its
// body (every item copied raw first, round 19); the bound here is one
// body. A bad item among those kept is still rejected alone, named by its
// place in the whole list.
func TestParseAtMostCopiesNoJSONFeedItemBetweenItsEnds(t *testing.T) {
	const n, max = 100_000, 500
	var b strings.Builder
	b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		title := fmt.Sprintf(`"Story %d"`, i)
		if i == n-1 {
			title = "7" // a number: not a JSON Feed item
		}
		fmt.Fprintf(&b, `{"id":"j%d","title":%s,"date_published":"%s"}`, i, title, fetchedAt.Add(time.Duration(i-n)*time.Minute).Format(time.RFC3339))
	}
	b.WriteString("]}")
	body := []byte(b.String())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := ParseAtMost(body, "application/feed+json", "https://json.example/feed", fetchedAt, max)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte JSON Feed of %d items: allocated %d bytes (%.2f times the body)", len(body), n, allocated, float64(allocated)/float64(len(body)))
	if allocated > uint64(len(body)) && !raceOn {
		t.Errorf("parsing at most %d items allocated %d bytes, %.2f times the body", max, allocated, float64(allocated)/float64(len(body)))
	}
	if len(doc.Items) != 2*readAhead(max)-1 || doc.NotRead != n-2*readAhead(max) {
		t.Fatalf("built %d items, %d not read: want %d built (%d at each end, one bad) and the rest counted", len(doc.Items), doc.NotRead, 2*readAhead(max)-1, readAhead(max))
	}
	want := fmt.Sprintf("item %d of %d of the JSON Feed is not a valid item", n, n)
	if len(doc.Rejected) != 1 || !strings.HasPrefix(doc.Rejected[0].Error, want) {
		t.Errorf("rejected %+v, want one entry saying %q", doc.Rejected, want)
	}
	doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	if len(doc.Items) != max || doc.Items[0].GUID != fmt.Sprintf("j%d", n-max-1) || doc.Items[max-1].GUID != fmt.Sprintf("j%d", n-2) {
		t.Errorf("kept %d items, %q…%q; want the newest valid %d, j%d…j%d", len(doc.Items), doc.Items[0].GUID, doc.Items[len(doc.Items)-1].GUID, max, n-max-1, n-2)
	}
}

// A max_items so large that twice its read-ahead overflows an int reads
// every entry, as no limit does: the margins' arithmetic wrapped negative,
// and a JSON Feed's parse panicked (makeslice: cap out of range) where a
// ninjs list reported a negative count of entries not read.
func TestParseAtMostOfAMaxItemsPastIntsRangeReadsEveryEntry(t *testing.T) {
	bodies := map[string]string{
		"json feed": `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"j0","title":"J0"},{"id":"j1","title":"J1"},{"id":"j2","title":"J2"}]}`,
		"ninjs":     `[{"uri":"urn:n:0","type":"text","headline":"N0"},{"uri":"urn:n:1","type":"text","headline":"N1"},{"uri":"urn:n:2","type":"text","headline":"N2"}]`,
		"rss":       `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>g0</guid></item><item><guid>g1</guid></item><item><guid>g2</guid></item></channel></rss>`,
	}
	for _, max := range []int{math.MaxInt / 4, math.MaxInt/4 + 1, math.MaxInt / 2, math.MaxInt} {
		for name, body := range bodies {
			doc, err := ParseAtMost([]byte(body), "", "https://big.example/feed", fetchedAt, max)
			if err != nil {
				t.Fatalf("%s, max_items %d: %v", name, max, err)
			}
			doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
			if len(doc.Items) != 3 || doc.NotRead != 0 || len(doc.Rejected) != 0 {
				t.Errorf("%s, max_items %d: %d items, %d not read, %d rejected; want all 3 read and kept", name, max, len(doc.Items), doc.NotRead, len(doc.Rejected))
			}
		}
	}
}

// A ninjs list's objects between its two ends are stepped over, not
// copied: read at most 500, a 100,000-object list allocated 3.5 times its
// body (every object copied raw first, up to round 20); the bound here is
// one body. A bad object among those kept is still skipped alone.
func TestParseAtMostCopiesNoNinjsObjectBetweenItsEnds(t *testing.T) {
	const n, max = 100_000, 500
	body := archiveNinjs(n)
	last := bytes.LastIndex(body, []byte(`"headlines":[`))
	body = slices.Concat(body[:last], []byte(`"headlines":"not a list",`), body[last:]) // the newest object does not decode
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := ParseAtMost(body, "application/json", "https://wire.example/items", fetchedAt, max)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte ninjs list of %d objects: allocated %d bytes (%.2f times the body)", len(body), n, allocated, float64(allocated)/float64(len(body)))
	if allocated > uint64(len(body)) && !raceOn {
		t.Errorf("parsing at most %d items allocated %d bytes, %.2f times the body", max, allocated, float64(allocated)/float64(len(body)))
	}
	if doc.Format != "ninjs" || len(doc.Items) != 2*readAhead(max)-1 || doc.NotRead != n-2*readAhead(max) || doc.Skipped[ninjs.SkipUnreadable] != 1 {
		t.Fatalf("%s: built %d items, %d not read, skipped %v: want %d built (%d at each end, one unreadable) and the rest counted",
			doc.Format, len(doc.Items), doc.NotRead, doc.Skipped, 2*readAhead(max)-1, readAhead(max))
	}
	doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	if first, last := fmt.Sprintf("urn:n:%d", n-max-1), fmt.Sprintf("urn:n:%d", n-2); len(doc.Items) != max || doc.Items[0].GUID != first || doc.Items[max-1].GUID != last {
		t.Errorf("kept %d items, %q…%q; want the newest readable %d, %s…%s", len(doc.Items), doc.Items[0].GUID, doc.Items[len(doc.Items)-1].GUID, max, first, last)
	}
}
