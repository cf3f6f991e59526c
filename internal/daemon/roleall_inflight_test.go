package daemon

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
)

// inflightSeeds is how many failure patterns
// TestRoleAllInFlightFailuresKeepTheCountsTrue tries: more with -inflight-seeds 100 when the rewind path changes.
var inflightSeeds = flag.Int("inflight-seeds", 12, "failure patterns (seeds) TestRoleAllInFlightFailuresKeepTheCountsTrue tries")

// With several batches in flight, writes that fail at random are read
// again after those screened before the rewind went on ahead of them: an
// order unlike that of a run without failures, so its outcome may
// legitimately differ. What must hold whatever the order, once every
// batch finally succeeded: every story is published and belongs to
// exactly one event that was not merged away (nor retracted), the one its
// last record names — an event whose records a batch decided again had
// published, and that the rewound state founds under another id, is
// retracted; each event's revisions rise in the order they were
// published, so the last record a compacted topic keeps is the highest;
// each event counts its distinct stories, none twice; no alert counts
// more distinct stories than name its term by the end of its bucket; the
// events the pipeline holds are those it published last; and a restart
// from the data directory holds the events the run ended with.
func TestRoleAllInFlightFailuresKeepTheCountsTrue(t *testing.T) {
	polls := archive.Polls()
	const window = 4
	alerts := 0 // firing, over every seed: none would leave the alert check empty
	for seed := uint64(1); seed <= uint64(*inflightSeeds); seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0x5eed))
			fail := map[int]bool{}
			for n := 1; n <= 2*len(polls); n++ {
				if rng.IntN(4) == 0 {
					fail[n] = true
				}
			}
			dir := filepath.Join(t.TempDir(), "data")
			sink := &failingSink{next: nowhere{}, fail: fail}
			cfg := roleAllConfig(dir)
			cfg.Pipeline.MaxInFlightBatches = window
			// Writes overlap (max_in_flight_writes 8), but never two that
			// share a record key: the sink keeps each key's records in the
			// order they were published, and the last of each event is the
			// one a compacted topic keeps.
			cfg.Pipeline.MaxInFlightWrites = 8
			pl := runRoleAll(t, cfg, sink, polls)
			live := pl.Events.Live(0)
			if err := pl.Store.Close(); err != nil {
				t.Fatal(err)
			}
			recs := sink.records()
			out := archive.OutcomeOf(recs)
			archive.RequireRevisionsRise(t, recs)
			// A compacted topic keeps each event's last write.
			for _, r := range recs {
				if ev, ok := r.(*record.Event); ok {
					out.Final[ev.ID] = ev
				}
			}
			t.Logf("writes %v failed; %d events, %d alerts", keys(fail), len(out.Final), len(out.Alerts))
			requireEveryStoryPublished(t, polls, out)
			requireEachStoryInOneEvent(t, recs, out)
			requireEventsCountDistinctStories(t, out)
			alerts += requireAlertsCountDistinctStories(t, recs)
			if len(live) == 0 {
				t.Fatal("no event is live at the end: the restart check compares nothing")
			}
			requireLiveAsPublished(t, live, out)

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			again := openRoleAll(ctx, t, roleAllConfig(dir), nowhere{})
			restored := again.Events.Live(0)
			if err := again.Store.Close(); err != nil {
				t.Fatal(err)
			}
			if got, want := eventStates(restored), eventStates(live); !slices.Equal(got, want) {
				t.Errorf("a restart from the data directory holds other events:\nrun      %v\nrestored %v", want, got)
			}
		})
	}
	if alerts == 0 {
		t.Error("no seed raised an alert: the spike counts were never checked")
	}
}

// requireEveryStoryPublished checks that every story of polls was
// published, as a story or as a duplicate of one.
func requireEveryStoryPublished(t *testing.T, polls []archive.Poll, out archive.Outcome) {
	t.Helper()
	for _, p := range polls {
		for _, it := range p.Batch().Items {
			id := archive.StoryID(p.Feed, it.Link[strings.LastIndex(it.Link, "/")+1:])
			if _, ok := out.StoryEvent[id]; !ok {
				t.Errorf("story %s (%q) was never published", id, it.Title)
			}
		}
	}
}

// requireEventsCountDistinctStories checks that each event's last state
// counts the distinct stories it holds, none twice.
func requireEventsCountDistinctStories(t *testing.T, out archive.Outcome) {
	t.Helper()
	for id, ev := range out.Final {
		ids := slices.Clone(ev.StoryIDs)
		slices.Sort(ids)
		if n := len(slices.Compact(ids)); ev.StoryCount != n || n != len(ev.StoryIDs) {
			t.Errorf("event %s counts %d stories and holds %d distinct of %d: %v", id, ev.StoryCount, n, len(ev.StoryIDs), ev.StoryIDs)
		}
	}
}

// requireEachStoryInOneEvent checks that each published story belongs to
// exactly one final event not merged into another: the one its last
// record names, through merges.
func requireEachStoryInOneEvent(t *testing.T, recs []record.Record, out archive.Outcome) {
	t.Helper()
	holders := map[string][]string{} // story id → the events holding it
	for id, ev := range out.Final {
		if ev.MergedInto == "" {
			for _, s := range ev.StoryIDs {
				holders[s] = append(holders[s], id)
			}
		}
	}
	resolve := func(id string) string {
		for range len(out.Final) + 1 {
			ev := out.Final[id]
			if ev == nil || ev.MergedInto == "" {
				break
			}
			id = ev.MergedInto
		}
		return id
	}
	checked := map[string]bool{}
	for _, r := range recs {
		s, ok := r.(*record.Story)
		if !ok || checked[s.ID] {
			continue
		}
		checked[s.ID] = true
		if evs := holders[s.ID]; len(evs) != 1 {
			slices.Sort(evs)
			t.Errorf("story %s (%q) is held by %d events: %v", s.ID, s.Title, len(evs), evs)
		} else if named := resolve(out.StoryEvent[s.ID]); named != evs[0] {
			t.Errorf("story %s names event %s but event %s holds it", s.ID, named, evs[0])
		}
	}
}

// requireAlertsCountDistinctStories checks (c): a story is counted in
// the bucket of its event time or, late, in a later one, never earlier,
// so an alert counts at most the distinct stories naming its term that
// were published before its bucket ended — a story counted twice would
// exceed that in the archive's burst.
// It returns how many firing alerts it checked.
func requireAlertsCountDistinctStories(t *testing.T, recs []record.Record) int {
	t.Helper()
	stories := map[string]*record.Story{}
	checked := 0
	for _, r := range recs {
		if s, ok := r.(*record.Story); ok {
			stories[s.ID] = s
		}
	}
	for _, r := range recs {
		a, ok := r.(*record.Alert)
		if !ok || a.State != record.AlertFiring {
			continue
		}
		n := 0
		for _, s := range stories {
			if s.EventTime().Before(a.BucketEnd) && names(s, a.Term) {
				n++
			}
		}
		checked++
		if a.Stories > n {
			t.Errorf("alert %s counts %d stories; %d distinct stories name %q by its bucket's end", a.ID, a.Stories, n, a.Term)
		}
		ids := slices.Clone(a.SampleStories)
		slices.Sort(ids)
		if len(slices.Compact(ids)) != len(a.SampleStories) {
			t.Errorf("alert %s samples a story twice: %v", a.ID, a.SampleStories)
		}
	}
	return checked
}

func names(s *record.Story, term string) bool {
	for _, e := range s.Entities {
		if strings.TrimSpace(e.Key) == term {
			return true
		}
	}
	for _, k := range s.Keywords {
		if strings.TrimSpace(k) == term {
			return true
		}
	}
	return false
}

// requireLiveAsPublished checks that the events the pipeline holds at the
// end are those it published last: the final state is one, not memory's
// and the sink's.
func requireLiveAsPublished(t *testing.T, live []*record.Event, out archive.Outcome) {
	t.Helper()
	for _, ev := range live {
		pub := out.Final[ev.ID]
		if pub == nil {
			t.Errorf("live event %s (%q) was never published", ev.ID, ev.Title)
			continue
		}
		if got, want := eventState(ev), eventState(pub); got != want {
			t.Errorf("live event %s differs from its last publication:\nlive      %s\npublished %s", ev.ID, got, want)
		}
	}
}

// eventStates are the events' states without the wall-clock fields,
// sorted.
func eventStates(evs []*record.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = eventState(ev)
	}
	slices.Sort(out)
	return out
}

func eventState(ev *record.Event) string {
	e := *ev
	e.FirstSeen, e.LastSeen = time.Time{}, time.Time{}
	return fmt.Sprintf("%+v", e)
}
