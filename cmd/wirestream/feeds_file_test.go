package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// "feeds add --config FILE URL" is what a newcomer types to have run poll
// one more feed: it edits the file's feeds: list in place (comments and
// order kept), and "feeds remove --config FILE URL" takes the entry out
// again, under any spelling of the same request, leaving the file as it
// was byte for byte. A list it cannot edit is refused, the file untouched;
// a feed that comes from an OPML file is said to.
func TestFeedsAddAndRemoveEditTheConfigFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wirestream.yaml")
	orig := "# my feeds\nfeeds:\n  # the BBC\n  - url: https://feeds.bbci.co.uk/news/world/rss.xml\n    tags: [world]\n\nlog:\n  level: info  # or debug\n"
	write := func(doc string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write(orig)

	code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://example.com/rss", "--tag", "tech", "--min-interval", "5m")
	added := "# my feeds\nfeeds:\n  # the BBC\n  - url: https://feeds.bbci.co.uk/news/world/rss.xml\n    tags: [world]\n" +
		"  - url: https://example.com/rss\n    tags: [tech]\n    min_interval: 5m\n\nlog:\n  level: info  # or debug\n"
	if code != 0 || !strings.HasPrefix(out, "added https://example.com/rss to "+path+" (line 6)") || read() != added {
		t.Fatalf("feeds add --config = exit %d, stdout %q, stderr %q, file:\n%s\nwant exit 0, \"added … (line 6)\" and:\n%s", code, out, stderr, read(), added)
	}

	code, out, _ = runCLI(t, "", "feeds", "add", "--config", path, "https://EXAMPLE.com:443/rss#top")
	if want := "unchanged: https://EXAMPLE.com:443/rss#top is already listed in " + path + " (line 6 as https://example.com/rss, the same request)"; code != 0 || !strings.HasPrefix(out, want) || read() != added {
		t.Errorf("feeds add of another spelling = exit %d, %q, want exit 0, %q and the file as it was", code, out, want)
	}

	code, out, stderr = runCLI(t, "", "feeds", "remove", "--config", path, "https://Example.com/rss")
	if code != 0 || !strings.HasPrefix(out, "removed https://example.com/rss from "+path+" (was line 6)") || read() != orig {
		t.Errorf("feeds remove --config = exit %d, stdout %q, stderr %q, file:\n%s\nwant the file as it was first", code, out, stderr, read())
	}
	code, out, _ = runCLI(t, "", "feeds", "remove", "--config", path, "https://example.com/rss", "--missing-ok")
	if code != 0 || !strings.Contains(out, "nothing to remove") {
		t.Errorf("a second feeds remove --missing-ok = exit %d, %q, want nothing to remove", code, out)
	}

	flow := "feeds: [{url: https://a.example/rss}]\n"
	write(flow)
	code, _, stderr = runCLI(t, "", "feeds", "remove", "--config", path, "https://a.example/rss")
	if want := path + ": line 1: feeds: is a flow list ([...]); write it as a block list"; code != 1 || !strings.Contains(stderr, want) || read() != flow {
		t.Errorf("feeds remove from a flow list = exit %d, %q, want exit 1, %q and the file untouched", code, stderr, want)
	}

	opml := filepath.Join(dir, "subs.opml")
	if err := os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline type="rss" text="A" xmlUrl="https://a.example/rss"/></body></opml>`), 0o600); err != nil {
		t.Fatal(err)
	}
	write("opml: [subs.opml]\n")
	code, _, stderr = runCLI(t, "", "feeds", "remove", "--config", path, "https://a.example/rss")
	if want := "an OPML file it names under opml: (subs.opml) does: remove it there"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("feeds remove of an OPML file's feed = exit %d, %q, want exit 1 and %q", code, stderr, want)
	}
}

// `feeds add` refuses an interval under poller.min_interval, the floor no
// feed is polled under, on both lists: the file's (against the file's own
// floor) and the fetchers' in Kafka (against the configuration's floor,
// before any broker is asked). The file is left as it was.
func TestFeedsAddRefusesAnIntervalBelowThePollersFloor(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wirestream.yaml")
	orig := "poller:\n  min_interval: 30s\nfeeds:\n  - url: https://a.example/rss\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"to the file, --min-interval 1ms", []string{"--config", path, "https://b.example/rss", "--min-interval", "1ms"},
			"--min-interval 1ms: below poller.min_interval (30s), the floor of every feed's polls in " + path},
		{"to the file, both under the floor", []string{"--config", path, "https://b.example/rss", "--min-interval", "1s", "--max-interval", "10s"},
			"--min-interval 1s and --max-interval 10s: below poller.min_interval (30s)"},
		{"to the file, a listed feed", []string{"--config", path, "https://a.example/rss", "--min-interval", "1ms"},
			"--min-interval 1ms: below poller.min_interval (30s)"},
		{"to the Kafka list, against the default floor", []string{"--kafka", "--brokers", "127.0.0.1:1", "https://b.example/rss", "--min-interval", "1ms"},
			"--min-interval 1ms: below poller.min_interval (1m0s), the floor of every feed's polls in the fetchers' feed list"},
		{"to the Kafka list, against the file's floor", []string{"--kafka", "--config", path, "--brokers", "127.0.0.1:1", "https://b.example/rss", "--max-interval", "29s"},
			"--max-interval 29s: below poller.min_interval (30s)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", append([]string{"feeds", "add"}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("feeds add = exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, stderr, tc.want)
			}
			if b, _ := os.ReadFile(path); string(b) != orig {
				t.Errorf("the file changed:\n%s", b)
			}
		})
	}
	// At the floor is allowed.
	if code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://b.example/rss", "--min-interval", "30s"); code != 0 {
		t.Errorf("feeds add at the floor = exit %d, %q %q, want it added", code, out, stderr)
	}
}

// `feeds add --config` of a feed the file lists gives that entry the
// settings passed, as `feeds add --kafka` does for the fetchers' list,
// by editing its lines: comments, headers and the CRLF line endings of a
// file written on Windows stay; settings not passed stay as written.
func TestFeedsAddUpdatesAListedFeedInTheConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wirestream.yaml")
	orig := "feeds:\r\n  # the wire\r\n  - url: https://example.com/rss  # main feed\r\n    tags: [tech]   # for the tech desk\r\n    headers:\r\n      Authorization: \"Bearer ${WIRE_TOKEN}\"\r\n" +
		"  - url: https://b.example/rss\r\nlog:\r\n  level: info\r\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://EXAMPLE.com/rss", "--tag", "tech", "--tag", "ai", "--min-interval", "5m")
	want := "feeds:\r\n  # the wire\r\n  - url: https://example.com/rss  # main feed\r\n    tags: [tech, ai]   # for the tech desk\r\n    headers:\r\n      Authorization: \"Bearer ${WIRE_TOKEN}\"\r\n" +
		"    min_interval: 5m\r\n  - url: https://b.example/rss\r\nlog:\r\n  level: info\r\n"
	b, _ := os.ReadFile(path)
	if code != 0 || string(b) != want ||
		!strings.HasPrefix(out, "updated https://EXAMPLE.com/rss in "+path+" (line 3 as https://example.com/rss, the same request): tags [tech, ai], min_interval 5m0s") {
		t.Fatalf("feeds add of a listed feed = exit %d, stdout %q, stderr %q, file:\n%q\nwant exit 0, \"updated …\" and:\n%q", code, out, stderr, b, want)
	}
	code, out, _ = runCLI(t, "", "feeds", "add", "--config", path, "https://example.com/rss", "--tag", "tech", "--tag", "ai")
	if b, _ := os.ReadFile(path); code != 0 || !strings.HasPrefix(out, "unchanged: https://example.com/rss is already listed in "+path+" (line 3) with these settings") || string(b) != want {
		t.Errorf("feeds add with the settings it has = exit %d, %q; want unchanged and the file as it was", code, out)
	}
	code, out, _ = runCLI(t, "", "feeds", "add", "--config", path, "https://example.com/rss")
	if code != 0 || !strings.Contains(out, "give --tag, --name, --min-interval or --max-interval to change its settings") {
		t.Errorf("feeds add with no settings = exit %d, %q; want unchanged and what to give", code, out)
	}
	// An edit that would leave an invalid file is not written.
	code, _, stderr = runCLI(t, "", "feeds", "add", "--config", path, "https://example.com/rss", "--max-interval", "2m")
	if b, _ := os.ReadFile(path); code != 1 || !strings.Contains(stderr, "min_interval: must be <= max_interval") || string(b) != want {
		t.Errorf("feeds add with max_interval under min_interval = exit %d, %q; want exit 1, the reason, the file as it was", code, stderr)
	}
	flow := "feeds:\n  - {url: https://a.example/rss, tags: [x]}\n"
	if err := os.WriteFile(path, []byte(flow), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "", "feeds", "add", "--config", path, "https://a.example/rss", "--tag", "y")
	if b, _ := os.ReadFile(path); code != 1 || !strings.Contains(stderr, path+": line 2: feeds[0]: is written {…}, which cannot be rewritten key by key; edit the entry by hand") || string(b) != flow {
		t.Errorf("feeds add to an entry written {…} = exit %d, %q; want exit 1 with the line, the file untouched", code, stderr)
	}
}

// The rule: `feeds add --config` of a feed on a loopback or private
// address warns, as validate does, that run refuses it until
// poller.allow_networks admits it; the file is edited all the same (it is
// valid). Before, the add said only "polls it from its next start", and
// the first poll failed "blocked".
func TestFeedsAddToAFileWarnsOfAnAddressRunWouldRefuse(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		warn      bool
	}{
		{"no allow_networks", "feeds: []\n", true},
		{"allow_networks admits it", "poller:\n  allow_networks: [127.0.0.1/32]\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.yaml")
			if err := os.WriteFile(path, []byte(tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "http://127.0.0.1:8080/rss")
			if code != 0 || !strings.HasPrefix(out, "added http://127.0.0.1:8080/rss") {
				t.Fatalf("feeds add = exit %d, stdout %q, stderr %q", code, out, stderr)
			}
			warned := strings.Contains(stderr, "warning: run would refuse 1 feed on a private or loopback address until poller.allow_networks admits it:\n  http://127.0.0.1:8080/rss\n")
			if warned != tc.warn {
				t.Errorf("stderr %q: warned %v, want %v", stderr, warned, tc.warn)
			}
		})
	}
}
