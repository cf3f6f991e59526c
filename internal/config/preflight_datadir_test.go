package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// A data_dir run cannot create (under a file, or where nothing may be
// created, as /proc) passed validate and stopped run at start with
// "open state log: create …", naming no key and no line. Preflight now
// finds it, at data_dir's line; a data_dir that can be made, or is
// there, passes, and checking it leaves nothing behind.
func TestPreflightRefusesADataDirRunCannotCreate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, dataDir, want string }{
		{"under a file", filepath.Join(file, "state"), "line 1: data_dir: " + filepath.Join(file, "state") + ": cannot be created: " + file + " is a file, not a directory"},
		{"a new directory, several levels down", filepath.Join(dir, "a", "b", "state"), ""},
		{"an existing directory", dir, ""},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct{ name, dataDir, want string }{"where nothing may be created", "/proc/wirestream-state",
			"line 1: data_dir: /proc/wirestream-state: cannot be created in /proc: "})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.yaml")
			if err := os.WriteFile(path, []byte("data_dir: "+strconv.Quote(c.dataDir)+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(path, noEnv)
			if err != nil {
				t.Fatalf("the file itself is valid: %v", err)
			}
			err = cfg.Preflight(func(string) (string, bool) { return "", false })
			if c.want == "" {
				if err != nil {
					t.Errorf("Preflight = %v, want none", err)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != 1 {
					t.Errorf("Preflight left %d entries in %s, want the file alone", len(entries), dir)
				}
				return
			}
			var fe *FileError
			if !errors.As(err, &fe) || len(fe.Problems) != 1 || !strings.HasPrefix(fe.Problems[0].String(), c.want) {
				t.Errorf("Preflight = %v\nwant one problem starting %q", err, c.want)
			}
		})
	}
}
