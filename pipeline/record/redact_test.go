package record

import "testing"

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"http://user:s3cret@h.example/feed?q=1": "http://user:xxxxx@h.example/feed?q=1",
		"https://:only@h.example/":              "https://:xxxxx@h.example/",
		"http://user@h.example/feed":            "http://user@h.example/feed", // no password: as it is
		"http://h.example/a@b":                  "http://h.example/a@b",
		"https://h.example/feed.xml":            "https://h.example/feed.xml",
		"http://u:p@[::1%zz/":                   "http://u:p@[::1%zz/", // no URL: as it is (config refuses it)
	}
	for in, want := range cases {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
