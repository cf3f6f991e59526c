package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
)

// On a fresh state the first batch may carry no story: a feed whose first
// poll failed sends only its status. That batch has no event time, and
// must leave the spike detector as new. Advanced to the zero time, the
// detector started in year 1: the first story then closed every bucket
// since, tens of millions (minutes of CPU and a change entry each), and
// alerted with no baseline, the warm-up long past. Found by
// FuzzTheLogHoldsMemory.
func TestABatchWithNoStoryOnAFreshStateLeavesSpikesUnstarted(t *testing.T) {
	dir := t.TempDir()
	p := durablePipelineWith(t, dir, &memSink{}, DefaultConfig(), func() time.Time { return archive.Start })
	feed := record.FeedRef{URL: "https://down.example/rss"}
	status := record.Batch{Feed: feed, Status: &record.FeedStatus{
		Type: record.TypeFeedStatus, ID: feed.URL, FeedURL: feed.URL, Health: record.HealthDegraded,
		LastErrorClass: "dns", LastError: "no such host", ConsecutiveFailures: 1, LastAttempt: archive.Start,
	}}
	if err := p.Process(context.Background(), status); err != nil {
		t.Fatal(err)
	}
	got := snapshotOf(t, p.d.Spikes.(*spikes.Detector))
	want := snapshotOf(t, spikes.New(spikes.DefaultConfig(), nil))
	requireSameEntries(t, "spikes after a status-only batch against a new detector", got, want)
}
