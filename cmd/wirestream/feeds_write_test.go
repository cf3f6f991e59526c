package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// Twenty `feeds add --config` (and `feeds import`) of the same file at once (a script adding a
// list of feeds in parallel, two operators) each read the file, add their
// entry and replace it: without a lock across the read, the edit and the
// rename, and with one temporary name shared by every writer, review21
// saw 11 of 17 "added" feeds missing and 3 runs failing on each other's
// rename. Every add that says "added" must be in the file.
func TestConcurrentFeedsAddToOneFileLoseNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("feeds:\n  - url: https://h0.example/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	codes := make([]int, n)
	errs := make([]string, n)
	opmls := t.TempDir()
	for i := range n {
		url := fmt.Sprintf("https://h%d.example/rss", i+1)
		if i%4 == 3 { // feeds import writes through the same lock
			opml := filepath.Join(opmls, fmt.Sprintf("%d.opml", i))
			doc := `<opml version="2.0"><body><outline type="rss" text="H" xmlUrl="` + url + `"/></body></opml>`
			if err := os.WriteFile(opml, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() { codes[i], _, errs[i] = runCLI(t, "", "feeds", "import", "--config", path, opml) })
			continue
		}
		wg.Go(func() { codes[i], _, errs[i] = runCLI(t, "", "feeds", "add", "--config", path, url) })
	}
	wg.Wait()
	c, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, f := range c.Feeds {
		listed = append(listed, f.URL)
	}
	for i := range n {
		url := fmt.Sprintf("https://h%d.example/rss", i+1)
		if codes[i] != 0 {
			t.Errorf("feeds add or import of %s = exit %d, stderr %q", url, codes[i], errs[i])
		}
		if !slices.Contains(listed, url) {
			t.Errorf("feeds add or import of %s said added, but the file lists only %d feeds", url, len(listed))
		}
	}
	if len(listed) != n+1 {
		t.Errorf("the file lists %d feeds, want %d", len(listed), n+1)
	}
	if left := entries(t, dir); !slices.Equal(left, []string{"c.yaml"}) {
		t.Errorf("the directory holds %q after the adds, want only c.yaml (no temporary file left)", left)
	}
}

// An edit replaces the file the service reads, as it was: through a
// symlink the target is edited and the link stays a link; the file keeps
// its mode (0664 is not cut to 0644 by the umask) and, edited by root
// (sudo), its owner, so the service user can still read it.
func TestFeedsAddKeepsTheFilesLinkModeAndOwner(t *testing.T) {
	old := syscall.Umask(0o022) // the common umask, which cut 0664 to 0644
	defer syscall.Umask(old)
	dir := t.TempDir()
	target := filepath.Join(dir, "p.yaml")
	link := filepath.Join(dir, "link.yaml")
	if err := os.WriteFile(target, []byte("feeds:\n  - url: https://a.example/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o664); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("p.yaml", link); err != nil {
		t.Fatal(err)
	}
	root := os.Geteuid() == 0
	const uid, gid = 65534, 65534 // nobody:nogroup
	if root {
		if err := os.Chown(target, uid, gid); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("not root: the owner half of this test (sudo editing a service user's file) does not run")
	}

	code, out, stderr := runCLI(t, "", "feeds", "add", "--config", link, "https://b.example/rss")
	if code != 0 || !strings.HasPrefix(out, "added https://b.example/rss to "+link) {
		t.Fatalf("feeds add --config link.yaml = exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.yaml after the add: %v, %v; want it still a symlink", fi.Mode(), err)
	}
	doc, err := os.ReadFile(target)
	if err != nil || !strings.Contains(string(doc), "https://b.example/rss") {
		t.Errorf("p.yaml, the link's target, after the add:\n%s (%v)\nwant the new feed in it", doc, err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o664 {
		t.Errorf("p.yaml's mode after the add = %v, want -rw-rw-r-- as before", got)
	}
	if st := fi.Sys().(*syscall.Stat_t); root && (st.Uid != uid || st.Gid != gid) {
		t.Errorf("p.yaml's owner after root's add = %d:%d, want %d:%d as before", st.Uid, st.Gid, uid, gid)
	}
	if left := entries(t, dir); !slices.Equal(left, []string{"link.yaml", "p.yaml"}) {
		t.Errorf("the directory holds %q, want link.yaml and p.yaml only", left)
	}

	// A file created by add gets the usual mode, the umask applied.
	fresh := filepath.Join(dir, "new.yaml")
	if code, _, stderr := runCLI(t, "", "feeds", "add", "--config", fresh, "https://c.example/rss"); code != 0 {
		t.Fatalf("feeds add --config new.yaml = exit %d, %q", code, stderr)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("a config created by feeds add: %v, %v; want -rw-r--r--", fi.Mode(), err)
	}
}

// `feeds add` and `feeds remove` of a feed an OPML file the config names
// lists say what run does: it polls the feed whatever the file's own list
// says, so an add only gives it this entry's settings and a remove does
// not stop it.
func TestFeedsAddAndRemoveSayWhenAnOPMLFileListsTheFeed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "o.yaml")
	opml := `<opml version="2.0"><body><outline type="rss" text="X" xmlUrl="https://x.example/rss"/></body></opml>`
	if err := os.WriteFile(filepath.Join(dir, "f.opml"), []byte(opml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("opml: [f.opml]\nfeeds:\n  - url: https://a.example/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Run from elsewhere: the OPML path is relative to the config file.
	t.Chdir(t.TempDir())

	code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://x.example/rss", "--tag", "x")
	if want := "f.opml (under opml:) lists it too: `wirestream run --config " + path + "` already polls it, and from its next start with this entry's settings"; code != 0 || !strings.Contains(out, want) || strings.Contains(out, "polls it from its next start") {
		t.Errorf("feeds add of a feed f.opml lists = exit %d, stdout %q, stderr %q; want %q", code, out, stderr, want)
	}
	code, out, stderr = runCLI(t, "", "feeds", "remove", "--config", path, "https://x.example/rss")
	if want := "f.opml (under opml:) still lists it: `wirestream run --config " + path + "` goes on polling it; remove it there to stop it"; code != 0 || !strings.Contains(out, want) || strings.Contains(out, "stops polling") {
		t.Errorf("feeds remove of a feed f.opml lists = exit %d, stdout %q, stderr %q; want %q", code, out, stderr, want)
	}
	code, out, _ = runCLI(t, "", "feeds", "remove", "--config", path, "https://a.example/rss")
	if want := "stops polling it at its next start"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("feeds remove of a feed only the file lists = exit %d, %q, want %q", code, out, want)
	}
	code, _, stderr = runCLI(t, "", "feeds", "remove", "--config", path, "https://x.example/rss")
	if want := "an OPML file it names under opml: (f.opml) does: remove it there"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("feeds remove of a feed only f.opml lists = exit %d, %q, want %q", code, stderr, want)
	}
}

// A file that was invalid before the edit is refused as such, not as if
// the added feed had broken it.
func TestFeedsAddToAnInvalidFileSaysItWasAlreadyInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.yaml")
	orig := "feeds:\n  - url: https://a.example/rss\nsink: stdout\n"
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://b.example/rss")
	want := path + " is already invalid, left as it was (fix it first): line 3: unknown key \"sink\""
	if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "would be invalid") {
		t.Errorf("feeds add to an invalid file = exit %d, stderr %q, want exit 1 and %q", code, stderr, want)
	}
	if doc, _ := os.ReadFile(path); string(doc) != orig {
		t.Errorf("the file after a refused add:\n%s\nwant it as it was", doc)
	}
	// feeds import says the same (review23: it blamed the merge)
	opml := filepath.Join(filepath.Dir(path), "f.opml")
	if err := os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline type="rss" xmlUrl="https://c.example/rss"/></body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "", "feeds", "import", "--config", path, opml)
	if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "would be invalid") {
		t.Errorf("feeds import into an invalid file = exit %d, stderr %q, want exit 1 and %q", code, stderr, want)
	}
	if doc, _ := os.ReadFile(path); string(doc) != orig {
		t.Errorf("the file after a refused import:\n%s\nwant it as it was", doc)
	}
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		out = append(out, de.Name())
	}
	return out
}

// --tag takes a comma-separated list as tags: takes [a, b]: round 31's
// newcomer typed --tag labour,europe and got the one tag "labour,europe",
// quoted in the file, without a word.
func TestFeedsAddTagTakesACommaSeparatedList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte("feeds:\n  - url: https://a.example/rss\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "", "feeds", "add", "--config", path, "https://b.example/rss", "--tag", "labour, europe", "--tag", "world")
	if code != 0 {
		t.Fatalf("feeds add: exit %d, stderr %q", code, stderr)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Feeds[1].Tags, []string{"labour", "europe", "world"}; !slices.Equal(got, want) {
		t.Errorf("tags %q, want %q", got, want)
	}
}
