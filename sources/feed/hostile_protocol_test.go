package feed

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
)

// A server whose answer is no HTTP response — a status line that is no
// status, a body with no headers at all (HTTP/0.9, or a port that speaks
// something else), a Content-Length that is negative or given twice, a
// header holding a NUL, a 101 to a plain GET — answered: class connect
// ("a poll that got no answer") sent its operator to look at the
// network. It is class protocol, its message saying what was malformed;
// a redirect whose Location does not parse is class redirect, as
// documented, not connect. Each names its feed once, first.
func TestAnAnswerThatIsNoHTTPResponseIsClassProtocol(t *testing.T) {
	const ip = "127.0.0.18"
	feed := `<?xml version="1.0"?><rss version="2.0"><channel><title>H</title><item><title>One</title><link>https://h.example/1</link></item></channel></rss>`
	cases := map[string]struct {
		raw, class, says string
	}{
		"/bad-status":   {"HTTP/1.1 abc OK\r\n\r\n" + feed, ClassProtocol, `malformed HTTP status code "abc"`},
		"/http09":       {feed, ClassProtocol, `malformed HTTP status code`},
		"/neg-length":   {"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n" + feed, ClassProtocol, `bad Content-Length "-5"`},
		"/two-lengths":  {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n" + feed, ClassProtocol, `multiple Content-Length headers`},
		"/nul-header":   {"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: " + fmt.Sprint(len(feed)) + "\r\n\r\n" + feed, ClassProtocol, `malformed MIME header line`},
		"/switching":    {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n" + feed, ClassProtocol, `HTTP 101 Switching Protocols`},
		"/bad-location": {"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n", ClassRedirect, `failed to parse Location header "http://[::1"`},
	}
	mux := http.NewServeMux()
	for path, c := range cases {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			rawResponse(w, c.raw, "", func(c net.Conn) { c.Close() })
		})
	}
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	var specs []Spec
	for path := range cases {
		specs = append(specs, Spec{URL: srv.URL + path})
	}
	got, _ := pollEach(t, cfg, specs, nil)
	for _, s := range got {
		c := cases[strings.TrimPrefix(s.FeedURL, srv.URL)]
		if s.LastErrorClass != c.class || !strings.Contains(s.LastError, c.says) {
			t.Errorf("%s: class %q, error %q; want class %q saying %q", s.FeedURL, s.LastErrorClass, s.LastError, c.class, c.says)
		}
		if !strings.HasPrefix(s.LastError, "fetch "+s.FeedURL+": ") || strings.Count(s.LastError, s.FeedURL) != 1 {
			t.Errorf("%s: last_error %q does not name the feed once, first", s.FeedURL, s.LastError)
		}
	}
}
