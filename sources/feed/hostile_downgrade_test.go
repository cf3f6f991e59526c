package feed

import (
	"bufio"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// tlsOrPlain serves h on one 127.0.0.1 port in TLS and in plain HTTP
// (told apart by the first byte, a TLS handshake's 0x16): a server whose
// https URL redirects to its own http URL, on the same host and port.
// It returns the https and http base URLs and the client's TLS config.
func tlsOrPlain(t *testing.T, h http.Handler) (httpsURL, httpURL string, client *tls.Config) {
	t.Helper()
	// httptest's certificate, which names 127.0.0.1.
	cert := httptest.NewUnstartedServer(nil)
	cert.StartTLS()
	serverTLS, client := cert.TLS.Clone(), cert.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	cert.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(sniffListener{Listener: ln, tls: serverTLS})
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()
	return "https://" + addr, "http://" + addr, client
}

type sniffListener struct {
	net.Listener
	tls *tls.Config
}

func (l sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	first, _ := br.Peek(1)
	c.SetReadDeadline(time.Time{})
	pc := &peekedConn{Conn: c, r: br}
	if len(first) == 1 && first[0] == 0x16 {
		return tls.Server(pc, l.tls), nil
	}
	return pc, nil
}

type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// A feed's configured headers may carry its credentials (an API key, a
// bearer token). They went to wherever the feed redirected on its own
// host, so an https feed redirecting to its own http URL (a load
// balancer's rule, a CMS's "site URL" set to http) sent them in clear
// text, readable on every network between — curl drops credentials on a
// change of scheme (CVE-2022-27774). And a permanent redirect, once
// adopted, was fetched with them directly: a 301 to another host got the
// credentials the redirect itself had withheld, at every poll after the
// first. They go only to the configured URL's host now, and over TLS
// once its URL was https, whether a redirect leads there or a move was
// adopted; the feeds are still read, their User-Agent still sent. A
// redirect from http to https keeps them (they went in clear already,
// and an http feed whose host moved to https would lose its access).
func TestConfiguredHeadersGoOnlyToTheFeedsHostAndNeverInClearAfterHTTPS(t *testing.T) {
	type hop struct {
		requests, keyed int
		agent           string
	}
	var mu sync.Mutex
	hops := map[string]*hop{} // "scheme host path" → what it received
	note := func(r *http.Request, host string) {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		mu.Lock()
		defer mu.Unlock()
		k := scheme + " " + host + " " + r.URL.Path
		if hops[k] == nil {
			hops[k] = &hop{}
		}
		hops[k].requests++
		if r.Header.Get("Authorization") != "" || r.Header.Get("X-Api-Key") != "" {
			hops[k].keyed++
		}
		hops[k].agent = r.Header.Get("User-Agent")
	}
	serve := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Keyed "+r.URL.Path, strings.TrimPrefix(r.URL.Path, "/")))
	}
	other := newServerOn(t, "127.0.0.19", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		note(r, "other")
		serve(w, r)
	}))
	var httpsURL, httpURL string
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		note(r, "feed")
		switch {
		case r.URL.Path == "/down" && r.TLS != nil:
			http.Redirect(w, r, httpURL+"/down", http.StatusMovedPermanently)
		case r.URL.Path == "/up" && r.TLS == nil:
			http.Redirect(w, r, httpsURL+"/up", http.StatusMovedPermanently)
		case r.URL.Path == "/away":
			http.Redirect(w, r, other.URL+"/away", http.StatusMovedPermanently)
		default:
			serve(w, r)
		}
	})
	var client *tls.Config
	httpsURL, httpURL, client = tlsOrPlain(t, mux)
	headers := map[string]string{"Authorization": "Bearer s3cret", "X-Api-Key": "k3y"}
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.1", "127.0.0.19"}
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = 50*time.Millisecond, 100*time.Millisecond, 200*time.Millisecond
	specs := []Spec{{URL: httpsURL + "/down", Headers: headers}, {URL: httpURL + "/up", Headers: headers}, {URL: httpsURL + "/away", Headers: headers}}
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.fetcher.transport.TLSClientConfig = client
	stop := runAcking(t, p)
	defer stop()
	// Three polls of each feed: the first follows the redirect, the
	// others fetch where the feed moved.
	moved := []string{"http feed /down", "https feed /up", "http other /away"}
	guard := time.After(30 * time.Second) // a guard against hanging, not a timing assertion
	for done := false; !done; {
		mu.Lock()
		done = true
		for _, k := range moved {
			if hops[k] == nil || hops[k].requests < 3 {
				done = false
			}
		}
		mu.Unlock()
		select {
		case <-guard:
			t.Fatalf("the feeds were not polled three times each in 30 s: %+v", p.Health())
		case <-time.After(10 * time.Millisecond):
		}
	}
	for _, s := range p.Health() {
		if s.Health != record.HealthOK || s.LastError != "" || s.MovedTo == "" {
			t.Errorf("%s: %s, %q, moved to %q: want it read where it moved", s.FeedURL, s.Health, s.LastError, s.MovedTo)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, c := range []struct {
		hop   string
		keyed bool
	}{{"https feed /down", true}, {"http feed /down", false}, {"http feed /up", true}, {"https feed /up", true},
		{"https feed /away", true}, {"http other /away", false}} {
		h := hops[c.hop]
		if h == nil {
			t.Errorf("%s: never requested", c.hop)
			continue
		}
		if want := map[bool]int{true: h.requests, false: 0}[c.keyed]; h.keyed != want {
			t.Errorf("%s: %d of %d requests carried the configured headers, want %d", c.hop, h.keyed, h.requests, want)
		}
		if h.agent != cfg.UserAgent {
			t.Errorf("%s: User-Agent %q, want the poller's", c.hop, h.agent)
		}
	}
}
