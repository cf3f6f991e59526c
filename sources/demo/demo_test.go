package demo

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// expectedItems counts a feed's items at an offset straight from the
// script, independently of the server's own bookkeeping.
func expectedItems(t *testing.T, outletID string, offset time.Duration) int {
	t.Helper()
	sc, err := loadScript()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, st := range sc.stories {
		if st.Outlet == outletID && (st.At < 0 || st.At <= offset) { // default duration: scale 1
			n++
		}
	}
	return min(n, feedWindow)
}

func TestFeedsParseWithGofeedThroughoutTheTimeline(t *testing.T) {
	s, clk, client := startDemo(t)
	wantType := map[string]string{formatRSS: "rss", formatAtom: "atom", formatJSON: "json"}
	tests := []struct {
		name   string
		offset time.Duration
	}{
		{"at the start only the backlog is served", 0},
		{"a third of the way in the first events are breaking", time.Minute},
		{"in the middle of the spike", 2 * time.Minute},
		{"at the end every story is out", 3 * time.Minute},
		{"an hour after the end nothing more arrives", time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Set(tt.offset)
			now := clk.Now()
			for i, o := range s.tl.outlets {
				url := s.FeedURLs()[i]
				feed := fetchFeed(t, client, url)
				if feed.FeedType != wantType[o.Format] {
					t.Errorf("%s: feed type %q, want %q", o.ID, feed.FeedType, wantType[o.Format])
				}
				if feed.Title != o.Name {
					t.Errorf("%s: title %q, want %q", o.ID, feed.Title, o.Name)
				}
				if want := expectedItems(t, o.ID, tt.offset); len(feed.Items) != want {
					t.Errorf("%s: %d items, want %d", o.ID, len(feed.Items), want)
				}
				var prev time.Time
				for j, it := range feed.Items {
					switch {
					case it.Title == "" || it.GUID == "" || itemText(it) == "":
						t.Errorf("%s item %d: empty title, guid or text: %+v", o.ID, j, it)
					case !strings.HasPrefix(it.Link, o.Home):
						t.Errorf("%s item %d: link %q not on %s", o.ID, j, it.Link, o.Home)
					case it.PublishedParsed == nil:
						t.Errorf("%s item %d: published %q did not parse", o.ID, j, it.Published)
					case it.PublishedParsed.After(now):
						t.Errorf("%s item %d: published %v, after now %v", o.ID, j, it.PublishedParsed, now)
					case j > 0 && it.PublishedParsed.After(prev):
						t.Errorf("%s item %d: not newest first (%v after %v)", o.ID, j, it.PublishedParsed, prev)
					}
					if it.PublishedParsed != nil {
						prev = *it.PublishedParsed
					}
				}
			}
		})
	}
}

func TestConditionalGET(t *testing.T) {
	s, clk, client := startDemo(t)
	wire := s.FeedURLs()[0] // meridian; its next story arrives at 5s
	tests := []struct {
		name    string
		advance time.Duration // clock offset for the second request
		header  func(first *http.Response) http.Header
		want    int
	}{
		{"a matching If-None-Match answers 304", 0,
			func(r *http.Response) http.Header { return http.Header{"If-None-Match": {r.Header.Get("ETag")}} }, 304},
		{"a matching If-Modified-Since answers 304", 0,
			func(r *http.Response) http.Header {
				return http.Header{"If-Modified-Since": {r.Header.Get("Last-Modified")}}
			}, 304},
		{"both validators matching answer 304", 4 * time.Second,
			func(r *http.Response) http.Header {
				return http.Header{"If-None-Match": {r.Header.Get("ETag")}, "If-Modified-Since": {r.Header.Get("Last-Modified")}}
			}, 304},
		{"a stale ETag gets the feed once a story arrived", 5 * time.Second,
			func(r *http.Response) http.Header { return http.Header{"If-None-Match": {r.Header.Get("ETag")}} }, 200},
		{"a stale Last-Modified gets the feed once a story arrived", 5 * time.Second,
			func(r *http.Response) http.Header {
				return http.Header{"If-Modified-Since": {r.Header.Get("Last-Modified")}}
			}, 200},
		{"an ETag from another feed does not match", 0,
			func(*http.Response) http.Header { return http.Header{"If-None-Match": {`"0123456789abcdef0123"`}} }, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Set(0)
			first, body := get(t, client, wire, nil)
			if first.StatusCode != 200 || len(body) == 0 {
				t.Fatalf("first GET: status %d, %d bytes", first.StatusCode, len(body))
			}
			if cc := first.Header.Get("Cache-Control"); cc != "public, max-age=10" {
				t.Errorf("Cache-Control %q, want public, max-age=10", cc)
			}
			clk.Set(tt.advance)
			second, body2 := get(t, client, wire, tt.header(first))
			if second.StatusCode != tt.want {
				t.Fatalf("second GET: status %d, want %d", second.StatusCode, tt.want)
			}
			if tt.want == 304 && len(body2) != 0 {
				t.Errorf("304 with a %d-byte body", len(body2))
			}
			if tt.want == 200 && tt.advance > 0 && second.Header.Get("ETag") == first.Header.Get("ETag") {
				t.Errorf("ETag %s unchanged although a story arrived", first.Header.Get("ETag"))
			}
		})
	}
}

func TestGzipIsServedOnRequestWithItsOwnETag(t *testing.T) {
	s, _, client := startDemo(t)
	url := s.FeedURLs()[0]
	plain, plainBody := get(t, client, url, nil)
	zipped, zbody := get(t, client, url, http.Header{"Accept-Encoding": {"br;q=1.0, gzip;q=0.8"}})
	if zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", zipped.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zbody))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, plainBody) {
		t.Fatalf("gzip body differs from the identity body (err %v)", err)
	}
	if plain.Header.Get("ETag") == zipped.Header.Get("ETag") {
		t.Errorf("identity and gzip share the strong ETag %s", plain.Header.Get("ETag"))
	}
	again, _ := get(t, client, url, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {zipped.Header.Get("ETag")}})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("conditional gzip GET: status %d, want 304", again.StatusCode)
	}
	t.Logf("wire feed at start: %d bytes, %d gzipped", len(plainBody), len(zbody))
}

func TestItemsOnlyEverArriveAndKeepTheirGUIDs(t *testing.T) {
	s, clk, client := startDemo(t)
	sc, _ := loadScript()
	// Feeds only change when a story or a revision comes due, so visiting
	// every such moment (and the second before it) visits every state.
	moments := []time.Duration{0, scriptLength + time.Hour}
	for _, st := range sc.stories {
		if st.At > 0 {
			moments = append(moments, st.At-time.Second, st.At)
		}
		if st.Revise != nil {
			moments = append(moments, st.Revise.At-time.Second, st.Revise.At)
		}
	}
	slices.Sort(moments)
	moments = slices.Compact(moments)

	type seen struct {
		etag  string
		count int
		guids map[string]string // guid -> link
	}
	state := map[string]*seen{}
	for _, url := range s.FeedURLs() {
		state[url] = &seen{guids: map[string]string{}}
	}
	changes := 0
	for _, off := range moments {
		clk.Set(off)
		for _, url := range s.FeedURLs() {
			st := state[url]
			resp, body := get(t, client, url, http.Header{"If-None-Match": {st.etag}})
			if resp.StatusCode == http.StatusNotModified {
				continue
			}
			changes++
			st.etag = resp.Header.Get("ETag")
			feed, err := gofeed.NewParser().ParseString(string(body))
			if err != nil {
				t.Fatalf("%s at %v: %v", url, off, err)
			}
			if len(feed.Items) < st.count {
				t.Fatalf("%s at %v: %d items, fewer than the %d before", url, off, len(feed.Items), st.count)
			}
			now := map[string]bool{}
			for _, it := range feed.Items {
				now[it.GUID] = true
				if link, ok := st.guids[it.GUID]; ok && link != it.Link {
					t.Fatalf("%s at %v: guid %s moved from %s to %s", url, off, it.GUID, link, it.Link)
				}
				st.guids[it.GUID] = it.Link
			}
			if len(feed.Items) < feedWindow {
				for g := range st.guids {
					if !now[g] {
						t.Fatalf("%s at %v: guid %s vanished from a feed not yet full", url, off, g)
					}
				}
			}
			st.count = len(feed.Items)
		}
	}
	total := 0
	for _, st := range state {
		total += len(st.guids)
	}
	if total != len(sc.stories) {
		t.Errorf("%d distinct GUIDs served over the timeline, want one per story: %d", total, len(sc.stories))
	}
	t.Logf("%d moments visited, %d feed changes seen, %d distinct GUIDs", len(moments), changes, total)
}

func TestTheCorrectedHeadlineKeepsItsGUIDAndLink(t *testing.T) {
	s, clk, client := startDemo(t)
	wire := s.FeedURLs()[0]
	find := func(feed *gofeed.Feed) *gofeed.Item {
		for _, it := range feed.Items {
			if strings.HasSuffix(it.GUID, ":mer-quake-1") {
				return it
			}
		}
		t.Fatalf("mer-quake-1 not in the wire feed")
		return nil
	}
	clk.Set(149 * time.Second)
	before := find(fetchFeed(t, client, wire))
	clk.Set(150 * time.Second)
	after := find(fetchFeed(t, client, wire))

	if !strings.Contains(before.Title, "6.8") || !strings.Contains(after.Title, "CORRECTED: Magnitude 6.4") {
		t.Errorf("titles before/after: %q / %q", before.Title, after.Title)
	}
	if before.Link != after.Link || before.GUID != after.GUID {
		t.Errorf("link or guid changed: %s %s -> %s %s", before.Link, before.GUID, after.Link, after.GUID)
	}
	if !before.PublishedParsed.Equal(*after.PublishedParsed) {
		t.Errorf("published moved: %v -> %v", before.PublishedParsed, after.PublishedParsed)
	}
	if before.UpdatedParsed != nil || after.UpdatedParsed == nil || !after.UpdatedParsed.Equal(clk.Now()) {
		t.Errorf("updated before/after: %v / %v, want nil / %v", before.UpdatedParsed, after.UpdatedParsed, clk.Now())
	}
	if !strings.Contains(after.Content, "Corrects magnitude") {
		t.Errorf("corrected body lacks the correction note")
	}
}

func TestIndexAndOPMLListEveryFeed(t *testing.T) {
	s, _, client := startDemo(t)
	base := strings.TrimSuffix(s.FeedURLs()[0], "/feeds/meridian.xml")
	_, body := get(t, client, base+"/opml.xml", nil)
	var opml struct {
		Outlines []struct {
			XMLURL string `xml:"xmlUrl,attr"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal(body, &opml); err != nil {
		t.Fatalf("OPML: %v\n%s", err, body)
	}
	var got []string
	for _, o := range opml.Outlines {
		got = append(got, o.XMLURL)
	}
	if !slices.Equal(got, s.FeedURLs()) {
		t.Errorf("OPML feeds %v, want %v", got, s.FeedURLs())
	}
	resp, index := get(t, client, base+"/", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(index), s.FeedURLs()[7]) {
		t.Errorf("index: status %d:\n%s", resp.StatusCode, index)
	}
	if resp, _ := get(t, client, base+"/feeds/nosuch.xml", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown feed: status %d, want 404", resp.StatusCode)
	}
}

func TestCancellingTheContextStopsTheServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(s.FeedURLs()[0])
	if err != nil {
		t.Fatalf("GET before cancel: %v", err)
	}
	resp.Body.Close()
	cancel()
	if err := s.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if resp, err := client.Get(s.FeedURLs()[0]); err == nil {
		resp.Body.Close()
		t.Errorf("GET after cancel and Close succeeded")
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"a negative duration", Options{Duration: -time.Second}, "duration must be > 0"},
		{"an address that cannot be listened on", Options{Addr: "256.0.0.1:0"}, "listen on 256.0.0.1:0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(context.Background(), tt.opts, nil)
			if err == nil {
				s.Close()
				t.Fatal("Start succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestMaxAgeFollowsTheTimelineSpeed(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want time.Duration
	}{
		{"the default 3 minutes gives 10s", 3 * time.Minute, 10 * time.Second},
		{"a slower timeline is capped at 10s", time.Hour, 10 * time.Second},
		{"a 36s timeline gives 2s", 36 * time.Second, 2 * time.Second},
		{"a very fast timeline never goes below 1s", time.Second, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maxAgeFor(tt.d); got != tt.want {
				t.Errorf("maxAgeFor(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "gzip;q=0", "identity", "", "GZIP ; q=0.5", ",,;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if acceptsGzip(header) && !strings.Contains(strings.ToLower(header), "gzip") {
			t.Errorf("acceptsGzip(%q) = true without gzip in the header", header)
		}
	})
}

func BenchmarkServeUnchangedFeed(b *testing.B) {
	s, _, client := startDemo(b)
	url := s.FeedURLs()[0]
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	client.Transport.(*http.Transport).DisableKeepAlives = false
	b.Cleanup(client.CloseIdleConnections)
	for b.Loop() {
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func BenchmarkRenderFeed(b *testing.B) {
	sc, err := loadScript()
	if err != nil {
		b.Fatal(err)
	}
	tl := newTimeline(sc, testStart, scriptLength, "b")
	for _, o := range tl.outlets {
		b.Run(o.Format+"/"+o.ID, func(b *testing.B) {
			v := tl.view(o.ID, testStart.Add(scriptLength))
			for b.Loop() {
				if _, err := render(feedInfo{outlet: o, selfURL: "http://x/", ttl: 1}, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
