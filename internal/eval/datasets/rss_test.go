package datasets_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

func TestWriteRSSIsReadBackAsTheSameItems(t *testing.T) {
	at := time.Date(2016, 1, 1, 9, 30, 0, 0, time.UTC)
	items := []record.Item{
		{Title: "Floods & storms <hit> the coast", Link: "https://news.example/floods", GUID: "floods-1", PublishedParsed: &at,
			Description: "Rivers rose overnight.", Content: "<p>Rivers rose overnight.</p><p>A CDATA end ]]> in the text\x01 and bad \xff bytes.</p>"},
		{Title: "Headline only", Link: "https://news.example/headline"},
	}
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := datasets.WriteRSS(path, "https://news.example/", items); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := feed.Parse(body, "application/rss+xml", "https://news.example/feed.xml", at)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 2 {
		t.Fatalf("read back %d items, want 2", len(doc.Items))
	}
	got := doc.Items[0]
	if got.Title != items[0].Title || got.Link != items[0].Link || got.GUID != "floods-1" || got.PublishedParsed == nil || !got.PublishedParsed.Equal(at) {
		t.Errorf("first item read back as %+v", got)
	}
	if !strings.Contains(got.Content, "A CDATA end ]]> in the text\uFFFD and bad \uFFFD bytes.") {
		t.Errorf("content read back as %q: the CDATA end and the bytes XML cannot hold should survive as text and U+FFFD", got.Content)
	}
	if doc.Items[1].Description != "" || doc.Items[1].Content != "" {
		t.Errorf("headline-only item read back with text: %+v", doc.Items[1])
	}
}

func TestWriteFeedFilesWritesEveryArticleAndHeadline(t *testing.T) {
	articles, headlines, err := datasets.WriteFeedFiles(shareddata.Dir(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []datasets.FeedFile{articles, headlines} {
		body, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := feed.Parse(body, "", "https://data.example/feed.xml", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Items) != f.Items {
			t.Errorf("%s: %d items read back, want %d", f.Path, len(doc.Items), f.Items)
		}
	}
}
