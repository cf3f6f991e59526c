package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingWriter refuses every write, as a full disk or a reader gone would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Round 29 (operator29): a process run that fails ends on its error, and what comes before
// it says the run stopped. A run that never started (its state directory cannot be made)
// printed a summary first — "0 items decided …; state in DIR (kept across runs)" — as if it
// had run and kept its state; a run stopped midway printed its summary and warning as a
// finished run's, and the error came after them unannounced.
func TestAFailedProcessRunEndsOnItsErrorAndSaysItStopped(t *testing.T) {
	dir := t.TempDir()
	item := `{"feed":{"url":"https://example.com/"},"link":"https://example.com/a","title":"Port strike halts Rotterdam","description":"Dockworkers walked out.","published_raw":"2026-12-05T10:00:00Z"}` + "\n"
	in := filepath.Join(dir, "items.jsonl")
	if err := os.WriteFile(in, []byte(item), 0o600); err != nil {
		t.Fatal(err)
	}
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("a run that never started prints its error alone", func(t *testing.T) {
		code, _, stderr := runCLI(t, "", "process", "--progress", "never", "--log-format", "json", "--data-dir", notADir, in)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "wirestream process: ") {
			t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and the error alone (no summary of a run that did not happen)", code, stderr)
		}
	})

	t.Run("a run stopped midway says so and ends on the error", func(t *testing.T) {
		var errOut strings.Builder
		env := &cliEnv{stdin: strings.NewReader(""), stdout: failingWriter{}, stderr: &errOut, getenv: func(string) string { return "" }}
		code := dispatch(context.Background(), env, []string{"process", "--progress", "never", "--log-format", "json",
			"--clock", "2020-01-01T00:00:00Z", in})
		var mine []string // process's own lines, not the log's
		for _, l := range strings.Split(strings.TrimSpace(errOut.String()), "\n") {
			if !strings.HasPrefix(l, "{") {
				mine = append(mine, l)
			}
		}
		if code != 1 || len(mine) < 2 {
			t.Fatalf("exit %d, stderr:\n%s\nwant exit 1, a summary and the error", code, errOut.String())
		}
		if last := mine[len(mine)-1]; !strings.HasPrefix(last, "wirestream process: ") || !strings.Contains(last, "no space left on device") {
			t.Errorf("the last line is %q, want the error", last)
		}
		if !strings.HasPrefix(mine[0], "process: stopped by the error below: ") {
			t.Errorf("the summary reads %q, want it to say the run stopped on the error below", mine[0])
		}
	})

	t.Run("a run that could not read an input went to its end, and ends on the error", func(t *testing.T) {
		code, _, stderr := runCLI(t, "", "process", "--progress", "never", "--log-format", "json", in, filepath.Join(dir, "nosuch.xml"))
		var mine []string
		for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
			if !strings.HasPrefix(l, "{") {
				mine = append(mine, l)
			}
		}
		if code != 1 || len(mine) != 2 || !strings.HasPrefix(mine[0], "process: 1 item decided") ||
			!strings.HasPrefix(mine[1], "wirestream process: 1 of 2 inputs could not be read") {
			t.Errorf("exit %d, stderr:\n%s\nwant exit 1, the summary of a finished run, then the error", code, stderr)
		}
	})
}
