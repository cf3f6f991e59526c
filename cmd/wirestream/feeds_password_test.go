package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A password in a feed URL is sent as the URL says, and what wirestream
// publishes names the feed with it as xxxxx, but the feed list keeps the
// URL as written: validate, and feeds add as it adds such a feed, warn,
// naming the feed (its password as xxxxx) and the header that keeps the
// credentials out of the URL; neither prints the password.
func TestValidateAndFeedsAddWarnOfAPasswordInAFeedURL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	cfg := "feeds:\n  - url: https://user:s3cret@members.example/rss\n    name: Members\n  - url: https://example.com/c.xml\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(what string, code int, said, stderr string) {
		t.Helper()
		if code != 0 {
			t.Fatalf("%s exited %d: %s", what, code, stderr)
		}
		want := "warning: feed https://user:xxxxx@members.example/rss"
		if !strings.Contains(said, want) || !strings.Contains(said, "Authorization: \"Basic ${FEED_BASIC_AUTH}\"") || !strings.Contains(said, "headers:") {
			t.Errorf("%s should warn %q… and point to an Authorization header:\n%s", what, want, said)
		}
		if strings.Count(said, "warning: feed ") != 1 {
			t.Errorf("%s should warn of the one feed with a password:\n%s", what, said)
		}
		if strings.Contains(said, "s3cret") {
			t.Errorf("%s prints the password:\n%s", what, said)
		}
	}
	code, out, stderr := runCLI(t, "", "validate", "--config", path)
	check("validate", code, out+stderr, stderr)
	if !strings.Contains(out, "(Members)") {
		t.Errorf("validate should name the feed:\n%s", out)
	}

	other := filepath.Join(dir, "v.yaml")
	if err := os.WriteFile(other, []byte("feeds:\n  - url: https://example.com/c.xml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, "", "feeds", "add", "--config", other, "https://user:s3cret@members.example/rss")
	check("feeds add", code, out+stderr, stderr)
	if b, _ := os.ReadFile(other); !strings.Contains(string(b), "https://user:s3cret@members.example/rss") {
		t.Errorf("feeds add did not add the feed as given:\n%s", b)
	}
}

// What feeds add and feeds remove say of a feed in a file names it as
// validate and the records do, its password as xxxxx, on every path:
// added again (unchanged), its settings updated, removed, and the nearest
// listed feed suggested for a mistyped one.
func TestFeedsAddAndRemoveInAFileNeverPrintAPassword(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	if err := os.WriteFile(path, []byte("feeds:\n  - url: https://example.com/c.xml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const u = "https://user:s3cret@members.example/rss"
	for _, args := range [][]string{
		{"feeds", "add", "--config", path, u},
		{"feeds", "add", "--config", path, u},
		{"feeds", "add", "--config", path, "--name", "Members", u},
		{"feeds", "remove", "--config", path, "https://user:s3cret@members.example/rs"},
		{"feeds", "remove", "--config", path, u},
	} {
		code, out, stderr := runCLI(t, "", args...)
		said := out + stderr
		if !strings.Contains(said, "https://user:xxxxx@members.example/rss") {
			t.Errorf("%q (exit %d) should name the feed with its password as xxxxx:\n%s", args, code, said)
		}
		if strings.Contains(said, "s3cret") {
			t.Errorf("%q (exit %d) prints the password:\n%s", args, code, said)
		}
	}
}

// A feed URL's password is said as xxxxx in Spec's messages, so the
// interval flags' problems, rewritten from them, must look for the
// redacted key: they came out as "feeds[https://user:xxxxx@…].min_interval".
func TestFeedsAddNamesAFlagOfAFeedWithAPassword(t *testing.T) {
	code, _, stderr := runCLI(t, "", "feeds", "add", "--config", "unused.yaml", "https://user:s3cret@members.example/rss", "--min-interval", "-5m")
	if want := "wirestream feeds add: --min-interval: must be >= 0, got -5m0s"; code != 2 || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, said:\n%s\nwant it to begin %q", code, stderr, want)
	}
}
