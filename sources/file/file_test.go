package file

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzStdin's seeds are whole feeds: a 75 s run without the cap made 10 execs
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

const feeds = "../feed/testdata/feeds"

// consume runs s over files with a pipeline stand-in that acks each batch
// with ack(n) (n counts from 1; nil ack: success) and returns what it took.
func consume(t *testing.T, s *Source, files []string, ack func(n int) error) ([]record.Batch, []string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // a guard, not a timing assertion
	defer cancel()
	out := make(chan record.Batch)
	var skipped []string
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		skipped, err = s.Run(ctx, files, out)
	}()
	var got []record.Batch
	for b := range out {
		got = append(got, b)
		var aerr error
		if ack != nil {
			aerr = ack(len(got))
		}
		b.Ack(ctx, aerr)
	}
	<-done
	return got, skipped, err
}

func newSource(t *testing.T, batch int, stdin string) *Source {
	t.Helper()
	return newSourceAtMost(t, batch, stdin, 0)
}

// newSourceAtMost is newSource keeping at most maxItems items a feed
// document (0: all).
func newSourceAtMost(t *testing.T, batch int, stdin string, maxItems int) *Source {
	t.Helper()
	s, err := New(Options{BatchSize: batch, MaxItems: maxItems, Stdin: strings.NewReader(stdin), Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func items(bs []record.Batch) (n int) {
	for _, b := range bs {
		n += len(b.Items)
	}
	return n
}

func TestAFeedFileIsReadInBatchesUnderItsSiteLink(t *testing.T) {
	got, skipped, err := consume(t, newSource(t, 2, ""), []string{filepath.Join(feeds, "bbc-world.xml")}, nil)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("Run = %v, skipped %v", err, skipped)
	}
	if len(got) != 2 || items(got) != 4 || len(got[0].Items) != 2 {
		t.Fatalf("%d batches of %d items, want the 4 items in 2 batches of 2", len(got), items(got))
	}
	newest := time.Date(2024, 5, 14, 8, 51, 2, 0, time.UTC) // the file's newest pubDate
	for _, b := range got {
		// A file has no URL: the channel's own site link stands in, the
		// same on every machine.
		if b.Feed.URL != "https://www.bbc.co.uk/news/world" {
			t.Errorf("batch feed %q, want the channel link", b.Feed.URL)
		}
		for _, it := range b.Items {
			if it.Feed.URL != b.Feed.URL || !it.FetchedAt.Equal(newest) {
				t.Errorf("item %q: feed %q fetched %v", it.Title, it.Feed.URL, it.FetchedAt)
			}
		}
	}
}

// A replayed archive's undated item must land beside its neighbours on the
// event clock, not at today's wall clock: normalize dates it with its fetch
// time, and a file's fetch time is its newest believable item date.
func TestAFeedFileIsFetchedAtItsNewestBelievableDate(t *testing.T) {
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.com/</link>
<item><title>Undated</title><link>https://example.com/a</link></item>
<item><title>Dated</title><link>https://example.com/b</link><pubDate>Mon, 10 Mar 2014 09:00:00 GMT</pubDate></item>
<item><title>Later update</title><link>https://example.com/c</link><pubDate>Mon, 10 Mar 2014 08:00:00 GMT</pubDate><atom:updated xmlns:atom="http://www.w3.org/2005/Atom">2014-03-10T10:30:00Z</atom:updated></item>
<item><title>Placeholder</title><link>https://example.com/d</link><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>
<item><title>From the future</title><link>https://example.com/e</link><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>
</channel></rss>`
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive.xml")
	undated := filepath.Join(dir, "undated.xml")
	if err := os.WriteFile(archive, []byte(rss), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(undated, []byte(`<rss version="2.0"><channel><title>U</title><item><title>A</title><link>https://example.com/u</link></item></channel></rss>`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _, err := consume(t, newSource(t, 10, ""), []string{archive, undated}, nil)
	if err != nil || len(got) != 2 {
		t.Fatalf("Run = %v, %d batches, want 2", err, len(got))
	}
	// The newest is the third item's updated date (gofeed reads atom:updated
	// in RSS), later than any pubDate.
	want := []time.Time{time.Date(2014, 3, 10, 10, 30, 0, 0, time.UTC), t0}
	for i, b := range got {
		for _, it := range b.Items {
			if !it.FetchedAt.Equal(want[i]) {
				t.Errorf("file %d, item %q fetched %v, want %v (the 1970 placeholder and the 2100 date are not believed)", i, it.Title, it.FetchedAt, want[i])
			}
		}
	}
}

// A fresh feed file whose newest item is a few minutes ahead of the clock
// (within normalize's future_skew) stands as fetched now: fetched at its
// older neighbour's date, normalize would clamp that item back to it.
func TestAFreshFeedFileWithAnItemAheadOfTheClockIsFetchedNow(t *testing.T) {
	rss := `<rss version="2.0"><channel><title>F</title>
<item><title>An hour ago</title><link>https://example.com/a</link><pubDate>` + t0.Add(-time.Hour).Format(time.RFC1123) + `</pubDate></item>
<item><title>Clock ahead</title><link>https://example.com/b</link><pubDate>` + t0.Add(5*time.Minute).Format(time.RFC1123) + `</pubDate></item>
</channel></rss>`
	path := filepath.Join(t.TempDir(), "fresh.xml")
	if err := os.WriteFile(path, []byte(rss), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		skew time.Duration
		want time.Time
	}{{10 * time.Minute, t0}, {0, t0.Add(-time.Hour)}} {
		src, err := New(Options{BatchSize: 10, Now: func() time.Time { return t0 }, FutureSkew: c.skew})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := consume(t, src, []string{path}, nil)
		if err != nil || items(got) != 2 {
			t.Fatalf("Run = %v, %d items, want 2", err, items(got))
		}
		for _, it := range got[0].Items {
			if !it.FetchedAt.Equal(c.want) {
				t.Errorf("skew %v: item %q fetched %v, want %v", c.skew, it.Title, it.FetchedAt, c.want)
			}
		}
	}
}

func TestJSONLBatchesHoldOneFeedAndBadLinesBecomeDeadLetters(t *testing.T) {
	in := `{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/1","title":"One"}
{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/2","title":"Two","fetched_at":"2025-01-02T03:04:05Z"}

not json at all
{"feed":{"url":"https://b.example/rss"},"link":"https://b.example/1","title":"Three"}
{"feed":{"url":"https://b.example/rss"},"unknown_field":1}
`
	got, skipped, err := consume(t, newSource(t, 10, in), nil, nil)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("Run = %v, skipped %v", err, skipped)
	}
	if len(got) != 2 {
		t.Fatalf("%d batches, want 2: one per feed", len(got))
	}
	// A bad line goes out with the batch being filled when it is read.
	if got[0].Feed.URL != "https://a.example/rss" || len(got[0].Items) != 2 || len(got[0].DeadLetters) != 1 {
		t.Errorf("first batch: feed %q, %d items, %d dead letters", got[0].Feed.URL, len(got[0].Items), len(got[0].DeadLetters))
	}
	if !got[0].Items[0].FetchedAt.Equal(t0) || got[0].Items[1].FetchedAt.Year() != 2025 {
		t.Errorf("fetched_at: a missing one is filled in, a given one kept: %v, %v", got[0].Items[0].FetchedAt, got[0].Items[1].FetchedAt)
	}
	b := got[1]
	if b.Feed.URL != "https://b.example/rss" || len(b.Items) != 1 || len(b.DeadLetters) != 1 {
		t.Fatalf("second batch: feed %q, %d items, %d dead letters", b.Feed.URL, len(b.Items), len(b.DeadLetters))
	}
	for i, want := range []string{"stdin:4: not an item", "stdin:6: not an item: json: unknown field"} {
		dl := got[i].DeadLetters[0]
		if !strings.HasPrefix(dl.Error, want) || dl.Stage != record.StageRead || dl.Payload == "" {
			t.Errorf("dead letter %d = %+v, want an error starting %q and the line", i, dl, want)
		}
	}
}

func TestJSONLBatchesAreCutAtTheBatchSize(t *testing.T) {
	var in strings.Builder
	for i := range 5 {
		in.WriteString(`{"feed":{"url":"https://a.example/rss"},"title":"T` + string(rune('0'+i)) + `"}` + "\n")
	}
	got, _, err := consume(t, newSource(t, 2, in.String()), []string{Stdin}, nil)
	var sizes []int
	for _, b := range got {
		sizes = append(sizes, len(b.Items))
	}
	if err != nil || !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Errorf("Run = %v, batch sizes %v, want [2 2 1]", err, sizes)
	}
}

// Each skipped file's dead letter says what went wrong and names the file
// once, as the user gave it: a file:///<base name> stand-in URL, the feed
// URL of a file's items, is nowhere a user can look.
func TestAnUnreadableFileIsSkippedAsADeadLetterAndTheRestRead(t *testing.T) {
	malformed, missing, dir := filepath.Join(feeds, "malformed.xml"), filepath.Join(t.TempDir(), "missing.xml"), t.TempDir()
	files := []string{malformed, missing, dir, filepath.Join(feeds, "npr.json")}
	got, skipped, err := consume(t, newSource(t, 100, ""), files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, files[:3]) {
		t.Errorf("skipped %v, want the malformed and the missing file and the directory", skipped)
	}
	if len(got) != 4 || len(got[3].Items) == 0 {
		t.Fatalf("batches %+v", got)
	}
	want := []string{
		"parse feed " + malformed + ": XML syntax error on line 5: unexpected EOF",
		"open input: open " + missing + ": no such file or directory",
		"open input: " + dir + " is a directory: process reads the files in it when they are given: wirestream process " + dir + "/*",
	}
	for i, w := range want {
		// The directory's says how to give its files, naming it once more.
		if dl := got[i].DeadLetters; len(dl) != 1 || dl[0].Error != w || i < 2 && strings.Count(dl[0].Error, files[i]) != 1 {
			t.Errorf("dead letters of %s: %+v, want one saying\n  %s", files[i], dl, w)
		}
	}
}

// A file cannot be read again as a feed can: a batch the pipeline fails
// stops the run with the pipeline's error, and nothing after it is read.
func TestAFailedBatchStopsTheRunWithItsError(t *testing.T) {
	errSink := errors.New("pipeline: write batch: kafka down")
	got, _, err := consume(t, newSource(t, 1, ""), []string{filepath.Join(feeds, "bbc-world.xml"), filepath.Join(feeds, "npr.json")},
		func(n int) error {
			if n == 2 {
				return errSink
			}
			return nil
		})
	if !errors.Is(err, errSink) {
		t.Fatalf("Run = %v, want the ack's error", err)
	}
	if len(got) != 2 {
		t.Errorf("%d batches handed over, want 2: none after the failed one", len(got))
	}
}

func TestRunWaitsForEachAckBeforeReadingOn(t *testing.T) {
	s := newSource(t, 1, "")
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	done := make(chan error, 1)
	go func() {
		_, err := s.Run(ctx, []string{filepath.Join(feeds, "bbc-world.xml")}, out)
		done <- err
	}()
	b := <-out
	select {
	case <-out:
		t.Fatal("a second batch was handed over before the first was acked")
	case <-time.After(50 * time.Millisecond): // absence of a send; no timing is asserted
	}
	b.Ack(ctx, nil)
	<-out // the next one comes once acked
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel = %v", err)
	}
}

func TestNewRefusesABatchSizeBelowOne(t *testing.T) {
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "batch size") {
		t.Errorf("New with batch size 0 = %v", err)
	}
}

// FuzzReadJSONL: any input is read to its end; every non-blank line is an
// item in a batch or a dead letter naming its line, and no batch mixes
// feeds.
func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"feed":{"url":"https://a.example/rss"},"title":"One"}` + "\nnot json\n"))
	f.Add([]byte(`{"feed":{"url":"x"}}{"feed":{"url":"y"}}` + "\n\n" + `{"title":` + "\n"))
	if b, err := os.ReadFile(filepath.Join(feeds, "npr.json")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := New(Options{BatchSize: 3, Stdin: strings.NewReader(string(data)), Now: func() time.Time { return t0 }})
		if err != nil {
			t.Fatal(err)
		}
		// A .jsonl file is read as JSONL whatever it holds; stdin may be a
		// feed document instead (FuzzStdin).
		path := filepath.Join(t.TempDir(), "in.jsonl")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, _, err := consume(t, s, []string{path}, nil)
		if err != nil {
			if strings.Contains(err.Error(), "token too long") {
				return
			}
			t.Fatalf("Run: %v", err)
		}
		lines := 0
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		n := 0
		for _, b := range got {
			n += len(b.Items) + len(b.DeadLetters)
			for _, it := range b.Items {
				if it.Feed.URL != b.Feed.URL {
					t.Fatalf("a batch of %q holds an item of %q", b.Feed.URL, it.Feed.URL)
				}
			}
		}
		if n != lines {
			t.Fatalf("%d lines became %d items and dead letters", lines, n)
		}
	})
}

// The rule: stdin holding one feed document is read as that feed, as the
// same file named on the command line is (`curl -s URL | wirestream
// process`, `wirestream process < feed.xml`); read as JSONL, every line of
// the document was a dead letter and no story came out (57 for
// bbc-world.xml). Whatever a file of the same document gives, stdin gives:
// the same items under the same feed URL, the same dead letters.
func TestStdinHoldingAFeedDocumentIsReadAsThatFeed(t *testing.T) {
	for _, name := range []string{"bbc-world.xml", "npr.json", "wire-ninjs.json", "ap-topnews.atom", "lenta-cp1251.xml"} {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(feeds, name))
			if err != nil {
				t.Fatal(err)
			}
			fromFile, _, err := consume(t, newSource(t, 100, ""), []string{filepath.Join(feeds, name)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range []string{string(body), "\n\n" + string(body), "\ufeff" + string(body)} {
				got, skipped, err := consume(t, newSource(t, 100, in), nil, nil)
				if err != nil || len(skipped) != 0 {
					t.Fatalf("Run = %v, skipped %v", err, skipped)
				}
				wantURL := fromFile[0].Feed.URL
				if strings.HasPrefix(wantURL, "file:///") {
					wantURL = "file:///stdin" // no site link: the stand-in names where it came from
				}
				if items(got) == 0 || items(got) != items(fromFile) || got[0].Feed.URL != wantURL ||
					len(got[0].DeadLetters) != len(fromFile[0].DeadLetters) {
					t.Errorf("stdin: %d items of %q, %d dead letters; the file: %d items of %q, %d dead letters",
						items(got), got[0].Feed.URL, len(got[0].DeadLetters), items(fromFile), fromFile[0].Feed.URL, len(fromFile[0].DeadLetters))
				}
			}
		})
	}
}

// A JSON Feed minified onto one line (what most servers send) is no JSONL
// item either: it is read as the feed it is.
func TestStdinHoldingAOneLineJSONFeedIsReadAsThatFeed(t *testing.T) {
	in := `{"version":"https://jsonfeed.org/version/1.1","title":"T","home_page_url":"https://t.example/",` +
		`"items":[{"id":"1","url":"https://t.example/1","title":"One","content_text":"x"},{"id":"2","url":"https://t.example/2","title":"Two","content_text":"y"}]}`
	got, skipped, err := consume(t, newSource(t, 100, in), nil, nil)
	if err != nil || len(skipped) != 0 || items(got) != 2 || got[0].Feed.URL != "https://t.example/" {
		t.Fatalf("Run = %v, skipped %v, %d items of %q: want the feed's 2 items under its site link", err, skipped, items(got), feedURL(got))
	}
}

// Markup on stdin that is no feed is not taken for JSONL: the feed
// parser's error says what it is (an HTML page, broken XML), in one dead
// letter naming stdin, instead of one dead letter per line.
func TestStdinHoldingAnHTMLPageGetsTheFeedParsersError(t *testing.T) {
	page := "<!DOCTYPE html>\n<html><head><title>News</title></head>\n<body><p>Today's news</p></body></html>\n"
	got, skipped, err := consume(t, newSource(t, 100, page), nil, nil)
	if err != nil || !slices.Equal(skipped, []string{Stdin}) || len(got) != 1 || len(got[0].DeadLetters) != 1 {
		t.Fatalf("Run = %v, skipped %v, batches %+v: want stdin skipped with one dead letter", err, skipped, got)
	}
	if e := got[0].DeadLetters[0].Error; !strings.HasPrefix(e, "parse feed stdin: ") || !strings.Contains(e, "HTML page") {
		t.Errorf("dead letter says %q, want the parser's words on an HTML page, naming stdin", e)
	}
}

// JSONL on stdin is read as before when its first line is not an item:
// the lines that are items are read, the others are dead letters.
func TestStdinJSONLWhoseFirstLineIsNoItemIsStillJSONL(t *testing.T) {
	in := `{"type":"story","id":"s_1"}
{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/1","title":"One"}
`
	got, skipped, err := consume(t, newSource(t, 100, in), nil, nil)
	if err != nil || len(skipped) != 0 || items(got) != 1 || len(got[0].DeadLetters) != 1 ||
		!strings.HasPrefix(got[0].DeadLetters[0].Error, "stdin:1: not an item") {
		t.Fatalf("Run = %v, skipped %v, batches %+v: want the item read and line 1 a dead letter", err, skipped, got)
	}
}

func feedURL(bs []record.Batch) string {
	if len(bs) == 0 {
		return ""
	}
	return bs[0].Feed.URL
}

// FuzzStdin: whatever arrives on stdin, the run ends without a panic or
// an error; and markup (or a JSON list), which no JSONL line is, gives
// what the same bytes give as a feed file: the same items and dead letters,
// read whole and read at most 2 items a document (the bounded parse).
func FuzzStdin(f *testing.F) {
	for _, name := range []string{"bbc-world.xml", "npr.json", "wire-ninjs.json", "not-a-feed.html", "malformed.xml"} {
		body, err := os.ReadFile(filepath.Join(feeds, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/1","title":"One"}` + "\n{\n"))
	f.Add([]byte("\ufeff\n\n[1,2]"))
	var archive strings.Builder // past twice 2 items at each end: its middle is cut
	archive.WriteString(`<rss version="2.0"><channel><title>A</title><link>https://a.example/</link>`)
	for i := range 10 {
		fmt.Fprintf(&archive, `<item><guid>g%d</guid><title>T%d</title><pubDate>Mon, 0%d Jan 2024 10:00:00 +0000</pubDate></item>`, i, i, i%9+1)
	}
	archive.WriteString(`</channel></rss>`)
	f.Add([]byte(archive.String()))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, maxItems := range []int{0, 2} {
			got, _, err := consume(t, newSourceAtMost(t, 7, string(in), maxItems), nil, nil)
			if err != nil {
				if strings.Contains(err.Error(), "token too long") {
					return
				}
				t.Fatalf("max items %d: Run = %v", maxItems, err)
			}
			first := strings.TrimLeft(strings.TrimPrefix(strings.TrimLeft(string(in), " \t\r\n"), "\ufeff"), " \t\r\n")
			if first == "" || first[0] != '<' && first[0] != '[' {
				return
			}
			path := filepath.Join(t.TempDir(), "in.xml")
			if err := os.WriteFile(path, in, 0o644); err != nil {
				t.Fatal(err)
			}
			fromFile, _, err := consume(t, newSourceAtMost(t, 7, "", maxItems), []string{path}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if items(got) != items(fromFile) || deadLetters(got) != deadLetters(fromFile) {
				t.Fatalf("max items %d: stdin: %d items, %d dead letters; the same bytes as a file: %d, %d",
					maxItems, items(got), deadLetters(got), items(fromFile), deadLetters(fromFile))
			}
		}
	})
}

func deadLetters(bs []record.Batch) (n int) {
	for _, b := range bs {
		n += len(b.DeadLetters)
	}
	return n
}

// A feed document on stdin over the cap of a feed file is still a feed
// document, read as a feed file of the same bytes is (its first
// maxFeedFile bytes): before, it fell to JSONL and each of its lines was
// a dead letter, the very thing reading a feed on stdin was for.
func TestStdinHoldingAFeedOverTheCapIsReadAsTheSameFileIs(t *testing.T) {
	defer func(n int) { maxFeedFile = n }(maxFeedFile)
	body, err := os.ReadFile(filepath.Join(feeds, "bbc-world.xml"))
	if err != nil {
		t.Fatal(err)
	}
	maxFeedFile = len(body) - 10
	got, _, err := consume(t, newSource(t, 100, string(body)), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "in.xml")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, _, err := consume(t, newSource(t, 100, ""), []string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if items(got) != items(fromFile) || deadLetters(got) != deadLetters(fromFile) || deadLetters(got) > 1 {
		t.Errorf("stdin over the cap: %d items, %d dead letters; the same bytes as a file: %d, %d",
			items(got), deadLetters(got), items(fromFile), deadLetters(fromFile))
	}
}

// `process` applies poller.max_items to a feed file as the poller does to
// a fetched body, and so parses it as the poller does: only the entries at
// its two ends are built, the middle counted. Parsed whole, a 100,000-item
// file cost ~300 MB to keep 500; here the over-limit dead letter names
// only the items built past the kept ones, and counts the rest.
func TestAFeedFileOverMaxItemsIsParsedAsThePollerParsesIt(t *testing.T) {
	const n, max = 10_000, 50
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title><link>https://archive.example/</link>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><guid>g%d</guid><title>Story %d</title><pubDate>%s</pubDate></item>`,
			i, i, t0.Add(time.Duration(i-n)*time.Minute).Format(time.RFC1123Z)) // oldest first
	}
	b.WriteString(`</channel></rss>`)
	path := filepath.Join(t.TempDir(), "archive.xml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{BatchSize: 1000, MaxItems: max, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := consume(t, s, []string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if items(got) != max || got[0].Items[0].GUID != fmt.Sprintf("g%d", n-max) {
		t.Fatalf("kept %d items from %q, want the newest %d from g%d", items(got), got[0].Items[0].GUID, max, n-max)
	}
	if deadLetters(got) != 1 {
		t.Fatalf("%d dead letters, want the one over-limit entry", deadLetters(got))
	}
	dl := got[0].DeadLetters[0]
	if want := fmt.Sprintf("the document has %d items, over the limit of %d", n, max); !strings.Contains(dl.Error, want) {
		t.Errorf("dead letter %q, want it to say %q", dl.Error, want)
	}
	var named []string
	if err := json.Unmarshal([]byte(dl.Payload), &named); err != nil {
		t.Fatalf("payload is no list of items (%v): a whole parse named all %d, cut at %d bytes", err, n-max, record.MaxDeadLetterPayload)
	}
	if built := 4 * max; len(named) != built-max {
		t.Errorf("the dead letter names %d items, want the %d built past the kept ones (%d at each end built)", len(named), built-max, built/2)
	}
}

// Cut counts the items MaxItems left unread and the documents they came
// from, for process's summary: their one dead letter per document stands
// for many items, and the summary called it "1 not items".
func TestCutCountsTheItemsOverMaxItemsAndTheirDocuments(t *testing.T) {
	s := newSourceAtMost(t, 10, "", 3)
	bbc := filepath.Join(feeds, "bbc-world.xml") // 4 items
	if _, skipped, err := consume(t, s, []string{bbc, bbc}, nil); err != nil || len(skipped) != 0 {
		t.Fatalf("Run = %v, skipped %v", err, skipped)
	}
	if items, docs := s.Cut(); items != 2 || docs != 2 {
		t.Errorf("Cut = %d items from %d documents, want 1 item from each of the 2", items, docs)
	}
}

// Two files of one site (the same channel link) with the same bad entry
// are two dead letters, as a compacted dead-letter topic keys them: the
// id names the file and the entry, and reading a file again gives its
// dead letter the same id.
func TestTheSameBadEntryInTwoFilesOfOneSiteIsTwoDeadLetters(t *testing.T) {
	const doc = `<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title><link>https://site.example/</link>` +
		`<item><guid>g1</guid><title>One</title><link>https://site.example/1</link></item>` +
		`<item><guid>g1</guid><title>One again</title><link>https://site.example/1</link></item>` +
		`</channel></rss>`
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"monday.xml", "tuesday.xml"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	ids := func() []string {
		got, _, err := consume(t, newSource(t, 10, ""), files, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, b := range got {
			for _, dl := range b.DeadLetters {
				ids = append(ids, dl.ID)
			}
		}
		return ids
	}
	first := ids()
	if len(first) != 2 {
		t.Fatalf("%d dead letters, want the repeated entry of each file", len(first))
	}
	if first[0] == first[1] {
		t.Errorf("both files' dead letters have the id %s: a compacted topic keeps one", first[0])
	}
	if again := ids(); !slices.Equal(again, first) {
		t.Errorf("read again, the dead letters' ids are %v, were %v", again, first)
	}
}

// Every batch names the file it was read from, so that the pipeline's
// dead letters of its items name it too (record.Batch.Document).
func TestEveryBatchNamesItsFile(t *testing.T) {
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "items.jsonl")
	if err := os.WriteFile(jsonl, []byte(`{"feed":{"url":"https://site.example/"},"title":"x","fetched_at":"2026-03-14T09:00:00Z"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	xml := filepath.Join(feeds, "bbc-world.xml")
	got, _, err := consume(t, newSource(t, 10, ""), []string{xml, jsonl}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, b := range got {
		docs = append(docs, b.Document)
	}
	if !slices.Equal(docs, []string{xml, jsonl}) {
		t.Errorf("batches' documents %q, want the two files", docs)
	}
}

// `wirestream process https://…/rss.xml` is what a newcomer types after
// `validate` and `run` took URLs: it said only "open input: open
// https://…: no such file or directory". A name that is an http(s) URL and
// no file says that process reads files and stdin, and how to give it the
// feed; a file whose name merely looks like one is still read.
func TestAURLGivenAsAFileSaysProcessReadsFilesAndHowToPipeIt(t *testing.T) {
	const u = "https://feeds.example.com/world/rss.xml"
	got, skipped, err := consume(t, newSource(t, 100, ""), []string{u}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) != 1 || len(got) != 1 || len(got[0].DeadLetters) != 1 {
		t.Fatalf("skipped %v, batches %+v: want the URL skipped as one dead letter", skipped, got)
	}
	want := "open input: " + u + " is a URL: process reads files and stdin, not URLs; fetch it with curl -s '" + u + "' | wirestream process"
	if e := got[0].DeadLetters[0].Error; e != want {
		t.Errorf("dead letter says\n  %s\nwant\n  %s", e, want)
	}
}

func TestAFileNamedLikeAURLIsStillRead(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(feeds, "npr.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	// The path "http://x/feed.json" is http: → x → feed.json (the empty
	// element between the slashes is no directory): a file can be there.
	if err := os.MkdirAll(filepath.Join("http:", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join("http:", "x", "feed.json")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		t.Fatal(err)
	}
	got, skipped, err := consume(t, newSource(t, 100, ""), []string{"http://x/feed.json"}, nil)
	if err != nil || len(skipped) != 0 || items(got) == 0 {
		t.Fatalf("err %v, skipped %v, %d items: want the file read", err, skipped, items(got))
	}
}

// A JSONL item's unknown field said only `json: unknown field "url"`:
// one who writes an item from a story record's names (url, summary, body,
// published) or slips a letter learnt nothing of the names an item takes.
func TestAnUnknownItemFieldSaysWhichFieldWasMeant(t *testing.T) {
	for _, tc := range []struct{ name, line, want string }{
		{"a slip of a letter", `{"titel":"x"}`, `json: unknown field "titel" (did you mean "title"?)`},
		{"a story record's name for the link", `{"title":"x","url":"https://a.example/1"}`, `json: unknown field "url" (did you mean "link"? an item names its fields as a feed does)`},
		{"a story record's name for the date", `{"title":"x","published":"2026-12-05T10:00:00Z"}`, `json: unknown field "published" (did you mean "published_raw"? an item names its fields as a feed does)`},
		{"nothing close", `{"title":"x","zzzzzz":1}`, `json: unknown field "zzzzzz" (an item's fields: feed, feed_language, publisher, guid, link, title, description, content, authors, categories, subjects, media, published_raw, published_parsed, updated_raw, updated_parsed, fetched_at)`},
		{"a field of the feed under it", `{"title":"x","feed":{"uri":"https://a.example/"}}`, `json: unknown field "uri" (in "feed": did you mean "url"?)`},
		{"a field of a medium: as Go says it", `{"title":"x","media":[{"uri":"https://a.example/1.jpg"}]}`, `json: unknown field "uri"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeItem([]byte(tc.line))
			if err == nil || err.Error() != tc.want {
				t.Errorf("decodeItem(%s) = %v, want %s", tc.line, err, tc.want)
			}
		})
	}
}

// ttyReader is stdin as a terminal gives it: each Ctrl-D ends one read
// with 0 bytes (io.EOF), and a read after it waits for more typing —
// here, the next chunk. After the last chunk it is EOF for good.
type ttyReader struct{ chunks []string }

func (r *ttyReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	if r.chunks[0] == "" {
		r.chunks = r.chunks[1:]
		return 0, io.EOF // the Ctrl-D
	}
	n := copy(p, r.chunks[0])
	r.chunks[0] = r.chunks[0][n:]
	return n, nil
}

// stdin at a terminal ended at the first Ctrl-D only when its first line
// was an item: with nothing typed, or a first line that was no item, the
// source read on after the end it had been given, so `wirestream process`
// typed at a terminal needed Ctrl-D two or three times, and read what was
// typed after the first as more input. The first end of input is the end.
func TestStdinEndsAtTheFirstEndOfInputATerminalGives(t *testing.T) {
	const item = `{"feed":{"url":"https://a.example/"},"link":"https://a.example/1","title":"Typed after the end"}` + "\n"
	for _, c := range []struct {
		name        string
		chunks      []string
		items, dead int
	}{
		{"nothing typed", []string{"", item}, 0, 0},
		{"a first line that is no item", []string{"not json\n", "", item}, 0, 1},
		{"an item", []string{item, "", item}, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(Options{BatchSize: 100, Stdin: &ttyReader{chunks: c.chunks}, Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := consume(t, s, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			dead := 0
			for _, b := range got {
				dead += len(b.DeadLetters)
			}
			if items(got) != c.items || dead != c.dead {
				t.Errorf("%d items, %d dead letters; want %d and %d (nothing after the first end of input)", items(got), dead, c.items, c.dead)
			}
		})
	}
}

// A wirestream configuration given to process as input (it lists feeds,
// so one tries it) said only "not an RSS, Atom, JSON feed or ninjs
// document". A .yaml or .yml file that is no feed says it is YAML and
// how process takes a configuration.
func TestAYAMLFileGivenAsInputSaysHowProcessTakesAConfiguration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wirestream.yaml")
	if err := os.WriteFile(path, []byte("feeds:\n  - url: https://example.com/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, skipped, err := consume(t, newSource(t, 100, ""), []string{path}, nil)
	if err != nil || len(skipped) != 1 || len(got) != 1 || len(got[0].DeadLetters) != 1 {
		t.Fatalf("err %v, skipped %v, batches %+v: want the file skipped as one dead letter", err, skipped, got)
	}
	want := "parse feed " + path + `: not an RSS, Atom, JSON feed or ninjs document: it is text beginning "feeds: - url: https://example.com/rss" (a YAML file: process reads a configuration with --config FILE, and feeds from files or stdin)`
	if e := got[0].DeadLetters[0].Error; e != want {
		t.Errorf("dead letter says\n  %s\nwant\n  %s", e, want)
	}
}

// A saved API error or an empty download given to `wirestream process` as
// a feed file is said to be one, as the poller says it: an error object
// read as a JSON Feed of no items wrote nothing and said nothing, and
// exited 0.
func TestAFileThatIsNoFeedSaysWhatItIsInstead(t *testing.T) {
	dir := t.TempDir()
	apiError, empty := filepath.Join(dir, "latest.json"), filepath.Join(dir, "latest.xml")
	os.WriteFile(apiError, []byte(`{"error":{"code":401,"message":"invalid API key"}}`), 0o644)
	os.WriteFile(empty, nil, 0o644)
	files := []string{apiError, empty}
	got, skipped, err := consume(t, newSource(t, 100, ""), files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, files) {
		t.Errorf("skipped %v, want both files", skipped)
	}
	want := []string{
		"parse feed " + apiError + `: not a JSON Feed: a JSON object with no "version" and no "items" (its keys: "error"); its "error.message" says "invalid API key"`,
		"parse feed " + empty + ": not an RSS, Atom, JSON feed or ninjs document: the body is empty",
	}
	for i, w := range want {
		if i >= len(got) {
			t.Fatalf("%d batches, want %d", len(got), len(want))
		}
		if dl := got[i].DeadLetters; len(dl) != 1 || dl[0].Error != w {
			t.Errorf("dead letters of %s: %+v, want one saying\n  %s", files[i], dl, w)
		}
	}
}

// An archive is a directory of files, and `process archive/` (or a
// pattern the shell did not expand: quoted, or from a script without a
// shell) is what a newcomer types to replay it. It said "read input: read
// archive/: is a directory" and "open input: open archive/*.xml: no such
// file or directory"; each now says how to give the files.
func TestADirectoryOrAnUnexpandedPatternSaysHowToGiveItsFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.xml", "b.xml"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("<rss/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pattern := filepath.Join(dir, "*.xml")
	for _, c := range []struct{ name, want string }{
		{dir + "/", "open input: " + dir + "/ is a directory: process reads the files in it when they are given: wirestream process " + dir + "/*"},
		{pattern, "open input: no file is named " + pattern + ": it is a pattern the shell did not expand (it was quoted, or no shell ran), which matches 2 files: give it unquoted, wirestream process " + pattern},
	} {
		got, skipped, err := consume(t, newSource(t, 100, ""), []string{c.name}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(skipped) != 1 || len(got) != 1 || len(got[0].DeadLetters) != 1 {
			t.Fatalf("%s: skipped %v, batches %+v: want it skipped as one dead letter", c.name, skipped, got)
		}
		if e := got[0].DeadLetters[0].Error; e != c.want {
			t.Errorf("dead letter says\n  %s\nwant\n  %s", e, c.want)
		}
	}
}
