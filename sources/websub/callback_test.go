package websub

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/websubtest"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

func TestCheckSignature(t *testing.T) {
	body := []byte("<feed/>")
	cases := []struct {
		name, header string
		ok           bool
	}{
		{"sha256 of the body", websubtest.Sign("sha256", "s3cret", body), true},
		{"sha1, still the most common", websubtest.Sign("sha1", "s3cret", body), true},
		{"an upper-case method", strings.Replace(websubtest.Sign("sha512", "s3cret", body), "sha512", "SHA512", 1), true},
		{"upper-case hex", "sha384=" + strings.ToUpper(strings.TrimPrefix(websubtest.Sign("sha384", "s3cret", body), "sha384=")), true},
		{"another secret", websubtest.Sign("sha256", "other", body), false},
		{"a truncated signature", websubtest.Sign("sha256", "s3cret", body)[:20], false},
		{"md5", "md5=" + strings.Repeat("0", 32), false},
		{"no method", "abcdef", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := checkSignature(c.header, "s3cret", body); (err == nil) != c.ok {
				t.Errorf("checkSignature(%q) = %v, want ok=%v", c.header, err, c.ok)
			}
		})
	}
}

func TestBucketRefillsSmoothly(t *testing.T) {
	b := newBucket(2, time.Minute)
	t0 := time.Unix(0, 0)
	for i, c := range []struct {
		at   time.Duration
		ok   bool
		wait time.Duration
	}{{0, true, 0}, {0, true, 0}, {0, false, 30 * time.Second}, {29 * time.Second, false, time.Second}, {30 * time.Second, true, 0}} {
		wait, ok := b.take(t0.Add(c.at))
		if ok != c.ok || (!ok && wait.Round(time.Millisecond) != c.wait) {
			t.Errorf("take #%d at %s = %s, %v; want %s, %v", i, c.at, wait, ok, c.wait, c.ok)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	cases := map[string]struct {
		change func(*Config)
		want   string
	}{
		"the defaults are valid and off":        {func(*Config) {}, ""},
		"enabled without a public URL":          {func(c *Config) { c.Enabled = true }, "websub.public_url: required when websub.enabled is true"},
		"a public URL with a query":             {func(c *Config) { c.Enabled, c.PublicURL = true, "https://w.example/websub?x=1" }, "must not have a query"},
		"a public URL that is not http":         {func(c *Config) { c.Enabled, c.PublicURL = true, "ftp://w.example/" }, `scheme must be http or https, got "ftp"`},
		"a lease hubs cannot honour":            {func(c *Config) { c.Lease = 10 * time.Second }, "websub.lease: must be >= 1m"},
		"no pushes allowed at all":              {func(c *Config) { c.MaxPushesPerMinute = 0 }, "websub.max_pushes_per_minute: must be >= 1"},
		"a retry that starts above its ceiling": {func(c *Config) { c.RetryInitial = 2 * time.Hour }, "websub.retry_initial: must be <= retry_max"},
		"enabled with a public URL":             {func(c *Config) { c.Enabled, c.PublicURL = true, "https://w.example/websub" }, ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := DefaultConfig()
			tc.change(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// The callback faces the internet: whatever a request carries, the handler
// answers without panicking, and nothing reaches the feed unless it is
// signed with the subscription's secret.
func FuzzCallback(f *testing.F) {
	f.Add(false, "hub.mode=subscribe&hub.topic=https%3A%2F%2Fnews.example.com%2Ffeed.xml&hub.challenge=c&hub.lease_seconds=99999999999999", "", "", []byte(nil))
	f.Add(false, "hub.mode=denied&hub.topic=https://news.example.com/feed.xml&hub.reason=%00", "", "", []byte(nil))
	f.Add(true, "", "sha256=00", "gzip", []byte("\x1f\x8b"))
	f.Add(true, "", "sha1=", "", []byte("<rss/>"))
	f.Fuzz(func(t *testing.T, post bool, query, signature, encoding string, body []byte) {
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		tg := newTarget()
		s, err := New(Config{Enabled: true, PublicURL: "https://w.example/websub", Listen: ":0", Lease: time.Hour,
			RenewBefore: time.Minute, VerifyTimeout: time.Minute, RetryInitial: time.Second, RetryMax: time.Minute,
			RelaxedInterval: time.Hour, MaxPushesPerMinute: 5}, Deps{Target: tg, Guard: netguard.New(nil), MaxBodyBytes: 4096})
		if err != nil {
			t.Fatal(err)
		}
		s.FeedLinks(feedURL, []string{"https://hub.example/"}, "")
		n := s.byFeed[feedURL]
		n.state, n.leaseEnd = stateActive, time.Now().Add(time.Hour)
		req := httptest.NewRequestWithContext(context.Background(), method, "/websub/"+n.token, strings.NewReader(string(body)))
		req.URL.RawQuery = query
		if signature != "" {
			req.Header.Set("X-Hub-Signature", signature)
		}
		req.Header.Set("Content-Encoding", encoding)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		select {
		case pushed := <-tg.pushes:
			if checkSignature(signature, n.secret, body) != nil {
				t.Fatalf("an unsigned or mis-signed delivery reached the feed: %q", pushed)
			}
		default:
		}
		if method == http.MethodGet && rec.Code == http.StatusOK && !strings.Contains(query, "hub.challenge") && rec.Body.Len() > 0 {
			t.Fatalf("echoed %q without a challenge", rec.Body.String())
		}
	})
}
