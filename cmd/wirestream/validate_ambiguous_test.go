package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A watch name the gazetteer knows as more than one entity — "Georgia", the country and the
// US state; "Washington", the city and the state — is watched as one of them, and nothing
// said which: a newcomer who meant the US state watched the country. validate warns (exit 0),
// naming the one watched and the key that watches each other.
func TestValidateWarnsOfAWatchNameTheGazetteerKnowsAsSeveralEntities(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	if err := os.WriteFile(path, []byte("spikes:\n  watch: [Georgia, Britain, strike]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "validate", "--config", path)
	if code != 0 {
		t.Fatalf("validate exited %d: %s", code, stderr)
	}
	want := "warning: spikes.watch: Georgia names more than one entity the enrichment knows: watched as place:ge; to watch another, write its key in the list instead: place:georgia\n"
	if !strings.Contains(out, want) {
		t.Errorf("validate's output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "warning: spikes.watch: Britain") {
		t.Errorf("validate warns of Britain, which names one entity:\n%s", out)
	}
}
