package eventeval

import (
	"os"
	"path/filepath"
	"testing"
)

// The events eval reads a headline as a live run's story carries it:
// dev.csv's HTML character references decoded by normalize, so the
// title-only baseline and the study's title words compare "AT&T", not
// "AT&amp;T", as the pipeline's replay already does.
func TestTheEventsEvalReadsAHeadlinesCharacterReferencesDecoded(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "uci-news"), 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP\n" +
		"1,AT&amp;T Buys Leap,http://example.com/a,Ex,b,s1,example.com,1394470370698\n" +
		"2,Beyonc&#233; Wants to Ban the Word 'Bossy',http://example.com/b,Ex,e,s2,example.com,1394470370699\n"
	if err := os.WriteFile(filepath.Join(dir, "uci-news", "dev.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, err := loadUCI(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"AT&T Buys Leap", "Beyoncé Wants to Ban the Word 'Bossy'"}
	if len(docs) != len(want) {
		t.Fatalf("got %d rows, want %d", len(docs), len(want))
	}
	for i, d := range docs {
		if d.item.Title != want[i] {
			t.Errorf("row %s: title %q, want %q", d.id, d.item.Title, want[i])
		}
	}
}
