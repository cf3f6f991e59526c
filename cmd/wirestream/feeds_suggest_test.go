package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A URL one slip away from a listed feed — another scheme, a www., a
// trailing slash, a letter or two — is suggested; one far from all, or
// equally near two, suggests nothing rather than a guess.
func TestNearestFeedIsTheListedFeedOneSlipAway(t *testing.T) {
	listed := []string{"https://feeds.bbci.co.uk/news/world/rss.xml", "https://example.com/rss", "https://example.org/feed.xml", "https://example.com/rss2"}
	for _, c := range []struct{ typed, want string }{
		{"http://feeds.bbci.co.uk/news/world/rss.xml", "https://feeds.bbci.co.uk/news/world/rss.xml"},
		{"https://www.example.com/rss/", "https://example.com/rss"},
		{"https://example.org/feed.xm", "https://example.org/feed.xml"},
		{"https://exmaple.com/rss", "https://example.com/rss"},
		{"https://example.com/rss3", ""},           // rss and rss2 are as near: no guess
		{"https://example.net/rss", ""},            // three edits from example.com/rss
		{"https://other.example/news/rss.xml", ""}, // far from every feed
	} {
		if got := nearestFeed(c.typed, listed); got != c.want {
			t.Errorf("nearestFeed(%q) = %q, want %q", c.typed, got, c.want)
		}
	}
}

// `feeds remove --config` of a URL the file does not list fails (exit 1)
// naming the file and the nearest listed feed with its line, and leaves
// the file as it was: a typo in a script must not pass as a removal.
// --missing-ok keeps the idempotent removal for scripts that want it.
// `feeds add` of a listed feed is idempotent: "unchanged", exit 0.
func TestFeedsRemoveOfAnUnlistedURLFailsAndNamesTheNearestFeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wirestream.yaml")
	doc := "feeds:\n  - url: https://example.com/rss\n  - url: https://feeds.bbci.co.uk/news/world/rss.xml\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "feeds", "remove", "--config", path, "http://www.example.com/rss/")
	want := "no feed http://www.example.com/rss/ is configured in " + path + " (under feeds:): nothing removed; did you mean https://example.com/rss (line 2)?"
	if code != 1 || out != "" || !strings.Contains(stderr, want) {
		t.Errorf("feeds remove of an unlisted URL = exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, stderr, want)
	}
	code, _, stderr = runCLI(t, "", "feeds", "remove", "--config", path, "https://elsewhere.example/feed")
	if code != 1 || !strings.Contains(stderr, "no feed https://elsewhere.example/feed is configured in "+path) || strings.Contains(stderr, "did you mean") {
		t.Errorf("feeds remove of a URL near none = exit %d, %q; want exit 1 and no suggestion", code, stderr)
	}
	code, out, _ = runCLI(t, "", "feeds", "remove", "--config", path, "https://elsewhere.example/feed", "--missing-ok")
	if code != 0 || !strings.Contains(out, "nothing to remove") {
		t.Errorf("feeds remove --missing-ok of an unlisted URL = exit %d, %q; want exit 0, nothing to remove", code, out)
	}
	code, out, _ = runCLI(t, "", "feeds", "add", "--config", path, "https://example.com/rss")
	if code != 0 || !strings.HasPrefix(out, "unchanged: https://example.com/rss is already listed in "+path+" (line 2)") {
		t.Errorf("feeds add of a listed feed = exit %d, %q; want exit 0, unchanged", code, out)
	}
	if got, _ := os.ReadFile(path); string(got) != doc {
		t.Errorf("the file changed:\n%s", got)
	}
}
