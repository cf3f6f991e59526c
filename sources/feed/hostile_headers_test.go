package feed

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A publisher's validators and links are kept in the feed's state, saved
// after every poll (in the fetcher role a record of the feed_state topic,
// which Kafka refuses over 1 MB) and sent back with every request. Headers
// and documents of megabytes must not make them megabytes: an ETag, a
// Last-Modified, a hub or a self URL past its bound is not kept (as if the
// server had sent none), and the feed's items still flow.
func TestOversizedValidatorsAndLinksAreNotKept(t *testing.T) {
	const ip = "127.0.0.18"
	huge := strings.Repeat("A", 60<<10) // three headers of it stay under maxResponseHeaderBytes
	var mu sync.Mutex
	var requests []http.Header
	srv := newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"`+huge+`"`)
		w.Header().Set("Last-Modified", "Mon, 01 Dec 2026 10:00:00 GMT "+huge)
		w.Header().Add("Link", "<https://hub.example/"+huge+">; rel=hub")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Big</title>`+
			`<atom:link rel="hub" href="https://hub2.example/%s"/><atom:link rel="self" href="https://self.example/%s"/>`+
			`<item><guid>a</guid><title>A</title><link>https://big.example/a</link></item>`+
			`<item><guid>b</guid><title>B</title><link>https://big.example/b</link></item></channel></rss>`, huge, huge)
	}), func(s *http.Server) {
		// A server gets a request header of 1 MB at most (Go's default):
		// the hostile one here reads whatever it is sent.
		s.MaxHeaderBytes = 4 << 20
	})

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = 50*time.Millisecond, 100*time.Millisecond, 200*time.Millisecond
	url := srv.URL + "/rss"
	store := newMemStore()
	p, err := NewPoller(cfg, []Spec{{URL: url}}, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	var wg sync.WaitGroup
	wg.Go(func() { _ = p.Run(ctx, out) })
	items := 0
	wg.Go(func() {
		for {
			select {
			case b := <-out:
				items += len(b.Items)
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	})
	guard := time.After(30 * time.Second) // a guard against hanging, not a timing assertion
	for polled := 0; polled < 3; {
		select {
		case <-guard:
			t.Fatalf("polled %d times in 30 s, want 3: %+v", polled, p.Health())
		case <-time.After(10 * time.Millisecond):
		}
		mu.Lock()
		polled = len(requests)
		mu.Unlock()
	}
	cancel()
	wg.Wait()

	if items != 2 {
		t.Errorf("%d items delivered, want the feed's 2", items)
	}
	data := store.data[url]
	st := store.state(url)
	if len(data) > 16<<10 || st.ETag != "" || st.LastModified != "" || len(st.Links.Hubs) != 0 || st.Links.Self != "" {
		t.Errorf("saved state of %d bytes: etag %d bytes, last_modified %d, hubs %d, self %d; want none of the oversized values kept",
			len(data), len(st.ETag), len(st.LastModified), len(st.Links.Hubs), len(st.Links.Self))
	}
	mu.Lock()
	defer mu.Unlock()
	for i, h := range requests {
		if n := len(h.Get("If-None-Match")) + len(h.Get("If-Modified-Since")); n > 0 {
			t.Errorf("request %d sent %d bytes of validators back, want none", i+1, n)
		}
	}
}

// A response whose headers run to megabytes is refused once they pass
// maxResponseHeaderBytes, as too_large (the transport's own bound is
// 10 MB, and its error was classed connect).
func TestMegabytesOfResponseHeadersAreRefusedAsTooLarge(t *testing.T) {
	const ip = "127.0.0.18"
	addr := rawListener(t, ip, func(c net.Conn) {
		defer c.Close()
		c.Read(make([]byte, 4096))
		fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
		line := "X-Pad: " + strings.Repeat("p", 1000) + "\r\n"
		for range 4 << 10 { // 4 MB
			if _, err := fmt.Fprint(c, line); err != nil {
				return
			}
		}
		fmt.Fprint(c, "\r\n")
		c.Write(rssDoc("Padded", "a"))
	})
	f := newTestFetcher(t, testFetcherConfig(ip))
	url := "http://" + addr + "/rss"
	_, err := f.fetch(context.Background(), fetchRequest{URL: url})
	fe := wantClass(t, err, ClassTooLarge)
	if want := fmt.Sprintf("fetch %s: response headers over %d bytes", url, maxResponseHeaderBytes); !strings.HasPrefix(fe.Error(), want) {
		t.Errorf("error %q, want it to start %q", fe.Error(), want)
	}
}

// A status line's reason phrase is the server's own text, and reaches
// the log, feed_status and the terminal of whoever runs feeds status: a
// hostile server's escape sequences (clear the screen, retitle the
// window) and a reason of 100 KB are kept out of the feed's error, which
// still says the status.
func TestAStatusLineOfEscapeSequencesIsSaidPlainly(t *testing.T) {
	const ip = "127.0.0.18"
	reason := "\x1b[2J\x1b]0;pwned\x07Service\x00 Unavailable" + strings.Repeat("!", 100<<10)
	addr := rawListener(t, ip, func(c net.Conn) {
		defer c.Close()
		c.Read(make([]byte, 4096))
		fmt.Fprintf(c, "HTTP/1.1 503 %s\r\nContent-Length: 0\r\n\r\n", reason)
	})
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	url := "http://" + addr + "/rss"
	got, _ := pollEach(t, cfg, []Spec{{URL: url}}, nil)
	s := got[0]
	if s.LastErrorClass != Class5xx || s.HTTPStatus != 503 || !strings.HasPrefix(s.LastError, "fetch "+url+": HTTP 503 [2J]0;pwnedService Unavailable!!!") {
		t.Errorf("class %q, status %d, error %q: want http_5xx, 503 and the reason without its control characters", s.LastErrorClass, s.HTTPStatus, s.LastError)
	}
	if strings.ContainsFunc(s.LastError, unicode.IsControl) {
		t.Errorf("last_error %q holds control characters", s.LastError)
	}
	f := newTestFetcher(t, testFetcherConfig(ip))
	_, err := f.fetch(context.Background(), fetchRequest{URL: url})
	if n := len(err.Error()); n > 400 {
		t.Errorf("the error the log carries is %d bytes, want the reason cut", n)
	}
}

// An unreadable Content-Encoding is named in the error, which is logged
// on every poll: one of 200 KB is cut there.
func TestAnUnreadableContentEncodingIsNamedShort(t *testing.T) {
	const ip = "127.0.0.18"
	srv := newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br"+strings.Repeat(", gzip", 200<<10/6))
		w.Write([]byte("x"))
	}))
	f := newTestFetcher(t, testFetcherConfig(ip))
	_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/rss"})
	fe := wantClass(t, err, ClassEncoding)
	if msg := fe.Error(); len(msg) > 400 || !strings.Contains(msg, `Content-Encoding "br, gzip, gzip`) || !strings.HasSuffix(msg, "unsupported Content-Encoding") {
		t.Errorf("error of %d bytes: %.300q…, want the encoding named and cut", len(msg), msg)
	}
}

// A redirect's Location is the server's text, as long as the headers
// allow: a permanent move to a URL of 100 KB is followed but not adopted
// (the new URL would be saved in the state and named in every
// feed_status), and a redirect loop through such URLs is named with each
// hop cut.
func TestRedirectsToHugeURLsAreFollowedNotKept(t *testing.T) {
	const ip = "127.0.0.18"
	long := "/" + strings.Repeat("m", 100<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, long, http.StatusMovedPermanently)
	})
	mux.HandleFunc(long, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Moved", "m1"))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop2"+long, http.StatusFound)
	})
	mux.HandleFunc("/loop2"+long, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	srv := newServerOn(t, ip, mux, func(s *http.Server) { s.MaxHeaderBytes = 1 << 20 })
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	moved, loop := srv.URL+"/moved", srv.URL+"/loop"
	store := newMemStore()
	p, err := NewPoller(cfg, []Spec{{URL: moved}, {URL: loop}}, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := pollItemsWith(t, p, 2) // a failed poll delivers its feed_status too
	if items := got[moved]; len(items) != 1 || items[0].Title != "Story m1" {
		t.Errorf("the moved feed delivered %+v, want its one item", items)
	}
	for _, s := range p.Health() {
		if s.FeedURL == loop {
			if s.LastErrorClass != ClassRedirect || !strings.Contains(s.LastError, "redirect loop") || len(s.LastError) > 400 {
				t.Errorf("loop: class %q, error of %d bytes %.200q…", s.LastErrorClass, len(s.LastError), s.LastError)
			}
		}
	}
	if st := store.state(moved); st.FetchURL != "" {
		t.Errorf("the state keeps a fetch URL of %d bytes, want none", len(st.FetchURL))
	}
}

// A server that answers 304 Not Modified to a request without validators
// (a broken cache before it) never sends the feed: the feed fails, backed
// off and reported, where it looked ok with no item ever.
func TestANotModifiedToAnUnconditionalRequestIsAFailure(t *testing.T) {
	const ip = "127.0.0.18"
	srv := newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	url := srv.URL + "/rss"
	got, _ := pollEach(t, cfg, []Spec{{URL: url}}, nil)
	s := got[0]
	want := "fetch " + url + ": HTTP 304 Not Modified to a request that sent no validator"
	if s.Health != record.HealthDegraded || s.LastErrorClass != ClassRedirect || s.HTTPStatus != 304 || s.LastError != want {
		t.Errorf("health %s, class %q, status %d, error %q; want degraded, redirect, 304, %q", s.Health, s.LastErrorClass, s.HTTPStatus, s.LastError, want)
	}
	if d := s.NextPoll.Sub(s.LastAttempt); d < time.Duration(float64(cfg.BackoffInitial)*(1-cfg.BackoffJitter))-time.Second {
		t.Errorf("next poll %s after, want a backoff of about backoff_initial (%s)", d, cfg.BackoffInitial)
	}
}
