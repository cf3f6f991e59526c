package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every line feeds add, remove, import and validate print about a feed
// with a password in its URL says the password as xxxxx: the answers
// for a feed already listed ("unchanged"), the warning of one machine's
// feed under two of its names, a remove of a feed not listed (with its
// nearest listed one), an OPML import of a listed feed, an add a file's
// OPML lists too. The file keeps the URL as written.
func TestFeedCommandsNeverPrintAFeedURLsPassword(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	opml := filepath.Join(dir, "f.opml")
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(path, "poller:\n  allow_networks: [127.0.0.1/32]\nfeeds:\n  - url: https://user:s3cret@members.example/rss\n  - url: http://user:s3cret@localhost:8000/x\n")
	write(opml, `<?xml version="1.0"?><opml version="2.0"><body>`+
		`<outline type="rss" text="M" xmlUrl="https://user:s3cret@members.example/rss"/>`+
		`<outline type="rss" text="O" xmlUrl="https://user:s3cret@opml.example/rss"/>`+
		`<outline type="rss" text="O" xmlUrl="https://user:s3cret@opml.example/rss"/>`+
		`</body></opml>`)
	for _, c := range []struct {
		name string
		args []string
		says string // a part of what it prints, so the case reached its line
	}{
		{"feeds add of a listed feed", []string{"feeds", "add", "--config", path, "https://user:s3cret@members.example/rss"}, "unchanged: https://user:xxxxx@members.example/rss"},
		{"feeds add of a listed feed with its settings", []string{"feeds", "add", "--config", path, "--min-interval", "0s", "https://user:s3cret@members.example/rss"}, "unchanged: https://user:xxxxx@members.example/rss"},
		{"feeds add of a listed feed in another spelling", []string{"feeds", "add", "--config", path, "https://user:s3cret@MEMBERS.example:443/rss"}, "as https://user:xxxxx@members.example/rss"},
		{"feeds add of one machine's feed under another name", []string{"feeds", "add", "--config", path, "http://user:s3cret@127.0.0.1:8000/x"}, "names the machine's own feed http://user:xxxxx@localhost:8000/x"},
		{"validate of one machine's feed under two names", []string{"validate", "--config", path}, "names the machine's own feed http://user:xxxxx@localhost:8000/x"},
		{"feeds remove of a feed not listed", []string{"feeds", "remove", "--config", path, "https://user:s3cret@members.example/rs"}, "did you mean https://user:xxxxx@members.example/rss"},
		{"feeds remove --missing-ok of a feed not listed", []string{"feeds", "remove", "--config", path, "--missing-ok", "https://user:s3cret@gone.example/rss"}, "https://user:xxxxx@gone.example/rss is not in the feeds"},
		{"feeds import of a listed feed and a repeat", []string{"feeds", "import", "--config", path, opml}, "https://user:xxxxx@members.example/rss: already listed"},
		{"feeds remove", []string{"feeds", "remove", "--config", path, "https://user:s3cret@opml.example/rss"}, "removed https://user:xxxxx@opml.example/rss"},
		{"feeds add --kafka of a URL with a bad interval", []string{"feeds", "add", "--kafka", "--min-interval", "-1s", "https://user:s3cret@members.example/rss"}, "-interval"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out, stderr := runCLI(t, "", c.args...)
			said := out + stderr
			if !strings.Contains(said, c.says) {
				t.Errorf("want %q in what it says:\n%s", c.says, said)
			}
			if strings.Contains(said, "s3cret") {
				t.Errorf("it prints the password:\n%s", said)
			}
		})
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "https://user:s3cret@members.example/rss") {
		t.Errorf("the file lost the URL as written:\n%s", b)
	}
}
