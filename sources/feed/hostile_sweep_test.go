package feed

// A sweep of hostile publishers on real loopback HTTP, through the real
// poller: each feed must fail (or succeed) alone, with its own class and
// a message that names the feed and what went wrong, without the poller
// reading past its caps or waiting past its timeout. Cases already pinned
// elsewhere are not repeated here: gzip bomb and endless body
// (TestFetchBodyLimits), redirect loops and redirects to private
// addresses (TestFetchStatusHandling, TestFetchGuard), an HTML page and a
// truncated document (TestAPollErrorNamesTheFeedOnceAndSaysWhatWentWrong),
// invalid UTF-8 and a wrong declared charset (TestParseRepairsOnlyTheBrokenBytes,
// TestParseGolden), 1 MB titles and a shared GUID
// (daemon's TestHostileFeedsThroughRunsWiring), repeated GUIDs
// (TestParseSettlesRepeatedGUIDs), JSON Feed items of the wrong type
// (TestParseKeepsAJSONFeedWithBadItems); and since round 25, broken TLS
// (hostile_tls_test.go), oversized headers, validators, links, reason
// phrases and redirect targets, a 304 to an unconditional request
// (hostile_headers_test.go), wrong Content-Types and charsets
// (hostile_types_test.go) and a feed polled again with one GUID for all
// its items (hostile_guid_test.go); and since round 28, a URL that serves
// two feeds in turn and validators new on every request
// (hostile_repoll_test.go), API errors, empty, blank, twice-gzipped and
// BOM-less UTF-16 bodies (hostile_bodies_test.go), answers that are no
// HTTP response (hostile_protocol_test.go), redirect loops across hosts
// (hostile_redirect_test.go), nesting 100,000 deep (hostile_deep_test.go)
// and deflate bombs (hostile_docs_test.go); and since round 29,
// namespaces copied at every element (hostile_namespaces_test.go), too
// many elements or namespaces in scope (hostile_elements_test.go), and
// answers that are no feed — a 206 part, a redirect without Location, a
// status past 599, XML, images and text that are no feed
// (hostile_answers_test.go); and since round 30, bytes after a gzip
// stream and a document a close cut short with no length to tell
// (hostile_framing_test.go), and credentials a redirect or an adopted
// move would have sent to another host or in clear text
// (hostile_downgrade_test.go).

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

// silentListener accepts TCP connections and never answers: the
// publisher whose server hangs after accept.
func silentListener(t *testing.T, ip string) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	testkit.HoldSilently(t, ln)
	return "http://" + ln.Addr().String() + "/rss"
}

// rawResponse hijacks the connection and writes head and body as given,
// then calls end on the connection (close it, reset it).
func rawResponse(w http.ResponseWriter, head, body string, end func(net.Conn)) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	buf.WriteString(head)
	buf.WriteString(body)
	buf.Flush()
	end(conn)
}

func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0) // close with RST, not FIN
	}
	c.Close()
}

func TestHostileTransportsFailAloneWithTheirOwnError(t *testing.T) {
	const ip = "127.0.0.18"
	feedStart := `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><item><title>One</title><link>https://hostile.example/1</link></item>`
	mux := http.NewServeMux()
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		// One byte every 200 ms: every read gets data, so only the
		// whole-poll timeout can end it.
		w.Header().Set("Content-Type", "application/rss+xml")
		for i := 0; r.Context().Err() == nil; i++ {
			if _, err := w.Write([]byte{feedStart[i%len(feedStart)]}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(200 * time.Millisecond):
			case <-r.Context().Done():
			}
		}
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		rawResponse(w, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n", feedStart, resetConn)
	})
	mux.HandleFunc("/bad-chunked", func(w http.ResponseWriter, r *http.Request) {
		rawResponse(w, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n",
			"zz\r\n"+feedStart+"\r\n0\r\n\r\n", func(c net.Conn) { c.Close() })
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><head><title>Sign in</title></head><body><form>Password</form></body></html>`))
	})
	mux.HandleFunc("/json-types", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/feed+json")
		w.Write([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":42,"items":{"id":"1"}}`))
	})
	srv := newServerOn(t, ip, mux)
	silent := silentListener(t, ip)

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	cfg.Timeout = 1500 * time.Millisecond
	u := func(p string) string { return srv.URL + p }
	cases := map[string]struct {
		class string
		want  []string // parts the message holds, after "fetch URL: " ("parse URL: " for a body that is no feed)
	}{
		// The drip is still arriving when the poll's time is up.
		u("/drip"): {ClassTimeout, []string{"read body (", "bytes so far): poll over poller.timeout (1.5s)"}},
		// Accepted, never answered: no response headers within the poll.
		silent:            {ClassTimeout, []string{"poll over poller.timeout (1.5s)"}},
		u("/reset"):       {ClassTruncated, []string{"read body (", "connection reset"}},
		u("/bad-chunked"): {ClassTruncated, []string{"read body (0 bytes so far)", "chunk"}},
		u("/html"):        {ClassParse, []string{"it is an HTML page"}},
		u("/json-types"):  {ClassParse, []string{`not a JSON Feed: its "items" is an object, not a list`}},
	}
	var specs []Spec
	for url := range cases {
		specs = append(specs, Spec{URL: url})
	}
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		c := cases[s.FeedURL]
		if s.LastErrorClass != c.class {
			t.Errorf("%s: class %q, want %q (%s)", s.FeedURL, s.LastErrorClass, c.class, s.LastError)
		}
		verb := "fetch "
		if c.class == ClassParse {
			verb = "parse "
		}
		if !strings.HasPrefix(s.LastError, verb+s.FeedURL+": ") || strings.Count(s.LastError, s.FeedURL) != 1 {
			t.Errorf("%s: last_error %q does not name the feed once, first", s.FeedURL, s.LastError)
		}
		for _, part := range c.want {
			if !strings.Contains(s.LastError, part) {
				t.Errorf("%s: last_error %q, want it to say %q", s.FeedURL, s.LastError, part)
			}
		}
		if s.Health != record.HealthDegraded || s.NextPoll.Sub(s.LastAttempt) < time.Duration(float64(cfg.BackoffInitial)*(1-cfg.BackoffJitter))-time.Second {
			t.Errorf("%s: health %s, next poll %s after the failure: want degraded and a backoff of about backoff_initial (%s)",
				s.FeedURL, s.Health, s.NextPoll.Sub(s.LastAttempt), cfg.BackoffInitial)
		}
	}
}

// A hostile feed holds its own poll, never the others': while a server
// that accepts and never answers, a body that drips a byte at a time on
// the healthy feed's own host, and a 100,000-item document are all being
// polled, the healthy feed beside them keeps being polled on its
// schedule. Counted, not timed: the healthy feed must be polled five
// more times while every hostile poll is still open.
func TestAHealthyFeedKeepsFlowingBesideHostileOnes(t *testing.T) {
	const hostileIP, healthyIP = "127.0.0.18", "127.0.0.19"
	release := make(chan struct{})
	dripping := make(chan struct{}, 1)
	var healthy atomic.Int32
	var archive bytes.Buffer
	archive.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title>`)
	for i := range 100_000 {
		fmt.Fprintf(&archive, `<item><guid>g%d</guid><title>Story %d</title></item>`, i, i)
	}
	archive.WriteString(`</channel></rss>`)
	healthyMux := http.NewServeMux()
	healthyMux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		healthy.Add(1)
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Healthy", "h1", "h2"))
	})
	healthyMux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte("<"))
		w.(http.Flusher).Flush()
		select {
		case dripping <- struct{}{}:
		default:
		}
		for {
			select {
			case <-release:
				return
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
				w.Write([]byte(" "))
				w.(http.Flusher).Flush()
			}
		}
	})
	healthySrv := newServerOn(t, healthyIP, healthyMux)
	hostileSrv := newServerOn(t, hostileIP, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(archive.Bytes())
	}))
	silent := silentListener(t, hostileIP)

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{hostileIP, healthyIP}
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = 50*time.Millisecond, 100*time.Millisecond, 200*time.Millisecond
	cfg.Timeout, cfg.HeaderTimeout = time.Minute, time.Minute // the hostile polls stay open for the whole test
	specs := []Spec{{URL: healthySrv.URL + "/ok"}, {URL: healthySrv.URL + "/drip"}, {URL: silent}, {URL: hostileSrv.URL + "/archive"}}
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := runAcking(t, p)
	defer func() { close(release); stop() }()

	guard := time.After(60 * time.Second) // a guard against hanging, not a timing assertion
	select {
	case <-dripping:
	case <-guard:
		t.Fatal("the dripping feed was never polled")
	}
	from := healthy.Load()
	for healthy.Load() < from+5 {
		select {
		case <-guard:
			t.Fatalf("the healthy feed was polled %d times while a hostile poll was open, want 5", healthy.Load()-from)
		case <-time.After(10 * time.Millisecond):
		}
	}
	for _, s := range p.Health() {
		if s.FeedURL == silent || s.FeedURL == healthySrv.URL+"/drip" {
			if s.Health != "" || s.LastError != "" {
				t.Errorf("%s: %s %q: its poll ended before the test did, so it held nothing", s.FeedURL, s.Health, s.LastError)
			}
		}
	}
}

// With the defaults (header_timeout 20s under timeout 60s) a server that
// accepts and never answers meets header_timeout first; its error names
// the setting and its value, as a poll over poller.timeout does: the
// client's own "timeout awaiting response headers" named neither.
func TestAServerThatNeverAnswersNamesHeaderTimeout(t *testing.T) {
	silent := silentListener(t, "127.0.0.18")
	cfg := testFetcherConfig("127.0.0.18")
	cfg.HeaderTimeout = 300 * time.Millisecond
	f := newTestFetcher(t, cfg)
	_, err := f.fetch(context.Background(), fetchRequest{URL: silent})
	wantClass(t, err, ClassTimeout)
	want := "fetch " + silent + ": no response headers within poller.header_timeout (300ms): net/http: timeout awaiting response headers"
	if err == nil || err.Error() != want {
		t.Errorf("silent server error\n got: %v\nwant: %s", err, want)
	}
}
