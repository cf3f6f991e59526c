package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validate's plan says whether the ops listener serves Go's profiles: a
// newcomer who wrote `pprof: yes` (YAML 1.1's true, which the loader takes)
// had no word of it until the WARN at start (round 42).
func TestValidateSaysWhetherProfilesAreServed(t *testing.T) {
	for body, want := range map[string]string{
		"":                "profiles: off (pprof: true serves them under /debug/pprof/)",
		"pprof: yes\n":    "profiles: /debug/pprof/ on 127.0.0.1:1 (pprof: true): keep the listener reachable by operators only",
		"pprof: false\n":  "profiles: off (pprof: true serves them under /debug/pprof/)",
		"pprof: true\n  ": "profiles: /debug/pprof/ on 127.0.0.1:1 (pprof: true)",
	} {
		path := filepath.Join(t.TempDir(), "wirestream.yaml")
		if err := os.WriteFile(path, []byte("listen: 127.0.0.1:1\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "validate", "--config", path)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("validate of %q exited %d, want %q in:\n%s%s", body, code, want, out, stderr)
		}
	}
}

// A configuration of no feeds is valid, and run polls nothing: run warns
// "no feeds configured", and validate's "feeds: 0" now says the same and
// how to add one (round 42: an empty file read "is valid" and nothing more).
func TestValidateOfNoFeedsSaysRunPollsNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wirestream.yaml")
	if err := os.WriteFile(path, []byte("listen: 127.0.0.1:1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "validate", "--config", path)
	want := "feeds: 0 (run polls nothing: add one with wirestream feeds add --config " + path + " URL, or try run --demo)\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("validate exited %d, want %q in:\n%s%s", code, want, out, stderr)
	}
	if err := os.WriteFile(path, []byte("listen: 127.0.0.1:1\nfeeds:\n  - url: https://example.com/rss\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "", "validate", "--config", path); code != 0 || !strings.Contains(out, "feeds: 1\n") {
		t.Errorf("validate of one feed exited %d:\n%s", code, out)
	}
}
