package daemon

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A hub's delivery replayed after 64 others is past the callback's replay
// window, and once the feed has dropped its entry the poller's state
// (the last document's items) no longer knows it: the poller hands the
// entry over again, as new (BENCHMARKS round 31, hostile31's "left").
// Downstream dedupe decides it: the same feed, GUID and text as a story
// already published is "unchanged", so no second story record is
// written, across a restart too (data_dir). The pipeline is the one run
// uses (Process builds it with NewPipeline).
func TestAPushReplayedPastTheWindowPublishesNoSecondStory(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "pushed.atom")
	atom := `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">` +
		`<title>Wire</title><id>urn:wire</id><link rel="self" href="https://wire.example/feed.atom"/><updated>2026-12-05T10:00:00Z</updated>` +
		`<entry><id>urn:wire:1</id><title>Council passes the budget after a long night</title><link href="https://wire.example/1"/>` +
		`<updated>2026-12-05T09:00:00Z</updated><summary>The council passed the budget at dawn after talks ran through the night.</summary></entry></feed>`
	if err := os.WriteFile(doc, []byte(atom), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "data")
	run := func(files ...string) (ProcessResult, *keepSink) {
		t.Helper()
		sink := &keepSink{}
		tally, err := Process(t.Context(), config.Default(), ProcessOptions{Files: files, DataDir: state, BatchSize: 1, Sink: sink,
			Metrics: NewMetrics(prometheus.NewRegistry(), "test"), Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		return tally, sink
	}
	// The delivery, and its replay handed over in the same run.
	tally, sink := run(doc, doc)
	if n := sink.count(record.TypeStory); n != 1 || tally.New != 1 || tally.Unchanged != 1 {
		t.Errorf("%d stories, tally %+v; want 1 story: the replay unchanged", n, tally)
	}
	// The replay after a restart, from the state in data_dir.
	tally, sink = run(doc)
	if n := sink.count(record.TypeStory) + sink.count(record.TypeDuplicate); n != 0 || tally.Unchanged != 1 {
		t.Errorf("after a restart: %d story or duplicate records, tally %+v; want none, the replay unchanged", n, tally)
	}
}
