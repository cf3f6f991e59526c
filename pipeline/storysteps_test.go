package pipeline

import (
	"context"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
)

// onlyAssign hides a clusterer's AssignSplit: the pipeline enriches the
// whole batch, then assigns each story from its own texts.
type onlyAssign struct{ Clusterer }

// countingSplit counts the stories assigned from enrichment's split, and
// those whose split was not of their own texts.
type countingSplit struct {
	Clusterer
	split, foreign int
}

func (c *countingSplit) AssignSplit(s *record.Story, split *tokens.Fields) string {
	c.split++
	if split.Title.Text != s.Title || (split.Body.Text != s.Body && split.Summary.Text != s.Summary) {
		c.foreign++
	}
	return c.Clusterer.(splitAssigner).AssignSplit(s, split)
}

func replayArchive(t *testing.T, wrap func(Clusterer) Clusterer) archive.Outcome {
	t.Helper()
	sink := &memSink{}
	p := newArchivePipeline(t, sink)
	p.d.Events = wrap(p.d.Events)
	for _, poll := range archive.Polls() {
		if err := p.Process(context.Background(), poll.Batch()); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(context.Background(), p.Clock().Add(spikes.DefaultConfig().Bucket)); err != nil {
		t.Fatal(err)
	}
	return archive.OutcomeOf(sink.recs)
}

// TestEventsFromEnrichmentsSplitAreEventsFromTheTexts: when events reads
// the words enrichment split (each story assigned as soon as it is
// enriched, with its own split), the archive's events, assignments and
// alerts are those of the whole batch enriched first and each story
// assigned from its texts.
func TestEventsFromEnrichmentsSplitAreEventsFromTheTexts(t *testing.T) {
	var counted *countingSplit
	fromSplit := replayArchive(t, func(c Clusterer) Clusterer {
		counted = &countingSplit{Clusterer: c}
		return counted
	})
	fromTexts := replayArchive(t, func(c Clusterer) Clusterer { return onlyAssign{c} })
	archive.RequireSame(t, "from enrichment's split", fromSplit, "from the texts", fromTexts)
	if counted.split == 0 || counted.foreign != 0 {
		t.Errorf("%d stories assigned from a split, %d of them from another story's: want all from their own", counted.split, counted.foreign)
	}
}
