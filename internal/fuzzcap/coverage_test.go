package fuzzcap

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	fuzzTarget = regexp.MustCompile(`(?m)^func (Fuzz\w*)\(\w+ \*testing\.F\)`)
	capCall    = regexp.MustCompile(`(?m)^\s*fuzzcap\.MinimizeFor\(`)
)

// Every package with a fuzz target calls MinimizeFor from its TestMain,
// so that a plain `go test -fuzz` (not only `make fuzz`) keeps fuzzing:
// minimizing one new input costs up to Go's 60 s default, a time that
// grows with the square of the input's length times an exec's cost, and
// rounds 19 and 20 saw runs of the feed and file sources make 10–21
// execs in a minute without the cap. Checked over the whole module so a
// new package's first fuzz target cannot miss it.
func TestEveryFuzzedPackageCapsMinimization(t *testing.T) {
	root := moduleRoot(t)
	targets := map[string][]string{} // package directory → its fuzz targets
	capped := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		for _, m := range fuzzTarget.FindAllSubmatch(src, -1) {
			targets[dir] = append(targets[dir], string(m[1]))
		}
		if capCall.Match(src) && bytes.Contains(src, []byte("func TestMain(")) {
			capped[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) == 0 {
		t.Fatal("found no fuzz target in the module: the walk is broken")
	}
	for dir, names := range targets {
		if !capped[dir] {
			t.Errorf("%s has %s but no TestMain calling fuzzcap.MinimizeFor", dir, strings.Join(names, ", "))
		}
	}
}

func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
