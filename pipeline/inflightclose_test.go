package pipeline

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// batchAcks records each batch's acks by the batch's number.
type batchAcks struct {
	mu   sync.Mutex
	errs map[int][]error // nil entries: acked ok
}

func (a *batchAcks) ack(n int) record.AckFunc {
	return func(_ context.Context, err error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.errs[n] = append(a.errs[n], err)
	}
}

// last returns the error batch n was last acked with, and whether it was
// acked at all.
func (a *batchAcks) last(n int) (error, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	es := a.errs[n]
	if len(es) == 0 {
		return nil, false
	}
	return es[len(es)-1], true
}

// startHeldPipeline runs p.Run over the batches sent on the returned
// channel until ctx ends or the test does; then it cancels the run,
// releases the sink and waits for Run to return (startHeldOn uses it for
// the file log).
func startHeldPipeline(t *testing.T, ctx context.Context, p *Pipeline, sink *heldSink) (chan<- record.Batch, <-chan error) {
	t.Helper()
	in := make(chan record.Batch)
	done := make(chan error, 1)
	ended := make(chan struct{})
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		done <- p.Run(ctx, in)
		close(ended)
	}()
	t.Cleanup(func() {
		cancel()
		sink.release()
		<-ended
	})
	return in, done
}

// Round 25's Withdraw case, made with batches in flight: an event founded
// by a batch whose write is still out absorbs, in the next batch, an
// event the log holds (or the other way round), and a later batch closes
// it — all decided while that first write is held. The write then fails
// (refused, or landing with its acknowledgement lost): the batches
// decided after it are not committed, memory goes back to the log, and
// the feeds read their items again — in the order they came, or the held
// batch's feed after the next one's (each feed retries on its own
// backoff), so that the story which founded the closed event joins the
// event the log holds and never founds that id again. Whatever of the
// writes landed, the events topic holds no close the log never held (an
// event whose last record lists a story whose last record names another
// event), no story names an event whose last record is missing,
// retracted or does not list it, and revisions rise; read again in order,
// it ends, compacted, as a run whose writes never failed. With the file
// log and with state in memory only.
func TestACloseDecidedWhileAnEarlierWriteIsOutIsWithdrawnWhenThatWriteFails(t *testing.T) {
	expiry := events.DefaultConfig().Expiry
	rivers := heraldItem("a", "Rivers burst their banks in southern Brazil", "<p>Heavy rain flooded towns along the Taquari valley as rivers burst their banks and families left their homes.</p>", 0)
	governor := heraldItem("b", "Governor asks for emergency funds and troops", "<p>The governor asked the federal government for emergency funds and troops to clear roads and restore power.</p>", time.Minute)
	both := heraldItem("c", "Brazil floods: governor asks for troops as rivers burst banks", "<p>Heavy rain flooded towns along the Taquari valley; the governor asked for emergency funds and troops as rivers burst their banks.</p>", 2*time.Minute)
	later := heraldItem("d", "Samsung launch", texts[2], expiry+time.Hour) // event time past the floods' expiry: their event closes
	shapes := []struct {
		name  string
		items []record.Item // one a batch: the first committed, the second's write held
		// heldAbsorbs: the third story joins, and keeps, the event founded
		// in the held write (round 25's case); else the one the log holds
		heldAbsorbs bool
	}{
		{"an event founded in the held write absorbs one the log holds", []record.Item{governor, rivers, both, later}, true},
		{"an event the log holds absorbs one founded in the held write", []record.Item{rivers, governor, both, later}, false},
	}
	orders := []struct {
		name    string
		reread  []int // the batches read again, by number
		inOrder bool
	}{
		{"read again in order", []int{1, 2, 3}, true},
		{"the held batch read again after the next", []int{2, 1, 3}, false},
	}
	modes := []struct {
		name string
		new  func(t *testing.T, sink Sink, cfg Config) *Pipeline
	}{
		{"file log", func(t *testing.T, sink Sink, cfg Config) *Pipeline {
			return durablePipelineWith(t, t.TempDir(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
		}},
		{"memory only", func(t *testing.T, sink Sink, cfg Config) *Pipeline {
			return pipelineOnLog(t, nil, state.DefaultConfig(), sink, cfg, func() time.Time { return t0.Add(time.Hour) })
		}},
	}
	fates := []struct {
		name string
		err  error
		land bool
	}{
		{"refused", errRefused, false},
		{"landed, its acknowledgement lost", errAckLost, true},
	}
	cfg := DefaultConfig()
	cfg.MaxInFlightWrites = 4
	cfg.DecideQueuedTogether = false // one write per batch
	batch := func(it record.Item, ack record.AckFunc) record.Batch {
		return record.Batch{Feed: record.FeedRef{URL: heraldFeed}, Items: []record.Item{it}, Ack: ack}
	}
	for _, shape := range shapes {
		items := shape.items
		clean := &memSink{}
		ref := modes[0].new(t, clean, cfg)
		for i, it := range items {
			if err := ref.Process(context.Background(), batch(it, nil)); err != nil {
				t.Fatalf("clean run, batch %d: %v", i+1, err)
			}
		}
		requireEventsHoldTheirStories(t, clean.recs)
		if got := keptBy(clean.recs, items[1].Link); got != shape.heldAbsorbs {
			t.Fatalf("%s: in a clean run the event of the second batch's story keeps the third story: %v, want %v", shape.name, got, shape.heldAbsorbs)
		}
		for _, order := range orders {
			for _, mode := range modes {
				for _, fate := range fates {
					t.Run(shape.name+", "+order.name+", "+mode.name+", the write "+fate.name, func(t *testing.T) {
						synctest.Test(t, func(t *testing.T) {
							sink := &heldSink{}
							p := mode.new(t, sink, cfg)
							in, done := startHeldPipeline(t, context.Background(), p, sink)
							acks := &batchAcks{errs: map[int][]error{}}
							send := func(n int) { in <- batch(items[n], acks.ack(n)) }
							send(0) // founds the event the log holds
							sink.landAll()
							if err, ok := acks.last(0); !ok || err != nil {
								t.Fatalf("the first batch was not committed: acked %v, %v", ok, err)
							}
							send(1) // founds another event; its write is held
							synctest.Wait()
							if n := len(sink.writesOut()); n != 1 {
								t.Fatalf("%d writes out after the second batch, want its own", n)
							}
							held := sink.writesOut()[0]
							send(2) // joins the two events: one absorbs the other
							send(3) // closes it
							for {   // what does not wait for the held write lands
								synctest.Wait()
								out := sink.writesOut()
								if len(out) <= 1 {
									break
								}
								sink.let(len(out)-1, nil)
							}
							if out := sink.writesOut(); len(out) != 1 || !slices.Equal(keyList(out[0]), keyList(held)) {
								t.Fatalf("writes out after the others landed: %d, want the second batch's alone", len(out))
							}
							if fate.land {
								sink.mu.Lock()
								sink.landed = append(sink.landed, held...)
								sink.mu.Unlock()
							}
							sink.let(0, fate.err)
							synctest.Wait()
							for n := 1; n < len(items); n++ {
								if err, ok := acks.last(n); !ok || err == nil {
									t.Fatalf("batch %d acked %v with %v after the second batch's write failed; want an error", n+1, ok, err)
								}
							}
							for _, n := range order.reread { // the feeds read the items again
								send(n)
								sink.landAll()
							}
							close(in)
							sink.landAll()
							if err := <-done; err != nil {
								t.Fatal(err)
							}
							for n := range items {
								if err, ok := acks.last(n); !ok || err != nil {
									t.Errorf("batch %d last acked %v with %v; want committed", n+1, ok, err)
								}
							}
							recs := sink.landed
							archive.RequireRevisionsRise(t, recs)
							requireStoriesInTheirEvents(t, nil, recs)
							requireEventsHoldTheirStories(t, recs)
							for _, it := range items {
								if !slices.ContainsFunc(recs, func(r record.Record) bool { s, ok := r.(*record.Story); return ok && s.URL == it.Link }) {
									t.Errorf("item %s: no story record", it.Link)
								}
							}
							if order.inOrder {
								archive.RequireSameButRevisions(t, "clean", compacted(clean.recs), "failed", compacted(recs))
							}
							if t.Failed() {
								logRecords(t, recs)
							}
						})
					})
				}
			}
		}
	}
}

// keptBy reports whether, in recs, the event that the story of link
// founded is the one that survives a merge (another event's end names
// it).
func keptBy(recs []record.Record, link string) bool {
	founded := ""
	for _, r := range recs {
		if s, ok := r.(*record.Story); ok && s.URL == link && founded == "" {
			founded = s.EventID
		}
	}
	return slices.ContainsFunc(recs, func(r record.Record) bool {
		ev, ok := r.(*record.Event)
		return ok && founded != "" && ev.MergedInto == founded
	})
}

// logRecords logs the story and event records of recs, in order.
func logRecords(t *testing.T, recs []record.Record) {
	t.Helper()
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			t.Logf("story %s v%d event %s (%s)", r.ID, r.Version, r.EventID, r.URL)
		case *record.Event:
			t.Logf("event %s r%d expired %v retracted %v merged into %q %v", r.ID, r.Revision, r.Expired, r.Retracted, r.MergedInto, r.StoryIDs)
		}
	}
}

// requireEventsHoldTheirStories fails t for an event whose last record
// (highest revision) is live or closed — not retracted, not merged away —
// and lists a story whose last record names another event (following the
// merged-away ends to where they went): a close the log never held, its
// stories placed elsewhere.
func requireEventsHoldTheirStories(t *testing.T, recs []record.Record) {
	t.Helper()
	story := map[string]*record.Story{}
	event := map[string]*record.Event{}
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			story[r.ID] = r
		case *record.Event:
			if prev := event[r.ID]; prev == nil || r.Revision > prev.Revision {
				event[r.ID] = r
			}
		}
	}
	follow := func(id string) string {
		for range len(event) {
			ev := event[id]
			if ev == nil || ev.MergedInto == "" {
				break
			}
			id = ev.MergedInto
		}
		return id
	}
	for id, ev := range event {
		if ev.Retracted || ev.MergedInto != "" {
			continue
		}
		for _, sid := range ev.StoryIDs {
			s := story[sid]
			switch {
			case s == nil:
				t.Errorf("event %s (revision %d, expired %v) lists story %s, which has no record", id, ev.Revision, ev.Expired, sid)
			case follow(s.EventID) != id:
				t.Errorf("event %s (revision %d, expired %v) lists story %s, whose last record names event %s", id, ev.Revision, ev.Expired, sid, s.EventID)
			}
		}
	}
}
