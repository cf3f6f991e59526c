package feed

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// publisher is a local feed server as the hostile-feed test ran them: it
// publishes an item every `every` from the start, shows the newest
// `show`, dates them `skew` off the true time, and with rotate gives
// every item a new GUID on every request. It answers conditional GETs
// with 304 like a real server. Time is the test's clock (under
// testing/synctest, the bubble's).
type publisher struct {
	start  time.Time
	every  time.Duration
	show   int
	skew   time.Duration
	rotate bool

	mu       sync.Mutex
	requests int
}

func (p *publisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.requests++
	n := p.requests
	p.mu.Unlock()
	newest := p.published(time.Now())
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Publisher</title><link>https://pub.example/</link>`)
	for i := newest; i > newest-p.show && i > 0; i-- {
		guid := fmt.Sprint(i)
		if p.rotate {
			guid = fmt.Sprintf("urn:uuid:%d-%d", i, n) // a CMS that mints a GUID per render
		}
		at := p.start.Add(time.Duration(i-p.show)*p.every + p.skew)
		fmt.Fprintf(&b, `<item><title>Story %d</title><link>https://pub.example/story/%d</link><guid isPermaLink="false">%s</guid><pubDate>%s</pubDate><description>Text of story %d.</description></item>`,
			i, i, guid, at.UTC().Format(time.RFC1123Z), i)
	}
	b.WriteString(`</channel></rss>`)
	body := b.String()
	etag := `"` + shortHash(body) + `"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(body))
}

// published is the number of the newest item at t: show items exist at
// the start, one more every `every`.
func (p *publisher) published(t time.Time) int { return p.show + int(t.Sub(p.start)/p.every) }

func (p *publisher) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

// handlerTransport serves requests from a handler in memory: the real
// fetcher (client, headers, body limits, decompression) without sockets,
// so the loop runs under testing/synctest's clock.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	// The handler gets its own copy, as a server over a socket would: a
	// RoundTripper must not change the request (net/http), and a handler
	// that edits its header (churner) would edit the static header the
	// poller's feeds share.
	t.h.ServeHTTP(rec, req.Clone(req.Context()))
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// fleetRun polls feeds served by h for run under a fake clock, acking
// every batch, and returns what each feed delivered.
type fleetRun struct {
	items  map[string]map[string]bool // feed URL → item links delivered
	status map[string][]*record.FeedStatus
	m      *Metrics
}

func runFeeds(t *testing.T, cfg Config, h http.Handler, run time.Duration, urls ...string) *fleetRun {
	t.Helper()
	r := &fleetRun{items: map[string]map[string]bool{}, status: map[string][]*record.FeedStatus{}, m: NewMetrics(nil)}
	var specs []Spec
	for _, u := range urls {
		specs = append(specs, Spec{URL: u})
		r.items[u] = map[string]bool{}
	}
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, r.m)
	if err != nil {
		t.Fatal(err)
	}
	p.fetcher.client.Transport = handlerTransport{h}
	runPoller(p, run, func(b record.Batch) (bool, error) {
		for _, it := range b.Items {
			r.items[b.Feed.URL][it.Link] = true
		}
		if b.Status != nil {
			r.status[b.Feed.URL] = append(r.status[b.Feed.URL], b.Status)
		}
		return true, nil
	})
	return r
}

// honestAndSkewed serves two feeds publishing every 2 minutes, one with
// true dates (/honest), one with every date skew ahead (/future).
func honestAndSkewed(skew time.Duration) (honest, future *publisher, mux *http.ServeMux) {
	start := time.Now()
	honest = &publisher{start: start, every: 2 * time.Minute, show: 10}
	future = &publisher{start: start, every: 2 * time.Minute, show: 10, skew: skew}
	mux = http.NewServeMux()
	mux.Handle("/honest", honest)
	mux.Handle("/future", future)
	return honest, future, mux
}

func hostileCfg() Config {
	cfg := DefaultConfig()
	cfg.MinInterval = 15 * time.Second // as the hostile-feed test ran it
	cfg.StartSpread = 0
	cfg.BackoffJitter = 0
	return cfg
}

// A feed that publishes every 2 minutes but dates its items 3 hours ahead
// (a time zone written wrong) was polled at the 15 s minimum: 29
// requests in 7 minutes where the same feed with true dates took 4. Its
// rate is now estimated from when items appeared, so it is polled no more
// often than the honest feed — and still loses no item. (Issue 13,
// point 1.)
func TestAFeedDatedInTheFutureIsPolledAtItsPublishRate(t *testing.T) {
	const base = "https://pub.example"
	synctest.Test(t, func(t *testing.T) {
		honest, future, mux := honestAndSkewed(3 * time.Hour)
		r := runFeeds(t, hostileCfg(), mux, 7*time.Minute, base+"/honest", base+"/future")
		t.Logf("7 minutes: honest dates %d requests, dates 3 h ahead %d requests", honest.count(), future.count())
		if future.count() > honest.count() {
			t.Errorf("the future-dated feed was polled %d times in 7 minutes, the honest one %d: it must not be polled more often",
				future.count(), honest.count())
		}
		if st := r.status[base+"/future"]; len(st) == 0 || !slices.Contains(st[len(st)-1].Warnings, record.WarnDatesUntrusted) {
			t.Errorf("feed_status does not say the dates are untrusted: %+v", st)
		}
	})
	// Over two hours the estimate settles near the true rate, and every
	// item published is delivered.
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		honest, future, mux := honestAndSkewed(3 * time.Hour)
		const run = 2 * time.Hour
		r := runFeeds(t, hostileCfg(), mux, run, base+"/honest", base+"/future")
		t.Logf("2 hours: honest dates %d requests, dates 3 h ahead %d requests", honest.count(), future.count())
		if f, h := future.count(), honest.count(); f > h+h/2 || 2*f < h {
			t.Errorf("over two hours the future-dated feed took %d requests, the honest one %d: want about as many", f, h)
		}
		// Items published up to the last poll, less those the first
		// poll did not see (it found 10).
		for _, u := range []string{base + "/honest", base + "/future"} {
			want := future.published(start.Add(run - 4*time.Minute))
			if got := len(r.items[u]); got < want {
				t.Errorf("%s: %d items delivered, want at least the %d published before the last poll", u, got, want)
			}
		}
	})
}

// A feed whose GUIDs change on every render — the same items, under new
// GUIDs — looked all new on every poll, so the gap rule ("every item is
// new: we may have missed some") polled it at the 15 s minimum for ever.
// Items whose links or texts the feed carried before are recognised: the
// feed is polled at its publish rate, they are not delivered again, and
// feed_status says the feed rotates its GUIDs. (Issue 13, point 2.)
func TestAFeedThatRotatesGUIDsIsNotAGap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		honest := &publisher{start: start, every: 2 * time.Minute, show: 10}
		rotating := &publisher{start: start, every: 2 * time.Minute, show: 10, rotate: true}
		mux := http.NewServeMux()
		mux.Handle("/honest", honest)
		mux.Handle("/rotating", rotating)
		const base = "https://pub.example"
		const run = time.Hour
		r := runFeeds(t, hostileCfg(), mux, run, base+"/honest", base+"/rotating")
		t.Logf("1 hour: stable GUIDs %d requests, rotating GUIDs %d requests", honest.count(), rotating.count())
		if f, h := rotating.count(), honest.count(); f > h+h/4 {
			t.Errorf("the feed that rotates GUIDs took %d requests in an hour, the one with stable GUIDs %d", f, h)
		}
		if got := testutil.ToFloat64(r.m.Gaps); got != 0 {
			t.Errorf("%v gaps: rotated GUIDs were taken for missed items", got)
		}
		want := rotating.published(start.Add(run - 4*time.Minute))
		if got := len(r.items[base+"/rotating"]); got < want || got > rotating.published(start.Add(run)) {
			t.Errorf("%d items delivered, want each of the %d published once", got, want)
		}
		st := r.status[base+"/rotating"]
		if len(st) == 0 || !slices.Contains(st[len(st)-1].Warnings, record.WarnGUIDsRotate) || st[len(st)-1].ItemsRotated < 9 {
			t.Fatalf("feed_status does not say the feed rotates GUIDs: %+v", st[len(st)-1])
		}
		if testutil.ToFloat64(r.m.ItemsRotated) == 0 {
			t.Error("no rotated items counted")
		}
	})
}

// Dates stamped with the time of each request ("every item was just
// published") are caught: a known item dated after it was read.
func TestDatesStampedAtEveryRequestAreNotTrusted(t *testing.T) {
	cfg := hostileCfg()
	s := &script{cfg: cfg, spec: Spec{URL: "https://stamp.example/rss"}, run: time.Hour,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			now := time.Now()
			return ok200(rssDoc("Stamp", dated("a", now), dated("b", now), dated("c", now)), ""), nil
		}}
	s.play(t)
	t.Logf("%d polls in an hour", len(s.polls))
	if len(s.polls) > 12 {
		t.Errorf("%d polls in an hour of a feed that never publishes: its request-time dates pinned the interval", len(s.polls))
	}
	last := s.batches[len(s.batches)-1].Status
	if last == nil || !slices.Contains(last.Warnings, record.WarnDatesUntrusted) {
		t.Errorf("feed_status %+v does not say the dates are untrusted", last)
	}
}

// Entries the parser rejects reach the pipeline as dead letters with the
// batch — once, not on every poll — and again after a batch that failed,
// so nothing of the document disappears without a record.
func TestRejectedEntriesAreDeadLetteredOnceAndAgainAfterAFailure(t *testing.T) {
	cfg := hostileCfg()
	doc := func(n int) []byte {
		return []byte(fmt.Sprintf(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
			{"id":"%d","url":"https://j.example/%d","title":"Story %d","content_text":"x"},
			{"id":"bad","url":"https://j.example/bad","title":{"oops":true}}]}`, n, n, n))
	}
	s := &script{cfg: cfg, spec: Spec{URL: "https://j.example/feed.json"}, run: 40 * time.Minute,
		respond: func(n int, req fetchRequest) (*fetchResult, error) {
			r := ok200(doc(n), "")
			r.ContentType = "application/feed+json"
			return r, nil
		},
		fail: func(n int) error {
			if n == 1 {
				return errTestSink
			}
			return nil
		}}
	s.play(t)
	if len(s.batches) < 4 {
		t.Fatalf("%d batches", len(s.batches))
	}
	var dead []int
	for _, b := range s.batches {
		dead = append(dead, len(b.DeadLetters))
	}
	if dead[0] != 1 || dead[1] != 1 || slices.Max(dead[2:]) != 0 {
		t.Errorf("dead letters per batch %v: want the bad item in the first batch, again after it failed, then never", dead)
	}
	dl := s.batches[1].DeadLetters[0]
	if dl.Stage != record.StageRead || dl.FeedURL != "https://j.example/feed.json" || !strings.Contains(dl.Error, "item 2 of 2") || !strings.Contains(dl.Payload, "oops") {
		t.Errorf("dead letter = %+v", dl)
	}
	if got := testutil.ToFloat64(s.m.ItemsRejected.WithLabelValues(RejectInvalid)); got != 2 {
		t.Errorf("rejected items counted %v times, want 2 (first report and the retry)", got)
	}
	if st := s.batches[len(s.batches)-1].Status; st != nil && st.ItemsRejected != 1 {
		t.Errorf("feed_status items_rejected = %d", st.ItemsRejected)
	}
}
