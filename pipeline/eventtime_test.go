package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// archiveStart is where synctest's fake clock starts, so the live run can
// sleep until each poll of the archive.
var archiveStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// archivePoll is one poll of one feed in the archive: when it happened
// and the stories it returned, each published some minutes before.
type archivePoll struct {
	at    time.Duration // after archiveStart
	feed  string
	items []archiveItem
}

type archiveItem struct {
	ago         time.Duration // published this long before the poll
	slug, title string
	summary     string
}

// archive is three days of news from four outlets: a storm and a central
// bank decision on day one (the storm also as a wire copy), the bank
// again on day two — a new event, the first having expired in event
// time — and on day three a burst of stories on one company's recall
// that the spike detector must see, then a quiet return to other news.
func archive() []archivePoll {
	storm := "Storm Eowyn batters Ireland with record winds as a million homes lose power"
	ecb := "The European Central Bank kept its deposit rate at four percent and said inflation in the euro area was easing more slowly than expected."
	recall := "Acme Motors recalls electric vans over a brake fault that regulators say can lengthen stopping distances."
	h := time.Hour
	m := time.Minute
	return []archivePoll{
		{9 * h, "wire", []archiveItem{{5 * m, "storm-wire", "Storm Eowyn batters Ireland with record winds", storm}}},
		{9*h + 20*m, "daily", []archiveItem{
			{10 * m, "storm-daily", "Storm Eowyn: a million homes without power in Ireland", "Record winds from Storm Eowyn left a million homes in Ireland without power as the storm moved towards Scotland."},
			{3 * m, "storm-copy", "Storm Eowyn batters Ireland with record winds", storm},
		}},
		{10 * h, "herald", []archiveItem{{20 * m, "ecb-herald", "ECB holds rates as inflation eases slowly", ecb}}},
		{10*h + 30*m, "wire", []archiveItem{
			{5 * m, "ecb-wire", "European Central Bank keeps deposit rate at four percent", "The ECB held its deposit rate at four percent, saying euro area inflation was easing more slowly than it had expected."},
			{25 * m, "storm-wire-2", "Storm Eowyn moves to Scotland after battering Ireland", "Storm Eowyn brought record winds to Scotland after leaving a million homes in Ireland without power."},
		}},
		{13 * h, "times", []archiveItem{{30 * m, "ecb-times", "ECB rate decision: deposit rate stays at four percent", "Euro area inflation is easing more slowly than the European Central Bank expected, its president said as rates were held."}}},
		{40 * h, "herald", []archiveItem{{10 * m, "ecb-day2", "ECB signals rates will stay high as inflation lingers", "The European Central Bank said its deposit rate would stay at four percent while euro area inflation eases slowly."}}},
		{42 * h, "daily", []archiveItem{{15 * m, "ecb-day2-daily", "European Central Bank: deposit rate to stay at four percent", "Rates in the euro area will stay high while inflation eases slowly, the European Central Bank said."}}},
		{60*h + 2*m, "wire", []archiveItem{{1 * m, "acme-wire", "Acme Motors recalls electric vans over brake fault", recall}}},
		{60*h + 3*m, "daily", []archiveItem{{1 * m, "acme-daily", "Acme Motors van recall: brake fault found", "Acme Motors is recalling electric vans after regulators found a brake fault in the vans."}}},
		{60*h + 4*m, "herald", []archiveItem{{1 * m, "acme-herald", "Brake fault forces Acme Motors van recall", "Regulators said Acme Motors vans have a brake fault and ordered a recall of the electric vans."}}},
		{60*h + 5*m, "times", []archiveItem{
			{2 * m, "acme-times", "Acme Motors shares fall after van recall", "Shares in Acme Motors fell after it recalled electric vans over a brake fault."},
			{1 * m, "acme-times-2", "What the Acme Motors recall means for van owners", "Owners of Acme Motors electric vans should book a brake check, the company said after the recall."},
		}},
		{60*h + 6*m, "wire", []archiveItem{{2 * m, "acme-wire-2", "Acme Motors chief apologises for van brake fault", "The chief executive of Acme Motors apologised for the brake fault behind the electric van recall."}}},
		{63 * h, "daily", []archiveItem{{20 * m, "museum", "Museum returns looted bronzes to Nigeria", "The museum handed back thirty bronzes taken in 1897, in a ceremony attended by Nigerian officials."}}},
		{64 * h, "herald", []archiveItem{{5 * m, "tennis", "Tennis star withdraws from final with back injury", "The world number two pulled out an hour before the match."}}},
	}
}

// batches turns the archive into what a poller hands the pipeline.
func (p archivePoll) batch() record.Batch {
	feed := record.FeedRef{URL: "https://" + p.feed + ".example/rss", Title: p.feed}
	fetched := archiveStart.Add(p.at)
	b := record.Batch{Feed: feed}
	for _, it := range p.items {
		pub := fetched.Add(-it.ago)
		b.Items = append(b.Items, record.Item{
			Feed: feed, GUID: p.feed + "/" + it.slug, Link: "https://" + p.feed + ".example/news/" + it.slug,
			Title: it.title, Description: it.summary,
			PublishedRaw: pub.Format(time.RFC1123Z), PublishedParsed: &pub, FetchedAt: fetched,
		})
	}
	return b
}

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

// outcome is what a run published, without the wall-clock fields (first
// seen, fetch and decision times) that legitimately differ.
type outcome struct {
	storyEvent map[string]string        // story or duplicate id → event id on its record
	final      map[string]*record.Event // event id → its last state
	alerts     []string                 // alert ids with their counts, sorted
}

// requireSameOutcome fails t for every difference between two runs'
// outcomes, named a and b.
func requireSameOutcome(t *testing.T, an string, a outcome, bn string, b outcome) {
	t.Helper()
	if !maps.Equal(a.storyEvent, b.storyEvent) {
		t.Errorf("stories were assigned differently:\n%-6s %v\n%-6s %v", an, a.storyEvent, bn, b.storyEvent)
	}
	if !slices.Equal(a.alerts, b.alerts) {
		t.Errorf("alerts differ:\n%-6s %v\n%-6s %v", an, a.alerts, bn, b.alerts)
	}
	for id, want := range a.final {
		got := b.final[id]
		if got == nil {
			t.Errorf("event %s (%q) was not published by %s", id, want.Title, bn)
			continue
		}
		if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", *want) {
			t.Errorf("event %s differs:\n%-6s %+v\n%-6s %+v", id, an, *want, bn, *got)
		}
	}
	if len(a.final) != len(b.final) {
		t.Errorf("%d events by %s, %d by %s", len(a.final), an, len(b.final), bn)
	}
}

func outcomeOf(recs []record.Record) outcome {
	o := outcome{storyEvent: map[string]string{}, final: map[string]*record.Event{}}
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			o.storyEvent[r.ID] = r.EventID
		case *record.Duplicate:
			o.storyEvent[r.ID] = r.EventID
		case *record.Event:
			if prev := o.final[r.ID]; prev == nil || r.Revision > prev.Revision {
				ev := *r
				ev.FirstSeen, ev.LastSeen = time.Time{}, time.Time{}
				o.final[r.ID] = &ev
			}
		case *record.Alert:
			o.alerts = append(o.alerts, fmt.Sprintf("%s stories=%d publishers=%d", r.ID, r.Stories, r.Publishers))
		}
	}
	slices.Sort(o.alerts)
	return o
}

// TestReplayInEventTimeMatchesTheLiveRun replays an archive of three days
// as `process` does — every batch at once, the wall clock far away — and
// feeds the same archive to Run on a fake clock, each poll at its own
// time with the maintenance ticks in between, and requires the same
// events, assignments and alerts: events and spikes run on the stories'
// published times, not on the clock of the machine.
func TestReplayInEventTimeMatchesTheLiveRun(t *testing.T) {
	polls := archive()

	fast := &memSink{}
	p := newArchivePipeline(t, fast)
	for _, poll := range polls {
		if err := p.Process(context.Background(), poll.batch()); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Flush(context.Background(), p.Clock().Add(spikes.DefaultConfig().Bucket)); err != nil {
		t.Fatal(err)
	}
	replayed := outcomeOf(fast.recs)

	live := &memSink{}
	synctest.Test(t, func(t *testing.T) {
		p := newArchivePipeline(t, live)
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		for _, poll := range polls {
			time.Sleep(time.Until(archiveStart.Add(poll.at)))
			in <- poll.batch()
		}
		time.Sleep(10 * time.Minute)
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	lived := outcomeOf(live.recs)

	requireSameOutcome(t, "replay", replayed, "live", lived)

	// The archive exercises what event time decides: the storm's wire
	// copy is counted in its event, day two's bank story founds a new
	// event (the first expired a day after its last story, in event
	// time), and the recall burst fires an alert.
	a := replayed.storyEvent
	id := func(feed, slug string) string {
		return normalize.StoryID("https://"+feed+".example/news/"+slug, feed+"/"+slug, "https://"+feed+".example/rss")
	}
	storm := a[id("wire", "storm-wire")]
	if storm == "" || storm != a[id("daily", "storm-daily")] || storm != a[id("daily", "storm-copy")] {
		t.Errorf("the storm stories and the wire copy are not one event: %v", a)
	}
	if ev := replayed.final[storm]; ev == nil || ev.Republications != 1 {
		t.Errorf("the storm event counts no republication: %+v", ev)
	}
	if ecb1, ecb2 := a[id("herald", "ecb-herald")], a[id("herald", "ecb-day2")]; ecb1 == "" || ecb1 == ecb2 {
		t.Errorf("day two's bank story joined the expired day-one event (%s, %s)", ecb1, ecb2)
	}
	if ev := replayed.final[a[id("herald", "ecb-herald")]]; ev == nil || !ev.Expired || !ev.FirstPublished.Equal(archiveStart.Add(10*time.Hour-20*time.Minute)) {
		t.Errorf("day one's bank event: %+v, want expired, first published at 09:40 in event time", ev)
	}
	t.Logf("alerts: %v", replayed.alerts)
	fired := false
	for _, al := range replayed.alerts {
		fired = fired || strings.Contains(al, "acme") && strings.Contains(al, "/firing")
	}
	if !fired {
		t.Errorf("the recall burst raised no alert on Acme, so the comparison of alerts proves little: %v", replayed.alerts)
	}
}
