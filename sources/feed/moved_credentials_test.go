package feed

import "testing"

// The configured URL's userinfo goes back onto a saved move only where
// its headers would follow the redirect (headersFollow): the same host
// and port, not from https to http. Another port, a subdomain, a
// downgrade to http get the move without it; a move that names
// credentials of its own, or the configured ones on another host, is not
// saved at all (keptMove).
func TestAMovesCredentialsStayOnTheHostTheyWereGivenFor(t *testing.T) {
	const conf = "https://alice:s3cret@news.example:8443/old"
	for _, c := range []struct{ moved, want string }{
		{"https://news.example:8443/new", "https://alice:s3cret@news.example:8443/new"},
		{"https://NEWS.example:8443/new", "https://alice:s3cret@NEWS.example:8443/new"},
		{"https://news.example/new", "https://news.example/new"},                   // another port
		{"https://news.example:9443/new", "https://news.example:9443/new"},         // another port
		{"http://news.example:8443/new", "http://news.example:8443/new"},           // https → http
		{"https://www.news.example:8443/new", "https://www.news.example:8443/new"}, // a subdomain
		{"https://example:8443/new", "https://example:8443/new"},                   // the parent domain
	} {
		if got := withCredentialsOf(conf, c.moved); got != c.want {
			t.Errorf("withCredentialsOf(%s): %q, want %q", c.moved, got, c.want)
		}
	}
	for _, c := range []struct {
		final, kept string
		ok          bool
	}{
		{"https://alice:s3cret@news.example:8443/new", "https://news.example:8443/new", true},
		{"https://news.example/new", "https://news.example/new", true},
		{"https://alice:s3cret@www.news.example:8443/new", "", false}, // the configured credentials, another host
		{"https://alice:s3cret@news.example:9443/new", "", false},     // … another port
		{"http://alice:s3cret@news.example:8443/new", "", false},      // … over http
		{"https://bob:hunter2@news.example:8443/new", "", false},      // credentials of its own
	} {
		if kept, ok := keptMove(conf, c.final); kept != c.kept || ok != c.ok {
			t.Errorf("keptMove(%s): %q, %v; want %q, %v", c.final, kept, ok, c.kept, c.ok)
		}
	}
}
