package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// A fetcher stamps the fetchers' feed list topic on its feed_status
// records and a processor polls nothing, so a feed_list in their file is
// set in vain: validate and run say so, naming the key, its line and the
// role (and what set the role, when not the file). Role all, which
// stamps it, hears nothing.
func TestFeedListIgnoredByTheRoleIsSaid(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// A fetcher needs brokers (validate refuses one without): a closed
	// port, which validate only warns of.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	fetch := write("fetch.yaml", "role: fetch\nfeed_list: newsroom\nkafka:\n  brokers: ["+closed+"]\n")
	code, out, stderr := runCLI(t, "", "validate", "--config", fetch)
	if code != 0 || !strings.Contains(out, `warning: feed_list "newsroom" (line 2) is ignored by role fetch`) || !strings.Contains(out, `"topic wirestream.feeds"`) {
		t.Errorf("validate of a fetcher's feed_list: exit %d, stdout:\n%s\nstderr: %s", code, out, stderr)
	}
	all := write("all.yaml", "feed_list: newsroom\n")
	if code, out, _ := runCLI(t, "", "validate", "--config", all); code != 0 || strings.Contains(out, "feed_list") {
		t.Errorf("validate of role all's feed_list: exit %d, stdout:\n%s", code, out)
	}

	// run says it at start, before it meets the (absent) brokers.
	runs := write("run.yaml", "role: fetch\nfeed_list: newsroom\nlisten: 127.0.0.1:0\nkafka:\n  brokers: ["+closed+"]\n")
	if _, _, stderr := runCLI(t, "", "run", "--config", runs); !strings.Contains(stderr, `feed_list \"newsroom\" (line 2) is ignored by role fetch`) {
		t.Errorf("run of a fetcher's feed_list does not say it is ignored:\n%s", stderr)
	}

	c, err := config.Load(write("shared.yaml", "feed_list: newsroom\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if msg := feedListIgnored(c, false); msg != "" {
		t.Errorf("role all: %q, want nothing", msg)
	}
	if msg := feedListIgnored(c, true); !strings.Contains(msg, "ignored by run --demo") {
		t.Errorf("role all with --demo: %q, want it said", msg)
	}
	c.Role = config.RoleProcess
	c.SetFrom("role", "--role")
	if msg := feedListIgnored(c, false); !strings.Contains(msg, `feed_list "newsroom" (line 1) is ignored by role process (set by --role)`) {
		t.Errorf("role process from a flag: %q", msg)
	}
}
