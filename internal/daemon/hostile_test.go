package daemon

// Issue 13, point 11: a batch that fails for good reaches its feed at
// once, through the batch's ack, and the feed reads it again after its
// retry backoff — for each way a hostile feed can make a batch fail —
// while a batch whose only trouble is a record the broker refuses is
// acked, because that record is in the dead-letter topic.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sources/feed"
)

// feedServer serves one RSS document (body(n) for the n-th request, from
// 1) with an ETag, answers a matching If-None-Match with 304, and
// records whether each request was conditional.
type feedServer struct {
	*httptest.Server
	mu          sync.Mutex
	conditional []bool
}

func newFeedServer(t *testing.T, body func(n int) string) *feedServer {
	t.Helper()
	fs := &feedServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.conditional = append(fs.conditional, r.Header.Get("If-None-Match") != "")
		n := len(fs.conditional)
		fs.mu.Unlock()
		b := body(n)
		etag := fmt.Sprintf(`"%d-%d"`, len(b), strings.Count(b, "e"))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) requests() []bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]bool(nil), fs.conditional...)
}

// hostileConfig polls loopback feeds quickly and retries failed batches
// after 100 ms, with commit_timeout left at its 10 minutes: a re-read the
// test sees came through the ack, not the safety net.
func hostileConfig(t *testing.T) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Poller.AllowNetworks = []string{"127.0.0.0/8"}
	cfg.Poller.StartSpread = 0
	cfg.Poller.MinInterval, cfg.Poller.DefaultInterval, cfg.Poller.MaxInterval = 50*time.Millisecond, 200*time.Millisecond, 300*time.Millisecond
	cfg.Poller.BackoffInitial, cfg.Poller.BackoffMax, cfg.Poller.BackoffJitter = 100*time.Millisecond, time.Second, 0
	if cfg.Poller.CommitTimeout < 10*time.Minute {
		t.Fatalf("commit_timeout %s: the test needs the default safety net, far beyond its wait", cfg.Poller.CommitTimeout)
	}
	return cfg
}

// runDaemon wires the real poller and pipeline over store and sink, runs
// them until done reports true (or three minutes pass: a guard against
// hanging, not a speed; a 16 MB feed under -race at load 30-46 takes
// tens of seconds), and stops them.
func runDaemon(t *testing.T, cfg config.Config, feeds []feed.Spec, stateLog state.Log, sink pipeline.Sink, done func(m *Metrics) bool) *Metrics {
	t.Helper()
	m := NewMetrics(prometheus.NewRegistry(), "test")
	d := &Daemon{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	if err := d.assemble(t.Context(), Options{Feeds: feeds, Metrics: m, Log: d.log}, stateLog, sink); err != nil {
		t.Fatal(err)
	}
	defer d.Store.Close()
	ctx, cancel := context.WithCancel(t.Context())
	exited := make(chan error, 1)
	go func() { exited <- d.Run(ctx) }()
	deadline := time.Now().Add(3 * time.Minute)
	for !done(m) {
		if time.Now().After(deadline) {
			cancel()
			<-exited
			t.Fatal("gave up waiting")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-exited; err != nil {
		t.Fatalf("Run: %v", err)
	}
	return m
}

// keepSink keeps what it is given.
type keepSink struct {
	mu   sync.Mutex
	recs []record.Record
}

func (s *keepSink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, recs...)
	return nil
}

func (s *keepSink) count(typ record.Type) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.recs {
		if r.RecordType() == typ {
			n++
		}
	}
	return n
}

// faultyLog fails its first appends, as a disk that errs would; the
// others succeed and are forgotten (the test restarts nothing).
type faultyLog struct {
	fails atomic.Int32 // failures still to give
}

var errDisk = errors.New("write state: input/output error")

func (l *faultyLog) Append(context.Context, []state.Entry) error {
	if l.fails.Add(-1) >= 0 {
		return errDisk
	}
	return nil
}
func (l *faultyLog) Restore(context.Context, func(state.Entry) error) error { return nil }
func (l *faultyLog) Close() error                                           { return nil }

// A batch whose state cannot be appended after the write is acked with
// the error at once: the feed reads again after its backoff,
// unconditionally, and its stories are published. (The state is read
// from memory, so screening a batch cannot fail on a disk any more.)
func TestABatchThatFailsInThePipelineReachesTheFeedAtOnce(t *testing.T) {
	for _, c := range []struct {
		name    string
		commits int32
	}{
		{"a commit error (the state cannot be written)", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newFeedServer(t, func(int) string { return rss })
			cfg := hostileConfig(t)
			stateLog := &faultyLog{}
			stateLog.fails.Store(c.commits)
			sink := &keepSink{}
			m := runDaemon(t, cfg, []feed.Spec{{URL: srv.URL + "/rss"}}, stateLog, sink, func(m *Metrics) bool {
				return testutil.ToFloat64(m.Poller.BatchesFailed) == 1 && len(srv.requests()) >= 3
			})
			reqs := srv.requests()
			if reqs[0] || reqs[1] {
				t.Errorf("requests conditional %v: the re-read after the failed batch must be unconditional", reqs)
			}
			if !reqs[2] {
				t.Errorf("requests conditional %v: after the acked re-read the feed's validators must be saved", reqs)
			}
			if n := sink.count(record.TypeStory); n < 2 {
				t.Errorf("%d stories published, want the feed's 2", n)
			}
			if n := testutil.ToFloat64(m.Poller.CommitTimeouts); n != 0 {
				t.Errorf("commit timeouts = %v: the feed learned of the failure from the safety net", n)
			}
		})
	}
}

// Issue 13, point 10, end to end: a live item whose text says "updated N
// minutes ago", N growing on every poll, is one story, not a version per
// poll (35 records for 5 items in 7 minutes before).
func TestRelativeTimesDoNotMakeAVersionPerPoll(t *testing.T) {
	item := func(i, minutes int) string {
		return fmt.Sprintf(`<item><title>Live: story %d</title><link>https://live.example/%d</link><guid>live-%d</guid>`+
			`<description>&lt;p&gt;Updated %d minutes ago&lt;/p&gt;&lt;p&gt;What happened in story %d, told at length so that it is a story.&lt;/p&gt;</description></item>`,
			i, i, i, minutes+i, i)
	}
	srv := newFeedServer(t, func(n int) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>https://live.example/</link>`)
		for i := range 5 {
			b.WriteString(item(i, n))
		}
		b.WriteString(`</channel></rss>`)
		return b.String()
	})
	cfg := hostileConfig(t)
	sink := &keepSink{}
	runDaemon(t, cfg, []feed.Spec{{URL: srv.URL + "/live"}}, nil, sink, func(*Metrics) bool {
		return len(srv.requests()) >= 8
	})
	if n := sink.count(record.TypeStory); n != 5 {
		t.Errorf("%d story records for 5 items over %d polls whose only change is the relative time, want 5", n, len(srv.requests()))
	}
}

// The hostile feeds of issue 13, served from loopback and read through
// run's own wiring (the real fetcher, poller and pipeline): what each
// used to lose or garble reaches the records.
func TestHostileFeedsThroughRunsWiring(t *testing.T) {
	rssOf := func(items string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>` + items + `</channel></rss>`
	}
	var shared strings.Builder
	for i := range 60 {
		fmt.Fprintf(&shared, `<item><title>Shared GUID story %d</title><link>https://hostile.example/shared/%d</link><guid>https://hostile.example/</guid><description>Story %d of a CMS that gives every item one GUID.</description></item>`, i, i, i)
	}
	feeds := map[string]string{
		// One stray Latin-1 byte in a UTF-8 feed (point 3).
		"/charset": rssOf(`<item><title>Łódź: nowy tramwaj</title><link>https://hostile.example/lodz</link><description>Tramwaj na Piotrkowskiej.</description></item>` +
			"<item><title>Caf\xe9 reopens</title><link>https://hostile.example/cafe</link><description>The caf\xe9 reopens on Monday.</description></item>"),
		// A 1 MB title (point 4), a bidi spoof (point 7), implausible dates (point 5).
		"/mixed": rssOf(`<item><title>` + strings.Repeat("Endless headline ", 62_000) + `</title><link>https://hostile.example/long</link><description>A title a megabyte long.</description></item>` +
			`<item><title>Invoice &#x202E;gnp.exe</title><link>https://hostile.example/spoof</link><description>A spoofed file name.</description></item>` +
			`<item><title>Epoch</title><link>https://hostile.example/epoch</link><pubDate>Thu, 01 Jan 1970 00:00:01 +0000</pubDate><description>Dated at the epoch.</description></item>` +
			`<item><title>Offset</title><link>https://hostile.example/offset</link><pubDate>2024-03-05T10:00:00+2400</pubDate><description>A zone offset of a whole day.</description></item>`),
		// 60 items sharing one GUID (point 8).
		"/shared": rssOf(shared.String()),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/json" {
			// A JSON Feed with one bad item (point 6).
			w.Header().Set("Content-Type", "application/feed+json")
			w.Write([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://hostile.example/","items":[
				{"id":"j1","url":"https://hostile.example/j1","title":"A good JSON item","content_text":"It reads fine."},
				{"id":"j2","url":"https://hostile.example/j2","title":{"not":"a string"}},
				{"id":"j3","url":"https://hostile.example/j3","title":"Another good JSON item","content_text":"It reads fine too."}]}`))
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(feeds[r.URL.Path]))
	}))
	defer srv.Close()
	var specs []feed.Spec
	for _, p := range []string{"/charset", "/mixed", "/shared", "/json"} {
		specs = append(specs, feed.Spec{URL: srv.URL + p})
	}
	cfg := hostileConfig(t)
	cfg.Poller.DefaultInterval, cfg.Poller.MaxInterval = time.Hour, time.Hour // one poll each
	sink := &keepSink{}
	runDaemon(t, cfg, specs, nil, sink, func(*Metrics) bool {
		return sink.count(record.TypeFeedStatus) == len(specs)
	})

	stories := map[string]*record.Story{}
	var dead []*record.DeadLetter
	sink.mu.Lock()
	for _, r := range sink.recs {
		switch r := r.(type) {
		case *record.Story:
			stories[r.URL] = r
		case *record.DeadLetter:
			dead = append(dead, r)
		}
	}
	sink.mu.Unlock()
	get := func(path string) *record.Story {
		s := stories["https://hostile.example"+path]
		if s == nil {
			t.Fatalf("no story for %s", path)
		}
		return s
	}
	if s := get("/lodz"); s.Title != "Łódź: nowy tramwaj" {
		t.Errorf("charset: %q", s.Title)
	}
	if s := get("/cafe"); s.Title != "Café reopens" {
		t.Errorf("charset repair: %q", s.Title)
	}
	if s := get("/long"); len(s.Title) > 1024 || !slices.Contains(s.Truncated, record.FieldTitle) {
		t.Errorf("1 MB title: %d bytes, truncated %q", len(s.Title), s.Truncated)
	}
	if s := get("/spoof"); s.Title != "Invoice gnp.exe" {
		t.Errorf("bidi: %q", s.Title)
	}
	for _, p := range []string{"/epoch", "/offset"} {
		if s := get(p); !slices.Contains(s.DateFlags, record.DateImplausible) || s.Published.Year() < 2000 {
			t.Errorf("%s: published %v flags %q", p, s.Published, s.DateFlags)
		}
	}
	for i := range 60 {
		get(fmt.Sprintf("/shared/%d", i))
	}
	get("/j1")
	get("/j3")
	if len(dead) != 1 || !strings.Contains(dead[0].Error, "item 2 of 3 of the JSON Feed") || dead[0].FeedURL != srv.URL+"/json" {
		t.Errorf("dead letters %+v, want the bad JSON item", dead)
	}
}
