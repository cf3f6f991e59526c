package websub

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit/websubtest"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// These cases play a hostile internet client against the callback, which
// is the one listener wirestream exposes to the internet.

// lineLog collects log lines for counting.
type lineLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lineLog) lines(substr string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, ln := range strings.Split(l.buf.String(), "\n") {
		if strings.Contains(ln, substr) {
			out = append(out, ln)
		}
	}
	return out
}

// activeSub builds a subscriber, not running, with one active
// subscription, as FuzzCallback does.
func activeSub(t *testing.T, log *slog.Logger) (*Subscriber, *target, *sub) {
	t.Helper()
	tg := newTarget()
	cfg := testConfig()
	cfg.PublicURL = "https://w.example/websub"
	cfg.MaxPushesPerMinute = 1000
	s, err := New(cfg, Deps{Target: tg, Guard: netguard.New(nil), MaxBodyBytes: 4096, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	s.FeedLinks(feedURL, []string{"https://hub.example/"}, "")
	n := s.byFeed[feedURL]
	n.state, n.leaseEnd = stateActive, time.Now().Add(time.Hour)
	return s, tg, n
}

func post(s *Subscriber, token, sig string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/websub/"+token, body)
	req.RemoteAddr = "203.0.113.7:4711"
	if sig != "" {
		req.Header.Set("X-Hub-Signature", sig)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// A flood of forged deliveries, unknown callbacks and made-up
// verifications is refused, each kind said in the log with where it came
// from, but in a few lines, not one per request: the log is not the
// attacker's to fill.
func TestRefusalsAreLoggedWithTheirSourceButNotFlooded(t *testing.T) {
	var ll lineLog
	s, tg, n := activeSub(t, slog.New(slog.NewTextHandler(&ll, nil)))
	// The limiter's clock stands still while the 4,000 requests run: at
	// load 60 they took 38 s, four of refusalLogEvery's windows, and
	// logged 4 lines a kind where the test wants 1 or 2.
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	s.refused.mu.Lock()
	s.refused.now = func() time.Time { return time.Unix(0, clock.Load()) }
	s.refused.mu.Unlock()
	body := []byte("<feed/>")
	refuseAll := func() {
		post(s, n.token, "sha256="+strings.Repeat("ab", 32), bytes.NewReader(body))
		post(s, n.token, "", bytes.NewReader(body))
		post(s, "nosuchtoken", "", bytes.NewReader(body))
		q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://evil.example/"}, "hub.challenge": {"c"}}
		req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/websub/"+n.token+"?"+q.Encode(), nil)
		req.RemoteAddr = "203.0.113.7:4711"
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	for range 1000 {
		if rec := post(s, n.token, "sha256="+strings.Repeat("ab", 32), bytes.NewReader(body)); rec.Code != http.StatusAccepted {
			t.Fatalf("a forged delivery answered %d; want 202 (the spec: the forger learns nothing)", rec.Code)
		}
		post(s, n.token, "", bytes.NewReader(body))
		post(s, "nosuchtoken", "", bytes.NewReader(body))
		q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://evil.example/" + strings.Repeat("x", 10000)}, "hub.challenge": {"c"}}
		req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/websub/"+n.token+"?"+q.Encode(), nil)
		req.RemoteAddr = "203.0.113.7:4711"
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	nothing(t, tg.pushes, 10*time.Millisecond, "a push")
	for _, kind := range []string{"bad signature", "not signed", "no subscription has this callback", "verification refused"} {
		got := ll.lines(kind)
		if len(got) != 1 {
			t.Errorf("1000 refusals (%s) within %s logged %d lines; want 1", kind, refusalLogEvery, len(got))
			continue
		}
		if !strings.Contains(got[0], "203.0.113.7") {
			t.Errorf("the refusal (%s) does not say where it came from: %.300s", kind, got[0])
		}
		if len(got[0]) > 1500 {
			t.Errorf("the refusal (%s) logs %d bytes of what the client sent; want it cut short", kind, len(got[0]))
		}
	}
	// A window later, the next refusal of each kind is logged, counting
	// those that were not.
	clock.Add(int64(refusalLogEvery))
	refuseAll()
	for _, kind := range []string{"bad signature", "not signed", "no subscription has this callback", "verification refused"} {
		got := ll.lines(kind)
		if len(got) != 2 || !strings.Contains(got[1], "same_refusals_not_logged=999") {
			t.Errorf("a refusal (%s) a window after 1000 logged %d lines (%.600q); want a second saying 999 were not", kind, len(got), got)
		}
	}
}

// blockingBody is a delivery body that arrives slowly: its first Read
// says the handler is reading, then it waits until released.
type blockingBody struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingBody) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.entered) })
	<-b.release
	return 0, io.EOF
}

// Many slow deliveries at once to a known callback (a leaked URL, a
// misbehaving hub) hold at most maxDeliveriesInFlight bodies in memory;
// the rest are told to retry at once, before a byte of theirs is read.
func TestConcurrentSlowDeliveriesAreBounded(t *testing.T) {
	s, tg, n := activeSub(t, nil)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range maxDeliveriesInFlight {
		b := &blockingBody{entered: make(chan struct{}), release: release}
		wg.Go(func() { post(s, n.token, "", b) })
		receive(t, b.entered, "the slow delivery's body being read")
	}
	body := []byte("<feed/>")
	rec := post(s, n.token, websubtest.Sign("sha256", n.secret, body), bytes.NewReader(body))
	close(release)
	wg.Wait()
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("with %d deliveries being read, another answered %d (Retry-After %q); want 503 with Retry-After", maxDeliveriesInFlight, rec.Code, rec.Header().Get("Retry-After"))
	}
	nothing(t, tg.pushes, 10*time.Millisecond, "a push")
	// Once they are done, deliveries are taken again.
	if rec := post(s, n.token, websubtest.Sign("sha256", n.secret, body), bytes.NewReader(body)); rec.Code != http.StatusAccepted {
		t.Errorf("after the slow deliveries ended, a signed one answered %d; want 202", rec.Code)
	}
	receive(t, tg.pushes, "the signed delivery")
}

// A signed delivery captured on the way (a logging proxy, a leaked
// request) and sent again is acknowledged but not handed to the feed a
// second time: an old body could otherwise bring back items the feed has
// since dropped, and repeated it would keep the feed's polling relaxed.
func TestAReplayedDeliveryIsDropped(t *testing.T) {
	s, tg, n := activeSub(t, nil)
	first := []byte("<feed><entry><id>1</id></entry></feed>")
	second := []byte("<feed><entry><id>2</id></entry></feed>")
	for _, b := range [][]byte{first, second} {
		if rec := post(s, n.token, websubtest.Sign("sha256", n.secret, b), bytes.NewReader(b)); rec.Code != http.StatusAccepted {
			t.Fatalf("a signed delivery answered %d; want 202", rec.Code)
		}
		receive(t, tg.pushes, "a signed delivery")
	}
	// The same body again, signed with another method: still a replay.
	for _, method := range []string{"sha256", "sha1"} {
		if rec := post(s, n.token, websubtest.Sign(method, n.secret, first), bytes.NewReader(first)); rec.Code != http.StatusAccepted {
			t.Errorf("a replayed delivery answered %d; want 202 (the spec: 2xx for what is dropped)", rec.Code)
		}
	}
	nothing(t, tg.pushes, 10*time.Millisecond, "a replayed delivery")
	if got := testutil.ToFloat64(s.d.Metrics.Deliveries.WithLabelValues(DeliveryReplayed)); got != 2 {
		t.Errorf("replayed deliveries counted %v; want 2", got)
	}
}

// A verification nobody asked for, for an active subscription, with a
// lease of a year, must not move the lease: the subscriber would then not
// renew for a year while the hub's real lease ends in a day, and pushes
// would stop with the subscription still shown active.
func TestAnUnaskedVerificationDoesNotExtendTheLease(t *testing.T) {
	s, _, n := activeSub(t, nil)
	end := n.leaseEnd
	q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {n.topic}, "hub.challenge": {"c"}, "hub.lease_seconds": {"31536000"}}
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/websub/"+n.token+"?"+q.Encode(), nil)
	s.ServeHTTP(httptest.NewRecorder(), req)
	s.mu.Lock()
	got := n.leaseEnd
	s.mu.Unlock()
	if !got.Equal(end) {
		t.Errorf("an unasked verification moved the lease's end from %s to %s", end.Format(time.DateTime), got.Format(time.DateTime))
	}
}

// endless is a body that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '<'
	}
	return len(p), nil
}

// An endless body is read only up to poller.max_body_bytes and refused
// with 413 (already so before round 29; kept as a case).
func TestAnEndlessBodyIsCutAtTheLimit(t *testing.T) {
	s, tg, n := activeSub(t, nil)
	if rec := post(s, n.token, "sha256=00", endless{}); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an endless body answered %d; want 413", rec.Code)
	}
	nothing(t, tg.pushes, 10*time.Millisecond, "a push")
}

// A pushed gzip body with bytes after its stream (a newline a script
// echoed, padding, an HTML comment a cache appended, a second member then
// garbage) is read as the poller reads a fetched one (feed.GzipReader):
// the stream is the document. Before, gzip.Reader took the bytes for a
// next member's header and the delivery was refused with 400 ("gzip body:
// gzip: invalid header"), though the same body fetched was read. A member
// whose checksum fails is still refused.
func TestAGzipPushWithBytesAfterItsStreamIsRead(t *testing.T) {
	doc := "<rss><channel><item><guid>1</guid></item></channel></rss>"
	member := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	badSum := member(doc)
	badSum[len(badSum)-8] ^= 0xff // the CRC-32
	cases := []struct {
		name string
		body []byte
		code int
		want string
	}{
		{"a newline after the stream", append(member(doc), '\n'), http.StatusAccepted, doc},
		{"CRLF after the stream", append(member(doc), "\r\n"...), http.StatusAccepted, doc},
		{"512 zero bytes of padding", append(member(doc), make([]byte, 512)...), http.StatusAccepted, doc},
		{"an HTML comment a cache appended", append(member(doc), "<!-- cached 0.2s -->"...), http.StatusAccepted, doc},
		{"two members then garbage", append(append(member(doc[:20]), member(doc[20:])...), "junk"...), http.StatusAccepted, doc},
		{"a member whose checksum fails", badSum, http.StatusBadRequest, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, tg, n := activeSub(t, nil)
			req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/websub/"+n.token, bytes.NewReader(c.body))
			req.Header.Set("X-Hub-Signature", websubtest.Sign("sha256", n.secret, c.body))
			req.Header.Set("Content-Encoding", "gzip")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != c.code {
				t.Fatalf("answered %d %q; want %d", rec.Code, rec.Body.String(), c.code)
			}
			if c.code != http.StatusAccepted {
				nothing(t, tg.pushes, 10*time.Millisecond, "a body that does not decompress")
				return
			}
			if got := receive(t, tg.pushes, "the pushed body"); got != c.want {
				t.Errorf("pushed %q; want the stream's document %q", got, c.want)
			}
		})
	}
}

// A password in a feed URL is not said in the callback's log lines (see
// feed.RedactURL): they name the feed as "user:xxxxx@".
func TestAPasswordInAFeedURLIsNotLogged(t *testing.T) {
	var log lineLog
	tg := newTarget()
	cfg := testConfig()
	cfg.PublicURL = "https://w.example/websub"
	s, err := New(cfg, Deps{Target: tg, Guard: netguard.New(nil), MaxBodyBytes: 4096,
		Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	const secretURL = "https://user:s3cret@news.example.com/feed.xml"
	s.FeedLinks(secretURL, []string{"https://hub.example/"}, "")
	n := s.byFeed[secretURL]
	n.state, n.leaseEnd = stateActive, time.Now().Add(time.Hour)
	post(s, n.token, "", strings.NewReader("<rss/>")) // unsigned: refused and logged
	lines := log.lines("feed_url=")
	if len(lines) == 0 {
		t.Fatalf("no log line names the feed:\n%s", log.buf.String())
	}
	for _, ln := range lines {
		if strings.Contains(ln, "s3cret") || !strings.Contains(ln, "user:xxxxx@") {
			t.Errorf("log line %q; want the feed named as user:xxxxx@", ln)
		}
	}
}

// FuzzDecodeBody: a pushed body is the hub's bytes, outside input. Any
// Content-Encoding and body decode without panicking and within the limit;
// a gzip stream followed by bytes that do not begin another member decodes
// to the stream's content, whole, as a fetched body does.
func FuzzDecodeBody(f *testing.F) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	f.Add("gzip", []byte("<rss/>"), []byte("\n"))
	f.Add("gzip", []byte("<rss/>"), []byte("\r\n"))
	f.Add("x-gzip", []byte("<rss/>"), make([]byte, 512))
	f.Add("gzip", []byte("<rss/>"), []byte("<!-- cached -->"))
	f.Add("gzip", []byte("<rss/>"), append(gz([]byte("<more/>")), "junk"...))
	f.Add("gzip", []byte("<rss/>"), []byte("\x1f\x8b\x08"))
	f.Add("identity", []byte("<rss/>"), []byte(""))
	f.Add("br", []byte(""), []byte("\x1f"))
	const limit = 4096
	f.Fuzz(func(t *testing.T, encoding string, doc, trailing []byte) {
		if len(doc) > limit {
			return
		}
		raw := append(gz(doc), trailing...)
		got, err := decodeBody(raw, encoding, limit)
		if int64(len(got)) > limit {
			t.Fatalf("decoded %d bytes over the %d byte limit", len(got), limit)
		}
		e := strings.ToLower(strings.TrimSpace(encoding))
		member := len(trailing) >= 2 && trailing[0] == 0x1f && trailing[1] == 0x8b
		if (e == "gzip" || e == "x-gzip") && !member && (err != nil || !bytes.Equal(got, doc)) {
			t.Fatalf("gzip(%q) + %q: %q, %v; want the document", doc, trailing, got, err)
		}
	})
}

// A hub that grants a lease of one second (the spec lets a hub grant
// less than asked) was renewed half way through it, verified with one
// second again, and so on: two subscription requests a second for each
// of the hub's feeds, for ever, each reset to the backoff's start by the
// verification before it. A renewal comes no sooner than retry_initial
// after the last verification, as a failed request is retried: a lease
// shorter than that lapses, the feed is polled normally meanwhile, and
// the hub is asked again then.
func TestAHubGrantingSecondLongLeasesIsNotRenewedEveryHalfSecond(t *testing.T) {
	hub := websubtest.Start()
	defer hub.Close()
	hub.Set(func(h *websubtest.Hub) { h.Lease = time.Second })
	cfg := testConfig()
	cfg.RetryInitial, cfg.RetryMax = time.Hour, 2*time.Hour
	r := start(t, cfg, true)
	subscribed(t, r, hub)
	// Either the lease lapses (no renewal came in time) or the hub sees
	// renewals: whichever comes first ends the wait.
	lapsed := false
	eventually(t, "the lease to lapse or renewals to reach the hub", func() bool {
		select {
		case <-r.t.stopped:
			lapsed = true
		default:
		}
		return lapsed || len(hub.Requests()) >= 3
	})
	if n := len(hub.Requests()); n != 1 || !lapsed {
		t.Errorf("the hub got %d subscription requests (lapsed: %v); want the first only, the second after retry_initial (1h)", n, lapsed)
	}
}

// A hub is named by a feed, so it is outside input as a feed server is:
// its answer's headers are bounded as a feed's are (the transport's own
// bound is 10 MB, read into memory for every subscription request and
// renewal, one per feed of the hub at once up to the per-host limit). A
// hub answering 202 with megabytes of headers is a failed request.
func TestAHubAnsweringMegabytesOfHeadersIsRefused(t *testing.T) {
	var asked atomic.Int32
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		pad := strings.Repeat("p", 1000)
		for i := range 4 << 10 { // 4 MB
			w.Header().Set(fmt.Sprintf("X-Pad-%d", i), pad)
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer hub.Close()
	r := start(t, testConfig(), true)
	r.s.FeedLinks(feedURL, []string{hub.URL + "/hub"}, feedURL)
	eventually(t, "the subscription request answered", func() bool {
		return testutil.ToFloat64(r.m.HubRequests.WithLabelValues("subscribe", "error"))+
			testutil.ToFloat64(r.m.HubRequests.WithLabelValues("subscribe", "accepted")) >= 1
	})
	if n := testutil.ToFloat64(r.m.HubRequests.WithLabelValues("subscribe", "accepted")); n != 0 {
		t.Errorf("a 202 with 4 MB of headers was taken as accepted (%v times); want a failed request", n)
	}
}

// max_pushes_per_minute counts deliveries, not their size: a hub could
// push a different document of poller.max_body_bytes 60 times a minute
// (the default), each parsed in the feed's loop — 600 MiB a minute of
// parsing for one feed, where its polls bring one document per poll.
// Deliveries also spend a byte allowance: max_body_bytes a minute, up to
// two documents of it at once; past it, 429 with Retry-After, as for too
// many deliveries.
func TestAHubPushingMaxSizeDocumentsIsHeldToABytesAllowance(t *testing.T) {
	s, tg, n := activeSub(t, nil) // max_body_bytes 4096, 1,000 pushes a minute
	accepted, limited := 0, 0
	for i := range 20 {
		body := append(fmt.Appendf(nil, "<feed><id>%d</id>", i), bytes.Repeat([]byte("x"), 4000)...)
		rec := post(s, n.token, websubtest.Sign("sha256", n.secret, body), bytes.NewReader(body))
		switch rec.Code {
		case http.StatusAccepted:
			accepted++
			receive(t, tg.pushes, "an accepted delivery")
		case http.StatusTooManyRequests:
			limited++
			if rec.Header().Get("Retry-After") == "" {
				t.Errorf("a 429 without Retry-After")
			}
		default:
			t.Fatalf("delivery %d answered %d", i, rec.Code)
		}
	}
	if accepted > 3 || limited == 0 {
		t.Errorf("20 signed deliveries of ~4 KB within a moment: %d accepted, %d refused; want about two max_body_bytes' worth accepted (8 KB), the rest 429", accepted, limited)
	}
}

// A subscription request carries hub.secret, the key every delivery is
// signed with. A hub on https answering 307 (or 308) to an http URL had
// Go's client send the form again, secret and all, in clear text: anyone
// on the way could then sign deliveries of their own. A hub's redirect
// from https to http is refused, as a feed's configured headers are kept
// from one (round 30).
func TestAHubRedirectFromHTTPSToHTTPDoesNotSendTheSecretInClear(t *testing.T) {
	var clear atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() == nil && r.PostForm.Get("hub.secret") != "" {
			clear.Add(1)
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer plain.Close()
	tlsHub := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/hub", http.StatusTemporaryRedirect)
	}))
	defer tlsHub.Close()
	r := start(t, testConfig(), true)
	r.s.client.Transport.(*http.Transport).TLSClientConfig = tlsHub.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	r.s.FeedLinks(feedURL, []string{tlsHub.URL + "/hub"}, feedURL)
	eventually(t, "the subscription request answered", func() bool {
		return testutil.ToFloat64(r.m.HubRequests.WithLabelValues("subscribe", "error"))+
			testutil.ToFloat64(r.m.HubRequests.WithLabelValues("subscribe", "accepted")) >= 1
	})
	if n := clear.Load(); n != 0 {
		t.Errorf("hub.secret reached the plain-http URL %d times after the https hub's redirect", n)
	}
}
