//go:build unix

// Package scripts holds the tests of the shell scripts beside it that no Go package owns:
// scripts/triage.sh, which scripts/test.sh sources to tell a flake from a regression.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fakeTests is a tiny package's tests at the parent commit: TestStable and TestBroken pass,
// TestAlwaysBroken fails, TestFlaky fails once (the first run, which leaves a mark) then passes.
const fakeTests = `package fake

import (
	"os"
	"testing"
)

func TestStable(t *testing.T) {}

func TestBroken(t *testing.T) {}

func TestAlwaysBroken(t *testing.T) { t.Fatal("broken on every commit") }

func TestFlaky(t *testing.T) {
	mark := os.Getenv("FLAKE_MARK")
	if _, err := os.Stat(mark); err != nil {
		os.WriteFile(mark, nil, 0o644)
		t.Fatal("fails the first time only")
	}
}
`

// fakeRepo makes a git repository holding a module whose HEAD commit breaks TestBroken and adds
// TestNew, failing; with history false the parent commit is squashed away (a shallow clone).
func fakeRepo(t *testing.T, history bool) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write("go.mod", "module example.com/fake\n\ngo 1.22\n")
	write("fake/fake_test.go", fakeTests)
	git("init", "-q")
	if history {
		git("add", ".")
		git("commit", "-q", "-m", "parent")
	}
	head := strings.Replace(fakeTests, `func TestBroken(t *testing.T) {}`,
		`func TestBroken(t *testing.T) { t.Fatal("broken by this change") }

func TestNew(t *testing.T) { t.Fatal("new and failing") }`, 1)
	write("fake/fake_test.go", head)
	git("add", ".")
	git("commit", "-q", "-m", "head")
	return dir
}

// runTriaged runs triage.sh's go_test_triaged in dir over args, returning its output and exit code.
func runTriaged(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	script, err := filepath.Abs("triage.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{"-c", `set -euo pipefail; . "$0"; go_test_triaged "$TRIAGE_TMPDIR/log" "$@"`, script}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TRIAGE_TMPDIR="+t.TempDir(), "FLAKE_MARK="+filepath.Join(t.TempDir(), "mark"),
		"TRIAGE_RERUNS=2", "TRIAGE_BUDGET=300", "GOFLAGS=", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "WIRESTREAM_SHARED_DATA=")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestTriageTellsAFlakeFromARegression: each failed test gets one verdict — a test that passes
// on a rerun is flaky, one that fails every rerun is compared with the parent commit (passes
// there: this change; fails there too: not this change; not there: a new test) — and the exit
// code stays go test's, red for a flake too.
func TestTriageTellsAFlakeFromARegression(t *testing.T) {
	out, code := runTriaged(t, fakeRepo(t, true), "-count=1", "./...")
	if code == 0 {
		t.Errorf("exit code 0 after failing tests, want go test's (1)\n%s", out)
	}
	for _, want := range []string{
		`verdict: example.com/fake/fake TestFlaky: passed on rerun 1 of 2: flaky`,
		`verdict: example.com/fake/fake TestBroken: fails on HEAD and on 2 of 2 reruns and passes on parent HEAD~1 [0-9a-f]{12}: likely this change`,
		`verdict: example.com/fake/fake TestAlwaysBroken: also fails on parent HEAD~1 [0-9a-f]{12}: not caused by this change`,
		`verdict: example.com/fake/fake TestNew: fails on HEAD and on 2 of 2 reruns and is not on parent HEAD~1 [0-9a-f]{12} \(a new test\): this change`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("no line matching %q in\n%s", want, out)
		}
	}
	if n := strings.Count(out, "verdict:"); n != 4 {
		t.Errorf("%d verdicts, want one for each of the 4 failed tests\n%s", n, out)
	}
	if strings.Contains(out, "TestStable:") {
		t.Errorf("a passing test got a verdict\n%s", out)
	}
}

// TestTriageStaysOutOfAGreenRun: when every test passes, nothing is rerun and the code is 0.
func TestTriageStaysOutOfAGreenRun(t *testing.T) {
	out, code := runTriaged(t, fakeRepo(t, true), "-count=1", "-run", "^TestStable$", "./...")
	if code != 0 || strings.Contains(out, "rerunning") || strings.Contains(out, "verdict") {
		t.Errorf("a green run: exit code %d, output\n%s", code, out)
	}
}

// TestTriageWithoutAParentSaysItCannotCompare: in a clone without the parent commit (shallow),
// a test that fails every rerun is reported as such, not guessed at.
func TestTriageWithoutAParentSaysItCannotCompare(t *testing.T) {
	out, code := runTriaged(t, fakeRepo(t, false), "-count=1", "-run", "^TestBroken$", "./...")
	if code == 0 || !strings.Contains(out, "verdict: example.com/fake/fake TestBroken: fails on HEAD and on 2 of 2 reruns; no parent commit here") {
		t.Errorf("exit code %d, output\n%s", code, out)
	}
}

// TestFailedTestsReadsGoTestsOutput: the failed tests of each package, from go test's summary
// lines — a failed subtest names its top-level test, a timeout names the tests it interrupted,
// a build failure names none, and a passing package's lines are not carried into the next.
func TestFailedTestsReadsGoTestsOutput(t *testing.T) {
	log := strings.Join([]string{
		"--- FAIL: TestA (0.01s)",
		"    --- FAIL: TestA/sub (0.00s)",
		"        a_test.go:3: no",
		"--- FAIL: TestB (0.00s)",
		"FAIL",
		"FAIL\texample.com/m/a\t0.02s",
		"--- FAIL: TestLeftover (0.00s)",
		"ok  \texample.com/m/b\t0.01s",
		"?   \texample.com/m/c\t[no test files]",
		"panic: test timed out after 25m0s",
		"\trunning tests:",
		"\t\tTestSlow (25m0s)",
		"\t\tTestSlow/inner (25m0s)",
		"testing.(*M).startAlarm.func1()",
		"\t/usr/local/go/src/testing/testing.go:2682 +0x345",
		"",
		"goroutine 1 [running]:",
		"FAIL\texample.com/m/d\t1500.1s",
		"# example.com/m/e",
		"e/e.go:1:1: syntax error",
		"FAIL\texample.com/m/e [build failed]",
		"",
	}, "\n")
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("triage.sh")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", "-c", `. "$0"; failed_tests "$1"`, script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := "example.com/m/a\tTestA|TestB\nexample.com/m/d\tTestSlow\nexample.com/m/e\t\n"
	if string(out) != want {
		t.Errorf("failed_tests read\n%q\nwant\n%q", out, want)
	}
}
