package feed

// Hostile documents a publisher can serve with a 200: the parser must
// read them without expanding what it was not asked to, reading files,
// or holding memory out of proportion to the body the fetch cap admits;
// what it cannot use it reports, and what it can it keeps.

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// allocated is what f allocates, in bytes (garbage included).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Entities a document declares are never expanded: the billion laughs
// stay ten bytes of text, not three gigabytes, and an external entity
// naming a local file is never read.
func TestDeclaredEntitiesAreNeitherExpandedNorFetched(t *testing.T) {
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">` +
		`<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">` +
		`<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">` +
		`<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">` +
		`<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">` +
		`<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>` +
		`<rss version="2.0"><channel><title>&lol9;</title><item><guid>a</guid><title>&lol9;</title><description>&lol9;&lol9;</description></item></channel></rss>`
	var doc Document
	var err error
	n := allocated(func() { doc, err = Parse([]byte(laughs), "", "https://laughs.example/rss", fetchedAt) })
	if err != nil {
		t.Fatalf("the document was refused: %v", err)
	}
	if len(doc.Items) != 1 || len(doc.Items[0].Title) > 16 || len(doc.Items[0].Description) > 32 {
		t.Errorf("items %+v: an entity was expanded", doc.Items)
	}
	if n > 4<<20 && !raceOn {
		t.Errorf("parsing a %d-byte document allocated %d bytes: entities expanded somewhere", len(laughs), n)
	}

	for _, system := range []string{"file:///etc/passwd", "http://169.254.169.254/latest/meta-data/"} {
		xxe := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "` + system + `">]>` +
			`<rss version="2.0"><channel><title>x</title><item><guid>a</guid><title>Leak: &xxe;</title></item></channel></rss>`
		doc, err := Parse([]byte(xxe), "", "https://xxe.example/rss", fetchedAt)
		if err != nil {
			t.Fatalf("%s: the document was refused: %v", system, err)
		}
		if got := doc.Items[0].Title; got != "Leak: &xxe;" {
			t.Errorf("%s: title %q, want the entity reference left as text", system, got)
		}
	}
}

// A body at the size cap on one line (no newline anywhere: a minified
// feed, or a line-oriented reader's worst case) is fetched and read
// whole, in memory proportional to it.
func TestATenMegabyteLineIsReadWithinTheBodyCap(t *testing.T) {
	cfg := testFetcherConfig("127.0.0.18")
	cfg.MaxBodyBytes = DefaultConfig().MaxBodyBytes
	head := `<?xml version="1.0"?><rss version="2.0"><channel><title>Line</title><item><guid>a</guid><title>Minified</title><description>`
	tail := `</description></item></channel></rss>`
	body := head + strings.Repeat("wordy ", int(cfg.MaxBodyBytes-int64(len(head)+len(tail)))/6) + tail
	if strings.Contains(body, "\n") || int64(len(body)) > cfg.MaxBodyBytes || int64(len(body)) < cfg.MaxBodyBytes-6 {
		t.Fatalf("body of %d bytes, want one line just under the cap (%d)", len(body), cfg.MaxBodyBytes)
	}
	served := []byte(body) // once: the server's copy is not the poller's
	srv := newServerOn(t, "127.0.0.18", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(served)
	}))
	f := newTestFetcher(t, cfg)
	var doc Document
	var err error
	n := allocated(func() {
		var res *fetchResult
		if res, err = f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/"}); err == nil {
			doc, err = Parse(res.Body, res.ContentType, srv.URL+"/", fetchedAt)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 1 || len(doc.Items[0].Description) < len(body)-len(head)-len(tail)-8 {
		t.Fatalf("%d items, description %d bytes: the line was not read whole", len(doc.Items), len(doc.Items[0].Description))
	}
	t.Logf("a %d-byte line: allocated %d bytes, %.1f times the body", len(body), n, float64(n)/float64(len(body)))
	// Measured 11.6 times the body: the read buffer doubling to 16 MiB and
	// the body's copy (2.6), then the decoder's tokens and gofeed's text
	// (8); 20 is room, not a target.
	if n > 20*uint64(len(body)) && !raceOn {
		t.Errorf("fetching and parsing %d bytes allocated %d (%.1f times)", len(body), n, float64(n)/float64(len(body)))
	}
}

// A document of 100,000 items keeps poller.max_items of them and reports
// the rest as one entry, whose dead letter is capped: a feed that dumps
// its archive costs one record, not 99,500.
func TestAHundredThousandItemsKeepMaxItemsAndOneDeadLetter(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title>`)
	for i := range 100_000 {
		fmt.Fprintf(&b, `<item><guid>g%d</guid><title>Story %d</title></item>`, i, i)
	}
	b.WriteString(`</channel></rss>`)
	doc, err := Parse([]byte(b.String()), "", "https://archive.example/rss", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	max := DefaultConfig().MaxItems
	doc.Limit(max, record.DefaultFutureSkew, MaxItemsSetting)
	if len(doc.Items) != max || doc.Items[0].GUID != "g0" || len(doc.Rejected) != 1 {
		t.Fatalf("%d items (first %q), %d rejected: want the first %d and one rejected entry", len(doc.Items), doc.Items[0].GUID, len(doc.Rejected), max)
	}
	if want := "the document has 100000 items, over the limit of 500 (poller.max_items): it has no dates, so its first 500 were kept and the 99500 after them were not read"; doc.Rejected[0].Error != want {
		t.Errorf("rejected %q, want %q", doc.Rejected[0].Error, want)
	}
	dls := DeadLetters("https://archive.example/rss", "", doc.Rejected, fetchedAt)
	if len(dls) != 1 || len(dls[0].Payload) > record.MaxDeadLetterPayload+100 || !strings.Contains(dls[0].Error, "https://archive.example/rss") {
		t.Errorf("%d dead letters, payload %d bytes: want one, capped near %d, naming the feed", len(dls), len(dls[0].Payload), record.MaxDeadLetterPayload)
	}
}

// Dates in year 0, 9999, a century ahead, or unreadable do not cost the
// item or the feed: the parser keeps them raw, and normalize publishes
// the story at its fetch time with a flag that says why.
func TestDatesOutOfAnyNewsroomsRangeKeepTheirItems(t *testing.T) {
	raws := map[string]string{
		"year0":  "Sat, 01 Jan 0000 00:00:00 +0000",
		"y9999":  "Fri, 31 Dec 9999 23:59:59 +0000",
		"future": "Mon, 01 Jan 2125 00:00:00 +0000",
		"zeros":  "0000-00-00T00:00:00Z",
		"huge":   "99999999-01-01T00:00:00Z",
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Dates</title>`)
	for guid, raw := range raws {
		fmt.Fprintf(&b, `<item><guid>%s</guid><title>Dated %s</title><link>https://dates.example/%s</link><pubDate>%s</pubDate></item>`, guid, guid, guid, raw)
	}
	b.WriteString(`</channel></rss>`)
	doc, err := Parse([]byte(b.String()), "", "https://dates.example/rss", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != len(raws) || len(doc.Rejected) != 0 {
		t.Fatalf("%d items, %d rejected: want every item kept", len(doc.Items), len(doc.Rejected))
	}
	n := normalize.New(normalize.DefaultConfig(), nil)
	for _, it := range doc.Items {
		if it.PublishedRaw != raws[it.GUID] {
			t.Errorf("%s: raw date %q, want %q kept", it.GUID, it.PublishedRaw, raws[it.GUID])
		}
		s, err := n.Normalize(it, fetchedAt)
		if err != nil {
			t.Errorf("%s: %v", it.GUID, err)
			continue
		}
		flagged := slices.ContainsFunc(s.DateFlags, func(f string) bool {
			return f == record.DateImplausible || f == record.DateFutureClamped || f == record.DateUnparsed
		})
		if !s.Published.Equal(s.FetchedAt) || !flagged || s.Published.After(fetchedAt.Add(time.Hour)) {
			t.Errorf("%s: published %v, flags %q: want the fetch time and a flag saying why", it.GUID, s.Published, s.DateFlags)
		}
	}
}

// A gzip or deflate bomb and an endless body stop at poller.max_body_bytes in
// memory too, not only in what the fetch returns: what a fetch of either
// allocates is a small multiple of the cap, not of what the server would
// send (8 MiB inflated, or without end).
func TestABombOrAnEndlessBodyAllocatesInProportionToTheCap(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zero := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros, 64 times the cap
		zw.Write(zero)
	}
	zw.Close()
	// The same as "deflate", zlib-wrapped as the spec says and raw as many
	// servers send it: 16 MiB of zeros each.
	var zlibBomb, rawBomb bytes.Buffer
	zl := zlib.NewWriter(&zlibBomb)
	fl, _ := flate.NewWriter(&rawBomb, flate.BestSpeed)
	for range 16 {
		zl.Write(zero)
		fl.Write(zero)
	}
	zl.Close()
	fl.Close()
	chunk := bytes.Repeat([]byte("<item><title>again</title></item>\n"), 100)
	mux := http.NewServeMux()
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/zlib-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate")
		w.Write(zlibBomb.Bytes())
	})
	mux.HandleFunc("/raw-deflate-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate")
		w.Write(rawBomb.Bytes())
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	srv := newServerOn(t, "127.0.0.18", mux)
	cfg := testFetcherConfig("127.0.0.18")
	f := newTestFetcher(t, cfg)
	for _, path := range []string{"/bomb", "/zlib-bomb", "/raw-deflate-bomb", "/endless"} {
		var err error
		n := allocated(func() { _, err = f.fetch(context.Background(), fetchRequest{URL: srv.URL + path}) })
		wantClass(t, err, ClassTooLarge)
		t.Logf("%s: allocated %d bytes, %.1f times the cap", path, n, float64(n)/float64(cfg.MaxBodyBytes))
		// Measured 4.1 times the cap (the read buffer doubling past it, the
		// decoder's window);
		// 8 is room, not a target.
		if n > 8*uint64(cfg.MaxBodyBytes) && !raceOn {
			t.Errorf("%s: the fetch allocated %d bytes, %.1f times poller.max_body_bytes", path, n, float64(n)/float64(cfg.MaxBodyBytes))
		}
	}
}
