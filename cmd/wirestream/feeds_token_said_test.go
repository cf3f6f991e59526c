package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A token given as a feed URL's user name (https://TOKEN@host/feed) or as a well-known secret
// parameter (?access_token=) is said as xxxxx as a password is: validate and feeds add warn
// of it, and feeds add and remove never print it. Before, only a password was hidden: these
// printed the token and no warning.
func TestFeedCommandsNeverPrintAFeedURLsToken(t *testing.T) {
	const userToken, queryToken = "ghpUSERTOKEN9", "QUERYTOKEN9"
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	cfg := "feeds:\n  - url: https://" + userToken + "@members.example/rss\n  - url: https://q.example/rss?lang=en&access_token=" + queryToken + "\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		says []string // parts of what it prints, so the case reached its lines
	}{
		{"validate", []string{"validate", "--config", path}, []string{"warning: feed https://xxxxx@members.example/rss has a password or token", "warning: feed https://q.example/rss?lang=en&access_token=xxxxx has"}},
		{"feeds add of a listed feed", []string{"feeds", "add", "--config", path, "https://" + userToken + "@members.example/rss"}, []string{"unchanged: https://xxxxx@members.example/rss"}},
		{"feeds add of a listed feed with a token parameter", []string{"feeds", "add", "--config", path, "https://q.example/rss?lang=en&access_token=" + queryToken}, []string{"unchanged: https://q.example/rss?lang=en&access_token=xxxxx"}},
		{"feeds remove of a feed not listed", []string{"feeds", "remove", "--config", path, "https://" + userToken + "@members.example/rs"}, []string{"did you mean https://xxxxx@members.example/rss"}},
		{"feeds remove", []string{"feeds", "remove", "--config", path, "https://q.example/rss?lang=en&access_token=" + queryToken}, []string{"removed https://q.example/rss?lang=en&access_token=xxxxx"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, out, stderr := runCLI(t, "", c.args...)
			said := out + stderr
			for _, s := range c.says {
				if !strings.Contains(said, s) {
					t.Errorf("want %q in what it says:\n%s", s, said)
				}
			}
			if strings.Contains(said, userToken) || strings.Contains(said, queryToken) {
				t.Errorf("it prints the token:\n%s", said)
			}
		})
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "https://"+userToken+"@members.example/rss") {
		t.Errorf("the file lost the URL as written:\n%s", b)
	}
}
