package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// hostileOversizeFeed is an RSS document whose items are each over the
// broker's 1 MB message limit as the feed gives them, while the story run
// makes of each fits: a 1 MB headline, half a megabyte of markup around a
// short text, an article of 1.5 MB of text, and a 1 MB headline that is
// all markup around a few words (the cut is noted though its text fits).
func hostileOversizeFeed() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>`)
	item := func(guid, title, desc string) {
		fmt.Fprintf(&b, "<item><title><![CDATA[%s]]></title><link>https://wire.example/%s</link><guid>%s</guid><description><![CDATA[%s]]></description></item>\n",
			title, guid, guid, desc)
	}
	item("headline", strings.Repeat("Council approves the budget ", 40_000), "The council approved the budget on Tuesday.")
	item("markup", "Markup around a short story",
		strings.Repeat(`<div class="wrap"><span style="x:y">&nbsp;</span></div>`, 10_000)+
			"<p>The harbour reopened after the storm, the port authority said.</p>"+
			strings.Repeat(`<div class="wrap"><span style="x:y"></span></div>`, 1_000))
	var para strings.Builder
	for i := 0; para.Len() < 1_500_000; i++ {
		fmt.Fprintf(&para, "<p>Paragraph %d of the long report on the river levels across the region this week.</p>\n", i)
	}
	item("article", "The long report", para.String())
	item("markup-title", strings.Repeat("<b></b>", 150_000)+"Few words", "A short description of the item.")
	b.WriteString("</channel></rss>")
	return b.String()
}

// The same hostile items make the same stories — id, text, hash and
// truncated flags — whether one process polls and processes them (role
// all) or a fetcher hands them to a processor over a real broker's items
// topic, where each is over kafka.max_message_bytes as the feed gave it.
func TestAnOversizeItemMakesTheSameStoryInEveryRole(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	body := hostileOversizeFeed()
	srv := newFeedServer(t, func(int) string { return body })
	spec := feed.Spec{URL: srv.URL + "/rss"}
	const want = 4

	// Role all, the reference.
	all := hostileConfig(t)
	all.Poller.MaxBodyBytes = max(all.Poller.MaxBodyBytes, int64(16<<20))
	kept := &keepSink{}
	runDaemon(t, all, []feed.Spec{spec}, nil, kept, func(*Metrics) bool { return kept.count(record.TypeStory) >= want })
	ref := map[string]*record.Story{}
	for _, r := range kept.recs {
		if s, ok := r.(*record.Story); ok {
			ref[s.ID] = s
		}
	}

	// Role fetch and role process, over the broker.
	cfg := roleConfig(t, brokers)
	cfg.Poller = all.Poller
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := NewFetcher(ctx, cfg, NewMetrics(prometheus.NewRegistry(), "test"), log.With("instance", "fetcher"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, _, err := f.feeds.Add(ctx, spec); err != nil {
		t.Fatal(err)
	}
	// The fetcher runs until the test is done, not for the set-up's two
	// minutes: on a loaded machine the stages below took longer.
	fetchCtx, stopFetcher := context.WithCancel(t.Context())
	fetched := make(chan error, 1)
	go func() { fetched <- f.Run(fetchCtx) }()
	defer func() {
		stopFetcher()
		if err := <-fetched; err != nil {
			t.Errorf("fetcher: %v", err)
		}
	}()
	proc := startProcessor(t, "processor", func() config.Config { return cfg })

	// Each stage has its own bound, for a stage that never ends rather
	// than a speed (at load 30-46 under -race the whole chain outlasted a
	// single 90 s wait for the stories, with the group coordinator away
	// for 10 s of it); a failure says which stage did not end.
	waitFor(t, 3*time.Minute, "the processor never became active", func() bool { return proc.value("wirestream_processor_active") == 1 })
	waitFor(t, 3*time.Minute, "the processor never read the fetcher's items", func() bool {
		return proc.value("wirestream_processor_items_read_total") >= want
	})
	msgs := kafkatest.ReadAll(t, brokers, cfg.Kafka.TopicName(record.TypeStory), want, 3*time.Minute)
	got := map[string]*record.Story{}
	for _, m := range msgs {
		var s record.Story
		if err := json.Unmarshal(m.Value, &s); err != nil {
			t.Fatalf("story message: %v", err)
		}
		got[s.ID] = &s
	}
	if len(got) != len(ref) || len(ref) != want {
		t.Fatalf("role all made %d stories, fetch+process %d; want %d each", len(ref), len(got), want)
	}
	for id, r := range ref {
		g := got[id]
		if g == nil {
			t.Errorf("story %s (%.40q) of role all is missing under fetch+process", id, r.Title)
			continue
		}
		if len(r.Truncated) == 0 {
			t.Errorf("story %s (%.40q): no field noted as truncated; the item was not hostile", id, r.Title)
		}
		for _, c := range []struct {
			field     string
			all, role any
		}{
			{"title", r.Title, g.Title}, {"body", r.Body, g.Body}, {"summary", r.Summary, g.Summary},
			{"html", r.HTML, g.HTML}, {"content_hash", r.ContentHash, g.ContentHash},
			{"truncated", strings.Join(r.Truncated, ","), strings.Join(g.Truncated, ",")},
			{"guid", r.GUID, g.GUID}, {"url", r.URL, g.URL},
		} {
			if c.all != c.role {
				t.Errorf("story %s: %s differs: role all %.80q, fetch+process %.80q", id, c.field, c.all, c.role)
			}
		}
	}
	t.Logf("stories' truncated flags: %v", slices.Collect(func(yield func(string) bool) {
		for _, r := range ref {
			if !yield(r.ID + ":" + strings.Join(r.Truncated, ",")) {
				return
			}
		}
	}))
}
