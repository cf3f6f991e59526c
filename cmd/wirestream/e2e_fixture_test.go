package main

// The fixture news feeds the end-to-end tests poll: a local HTTP server
// serving N RSS feeds whose items appear over time, written from the
// templates in testdata/e2e/stories.txt. It answers conditional requests
// like a good publisher (ETag, Last-Modified, 304) and records what it
// served, so a test can say exactly which stories must have reached Kafka.

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fixtureOptions shape the feeds: Feeds feeds of Items items each; the
// first Initial items of every feed are there from the start (a backlog),
// the rest appear one every Step, feeds staggered within the step.
type fixtureOptions struct {
	Feeds, Items, Initial int
	Step                  time.Duration
	Seed                  uint64
}

// fixtureItem is one news item of one fixture feed.
type fixtureItem struct {
	Feed, Index int
	GUID, Link  string
	Title       string
	Summary     string
	Paras       []string
	Author      string
	Category    string
	Published   time.Time
	Visible     time.Duration // after the fixture's start
}

// fixturePublisher is one outlet of the fixture.
type fixturePublisher struct{ Name, Host string }

var fixturePublishers = []fixturePublisher{
	{"Northgate Herald", "www.northgate-herald.example"},
	{"Riverside Courier", "news.riverside-courier.example"},
	{"Eastport Daily Ledger", "www.eastport-ledger.example"},
	{"Coastline Observer", "coastline-observer.example"},
	{"Midland Evening Post", "www.midland-post.example"},
	{"Lakeshore Gazette", "www.lakeshore-gazette.example"},
}

var fixtureSections = []string{"world", "business", "politics", "science", "sport", "uk"}

// feedStats is what the server counted for one feed.
type feedStats struct {
	Requests    int // every GET
	Conditional int // carrying If-None-Match or If-Modified-Since
	NotModified int // answered 304
	// LastNew is how many items the latest 200 response that carried any
	// never-served item first served: the poll whose batch may still be
	// in flight in the pipeline.
	LastNew int
}

// feedFixture is the running feed server.
type feedFixture struct {
	t     testing.TB
	opts  fixtureOptions
	srv   *httptest.Server
	start time.Time
	items [][]fixtureItem // [feed][index]
	// frozen, once set by Freeze, is how long after start the feeds
	// stopped publishing: later items never appear and do not count.
	frozen atomic.Pointer[time.Duration]

	mu     sync.Mutex
	served map[string]time.Time // link → first time served in a 200
	stats  []feedStats
	reqs   []fixtureRequest // every request, in order
	fresh  chan struct{}    // closed (and replaced) when a response serves a never-served item
}

// newFixture generates the stories and starts serving them; the clock of
// appearing items starts now.
func newFixture(t testing.TB, o fixtureOptions) *feedFixture {
	t.Helper()
	if o.Feeds > len(fixturePublishers) {
		t.Fatalf("fixture: at most %d feeds", len(fixturePublishers))
	}
	if o.Initial > o.Items {
		o.Initial = o.Items
	}
	f := &feedFixture{t: t, opts: o, served: map[string]time.Time{}, stats: make([]feedStats, o.Feeds), fresh: make(chan struct{})}
	f.items = generateItems(t, o)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.start = time.Now()
	return f
}

// FeedURL is the URL of feed i.
func (f *feedFixture) FeedURL(i int) string { return fmt.Sprintf("%s/feeds/%d.xml", f.srv.URL, i) }

// All returns every item of every feed (up to Freeze, if called).
func (f *feedFixture) All() []fixtureItem {
	var out []fixtureItem
	for _, fi := range f.items {
		for _, it := range fi {
			if f.published(it) {
				out = append(out, it)
			}
		}
	}
	return out
}

// Freeze stops the feeds publishing: items due later never appear, so a
// test can give a fixture more items than it will wait for (publishing
// until the moment that matters, however slow the machine) and then wait
// only for what appeared.
func (f *feedFixture) Freeze() {
	el := time.Since(f.start)
	f.frozen.CompareAndSwap(nil, &el)
}

// published reports whether it appears before the feeds were frozen.
func (f *feedFixture) published(it fixtureItem) bool {
	el := f.frozen.Load()
	return el == nil || it.Visible <= *el
}

// Served returns the items served at least once in a 200 response.
func (f *feedFixture) Served() []fixtureItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fixtureItem
	for _, it := range f.All() {
		if _, ok := f.served[it.Link]; ok {
			out = append(out, it)
		}
	}
	return out
}

// AppearedBetween counts the items that appeared in their feeds between
// a and b.
func (f *feedFixture) AppearedBetween(a, b time.Time) int {
	n := 0
	for _, it := range f.All() {
		if at := f.start.Add(it.Visible); it.Visible > 0 && !at.Before(a) && at.Before(b) {
			n++
		}
	}
	return n
}

// AllServed reports whether every item of every feed has been served.
func (f *feedFixture) AllServed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, fi := range f.items {
		for _, it := range fi {
			if f.published(it) {
				n++
			}
		}
	}
	return len(f.served) == n
}

// fixtureRequest is one request a feed server answered: which feed, asked
// by whom (each wirestream instance sends its own poller.user_agent).
type fixtureRequest struct {
	Feed, UserAgent string
	At              time.Time
}

// Requests returns every request answered so far, in order.
func (f *feedFixture) Requests() []fixtureRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fixtureRequest(nil), f.reqs...)
}

// Stats returns a copy of the per-feed counters.
func (f *feedFixture) Stats() []feedStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]feedStats(nil), f.stats...)
}

// ResetStats zeroes the request counters (not what was served), so a
// test can look at one run of the binary at a time.
func (f *feedFixture) ResetStats() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stats = make([]feedStats, f.opts.Feeds)
}

// InFlightBound is the sum over feeds of the items first served by their
// latest poll that brought new items: the poller does not poll a feed
// again until the pipeline committed its previous batch, so only these
// can be unacknowledged, or acknowledged but not yet committed.
func (f *feedFixture) InFlightBound() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, s := range f.stats {
		n += s.LastNew
	}
	return n
}

// AwaitFresh waits until a response serves an item never served before,
// and reports false after timeout.
func (f *feedFixture) AwaitFresh(timeout time.Duration) bool {
	f.mu.Lock()
	ch := f.fresh
	f.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-time.After(timeout):
		return false
	}
}

// visible returns the items feed i shows at time now, newest first.
func (f *feedFixture) visible(i int, now time.Time) []fixtureItem {
	el := now.Sub(f.start)
	var out []fixtureItem
	for _, it := range f.items[i] {
		if it.Visible <= el && f.published(it) {
			out = append(out, it)
		}
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

func (f *feedFixture) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/feeds/"), ".xml")
	i, err := strconv.Atoi(name)
	if err != nil || i < 0 || i >= f.opts.Feeds || !strings.HasSuffix(r.URL.Path, ".xml") {
		http.NotFound(w, r)
		return
	}
	items := f.visible(i, time.Now())
	etag := fmt.Sprintf(`"feed%d-n%d"`, i, len(items))
	lastMod := f.start
	if len(items) > 0 {
		lastMod = items[0].Published
	}
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")

	f.mu.Lock()
	f.reqs = append(f.reqs, fixtureRequest{Feed: f.FeedURL(i), UserAgent: r.UserAgent(), At: time.Now()})
	st := &f.stats[i]
	st.Requests++
	if inm != "" || ims != "" {
		st.Conditional++
	}
	// RFC 9110 §13.2.2: If-None-Match, when present, decides alone.
	notModified := false
	if inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			notModified = notModified || strings.TrimPrefix(strings.TrimSpace(tag), "W/") == etag
		}
	} else if t, err := http.ParseTime(ims); err == nil && !lastMod.Truncate(time.Second).After(t) {
		notModified = true
	}
	if notModified {
		st.NotModified++
		f.mu.Unlock()
		w.Header().Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	now := time.Now()
	fresh := 0
	for _, it := range items {
		if _, ok := f.served[it.Link]; !ok {
			f.served[it.Link] = now
			fresh++
		}
	}
	if fresh > 0 {
		st.LastNew = fresh
		close(f.fresh)
		f.fresh = make(chan struct{})
	}
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lastMod.UTC().Format(http.TimeFormat))
	_, _ = w.Write(rssDocument(fixturePublishers[i], f.FeedURL(i), items))
}

// rssDocument writes an RSS 2.0 feed the way news sites do: summary in
// description, full text in content:encoded, a non-permalink GUID.
func rssDocument(p fixturePublisher, self string, items []fixtureItem) []byte {
	var b strings.Builder
	esc := func(s string) string {
		var e strings.Builder
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">` + "\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>https://%s/</link>\n<description>Latest news from %s</description>\n<language>en-gb</language>\n",
		esc(p.Name), p.Host, esc(p.Name))
	fmt.Fprintf(&b, "<atom:link href=\"%s\" rel=\"self\" type=\"application/rss+xml\"/>\n", esc(self))
	for _, it := range items {
		var content strings.Builder
		for _, para := range it.Paras {
			content.WriteString("<p>" + esc(para) + "</p>")
		}
		fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"false\">%s</guid>\n<pubDate>%s</pubDate>\n<dc:creator>%s</dc:creator>\n<category>%s</category>\n<description>%s</description>\n<content:encoded><![CDATA[%s]]></content:encoded>\n</item>\n",
			esc(it.Title), esc(it.Link), esc(it.GUID), it.Published.UTC().Format(time.RFC1123Z),
			esc(it.Author), esc(it.Category), esc(it.Summary), content.String())
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}
