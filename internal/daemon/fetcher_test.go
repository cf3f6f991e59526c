package daemon

import "testing"

func TestAFetcherNamesItselfInItsUserAgent(t *testing.T) {
	for _, c := range []struct{ name, ua, instance, want string }{
		{"the instance is added to a shared user agent", "wirestream/1.0 (+https://x.example)", "fetch-2", "wirestream/1.0 (+https://x.example) instance/fetch-2"},
		{"a user agent naming the instance already is kept", "acme-news fetch-2", "fetch-2", "acme-news fetch-2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fetcherUserAgent(c.ua, c.instance); got != c.want {
				t.Errorf("fetcherUserAgent(%q, %q) = %q, want %q", c.ua, c.instance, got, c.want)
			}
		})
	}
}
