package enricheval

import (
	"os"
	"path/filepath"
	"testing"
)

// writeDevCSV writes dir/uci-news/dev.csv: the data set's header, then
// rows, one a line, in its columns.
func writeDevCSV(t *testing.T, dir string, rows ...string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "uci-news"), 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP\n"
	for _, r := range rows {
		csv += r + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "uci-news", "dev.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The evals read a headline as a live run would: dev.csv's HTML character
// references decoded by normalize, as a feed's title is.
func TestTheEvalsReadAHeadlinesCharacterReferencesDecoded(t *testing.T) {
	dir := t.TempDir()
	writeDevCSV(t, dir,
		"1,AT&amp;T Buys Leap,http://example.com/a,Ex,b,s1,example.com,1394470370698",
		"2,Beyonc&#233; Wants to Ban the Word 'Bossy',http://example.com/b,Ex,e,s2,example.com,1394470370699",
		"3,  Plain   headline ,http://example.com/c,Ex,e,s3,example.com,1394470370700")
	docs, err := LoadUCIAsLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"AT&T Buys Leap", "Beyoncé Wants to Ban the Word 'Bossy'", "Plain headline"}
	if len(docs) != len(want) {
		t.Fatalf("got %d rows, want %d", len(docs), len(want))
	}
	for i, d := range docs {
		if d.Item.Title != want[i] {
			t.Errorf("row %s: title %q, want %q", d.ID, d.Item.Title, want[i])
		}
	}
}
