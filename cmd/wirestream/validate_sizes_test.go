package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validate's plan printed the body cap as "10485760 bytes", a figure to
// count the digits of. Sizes read in binary units, as the README and the
// settings' comments give them; one that is no whole unit keeps its
// bytes beside, so the figure in the file can still be found.
func TestValidatePrintsByteSizesReadably(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ yaml, want string }{
		{"", "body cap: 10 MiB;"},
		{"poller:\n  max_body_bytes: 1024\n", "body cap: 1 KiB;"},
		{"poller:\n  max_body_bytes: 1572864\n", "body cap: 1.5 MiB (1572864 bytes);"},
		{"poller:\n  max_body_bytes: 2147483648\n", "body cap: 2 GiB;"},
	} {
		path := filepath.Join(dir, "wirestream.yaml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "validate", "--config", path)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", c.yaml, code, stderr)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("%q: the plan does not say %q:\n%s", c.yaml, c.want, out)
		}
	}
}

// The plan gave "fetch timeout: 1m0s" alone, and a newcomer's feed that
// takes 30 s to answer failed every poll at poller.header_timeout (20 s):
// the plan names the connect and header timeouts beside the whole poll's.
func TestValidateNamesEveryFetchTimeout(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ yaml, want string }{
		{"", "fetch timeout: 1m0s (connect 10s, response headers 20s);"},
		{"poller:\n  header_timeout: 45s\n  connect_timeout: 3s\n", "fetch timeout: 1m0s (connect 3s, response headers 45s);"},
	} {
		path := filepath.Join(dir, "wirestream.yaml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "validate", "--config", path)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", c.yaml, code, stderr)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("%q: the plan does not say %q:\n%s", c.yaml, c.want, out)
		}
	}
}

// validate's plan said "state: data" whatever the role: a fetcher keeps
// its poll state in the feed_state topic and writes nothing to data_dir,
// and a processor's state is its changelog topic, data_dir only a cache.
// A newcomer giving each scale-out instance a --data-dir looked for
// directories that never came. Each role's plan says where its state is.
func TestValidateSaysWhereEachRoleKeepsItsState(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ yaml, want string }{
		{"data_dir: /var/lib/ws\n", "state: /var/lib/ws\n"},
		{"role: fetch\ndata_dir: /var/lib/ws\nkafka:\n  brokers: [127.0.0.1:1]\n  topic_prefix: news.\n",
			"state: poll state in topic news.feed_state (a fetcher writes nothing to data_dir)\n"},
		{"role: process\ndata_dir: /var/lib/ws\nkafka:\n  brokers: [127.0.0.1:1]\n  topic_prefix: news.\n",
			"state: changelog topic news.state, its snapshot cache in /var/lib/ws\n"},
	} {
		path := filepath.Join(dir, "wirestream.yaml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "validate", "--config", path)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", c.yaml, code, stderr)
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("%q: the plan does not say %q:\n%s", c.yaml, c.want, out)
		}
	}
}
