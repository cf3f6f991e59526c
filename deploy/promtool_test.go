package deploy

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit"
)

// promtool returns the promtool TestAlertRulesUnderPromtool runs, found as
// findPromtool finds it. None found skips the test loudly, and fails it
// under CI=true; a $PROMTOOL that names nothing runnable fails it: it was
// set on purpose.
func promtool(t *testing.T) string {
	t.Helper()
	path, err := findPromtool()
	switch {
	case err == nil:
		return path
	case os.Getenv("PROMTOOL") != "":
		t.Fatalf("PROMTOOL=%s: %v", os.Getenv("PROMTOOL"), err)
	default:
		testkit.Missing(t, "promtool not found: run scripts/promtool.sh install (make test does), or set PROMTOOL, or put promtool on PATH")
	}
	return ""
}

// errNoPromtool: neither the cache nor PATH has one.
var errNoPromtool = errors.New("no promtool in the cache or on PATH")

// findPromtool looks where `scripts/promtool.sh path` looks, in its order:
// $PROMTOOL, else the one `scripts/promtool.sh install` cached, else
// promtool on PATH. So a plain `go test ./deploy/` after one install runs
// the rules, as make test does.
func findPromtool() (string, error) {
	if p := os.Getenv("PROMTOOL"); p != "" {
		return exec.LookPath(p)
	}
	if c := cachedPromtool(); c != "" {
		if path, err := exec.LookPath(c); err == nil {
			return path, nil
		}
	}
	if path, err := exec.LookPath("promtool"); err == nil {
		return path, nil
	}
	return "", errNoPromtool
}

// cachedPromtool is where scripts/promtool.sh install puts promtool:
// $WIRESTREAM_CACHE/promtool/promtool, the cache defaulting to
// ${XDG_CACHE_HOME:-$HOME/.cache}/wirestream as in the script (not
// os.UserCacheDir, which is elsewhere on macOS). "" without a home.
func cachedPromtool() string {
	cache := os.Getenv("WIRESTREAM_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return ""
			}
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "wirestream")
	}
	return filepath.Join(cache, "promtool", "promtool")
}

// TestFindPromtoolLooksWhereTheScriptInstalls: with no $PROMTOOL and
// nothing on PATH, the promtool scripts/promtool.sh install cached is
// found (it was not: a developer's go test skipped the rules); $PROMTOOL
// still wins, and with none anywhere there is nothing to find, which
// TestAlertRulesUnderPromtool turns into a failure under CI=true.
func TestFindPromtoolLooksWhereTheScriptInstalls(t *testing.T) {
	fake := func(dir string) string {
		t.Helper()
		p := filepath.Join(dir, "promtool")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	home := t.TempDir()
	t.Setenv("PATH", t.TempDir())
	t.Setenv("PROMTOOL", "")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("WIRESTREAM_CACHE", "")

	if p, err := findPromtool(); err == nil {
		t.Fatalf("nothing installed: found %s", p)
	}

	want := fake(filepath.Join(home, ".cache", "wirestream", "promtool"))
	if p, err := findPromtool(); err != nil || p != want {
		t.Errorf("~/.cache: findPromtool() = %q, %v; want %s", p, err, want)
	}

	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)
	want = fake(filepath.Join(xdg, "wirestream", "promtool"))
	if p, err := findPromtool(); err != nil || p != want {
		t.Errorf("XDG_CACHE_HOME: findPromtool() = %q, %v; want %s", p, err, want)
	}

	ws := t.TempDir()
	t.Setenv("WIRESTREAM_CACHE", ws)
	want = fake(filepath.Join(ws, "promtool"))
	if p, err := findPromtool(); err != nil || p != want {
		t.Errorf("WIRESTREAM_CACHE: findPromtool() = %q, %v; want %s", p, err, want)
	}

	explicit := fake(t.TempDir())
	t.Setenv("PROMTOOL", explicit)
	if p, err := findPromtool(); err != nil || p != explicit {
		t.Errorf("PROMTOOL: findPromtool() = %q, %v; want %s", p, err, explicit)
	}
	t.Setenv("PROMTOOL", filepath.Join(t.TempDir(), "missing"))
	if p, err := findPromtool(); err == nil {
		t.Errorf("PROMTOOL naming nothing: found %s", p)
	}
}
