package daemon

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// `process` applies the limits `run` applies — max_items per document,
// the text caps, kafka.max_message_bytes per record — and what it
// dropped is dead-lettered with the reason. (Issue 13, point 12; the
// summary line it prints is cmd/wirestream's.)
func TestProcessAppliesRunsLimitsAndSaysWhatItDid(t *testing.T) {
	dir := t.TempDir()
	// A feed document of 13 entries: 12 items, over max_items 10, and a
	// repeat. The first has a 1 MB title, the second is repeated (same
	// GUID and link), the third carries a body too large for an 8 KiB
	// message.
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>`)
	item := func(i int, title, desc string) {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://wire.example/%d</link><guid>g%d</guid><description>%s</description></item>`, title, i, i, desc)
	}
	item(0, strings.Repeat("Headline ", 120_000), "A story with a title a megabyte long.")
	item(1, "A story told twice", "The CMS emitted this item twice.")
	item(1, "A story told twice", "The CMS emitted this item twice.")
	item(2, "A long read", strings.Repeat("Paragraph of a very long article about many things. ", 400))
	for i := 3; i < 12; i++ {
		item(i, fmt.Sprintf("Story number %d about the council budget", i), fmt.Sprintf("Body of story %d: the council met on Tuesday.", i))
	}
	b.WriteString(`</channel></rss>`)
	feedFile := filepath.Join(dir, "wire.xml")
	// JSONL items: one the feed also carried (same link, another feed: a
	// duplicate), and one given twice (an unchanged repeat).
	items := `{"feed":{"url":"https://other.example/rss"},"link":"https://wire.example/5","title":"Story number 5 about the council budget","description":"Body of story 5: the council met on Tuesday."}
{"feed":{"url":"https://other.example/rss"},"link":"https://other.example/a","title":"Rail strike called off after late talks","description":"Unions called off the strike after talks that ran late into the night."}
{"feed":{"url":"https://other.example/rss"},"link":"https://other.example/a","title":"Rail strike called off after late talks","description":"Unions called off the strike after talks that ran late into the night."}
`
	jsonlFile := filepath.Join(dir, "items.jsonl")
	for name, data := range map[string]string{feedFile: b.String(), jsonlFile: items} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cfg := config.Default()
	cfg.Poller.MaxItems = 10
	cfg.Kafka.MaxMessageBytes = 8 << 10
	sink := &keepSink{}
	tally, err := Process(t.Context(), cfg, ProcessOptions{Files: []string{feedFile, jsonlFile}, BatchSize: 4, Sink: sink,
		Metrics: NewMetrics(prometheus.NewRegistry(), "test"), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}

	// The document: 13 entries, 1 repeat rejected, 12 items, 10 kept
	// (max_items); with the JSONL's 3, 13 items decided: 11 new stories
	// (one of them, the long read, dead-lettered for its size), 1
	// duplicate, 1 unchanged.
	if tally.Items != 13 || tally.New != 11 || tally.Duplicates != 1 || tally.Unchanged != 1 {
		t.Errorf("tally %+v, want 13 items: 11 new, 1 duplicate, 1 unchanged", tally)
	}
	if n := sink.count(record.TypeStory); n != 10 {
		t.Errorf("%d stories written, want 10 (the 11th is over kafka.max_message_bytes)", n)
	}
	if n := sink.count(record.TypeDeadLetter); n != 3 {
		t.Errorf("%d dead letters, want 3: the repeat, the items over max_items, the story over the size limit", n)
	}

	var dead []*record.DeadLetter
	for _, r := range sink.recs {
		switch r := r.(type) {
		case *record.Story:
			if r.GUID == "g0" && (len(r.Title) > 1024 || !slices.Contains(r.Truncated, record.FieldTitle)) {
				t.Errorf("the megabyte title: %d bytes, truncated %q", len(r.Title), r.Truncated)
			}
			if r.GUID == "g2" {
				t.Error("the story over max_message_bytes was written")
			}
		case *record.DeadLetter:
			dead = append(dead, r)
		}
	}
	var errs []string
	for _, d := range dead {
		errs = append(errs, d.Error)
	}
	joined := strings.Join(errs, "\n")
	for _, w := range []string{"repeats item 2 of the document", "12 items, over the limit of 10 (poller.max_items): it has no dates, so its first 10 were kept and the 2 after them were not read",
		"over kafka.max_message_bytes (8192)"} {
		if !strings.Contains(joined, w) {
			t.Errorf("no dead letter saying %q:\n%s", w, joined)
		}
	}
}
