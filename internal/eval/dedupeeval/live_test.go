package dedupeeval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A WikiRef220 file that keeps its page's escaped markup ("&lt;a
// href=&quot;…&quot;&gt;", "&hellip;") reaches a live run as an item whose
// body normalize decodes once; the eval must fingerprint that body, not the
// file's raw characters, or it measures a text the near index never sees.
func TestAnArticleWithEscapedMarkupReachesTheNearIndexAsALiveStorys(t *testing.T) {
	dir := t.TempDir()
	body := "Search teams shifted to a new area of the Indian Ocean on Friday &hellip; officials said.\n" +
		"The plane, which disappeared on March 8, &lt;a href=&quot;http://www.cnn.com/2014/03/07/asia/index.html&quot; target=&quot;_blank&quot;&gt;has not been found.&lt;/a&gt;\n" +
		"Relatives of the passengers demanded that the airline withdraw its statement &amp; its apology.\n"
	if err := os.WriteFile(filepath.Join(dir, "plane.1.txt"), []byte("Search moves north\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, err := datasets.LoadWikiRefLabelled(dir)
	if err != nil {
		t.Fatal(err)
	}
	live, err := normalize.New(normalize.DefaultConfig(), nil).Normalize(docs[0].Item, docs[0].Item.FetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	want := normalize.FingerprintText(live)

	arts, err := LoadArticles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 {
		t.Fatalf("%d articles, want 1", len(arts))
	}
	got := normalize.FingerprintText(&record.Story{Body: arts[0].Text()})
	if got != want {
		t.Errorf("the eval fingerprints\n%q\na live story's body fingerprints\n%q", got, want)
	}
	for _, raw := range []string{"&lt;", "&quot;", "&hellip;", "&amp;"} {
		if strings.Contains(arts[0].Text(), raw) {
			t.Errorf("the article's text keeps the escaped %q a live story's body decodes", raw)
		}
	}
	if len(arts[0].Paras) != 3 {
		t.Errorf("%d paragraphs, want the file's 3: the copies edit the live body paragraph by paragraph", len(arts[0].Paras))
	}
	if arts[0].Title != live.Title {
		t.Errorf("title %q, a live story's %q", arts[0].Title, live.Title)
	}
}
