package feed

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// newServerOn starts an httptest server on one loopback address. Tests
// allow exactly that address through the guard, so 127.0.0.1 and every
// other loopback address stay refused: that is what the guard tests need.
// configure, if any, sets up the server before it starts serving.
func newServerOn(t testing.TB, ip string, h http.Handler, configure ...func(*http.Server)) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s (loopback aliases unavailable): %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	for _, c := range configure {
		c(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func testFetcherConfig(allow ...string) Config {
	cfg := DefaultConfig()
	cfg.AllowNetworks = allow
	cfg.MaxBodyBytes = 1 << 20
	return cfg
}

func newTestFetcher(t testing.TB, cfg Config) *fetcher {
	t.Helper()
	nets, err := parseNetworks(cfg.AllowNetworks)
	if err != nil {
		t.Fatal(err)
	}
	f := newFetcher(cfg, netguard.New(nets))
	t.Cleanup(f.close)
	return f
}
