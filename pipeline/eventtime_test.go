package pipeline

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// newArchivePipeline wires the real stages, state in memory.
func newArchivePipeline(t *testing.T, sink Sink) *Pipeline {
	t.Helper()
	dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), nil, state.Options{}, dd)
	if err != nil {
		t.Fatal(err)
	}
	enr, err := enrich.New(enrich.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(DefaultConfig(), Deps{
		Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Store: st, Sink: sink,
		Enricher: enr, Events: events.New(events.DefaultConfig(), nil), Spikes: spikes.New(spikes.DefaultConfig(), nil),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReplayInEventTimeMatchesTheLiveRun replays an archive of three days
// as `process` does — every batch at once, the wall clock far away — and
// feeds the same archive to Run on a fake clock, each poll at its own
// time with the maintenance ticks in between, and requires the same
// events, assignments and alerts: events and spikes run on the stories'
// published times, not on the clock of the machine.
func TestReplayInEventTimeMatchesTheLiveRun(t *testing.T) {
	polls := archive.Polls()

	fast := &memSink{}
	p := newArchivePipeline(t, fast)
	for _, poll := range polls {
		if err := p.Process(context.Background(), poll.Batch()); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(context.Background(), p.Clock().Add(spikes.DefaultConfig().Bucket)); err != nil {
		t.Fatal(err)
	}
	replayed := archive.OutcomeOf(fast.recs)

	live := &memSink{}
	synctest.Test(t, func(t *testing.T) {
		p := newArchivePipeline(t, live)
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		for _, poll := range polls {
			time.Sleep(time.Until(archive.Start.Add(poll.At)))
			in <- poll.Batch()
		}
		time.Sleep(10 * time.Minute)
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	lived := archive.OutcomeOf(live.recs)

	archive.RequireSame(t, "replay", replayed, "live", lived)

	// The archive exercises what event time decides: the storm's wire
	// copy is counted in its event, day two's bank story founds a new
	// event (the first expired a day after its last story, in event
	// time), and the recall burst fires an alert.
	a := replayed.StoryEvent
	id := archive.StoryID
	storm := a[id("wire", "storm-wire")]
	if storm == "" || storm != a[id("daily", "storm-daily")] || storm != a[id("daily", "storm-copy")] {
		t.Errorf("the storm stories and the wire copy are not one event: %v", a)
	}
	if ev := replayed.Final[storm]; ev == nil || ev.Republications != 1 {
		t.Errorf("the storm event counts no republication: %+v", ev)
	}
	if ecb1, ecb2 := a[id("herald", "ecb-herald")], a[id("herald", "ecb-day2")]; ecb1 == "" || ecb1 == ecb2 {
		t.Errorf("day two's bank story joined the expired day-one event (%s, %s)", ecb1, ecb2)
	}
	if ev := replayed.Final[a[id("herald", "ecb-herald")]]; ev == nil || !ev.Expired || !ev.FirstPublished.Equal(archive.Start.Add(10*time.Hour-20*time.Minute)) {
		t.Errorf("day one's bank event: %+v, want expired, first published at 09:40 in event time", ev)
	}
	t.Logf("alerts: %v", replayed.Alerts)
	fired := false
	for _, al := range replayed.Alerts {
		fired = fired || strings.Contains(al, "acme") && strings.Contains(al, "/firing")
	}
	if !fired {
		t.Errorf("the recall burst raised no alert on Acme, so the comparison of alerts proves little: %v", replayed.Alerts)
	}
}
