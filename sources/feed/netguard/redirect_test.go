package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func serveOn(t *testing.T, ip string, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// A client wired as the feed fetcher and the WebSub hub client are.
func guardedClient(g *Guard) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, ControlContext: g.ControlContext}
	return &http.Client{
		Transport: &http.Transport{DialContext: d.DialContext, Proxy: nil},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return g.CheckRedirect(req)
		},
	}
}

// allow_networks opens a network for the feeds the operator serves there
// (the README's example: 127.0.0.1/32, where the ops listener and the
// embedded broker listen too). It opened it to every redirect: a public
// feed answering 302 to http://127.0.0.1:9464/debug/pprof/profile or to
// an intranet page had the poller send the GET. A redirect from a public
// address into a network only an allow entry admits is now refused
// before anything is sent; within the operator's networks redirects go
// on. On loopback, 127.0.0.18 stands for a public address (g.public).
func TestARedirectFromAPublicAddressIntoAnAllowedNetworkIsRefused(t *testing.T) {
	const public, inside = "127.0.0.18", "127.0.0.19"
	var hits atomic.Int32
	in := serveOn(t, inside, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
		case "/to-public":
			http.Redirect(w, r, "http://"+r.Header.Get("X-Public")+"/feed", http.StatusFound)
		case "/feed":
			w.Write([]byte("<rss/>"))
		default:
			hits.Add(1)
			w.Write([]byte("internal"))
		}
	}))
	hostile := serveOn(t, public, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			w.Write([]byte("<rss/>"))
			return
		}
		target := in.URL + "/debug/pprof/profile?seconds=600"
		if r.URL.Path == "/by-name" {
			target = strings.Replace(target, inside, "localhost", 1)
		}
		http.Redirect(w, r, target, http.StatusFound)
	}))
	allow := []netip.Prefix{netip.MustParsePrefix(public + "/32"), netip.MustParsePrefix(inside + "/32"),
		netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	g := New(allow)
	g.public = []netip.Prefix{netip.MustParsePrefix(public + "/32")}
	c := guardedClient(g)
	get := func(url string) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(g.Follow(context.Background()), http.MethodGet, url, nil)
		req.Header.Set("X-Public", strings.TrimPrefix(hostile.URL, "http://"))
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}

	// Within the allowed network a redirect is followed; its connection
	// stays pooled for what follows, which must not reuse it.
	if resp, err := get(in.URL + "/moved"); err != nil || resp.Request.URL.Path != "/feed" {
		t.Fatalf("a redirect within the allowed network: %v", err)
	}
	// Out of it, to a public address, too.
	if _, err := get(in.URL + "/to-public"); err != nil {
		t.Errorf("a redirect from the allowed network to a public address: %v", err)
	}
	for _, path := range []string{"/feed.xml", "/by-name"} {
		_, err := get(hostile.URL + path)
		if !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), "a redirect from the public address 127.0.0.18") {
			t.Errorf("%s: a redirect from a public address into the allowed network: err %v, want it refused", path, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the service on the allowed network got %d requests through a public feed's redirect", n)
	}
	// A request not set up by Follow is not held (nor is any without
	// an allow entry: Follow leaves its context as it is).
	if New(nil).Follow(context.Background()) != context.Background() {
		t.Error("Follow without an allow entry changed the context")
	}
}

// The dial is checked too: a name that resolved to a public address when
// CheckRedirect looked and to an allowed one at the dial (DNS rebinding).
func TestARedirectsDialIntoAnAllowedNetworkFromAPublicAddressIsRefused(t *testing.T) {
	g := New([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
	ctx := context.WithValue(context.Background(), hopsKey{}, &hops{from: netip.MustParseAddr("93.184.216.34")})
	if err := g.ControlContext(ctx, "tcp", "10.1.2.3:80", nil); !errors.Is(err, ErrBlocked) {
		t.Errorf("a redirect's dial from a public address into 10/8: %v, want refused", err)
	}
	// The same address carried in NAT64 or 6to4.
	for _, to := range []string{"[64:ff9b::a01:203]:80", "[2002:a01:203::1]:80"} {
		if err := g.ControlContext(ctx, "tcp", to, nil); !errors.Is(err, ErrBlocked) {
			t.Errorf("a redirect's dial from a public address to %s (10.1.2.3 embedded): %v, want refused", to, err)
		}
	}
	ctx = context.WithValue(context.Background(), hopsKey{}, &hops{from: netip.MustParseAddr("10.9.9.9")})
	if err := g.ControlContext(ctx, "tcp", "10.1.2.3:80", nil); err != nil {
		t.Errorf("a redirect's dial within 10/8: %v, want allowed", err)
	}
	if err := g.ControlContext(context.Background(), "tcp", "10.1.2.3:80", nil); err != nil {
		t.Errorf("a first request's dial into 10/8: %v, want allowed", err)
	}
}
