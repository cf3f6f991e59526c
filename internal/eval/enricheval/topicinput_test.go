package enricheval

import (
	"os"
	"path/filepath"
	"testing"
)

// The topics eval classifies a headline as a live run's story carries it:
// dev.csv's HTML character references decoded by normalize, as the entity
// and keyword evals read it.
func TestTheTopicsEvalReadsAHeadlinesCharacterReferencesDecoded(t *testing.T) {
	dir := t.TempDir()
	writeDevCSV(t, dir, "1,AT&amp;T Buys Leap,http://example.com/a,Ex,b,s1,example.com,1394470370698")
	if err := os.MkdirAll(filepath.Join(dir, "wikiref220"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wikiref220", "Topic.1.txt"), []byte("A headline\n\nA body.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, _, err := loadTopicSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Item.Title != "AT&T Buys Leap" {
		t.Errorf("rows %+v, want the one headline titled %q", rows, "AT&T Buys Leap")
	}
}
