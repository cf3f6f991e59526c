package feed

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The per-host limit's key names a host however a URL spells it: case,
// a default or any port, a trailing dot (the root of DNS: "host." is the
// name "host" fully qualified, the same address) and an IPv4 address
// mapped into IPv6. Spelled apart, one host got a second set of slots.
func TestHostKeyNamesOneHostHoweverItIsSpelled(t *testing.T) {
	for _, c := range []struct{ name, url, want string }{
		{"lower case", "https://news.example/feed", "news.example"},
		{"upper case", "https://NEWS.Example/feed", "news.example"},
		{"the default port", "https://news.example:443/feed", "news.example"},
		{"another port", "http://news.example:8080/feed", "news.example"},
		{"a trailing dot", "https://news.example./feed", "news.example"},
		{"a trailing dot, upper case and a port", "http://NEWS.EXAMPLE.:80/feed", "news.example"},
		{"an IPv4 address", "http://192.0.2.7/feed", "192.0.2.7"},
		{"an IPv4 address mapped into IPv6", "http://[::ffff:192.0.2.7]/feed", "192.0.2.7"},
		{"an IPv6 address spelled long", "http://[2001:DB8:0:0::1]:8080/feed", "2001:db8::1"},
		// An internationalized name is one host in Unicode and in punycode:
		// net/http sends the request for either to the punycode name.
		{"an IDN host in Unicode", "https://bücher.example/feed", "xn--bcher-kva.example"},
		{"an IDN host in punycode", "https://xn--bcher-kva.example/feed", "xn--bcher-kva.example"},
		{"an IDN host in Unicode, upper case, a trailing dot", "https://BÜCHER.example./feed", "xn--bcher-kva.example"},
		{"an IDN host in punycode, upper case", "https://XN--BCHER-KVA.Example:443/feed", "xn--bcher-kva.example"},
		{"a real IDN host in Unicode", "https://müller.de/rss", "xn--mller-kva.de"},
		{"a real IDN host in punycode", "https://xn--mller-kva.de/rss", "xn--mller-kva.de"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := HostKey(c.url); got != c.want {
				t.Errorf("HostKey(%q) = %q, want %q", c.url, got, c.want)
			}
		})
	}
}

// Feeds of one host in several spellings, and one feed redirecting to
// its host spelled with a trailing dot, share per_host_concurrency: the
// host never serves more requests at once than that. Before, "host." and
// "host" each had their slots, so a config listing both spellings, or a
// redirect to the other one, doubled what the host got.
func TestSpellingsOfOneHostShareItsSlots(t *testing.T) {
	specs := []Spec{
		{URL: "http://feeds.example/a"},
		{URL: "http://FEEDS.example:80/b"},
		{URL: "http://feeds.example./c"},
		{URL: "http://Feeds.Example.:80/d"},
		{URL: "http://feeds.example/e"},
	}
	pollOneServerWithOneSlot(t, specs, func(busy http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/e" {
				http.Redirect(w, r, "http://feeds.example./e-doc", http.StatusFound)
				return
			}
			busy.ServeHTTP(w, r)
		})
	})
}

// An internationalized host listed in Unicode and in punycode is one host
// for per_host_concurrency: before, müller.de and xn--mller-kva.de each had
// their slots, and the one server they name served two requests at once.
func TestUnicodeAndPunycodeSpellingsOfAHostShareItsSlots(t *testing.T) {
	specs := []Spec{
		{URL: "http://müller.de/a"},
		{URL: "http://xn--mller-kva.de/b"},
		{URL: "http://MÜLLER.de/c"},
		{URL: "http://XN--MLLER-KVA.DE./d"},
	}
	pollOneServerWithOneSlot(t, specs, func(busy http.Handler) http.Handler { return busy })
}

// pollOneServerWithOneSlot polls specs once with per_host_concurrency 1,
// every host name dialled to one test server (serve wraps its handler),
// and fails unless each feed was read and the server never served two
// requests at once.
func pollOneServerWithOneSlot(t *testing.T, specs []Spec, serve func(busy http.Handler) http.Handler) {
	t.Helper()
	busy := newBusyHost(len(specs), 50*time.Millisecond)
	srv := httptest.NewServer(serve(busy))
	t.Cleanup(srv.Close)
	cfg := DefaultConfig()
	cfg.StartSpread = 0
	cfg.PerHostConcurrency = 1
	got, _ := pollEachWith(t, cfg, specs, nil, func(p *Poller) {
		var d net.Dialer
		p.fetcher.transport.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, srv.Listener.Addr().String())
		}
	})
	for _, s := range got {
		if s.LastError != "" || s.ItemsFound != 1 {
			t.Errorf("%s: error %q, %d items; want read", s.FeedURL, s.LastError, s.ItemsFound)
		}
	}
	if peak := busy.peakSeen(); peak > cfg.PerHostConcurrency {
		t.Errorf("the host served %d requests at once, want at most per_host_concurrency (%d)", peak, cfg.PerHostConcurrency)
	}
}
