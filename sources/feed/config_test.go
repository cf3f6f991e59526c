package feed

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
)

func TestDefaultConfigIsValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidateNamesTheKey(t *testing.T) {
	tests := []testkit.ConfigCase[Config]{
		{"a zero minimum interval", func(c *Config) { c.MinInterval = 0 }, "poller.min_interval: must be > 0, got 0s"},
		{"a minimum above the maximum", func(c *Config) { c.MinInterval = 2 * time.Hour }, "poller.min_interval: must be <= max_interval (1h0m0s), got 2h0m0s"},
		{"no per-host concurrency", func(c *Config) { c.PerHostConcurrency = 0 }, "poller.per_host_concurrency: must be >= 1, got 0"},
		{"a tiny body cap", func(c *Config) { c.MaxBodyBytes = 10 }, "poller.max_body_bytes: must be >= 1024, got 10"},
		{"a malformed allowed network", func(c *Config) { c.AllowNetworks = []string{"127.0.0.0/33"} }, `poller.allow_networks: "127.0.0.0/33" is neither a CIDR nor an IP address`},
		{"localhost as an allowed network", func(c *Config) { c.AllowNetworks = []string{"localhost"} },
			`poller.allow_networks: "localhost" is neither a CIDR nor an IP address: networks are written as addresses; this machine is 127.0.0.1/32 (and ::1/128)`},
		{"a negative redirect limit", func(c *Config) { c.MaxRedirects = -1 }, "poller.max_redirects: must be >= 0, got -1"},
		{"jitter above one", func(c *Config) { c.BackoffJitter = 1.5 }, "poller.backoff_jitter: must be within [0, 1], got 1.5"},
		{"an empty user agent", func(c *Config) { c.UserAgent = " " }, "poller.user_agent: must not be empty"},
	}
	testkit.CheckValidate(t, DefaultConfig, tests)
}

func TestSpecValidate(t *testing.T) {
	cases := []struct {
		name string
		spec Spec
		want string // "" means valid
	}{
		{"an https feed with headers is valid", Spec{URL: "https://example.org/rss", Headers: map[string]string{"Authorization": "Bearer ${TOKEN}"}}, ""},
		{"a file URL is refused", Spec{URL: "file:///etc/passwd"}, `scheme must be http or https, got "file"`},
		{"a URL without host is refused", Spec{URL: "http:///rss"}, "has no host"},
		{"a host and path without scheme get the URL they mean", Spec{URL: "example.com/rss"}, `has no scheme: want an absolute URL such as "https://example.com/rss"`},
		// A scheme it cannot guess is still said to be missing, not
		// 'scheme must be http or https, got ""'.
		{"a relative path is refused", Spec{URL: "rss/feed"}, `is not an absolute URL: want one such as "https://example.com/rss"`},
		{"a bare word is refused", Spec{URL: "notaurl"}, `is not an absolute URL: want one such as "https://example.com/rss"`},
		// Review19 1: a host with a port parsed as a scheme ("localhost") or
		// failed to parse; a file name was told to become "https://feed.xml".
		{"a local host with a port gets an http URL", Spec{URL: "localhost:8000/feed.xml"}, `has no scheme: want an absolute URL such as "http://localhost:8000/feed.xml"`},
		{"a host with a port gets an http URL", Spec{URL: "example.com:8080/rss"}, `has no scheme: want an absolute URL such as "http://example.com:8080/rss"`},
		{"a host with port 443 gets an https URL", Spec{URL: "example.com:443/rss"}, `has no scheme: want an absolute URL such as "https://example.com:443/rss"`},
		{"a loopback address with a port gets an http URL", Spec{URL: "127.0.0.1:8000/bbc.xml"}, `has no scheme: want an absolute URL such as "http://127.0.0.1:8000/bbc.xml"`},
		{"an IPv6 loopback with a port gets an http URL", Spec{URL: "[::1]:8000/bbc.xml"}, `has no scheme: want an absolute URL such as "http://[::1]:8000/bbc.xml"`},
		{"localhost without a port gets an http URL", Spec{URL: "localhost/feed.xml"}, `has no scheme: want an absolute URL such as "http://localhost/feed.xml"`},
		{"a ./ path is a file", Spec{URL: "./feed.xml"}, `looks like a file, not a URL: run polls http(s) URLs; "wirestream process ./feed.xml" reads a feed file`},
		{"a bare feed file name is a file", Spec{URL: "feed.xml"}, `looks like a file, not a URL: run polls http(s) URLs; "wirestream process feed.xml" reads a feed file`},
		{"a relative feed file path is a file", Spec{URL: "rss/feed.xml"}, `looks like a file, not a URL`},
		{"an absolute feed file path is a file", Spec{URL: "/tmp/bbc.rss"}, `looks like a file, not a URL`},
		{"a real scheme keeps its message", Spec{URL: "ftp://example.com/rss"}, `scheme must be http or https, got "ftp"`},
		{"a feed: scheme keeps its message", Spec{URL: "feed:example.com/rss"}, `scheme must be http or https, got "feed"`},
		{"a bare feed: scheme keeps its message", Spec{URL: "feed:"}, `scheme must be http or https, got "feed"`},
		{"a mailto: URL keeps its message", Spec{URL: "mailto:news@example.com"}, `scheme must be http or https, got "mailto"`},
		// A slip in the scheme gets the URL it most likely means; a
		// scheme of its own ("ftp", "feed") does not.
		{"a scheme missing a letter gets the https URL", Spec{URL: "htps://example.com/rss"}, `scheme must be http or https, got "htps": did you mean "https://example.com/rss"?`},
		{"a scheme missing its t gets the http URL", Spec{URL: "htp://example.com/rss"}, `scheme must be http or https, got "htp": did you mean "http://example.com/rss"?`},
		{"a scheme with a letter doubled gets the https URL", Spec{URL: "htttps://example.com/rss"}, `did you mean "https://example.com/rss"?`},
		{"an upper-case slip keeps the rest as written", Spec{URL: "HTPS://Example.com/RSS"}, `did you mean "https://Example.com/RSS"?`},
		{"a scheme without its colon gets the URL", Spec{URL: "http//example.org/feed"}, `is not an absolute URL: did you mean "http://example.org/feed"?`},
		{"an https scheme without its colon gets the URL", Spec{URL: "https//example.org/feed"}, `is not an absolute URL: did you mean "https://example.org/feed"?`},
		{"a scheme with one slash gets the URL", Spec{URL: "https:/example.org/feed"}, `did you mean "https://example.org/feed"?`},
		{"a scheme without slashes gets the URL", Spec{URL: "https:example.org/feed"}, `did you mean "https://example.org/feed"?`},
		{"a slipped scheme without its colon gets the URL", Spec{URL: "htps//example.org/feed"}, `did you mean "https://example.org/feed"?`},
		{"a local host after a colonless scheme gets the URL", Spec{URL: "http//localhost:8000/feed.xml"}, `did you mean "http://localhost:8000/feed.xml"?`},
		{"ftp is not taken for a slip", Spec{URL: "ftp://example.com/rss"}, `scheme must be http or https, got "ftp"`},
		{"a relative path named http is not taken for a slip", Spec{URL: "http/feed"}, `is not an absolute URL: want one such as "https://example.com/rss"`},
		{"inverted bounds are refused", Spec{URL: "https://e.org/", MinInterval: time.Hour, MaxInterval: time.Minute}, "min_interval: must be <= max_interval"},
		{"a header name with a space is refused", Spec{URL: "https://e.org/", Headers: map[string]string{"X Token": "a"}}, `"X Token" is not a valid header name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.WantError(t, "Validate()", c.spec.Validate(), c.want)
		})
	}
}

func TestExpandHeaders(t *testing.T) {
	env := map[string]string{"TOKEN": "s3cr3t"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	got, err := expandHeaders(Spec{URL: "https://e.org/", Headers: map[string]string{
		"Authorization": "Bearer ${TOKEN}", "X-Literal": "a$b$TOKEN",
	}}, lookup)
	if err != nil {
		t.Fatal(err)
	}
	if got["Authorization"] != "Bearer s3cr3t" || got["X-Literal"] != "a$b$TOKEN" {
		t.Errorf("expanded = %q", got)
	}
	_, err = expandHeaders(Spec{URL: "https://e.org/", Headers: map[string]string{"Authorization": "${MISSING}"}}, lookup)
	if err == nil || !strings.Contains(err.Error(), "MISSING") || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("err = %v, want it to name MISSING and no secret", err)
	}
}

// A URL that is not UTF-8 is refused where it enters (feeds add, the
// config file, OPML): url.Parse takes any byte, but the config file's
// YAML wrote it as !!binary and `feeds remove` could not find it again
// (config's FuzzMergeFeeds found it). A replacement character written as
// UTF-8 is text, and the offset names the first bad byte after it.
func TestCheckHTTPURLRefusesBytesThatAreNotUTF8(t *testing.T) {
	err := CheckHTTPURL("http://a.example/\uFFFD/\xff")
	if err == nil || !strings.Contains(err.Error(), "byte 0xff at offset 21") || !strings.Contains(err.Error(), "%FF") {
		t.Errorf("err = %v, want the byte, its offset and its escape", err)
	}
	if err := CheckHTTPURL("http://a.example/caf\u00e9/\uFFFD"); err != nil {
		t.Errorf("UTF-8 URL refused: %v", err)
	}
}
