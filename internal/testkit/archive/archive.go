// Package archive is three days of news from four outlets as a poller
// would hand them to the pipeline, and the comparison of what two runs
// over it published: the tests of event time, of restarts and of
// process --data-dir share it.
package archive

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Start is where the archive's first day starts (and synctest's fake
// clock, so a live run can sleep until each poll).
var Start = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Poll is one poll of one feed in the archive: when it happened
// and the stories it returned, each published some minutes before.
type Poll struct {
	At    time.Duration // after Start
	Feed  string
	Items []Item
}

// Item is one story of a poll.
type Item struct {
	ago         time.Duration // published this long before the poll
	slug, title string
	summary     string
}

// Polls are three days of news from four outlets: a storm and a central
// bank decision on day one (the storm also as a wire copy), the bank
// again on day two — a new event, the first having expired in event
// time — and on day three a burst of stories on one company's recall
// that the spike detector must see, then a quiet return to other news.
func Polls() []Poll {
	storm := "Storm Eowyn batters Ireland with record winds as a million homes lose power"
	ecb := "The European Central Bank kept its deposit rate at four percent and said inflation in the euro area was easing more slowly than expected."
	recall := "Acme Motors recalls electric vans over a brake fault that regulators say can lengthen stopping distances."
	h := time.Hour
	m := time.Minute
	return []Poll{
		{9 * h, "wire", []Item{{5 * m, "storm-wire", "Storm Eowyn batters Ireland with record winds", storm}}},
		{9*h + 20*m, "daily", []Item{
			{10 * m, "storm-daily", "Storm Eowyn: a million homes without power in Ireland", "Record winds from Storm Eowyn left a million homes in Ireland without power as the storm moved towards Scotland."},
			{3 * m, "storm-copy", "Storm Eowyn batters Ireland with record winds", storm},
		}},
		{10 * h, "herald", []Item{{20 * m, "ecb-herald", "ECB holds rates as inflation eases slowly", ecb}}},
		{10*h + 30*m, "wire", []Item{
			{5 * m, "ecb-wire", "European Central Bank keeps deposit rate at four percent", "The ECB held its deposit rate at four percent, saying euro area inflation was easing more slowly than it had expected."},
			{25 * m, "storm-wire-2", "Storm Eowyn moves to Scotland after battering Ireland", "Storm Eowyn brought record winds to Scotland after leaving a million homes in Ireland without power."},
		}},
		{13 * h, "times", []Item{{30 * m, "ecb-times", "ECB rate decision: deposit rate stays at four percent", "Euro area inflation is easing more slowly than the European Central Bank expected, its president said as rates were held."}}},
		{40 * h, "herald", []Item{{10 * m, "ecb-day2", "ECB signals rates will stay high as inflation lingers", "The European Central Bank said its deposit rate would stay at four percent while euro area inflation eases slowly."}}},
		{42 * h, "daily", []Item{{15 * m, "ecb-day2-daily", "European Central Bank: deposit rate to stay at four percent", "Rates in the euro area will stay high while inflation eases slowly, the European Central Bank said."}}},
		{60*h + 2*m, "wire", []Item{{1 * m, "acme-wire", "Acme Motors recalls electric vans over brake fault", recall}}},
		{60*h + 3*m, "daily", []Item{{1 * m, "acme-daily", "Acme Motors van recall: brake fault found", "Acme Motors is recalling electric vans after regulators found a brake fault in the vans."}}},
		{60*h + 4*m, "herald", []Item{{1 * m, "acme-herald", "Brake fault forces Acme Motors van recall", "Regulators said Acme Motors vans have a brake fault and ordered a recall of the electric vans."}}},
		{60*h + 5*m, "times", []Item{
			{2 * m, "acme-times", "Acme Motors shares fall after van recall", "Shares in Acme Motors fell after it recalled electric vans over a brake fault."},
			{1 * m, "acme-times-2", "What the Acme Motors recall means for van owners", "Owners of Acme Motors electric vans should book a brake check, the company said after the recall."},
		}},
		{60*h + 6*m, "wire", []Item{{2 * m, "acme-wire-2", "Acme Motors chief apologises for van brake fault", "The chief executive of Acme Motors apologised for the brake fault behind the electric van recall."}}},
		{63 * h, "daily", []Item{{20 * m, "museum", "Museum returns looted bronzes to Nigeria", "The museum handed back thirty bronzes taken in 1897, in a ceremony attended by Nigerian officials."}}},
		{64 * h, "herald", []Item{{5 * m, "tennis", "Tennis star withdraws from Final with back injury", "The world number two pulled out an hour before the match."}}},
	}
}

// Batch is the poll as a poller hands it to the pipeline.
func (p Poll) Batch() record.Batch {
	feed := record.FeedRef{URL: "https://" + p.Feed + ".example/rss", Title: p.Feed}
	fetched := Start.Add(p.At)
	b := record.Batch{Feed: feed}
	for _, it := range p.Items {
		pub := fetched.Add(-it.ago)
		b.Items = append(b.Items, record.Item{
			Feed: feed, GUID: p.Feed + "/" + it.slug, Link: "https://" + p.Feed + ".example/news/" + it.slug,
			Title: it.title, Description: it.summary,
			PublishedRaw: pub.Format(time.RFC1123Z), PublishedParsed: &pub, FetchedAt: fetched,
		})
	}
	return b
}

// Outcome is what a run published, without the wall-clock fields (first
// seen, fetch and decision times) that legitimately differ.
type Outcome struct {
	StoryEvent map[string]string        // story or duplicate id → event id on its record
	Final      map[string]*record.Event // event id → its last state
	Alerts     []string                 // alert ids with their counts, sorted
}

// RequireSame fails t for every difference between two runs'
// outcomes, named a and b.
func RequireSame(t *testing.T, an string, a Outcome, bn string, b Outcome) {
	t.Helper()
	if !maps.Equal(a.StoryEvent, b.StoryEvent) {
		t.Errorf("stories were assigned differently:\n%-6s %v\n%-6s %v", an, a.StoryEvent, bn, b.StoryEvent)
	}
	if !slices.Equal(a.Alerts, b.Alerts) {
		t.Errorf("alerts differ:\n%-6s %v\n%-6s %v", an, a.Alerts, bn, b.Alerts)
	}
	for id, want := range a.Final {
		got := b.Final[id]
		if got == nil {
			t.Errorf("event %s (%q) was not published by %s", id, want.Title, bn)
			continue
		}
		if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", *want) {
			t.Errorf("event %s differs:\n%-6s %+v\n%-6s %+v", id, an, *want, bn, *got)
		}
	}
	if len(a.Final) != len(b.Final) {
		t.Errorf("%d events by %s, %d by %s", len(a.Final), an, len(b.Final), bn)
	}
}

// RequireSameButRevisions is RequireSame for a run b whose writes
// failed: its events' revision numbers may be higher (what superseded the
// records of the batches decided again spent some) and it may have
// retracted events a never-failing run did not found (they hold no
// story); everything else must be the same.
func RequireSameButRevisions(t *testing.T, an string, a Outcome, bn string, b Outcome) {
	t.Helper()
	strip := func(o Outcome) Outcome {
		s := Outcome{StoryEvent: o.StoryEvent, Alerts: o.Alerts, Final: map[string]*record.Event{}}
		for id, ev := range o.Final {
			if !ev.Retracted {
				e := *ev
				e.Revision = 0
				s.Final[id] = &e
			}
		}
		return s
	}
	RequireSame(t, an, strip(a), bn, strip(b))
}

// RequireRevisionsRise fails t when a record of an event in recs, in the
// order they were published, has a revision no higher than an earlier
// record of the same event, unless it repeats that record exactly (a
// write retried): a consumer keeping the highest revision, and a
// compacted topic keeping the last, then hold the same state, and a
// revision never names two states.
func RequireRevisionsRise(t *testing.T, recs []record.Record) {
	t.Helper()
	last := map[string]*record.Event{}
	for _, r := range recs {
		ev, ok := r.(*record.Event)
		if !ok {
			continue
		}
		if prev := last[ev.ID]; prev != nil && ev.Revision <= prev.Revision &&
			(ev.Revision != prev.Revision || fmt.Sprintf("%+v", *ev) != fmt.Sprintf("%+v", *prev)) {
			t.Errorf("event %s published revision %d after revision %d:\nearlier %+v\nlater   %+v", ev.ID, ev.Revision, prev.Revision, *prev, *ev)
		}
		last[ev.ID] = ev
	}
}

// OutcomeOf is what recs — a run's output, in order — published.
func OutcomeOf(recs []record.Record) Outcome {
	o := Outcome{StoryEvent: map[string]string{}, Final: map[string]*record.Event{}}
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			o.StoryEvent[r.ID] = r.EventID
		case *record.Duplicate:
			o.StoryEvent[r.ID] = r.EventID
		case *record.Event:
			if prev := o.Final[r.ID]; prev == nil || r.Revision > prev.Revision {
				ev := *r
				ev.FirstSeen, ev.LastSeen = time.Time{}, time.Time{}
				o.Final[r.ID] = &ev
			}
		case *record.Alert:
			o.Alerts = append(o.Alerts, fmt.Sprintf("%s stories=%d publishers=%d", r.ID, r.Stories, r.Publishers))
		}
	}
	slices.Sort(o.Alerts)
	return o
}

// StoryID is the id the pipeline gives the archive's story slug of feed.
func StoryID(feed, slug string) string {
	return normalize.StoryID("https://"+feed+".example/news/"+slug, feed+"/"+slug, "https://"+feed+".example/rss")
}
