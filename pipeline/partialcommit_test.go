package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// partialLog is a file log that, once armed, stores only the entries of
// the next commit that keep selects (a subset, as the Kafka changelog's
// produce batches may land), fails it and then every append after it: a
// process killed part-way through a commit.
type partialLog struct {
	*state.FileLog
	keep func(i int, e state.Entry) bool

	mu     sync.Mutex
	armed  bool
	dead   bool
	landed int
}

var errKilled = errors.New("killed part-way through the commit")

func (l *partialLog) Append(ctx context.Context, es []state.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dead {
		return errKilled
	}
	if !l.armed || !slices.ContainsFunc(es, func(e state.Entry) bool { return e.Table == state.Stories }) {
		return l.FileLog.Append(ctx, es)
	}
	var part []state.Entry
	for i, e := range es {
		if l.keep(i, e) {
			part = append(part, e)
		}
	}
	l.dead, l.landed = true, len(part)
	if err := l.FileLog.Append(ctx, part); err != nil {
		return err
	}
	if len(part) == len(es) {
		return nil // the whole commit landed: no cut to test
	}
	return errKilled
}

func (l *partialLog) AppendUnsynced(ctx context.Context, es []state.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dead {
		return errKilled
	}
	return l.FileLog.AppendUnsynced(ctx, es)
}

// armedPipeline is a durable pipeline in dir on a partialLog that keeps
// what keep selects of the commit after polls: it has processed polls
// with every commit whole, and the log is armed for the next one.
func armedPipeline(t *testing.T, dir string, sink Sink, keep func(int, state.Entry) bool, polls []archive.Poll) (*Pipeline, *partialLog) {
	t.Helper()
	var log *partialLog
	wrap := func(fl *state.FileLog) state.Log {
		log = &partialLog{FileLog: fl, keep: keep}
		return log
	}
	p := durablePipelineOn(t, dir, sink, DefaultConfig(), nil, wrap)
	processAll(t, p, polls)
	log.mu.Lock()
	log.armed = true
	log.mu.Unlock()
	return p, log
}

func keepAll(int, state.Entry) bool { return true }

// A process killed while its commit was part-way into the state log (any
// part of it: every other entry, the dedupe entries alone, all but the
// last) leaves no story behind on restart, whichever poll's commit it
// cut: once the items are read again, every story's last record names an
// event whose last record is live and lists it, and every item of the
// archive was published.
func TestACommitThatLandedInPartStrandsNoStory(t *testing.T) {
	polls := archive.Polls()
	whole := &memSink{}
	finishRun(t, durablePipeline(t, t.TempDir(), whole), polls)
	requireStoriesInTheirEvents(t, polls, whole.recs) // what a run with no cut publishes

	cuts := map[string]func(i int, e state.Entry) bool{
		"every other entry": func(i int, _ state.Entry) bool { return i%2 == 0 },
		"the others":        func(i int, _ state.Entry) bool { return i%2 == 1 },
		"dedupe's entries": func(_ int, e state.Entry) bool {
			return e.Table == state.Stories || e.Table == state.Aliases || e.Table == state.Fingerprints
		},
		"all but the events'": func(_ int, e state.Entry) bool { return e.Table != state.Events },
	}
	for k := range polls {
		for name, keep := range cuts {
			t.Run(fmt.Sprintf("poll %d, %s", k, name), func(t *testing.T) {
				dir := t.TempDir()
				sink := &memSink{}
				p, log := armedPipeline(t, dir, sink, keep, polls[:k])
				err := p.Process(context.Background(), polls[k].Batch())
				if log.landed == 0 {
					t.Skip("the poll's commit held no story to cut")
				}
				if err == nil {
					t.Skip("the cut kept the whole commit")
				}
				p.d.Store.Close() // the kill: nothing more reaches the log
				// The items of the cut poll were never acknowledged: read again.
				finishRun(t, durablePipeline(t, dir, sink), polls[k:])
				requireStoriesInTheirEvents(t, polls, sink.recs)
				if t.Failed() {
					for _, r := range sink.recs {
						switch r := r.(type) {
						case *record.Story:
							t.Logf("story %s v%d ev %s", r.ID, r.Version, r.EventID)
						case *record.Event:
							t.Logf("event %s r%d exp %v retr %v %v", r.ID, r.Revision, r.Expired, r.Retracted, r.StoryIDs)
						}
					}
				}
			})
		}
	}
}

// requireStoriesInTheirEvents fails t for a story whose last record names
// an event whose last record is retracted or does not list it, and for an
// item of polls that no story or duplicate record carries.
func requireStoriesInTheirEvents(t *testing.T, polls []archive.Poll, recs []record.Record) {
	t.Helper()
	story := map[string]*record.Story{}
	dup := map[string]bool{}
	event := map[string]*record.Event{}
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			story[r.ID] = r
		case *record.Duplicate:
			dup[r.ID] = true
		case *record.Event:
			if prev := event[r.ID]; prev == nil || r.Revision > prev.Revision {
				event[r.ID] = r
			}
		}
	}
	for _, poll := range polls {
		for _, it := range poll.Batch().Items {
			id := archive.StoryID(poll.Feed, it.Link[len("https://"+poll.Feed+".example/news/"):])
			if story[id] == nil && !dup[id] && !slices.ContainsFunc(recs, func(r record.Record) bool {
				d, ok := r.(*record.Duplicate)
				return ok && d.URL == it.Link
			}) {
				t.Errorf("item %s: no story or duplicate record", it.Link)
			}
		}
	}
	for id, s := range story {
		if s.EventID == "" {
			continue
		}
		ev := event[s.EventID]
		switch {
		case ev == nil:
			t.Errorf("story %s (version %d) names event %s, which has no record", id, s.Version, s.EventID)
		case ev.Retracted:
			t.Errorf("story %s (version %d) names event %s, retracted at its last record (revision %d)", id, s.Version, s.EventID, ev.Revision)
		case ev.MergedInto == "" && !slices.Contains(ev.StoryIDs, id):
			t.Errorf("story %s (version %d) names event %s, whose last record (revision %d) does not list it: %v", id, s.Version, s.EventID, ev.Revision, ev.StoryIDs)
		}
	}
}

// A process killed after its commit landed whole but before the notes of
// its write were deleted — its items acknowledged, so never read again —
// leaves notes whose stories the log decided whole: the restart must not
// make dedupe forget them, or the next poll that still carries an item
// publishes its story again as a new first version.
func TestNotesOfACommitThatLandedWholeDecideNothingAgain(t *testing.T) {
	polls := archive.Polls()
	for k := range polls {
		t.Run(fmt.Sprintf("poll %d", k), func(t *testing.T) {
			dir := t.TempDir()
			sink := &memSink{}
			p, log := armedPipeline(t, dir, sink, keepAll, polls[:k])
			if err := p.Process(context.Background(), polls[k].Batch()); err != nil {
				t.Fatalf("the commit landed whole, yet Process: %v", err)
			}
			if log.landed == 0 {
				t.Skip("the poll's commit held no story")
			}
			p.d.Store.Close() // killed before the notes' deletion
			// The feeds still list the poll's items: a later poll reads them
			// again, as unchanged.
			finishRun(t, durablePipeline(t, dir, sink), polls[k:])
			requireStoriesInTheirEvents(t, polls, sink.recs)
			firsts := map[string]int{}
			for _, r := range sink.recs {
				if s, ok := r.(*record.Story); ok && s.Version == 1 {
					firsts[s.ID]++
				}
			}
			for id, n := range firsts {
				if n > 1 {
					t.Errorf("story %s published as version 1 %d times", id, n)
				}
			}
		})
	}
}

// A story whose event closed in the commit that decided it (an item dated
// behind the event clock, founding an event the clock has already
// expired) keeps its event when that commit landed whole and the process
// died before the notes' deletion: the close the log holds stands, and
// the story, decided whole, is not decided again.
func TestACloseTheLogHoldsWholeStandsAfterTheNotesOutliveIt(t *testing.T) {
	polls := archive.Polls()
	dir := t.TempDir()
	sink := &memSink{}
	p, _ := armedPipeline(t, dir, sink, keepAll, polls[:5])
	feed := record.FeedRef{URL: "https://old.example/rss", Title: "old"}
	fetched := archive.Start.Add(40*time.Hour + 30*time.Minute)
	oldPub, freshPub := fetched.Add(-30*time.Hour), fetched.Add(-10*time.Minute)
	item := func(slug, title, text string, pub *time.Time) record.Item {
		return record.Item{Feed: feed, GUID: "old/" + slug, Link: "https://old.example/news/" + slug, Title: title,
			Description: text, PublishedRaw: pub.Format(time.RFC1123Z), PublishedParsed: pub, FetchedAt: fetched}
	}
	old := record.Batch{Feed: feed, Items: []record.Item{
		item("lighthouse", "Lighthouse keeper retires after forty years on the rock", "The last keeper of the island lighthouse retired after forty years of tending its lamp.", &oldPub),
		item("ferry", "Ferry service resumes after winter storms", "The island ferry sailed again on Tuesday after weeks of cancellations caused by storms.", &freshPub),
	}}
	if err := p.Process(context.Background(), old); err != nil {
		t.Fatalf("the commit landed whole, yet Process: %v", err)
	}
	p.d.Store.Close() // killed before the notes' deletion
	q := durablePipeline(t, dir, sink)
	if err := q.Process(context.Background(), old); err != nil { // the feed still lists both
		t.Fatal(err)
	}
	finishRun(t, q, polls[5:])
	event := map[string]*record.Event{}
	firsts := map[string]int{}
	last := map[string]*record.Story{}
	for _, r := range sink.recs {
		switch r := r.(type) {
		case *record.Event:
			if prev := event[r.ID]; prev == nil || r.Revision > prev.Revision {
				event[r.ID] = r
			}
		case *record.Story:
			last[r.ID] = r
			if r.Version == 1 {
				firsts[r.ID]++
			}
		}
	}
	for id, s := range last {
		if ev := event[s.EventID]; ev != nil && ev.Retracted {
			t.Errorf("story %s names event %s, retracted at revision %d", id, s.EventID, ev.Revision)
		}
		if firsts[id] > 1 {
			t.Errorf("story %s published as version 1 %d times", id, firsts[id])
		}
	}
}
