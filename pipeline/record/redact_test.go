package record

import "testing"

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"http://user:s3cret@h.example/feed?q=1": "http://user:xxxxx@h.example/feed?q=1",
		"https://:only@h.example/":              "https://:xxxxx@h.example/",
		"http://h.example/a@b":                  "http://h.example/a@b",
		"https://h.example/feed.xml":            "https://h.example/feed.xml",
		// No URL, but config's refusal names it: its secrets found by the string alone.
		"http://u:p@[::1%zz/":                     "http://xxxxx@[::1%zz/",
		"https://host/%zz?token=T0KEN&q=1":        "https://host/%zz?token=xxxxx&q=1",
		"https://user:sec%zzret@host/f":           "https://xxxxx@host/f",
		"https://ho st/f?api_key=K1#x?token=frag": "https://ho st/f?api_key=xxxxx#x?token=frag",
		"not a url %zz":                           "not a url %zz",
		// A user name alone is a token (GitHub, GitLab and many APIs take one so).
		"http://user@h.example/feed":                 "http://xxxxx@h.example/feed",
		"https://ghp_T0KEN123@api.example/feed.atom": "https://xxxxx@api.example/feed.atom",
		// A user name with an empty password is a token too (GitHub's and Stripe's basic auth
		// take one so): before, it was said as TOKEN:xxxxx@, the token in plain sight.
		"https://ghp_T0KEN123:@api.example/feed.atom": "https://xxxxx@api.example/feed.atom",
		"https://ghp_T0KEN123:@api.example/f?token=T": "https://xxxxx@api.example/f?token=xxxxx",
		"https://:@api.example/feed":                  "https://xxxxx@api.example/feed",
		"https://xxxxx@api.example/feed":              "https://xxxxx@api.example/feed",
		// Well-known secret parameters: their values, the rest as written.
		"https://h.example/rss?token=T0KEN&lang=en":        "https://h.example/rss?token=xxxxx&lang=en",
		"https://h.example/rss?lang=en&Access_Token=T0KEN": "https://h.example/rss?lang=en&Access_Token=xxxxx",
		"https://h.example/rss?api_key=K1&sig=S1&q=a%20b":  "https://h.example/rss?api_key=xxxxx&sig=xxxxx&q=a%20b",
		"https://h.example/rss?key=K1&key=K2":              "https://h.example/rss?key=xxxxx&key=xxxxx",
		"https://h.example/rss?api%5Fkey=K1":               "https://h.example/rss?api%5Fkey=xxxxx",
		"https://h.example/rss?token=&q=1":                 "https://h.example/rss?token=&q=1",
		"https://h.example/rss?monkey=banana&keys=a":       "https://h.example/rss?monkey=banana&keys=a",
		"https://TOK@h.example/rss?apikey=K1":              "https://xxxxx@h.example/rss?apikey=xxxxx",
		"https://h.example/rss?q=token%3DT0KEN":            "https://h.example/rss?q=token%3DT0KEN",
		// GitLab's feed links carry the reader's feed token so (rss_token before GitLab 11).
		"https://gitlab.example/dashboard/projects.atom?feed_token=glft-T0KEN": "https://gitlab.example/dashboard/projects.atom?feed_token=xxxxx",
		"https://gitlab.example/u.atom?rss_token=T0KEN":                        "https://gitlab.example/u.atom?rss_token=xxxxx",
	}
	for in, want := range cases {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// The spelling round 32's and 33's feed_state keys hold (the salt of their hash): the
// userinfo redacted, the query as written, and a user name with an empty password kept.
func TestRedactUserinfoLeavesTheQuery(t *testing.T) {
	cases := map[string]string{
		"https://T0KEN:@h.example/feed":             "https://T0KEN:xxxxx@h.example/feed",
		"http://user:s3cret@h.example/feed?token=T": "http://user:xxxxx@h.example/feed?token=T",
		"https://T0KEN@h.example/feed?token=T":      "https://xxxxx@h.example/feed?token=T",
		"https://h.example/feed?token=T":            "https://h.example/feed?token=T",
	}
	for in, want := range cases {
		if got := RedactUserinfo(in); got != want {
			t.Errorf("RedactUserinfo(%q) = %q, want %q", in, got, want)
		}
	}
}
