package feed

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// tlsServerOn starts an httptest TLS server on one loopback address: its
// certificate is httptest's own, which no system pool trusts, and names
// 127.0.0.1, not ip.
func tlsServerOn(t *testing.T, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// closingListener reads the start of what a client sends and then closes
// the connection unread: a server that drops the TLS handshake.
func closingListener(t *testing.T, ip string) string {
	t.Helper()
	return "https://" + rawListener(t, ip, func(c net.Conn) {
		c.Read(make([]byte, 16))
		resetConn(c)
	}) + "/rss"
}

// A publisher whose TLS is broken fails its own feed with class tls (or
// timeout, naming the setting), never another's: a certificate no pool
// trusts, an https URL whose port speaks plain HTTP (the transport's
// "server gave HTTP response to HTTPS client" was classed connect, as if
// nothing answered), a server that accepts and never completes the
// handshake (the transport's "TLS handshake timeout" named neither
// poller.connect_timeout nor its value), one that answers the
// ClientHello with garbage, and one that drops the connection mid-
// handshake. A plain feed on the same host stays healthy.
func TestBrokenTLSFailsItsFeedAloneWithClassTLS(t *testing.T) {
	const ip = "127.0.0.18"
	feed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Plain", "p1", "p2"))
	})
	untrusted := tlsServerOn(t, ip, feed)
	plain := newServerOn(t, ip, feed)
	silent := silentListener(t, ip)
	garbage := rawListener(t, ip, func(c net.Conn) {
		c.Read(make([]byte, 16))
		// A handshake record announcing a 6 MB message.
		c.Write([]byte("\x16\x03\x01\x00\x05hello"))
		c.Close()
	})

	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	// The real handshakes get a timeout no loaded box reaches (at 500 ms they
	// timed out at load 28, at 2 s under -race at load ≈ 50, and read as class
	// timeout); only the silent server is polled with a short one, alone, since
	// its error names the setting's value.
	cfg.ConnectTimeout = 20 * time.Second
	silentCfg := cfg
	silentCfg.ConnectTimeout = 2 * time.Second
	silentURL := "https" + strings.TrimPrefix(silent, "http")
	cases := map[string]struct {
		class string
		want  string
	}{
		untrusted.URL + "/rss":                               {ClassTLS, "tls: failed to verify certificate: x509: certificate"},
		"https://" + plain.Listener.Addr().String() + "/rss": {ClassTLS, "http: server gave HTTP response to HTTPS client"},
		silentURL:                     {ClassTimeout, "no TLS handshake within poller.connect_timeout (2s): net/http: TLS handshake timeout"},
		"https://" + garbage + "/rss": {ClassTLS, "tls: handshake message of length"},
		closingListener(t, ip):        {ClassConnect, "connection reset by peer"},
		plain.URL + "/rss":            {"", ""},
	}
	var specs []Spec
	for u := range cases {
		if u != silentURL {
			specs = append(specs, Spec{URL: u})
		}
	}
	got, _ := pollEach(t, cfg, specs, nil)
	silentGot, _ := pollEach(t, silentCfg, []Spec{{URL: silentURL}}, nil)
	for _, s := range append(got, silentGot...) {
		c := cases[s.FeedURL]
		if c.class == "" {
			if s.Health != record.HealthOK || s.LastError != "" {
				t.Errorf("%s: %s %q, want the plain feed beside the broken ones healthy", s.FeedURL, s.Health, s.LastError)
			}
			continue
		}
		if s.LastErrorClass != c.class || !strings.Contains(s.LastError, c.want) {
			t.Errorf("%s: class %q, error %q\nwant class %q, an error saying %q", s.FeedURL, s.LastErrorClass, s.LastError, c.class, c.want)
		}
		if !strings.HasPrefix(s.LastError, "fetch "+s.FeedURL+": ") {
			t.Errorf("%s: last_error %q does not name the feed first", s.FeedURL, s.LastError)
		}
		if s.Health != record.HealthDegraded {
			t.Errorf("%s: health %s after one failed poll, want degraded", s.FeedURL, s.Health)
		}
	}
}

// rawListener serves every connection with serve, for byte-level
// misbehaviour; it returns host:port.
func rawListener(t *testing.T, ip string, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}
