//go:build unix

package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tinyModule is a module of one main package: its build needs only the
// runtime's few dozen packages.
func tinyModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":  "module tiny\n\ngo 1.21\n",
		"main.go": "package main\n\nfunc main() {}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// demoBuild runs scripts/demo-build.sh in dir with GO=goCmd and env added.
func demoBuild(t *testing.T, dir, goCmd, bin string, env ...string) string {
	t.Helper()
	script, err := filepath.Abs("demo-build.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script, bin, ".")
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GO="+goCmd), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo-build.sh: %v\n%s", err, out)
	}
	return string(out)
}

// `make demo` said "the first build compiles every dependency: 1-3
// minutes" on every run, also when the binary was built already and the
// build took a second. Its build step now says what the build waits for:
// how many packages it compiles, which Go's build cache decides.
func TestDemoBuildSaysWhatTheBuildWaitsFor(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	dir := tinyModule(t)
	bin := filepath.Join(t.TempDir(), "tiny")

	t.Run("an empty build cache is a first build: every package compiles", func(t *testing.T) {
		// A go that lists for real but only notes the build: compiling the
		// runtime into an empty cache would cost this test a minute.
		fake := filepath.Join(t.TempDir(), "go")
		called := filepath.Join(t.TempDir(), "build-args")
		wrapper := "#!/bin/sh\nif [ \"$1\" = build ]; then echo \"$@\" > " + called + "; exit 0; fi\nexec " + goBin + " \"$@\"\n"
		if err := os.WriteFile(fake, []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
		out := demoBuild(t, dir, fake, bin, "GOCACHE="+t.TempDir())
		// Every package but unsafe, which has no code to compile.
		m := regexp.MustCompile(`^make demo: building ` + regexp.QuoteMeta(bin) + `: compiling (\d+) of (\d+) packages, as on a first build\n$`).FindStringSubmatch(out)
		if m == nil || m[1] == "0" || atoi(t, m[1]) < atoi(t, m[2])-1 {
			t.Errorf("with an empty build cache it says\n%s\nwant every package compiled, as on a first build (no minutes for a few dozen)", out)
		}
		if args, err := os.ReadFile(called); err != nil || strings.TrimSpace(string(args)) != "build -o "+bin+" ." {
			t.Errorf("go build called with %q (%v), want build -o %s .", args, err, bin)
		}
	})

	t.Run("a build whose packages are all cached says so, and no minutes", func(t *testing.T) {
		demoBuild(t, dir, goBin, bin) // fills the cache with what the tiny build needs
		out := demoBuild(t, dir, goBin, bin)
		want := "make demo: building " + bin + ": all "
		if !strings.HasPrefix(out, want) || !strings.Contains(out, "packages are in Go's build cache, nothing to compile (seconds)") || strings.Contains(out, "minutes") {
			t.Errorf("a second build says\n%s\nwant it to say nothing is compiled, and no minutes", out)
		}
		if _, err := os.Stat(bin); err != nil {
			t.Errorf("the build left no binary: %v", err)
		}
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
