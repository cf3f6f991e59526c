package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A --config that is not there names the YAML file beside it that it most
// likely meant, or the few that are there; "no such file or directory"
// alone left round 31's newcomer to find that wirestream.yml was written
// .yml.
func TestAMissingConfigNamesTheFileItLikelyMeant(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"wirestream.yml", "staging.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("listen: 127.0.0.1:0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(filepath.Join(dir, "wirestream.yaml"), noEnv)
	if want := "no such file or directory (did you mean " + filepath.Join(dir, "wirestream.yml") + "?)"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got %v, want it to end %q", err, want)
	}
	_, err = Load(filepath.Join(dir, "production-eu.yaml"), noEnv)
	if want := "no such file or directory (the YAML files in " + dir + ": staging.yaml, wirestream.yml)"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got %v, want it to end %q", err, want)
	}
	_, err = Load(filepath.Join(t.TempDir(), "w.yaml"), noEnv)
	if err == nil || !strings.HasSuffix(err.Error(), "no such file or directory") {
		t.Errorf("an empty directory: got %v, want no hint", err)
	}
}
