package pipeline

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// heldSink holds every Write until the test lets it go, and lands its
// records only then: of two Writes out at once, the one let go first
// lands first, whichever started first — as Kafka's may, when the first
// is retried.
type heldSink struct {
	mu       sync.Mutex
	out      []*heldWrite // started, not let go yet, oldest first
	landed   []record.Record
	most     int  // the most Writes out at once
	released bool // the test ended: every Write fails at once
}

// errReleased fails the Writes a heldSink held when its test ended.
var errReleased = errors.New("held sink: the test ended")

type heldWrite struct {
	recs []record.Record
	let  chan error
}

func (s *heldSink) Write(ctx context.Context, recs []record.Record) error {
	w := &heldWrite{recs: recs, let: make(chan error, 1)}
	s.mu.Lock()
	if s.released {
		s.mu.Unlock()
		return errReleased
	}
	s.out = append(s.out, w)
	s.most = max(s.most, len(s.out))
	s.mu.Unlock()
	select {
	case err := <-w.let:
		return err
	case <-ctx.Done():
		s.mu.Lock()
		defer s.mu.Unlock()
		if i := slices.Index(s.out, w); i >= 0 {
			s.out = slices.Delete(s.out, i, i+1)
		}
		return ctx.Err()
	}
}

// release fails every Write out, and every later one at once, so that a
// run a test left (a t.Fatal while writes were held) can end: else its
// writes would block for good, and synctest would report a deadlock
// instead of the failure.
func (s *heldSink) release() {
	s.mu.Lock()
	out := s.out
	s.out, s.released = nil, true
	s.mu.Unlock()
	for _, w := range out {
		w.let <- errReleased
	}
}

// writesOut returns the records of each Write out, oldest first.
func (s *heldSink) writesOut() [][]record.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]record.Record
	for _, w := range s.out {
		out = append(out, w.recs)
	}
	return out
}

// writeOf returns the index in writesOut of the Write out carrying
// feed's status record, failing t if none does: the writes of two
// batches run on goroutines of their own, so which starts first is not
// known, and a test tells them apart by what they carry.
func (s *heldSink) writeOf(t *testing.T, feed string) int {
	t.Helper()
	for i, recs := range s.writesOut() {
		if len(carries(recs, map[recordKey]bool{{record.TypeFeedStatus, feed}: true})) > 0 {
			return i
		}
	}
	t.Fatalf("no write out carries %s's status: writes out %d", feed, len(s.writesOut()))
	return -1
}

// let lets the i-th Write out (oldest first) go with err, its records
// landing now unless err.
func (s *heldSink) let(i int, err error) {
	s.mu.Lock()
	w := s.out[i]
	s.out = slices.Delete(s.out, i, i+1)
	if err == nil {
		s.landed = append(s.landed, w.recs...)
	}
	s.mu.Unlock()
	w.let <- err
}

// landAll lets every Write out land, newest first, until none is out
// once every goroutine of the test's bubble is blocked.
func (s *heldSink) landAll() {
	for {
		synctest.Wait()
		n := len(s.writesOut())
		if n == 0 {
			return
		}
		s.let(n-1, nil)
	}
}

// keysOf returns the keys of recs.
func keysOf(recs []record.Record) map[recordKey]bool {
	keys := map[recordKey]bool{}
	for _, r := range recs {
		keys[recordKey{r.RecordType(), r.RecordKey()}] = true
	}
	return keys
}

// keyList names recs by type and key, in order, for messages.
func keyList(recs []record.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, string(r.RecordType())+"/"+r.RecordKey())
	}
	return out
}

// carries returns the records of recs keyed as one of keys.
func carries(recs []record.Record, keys map[recordKey]bool) []record.Record {
	var out []record.Record
	for _, r := range recs {
		if keys[recordKey{r.RecordType(), r.RecordKey()}] {
			out = append(out, r)
		}
	}
	return out
}

// eventRevisionsRise fails t if an event's revisions do not rise in recs,
// and reports whether some event has more than one.
func eventRevisionsRise(t *testing.T, recs []record.Record) (shared bool) {
	t.Helper()
	revs := map[string]int{}
	for _, r := range recs {
		if ev, ok := r.(*record.Event); ok {
			if prev, seen := revs[ev.ID]; seen {
				shared = true
				if ev.Revision <= prev {
					t.Errorf("event %s: revision %d landed after %d", ev.ID, ev.Revision, prev)
				}
			}
			revs[ev.ID] = ev.Revision
		}
	}
	return shared
}

// runHeld runs a pipeline over batches with up to four writes out at
// once and one write per batch, on sink; it returns Run's error channel
// once every batch is taken.
func runHeld(t *testing.T, ctx context.Context, sink *heldSink, cfg Config, batches []record.Batch) <-chan error {
	t.Helper()
	_, in, done := startHeld(t, ctx, sink, cfg)
	for _, b := range batches {
		in <- b
	}
	close(in)
	return done
}

// startHeld starts a pipeline as runHeld does and returns it, its input
// and Run's error channel. When the test ends, however it ends, the run
// is cancelled and the sink released, and the test waits for Run to
// return (before the state store closes: its cleanup runs after this).
func startHeld(t *testing.T, ctx context.Context, sink *heldSink, cfg Config) (*Pipeline, chan<- record.Batch, <-chan error) {
	t.Helper()
	return startHeldOn(t, ctx, sink, cfg, nil)
}

// startHeldOn is startHeld on the file log as wrap returns it (see
// durablePipelineOn).
func startHeldOn(t *testing.T, ctx context.Context, sink *heldSink, cfg Config, wrap func(*state.FileLog) state.Log) (*Pipeline, chan<- record.Batch, <-chan error) {
	t.Helper()
	cfg.MaxInFlightWrites = 4
	// One write per batch: a batch must not join an earlier one's run of
	// the second stage, which would put both in one write.
	cfg.DecideQueuedTogether = false
	p := durablePipelineOn(t, t.TempDir(), sink, cfg, func() time.Time { return t0.Add(time.Hour) }, wrap)
	in, done := startHeldPipeline(t, ctx, p, sink)
	return p, in, done
}

// eventIDs returns the record ids of the event records among recs.
func eventIDs(recs []record.Record) []string {
	var out []string
	for _, r := range recs {
		if _, ok := r.(*record.Event); ok {
			out = append(out, r.RecordID())
		}
	}
	slices.Sort(out)
	return out
}

// writtenNotes returns the keys of the state log's notes of written
// event records (Store.Written).
func writtenNotes(p *Pipeline) []string {
	var out []string
	for _, e := range p.d.Store.Written() {
		out = append(out, string(e.Key))
	}
	slices.Sort(out)
	return out
}

// The sink keeps the order of one key's records within a Write only. Of
// two batches that both change one event (a story, then a republication
// of it), the second's records of that event must not go out while the
// first's write is out, although write slots are free; its other records
// go at once. Writes let go newest first still land the event's
// revisions in order.
func TestRecordsSharingAKeyWaitAndTheRestGoAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		batches := fixtureBatches(newAcks())
		a, b := batches[0].Feed.URL, batches[1].Feed.URL
		sink := &heldSink{}
		done := runHeld(t, context.Background(), sink, DefaultConfig(), batches)
		synctest.Wait()
		out := sink.writesOut()
		if len(out) != 2 {
			t.Fatalf("%d writes out, want 2: the first batch's, and the second's records of keys the first does not carry", len(out))
		}
		ia, ib := sink.writeOf(t, a), sink.writeOf(t, b)
		if ia == ib {
			t.Fatal("both batches' statuses went out in one write")
		}
		first := keysOf(out[ia])
		if shared := carries(out[ib], first); len(shared) > 0 {
			t.Fatalf("%d records keyed as one of the first batch's write went out beside it: %v", len(shared), keyList(shared))
		}
		sink.let(ib, nil) // the newer first: it carries none of the first's keys
		synctest.Wait()
		if out = sink.writesOut(); len(out) != 1 || sink.writeOf(t, a) != 0 {
			t.Fatalf("%d writes out after the second batch's first part landed, want the first batch's alone", len(out))
		}
		sink.let(0, nil)
		synctest.Wait()
		out = sink.writesOut()
		if len(out) != 1 || len(carries(out[0], first)) != len(out[0]) {
			t.Fatalf("writes out after the first finished: %d, want one of the keys the first carried", len(out))
		}
		sink.let(0, nil)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !eventRevisionsRise(t, sink.landed) {
			t.Fatal("no event was published by both batches: the test proves nothing")
		}
	})
}

// republications are n batches from feeds of their own, each a copy of
// the first fixture story, so every one of them changes its event.
func republications(acks *acks, n int) []record.Batch {
	var out []record.Batch
	for i := range n {
		feed := "https://r" + string(rune('a'+i)) + ".example/rss"
		guid := "r-" + string(rune('a'+i))
		out = append(out, record.Batch{
			Feed:  record.FeedRef{URL: feed},
			Items: []record.Item{item(feed, 2+i, guid, "https://"+guid+".example/ecb", "ECB leaves rates unchanged", republish(texts[0]))},
			Status: &record.FeedStatus{Type: record.TypeFeedStatus, ID: feed, FeedURL: feed, Health: record.HealthOK,
				LastAttempt: t0, ItemsFound: 1, ItemsNew: 1},
			Ack: acks.ack(feed),
		})
	}
	return out
}

// However the writes out at once land — here always the newest first —
// every event's revisions reach the sink in order, while writes overlap.
func TestConcurrentWritesLandEachKeysRecordsInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := append(fixtureBatches(acks), republications(acks, 6)...)
		sink := &heldSink{}
		done := runHeld(t, context.Background(), sink, DefaultConfig(), batches)
		sink.landAll()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if sink.most < 2 {
			t.Fatalf("at most %d write out at once: the test proves nothing", sink.most)
		}
		if !eventRevisionsRise(t, sink.landed) {
			t.Fatal("no event was published by two batches: the test proves nothing")
		}
		for _, b := range batches {
			if ok, errs := acks.of(b.Feed.URL); ok != 1 || len(errs) > 0 {
				t.Errorf("%s acked %d times with nil, errors %v; want once with nil", b.Feed.URL, ok, errs)
			}
		}
	})
}

// One event changed by every batch (a hot key) must not chain the writes:
// while a Write carrying it is out, the event's records of every later
// batch wait together, in one part, instead of each write's waiting for
// the one before it. Six batches of one event, four writes out at once,
// a sink that lets every Write out go at once each round trip: the
// event's records go out in at most three Writes (the first batch's, the
// next three's, the last two's), one round trip apart; chained, each of
// the five writes needs a round trip of its own.
func TestAHotKeysWaitingRecordsShareOneWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := republications(acks, 6)
		sink := &heldSink{}
		done := runHeld(t, context.Background(), sink, DefaultConfig(), batches)
		rounds, eventWrites := 0, 0
		for {
			synctest.Wait()
			out := sink.writesOut()
			if len(out) == 0 {
				break
			}
			rounds++
			for _, recs := range out {
				if len(eventIDs(recs)) > 0 {
					eventWrites++
				}
			}
			for i := len(out) - 1; i >= 0; i-- {
				sink.let(i, nil) // newest first
			}
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !eventRevisionsRise(t, sink.landed) {
			t.Fatal("no event was published by two batches: the test proves nothing")
		}
		t.Logf("the hot event went out in %d Writes over %d round trips", eventWrites, rounds)
		if eventWrites > 3 || rounds > 3 {
			t.Errorf("the hot event went out in %d Writes over %d round trips, want at most 3 of each", eventWrites, rounds)
		}
		for _, b := range batches {
			if ok, errs := acks.of(b.Feed.URL); ok != 1 || len(errs) > 0 {
				t.Errorf("%s acked %d times with nil, errors %v; want once with nil", b.Feed.URL, ok, errs)
			}
		}
	})
}

// A batch whose records went out in two parts is acked only once both
// are finished, with the error of the part that failed, although the
// other landed; and the part that waits for an earlier write waits for
// all of it. The state log keeps the notes of the failed batch's event
// records (a crash now would supersede them) until the next commit.
func TestABatchWrittenInTwoPartsFailsIfEitherFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := fixtureBatches(acks)
		a, b := batches[0].Feed.URL, batches[1].Feed.URL
		sink := &heldSink{}
		p, in, done := startHeld(t, context.Background(), sink, DefaultConfig())
		for _, bt := range batches {
			in <- bt
		}
		synctest.Wait()
		out := sink.writesOut()
		if len(out) != 2 {
			t.Fatalf("%d writes out, want 2", len(out))
		}
		first := keysOf(out[sink.writeOf(t, a)])
		failed := out[sink.writeOf(t, b)]                                       // the second batch's records, with its other part's below
		sink.let(sink.writeOf(t, b), errors.New("kafka: leader not available")) // the second batch's part that went at once
		synctest.Wait()
		if n := len(sink.writesOut()); n != 1 || sink.writeOf(t, a) != 0 {
			t.Fatalf("%d writes out, want the first batch's alone: the second's other part waits for it", n)
		}
		if ok, errs := acks.of(b); ok+len(errs) > 0 {
			t.Fatalf("the second batch was acked while its other part waits")
		}
		sink.let(0, nil)
		synctest.Wait()
		out = sink.writesOut()
		if len(out) != 1 || len(out[0]) == 0 || len(carries(out[0], first)) != len(out[0]) {
			t.Fatalf("%d writes out after the first finished, want the second batch's other part, of the first's keys alone", len(out))
		}
		failed = append(failed, out[0]...)
		sink.let(0, nil)
		synctest.Wait()
		want := eventIDs(failed)
		if len(want) == 0 {
			t.Fatal("the failed batch carried no event record: the notes prove nothing")
		}
		if got := writtenNotes(p); !slices.Equal(got, want) {
			t.Fatalf("notes of written records after the second batch failed: %v, want its event records %v", got, want)
		}
		in <- republications(acks, 1)[0]
		for {
			synctest.Wait()
			n := len(sink.writesOut())
			if n == 0 {
				break
			}
			sink.let(n-1, nil)
		}
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := writtenNotes(p); len(got) > 0 {
			t.Errorf("notes of written records after the next batch's commit: %v, want none", got)
		}
		if ok, errs := acks.of(a); ok != 1 || len(errs) > 0 {
			t.Errorf("the first batch acked %d times with nil, errors %v; want once with nil", ok, errs)
		}
		if ok, errs := acks.of(b); ok != 0 || len(errs) != 1 {
			t.Errorf("the second batch acked %d times with nil, errors %v; want once with its part's error", ok, errs)
		}
	})
}

// At the end of the drain a part still waiting for an earlier write is
// not written: the batch fails with the others, and no record of it
// lands after the earlier write was abandoned.
func TestAWaitingPartIsNotWrittenAfterTheDrainTimedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := fixtureBatches(acks)
		sink := &heldSink{}
		ctx, cancel := context.WithCancel(context.Background())
		cfg := DefaultConfig()
		cfg.DrainTimeout = time.Second
		done := runHeld(t, ctx, sink, cfg, batches)
		synctest.Wait()
		out := sink.writesOut()
		if len(out) != 2 {
			t.Fatalf("%d writes out, want 2", len(out))
		}
		first := keysOf(out[sink.writeOf(t, batches[0].Feed.URL)])
		second := out[sink.writeOf(t, batches[1].Feed.URL)]
		if shared := carries(second, first); len(shared) > 0 {
			t.Fatalf("%d records keyed as one of the first batch's write went out beside it: %v", len(shared), keyList(shared))
		}
		sink.let(sink.writeOf(t, batches[1].Feed.URL), nil) // the second batch's part that went at once
		synctest.Wait()
		if len(sink.landed) != len(second) {
			t.Fatalf("%d records landed, want the %d of the second batch's part that went at once", len(sink.landed), len(second))
		}
		cancel()
		if err := <-done; !errors.Is(err, ErrDrainTimeout) {
			t.Fatalf("Run returned %v, want the drain timeout", err)
		}
		if n := len(sink.writesOut()); n != 0 {
			t.Fatalf("%d writes out after Run returned", n)
		}
		if late := carries(sink.landed, first); len(late) > 0 {
			t.Fatalf("%d records keyed as the abandoned write's landed", len(late))
		}
		for _, b := range batches {
			if ok, errs := acks.of(b.Feed.URL); ok != 0 || len(errs) != 1 {
				t.Errorf("%s acked %d times with nil, errors %v; want once with an error", b.Feed.URL, ok, errs)
			}
		}
	})
}

// given returns the records sw's write gave pt.
func (sw splitWrite) given(pt *part) []record.Record {
	for _, a := range pt.adds {
		if a.noted == sw.notes {
			return a.recs
		}
	}
	return nil
}

// A write's records of keys no part carries go at once; those of a key
// whose newest part is out wait in a new part; those of a key whose
// newest part waits still join it, behind the records it holds.
func TestKeyedWritesSplitOffOnlyTheRecordsOfKeysOut(t *testing.T) {
	ev := func(id string, rev int) *record.Event {
		return &record.Event{Type: record.TypeEvent, ID: id, Revision: rev}
	}
	st := func(id string) *record.Story { return &record.Story{Type: record.TypeStory, ID: id} }
	g := func(recs ...record.Record) []*work { return []*work{{recs: recs}} }
	waits := prometheus.NewCounter(prometheus.CounterOpts{Name: "waits"})
	var out keyedWrites
	// want is one part of a write: the records the write gave it, and
	// the parts it waits for.
	type want struct {
		recs  []record.Record
		after []*part
	}
	// parts in the order the write first gave them a record
	check := func(name string, sw splitWrite, parts ...want) {
		t.Helper()
		if len(sw.parts) != len(parts) {
			t.Errorf("%s: %d parts, want %d", name, len(sw.parts), len(parts))
			return
		}
		for i, w := range parts {
			pt := sw.parts[i]
			if got := sw.given(pt); !slices.Equal(got, w.recs) || !slices.Equal(pt.after, w.after) {
				t.Errorf("%s: part %d has %v waiting for %d parts, want %v waiting for %d", name, i, keyList(got), len(pt.after), keyList(w.recs), len(w.after))
			}
		}
	}
	s1, e1 := st("s_1"), ev("e_1", 1)
	first := out.split(g(s1, e1), 4, waits)
	check("nothing out", first, want{recs: []record.Record{s1, e1}})

	s2, e1b, e2 := st("s_2"), ev("e_1", 2), ev("e_2", 1)
	second := out.split(g(s2, e1b, e2), 4, waits)
	check("e_1 out", second, want{recs: []record.Record{s2, e2}}, want{recs: []record.Record{e1b}, after: first.parts[:1]})

	se1 := st("e_1") // a story keyed as the event's id: another topic
	check("another topic", out.split(g(se1), 4, waits), want{recs: []record.Record{se1}})

	// e_2 went at once in the second write, which is out: it waits for
	// that part alone; e_1's next revision joins the part of e_1 that
	// waits already, behind e1b: the hot key does not chain
	e2b, e3, e1c := ev("e_2", 2), ev("e_3", 1), ev("e_1", 3)
	third := out.split(g(e2b, e3, e1c), 4, waits)
	check("e_2 out, e_1 waiting", third, want{recs: []record.Record{e2b}, after: second.parts[:1]}, want{recs: []record.Record{e3}}, want{recs: []record.Record{e1c}, after: first.parts[:1]})
	if hot := second.parts[1]; hot != third.parts[2] || len(hot.adds) != 2 {
		t.Fatalf("e_1's records of the third write did not join the second's waiting part")
	}

	// once the waiting part is sent, e_1's next revision waits for it
	second.parts[1].sent = true
	close(first.parts[0].done)
	e1d, s9 := ev("e_1", 4), st("s_9")
	check("e_1's part sent", out.split(g(s9, e1d), 4, waits), want{recs: []record.Record{s9}}, want{recs: []record.Record{e1d}, after: second.parts[1:2]})

	if n := testutil.ToFloat64(waits); n != 3 {
		t.Errorf("%v writes counted as waiting, want 3", n)
	}
	var one keyedWrites
	one.split(g(s1, e1), 1, waits)
	check("one write at a time", one.split(g(s2, e1b), 1, waits), want{recs: []record.Record{s2, e1b}})
}

// acked fails t if a batch of feeds was acked yet, with or without an
// error.
func acked(t *testing.T, acks *acks, when string, feeds ...string) {
	t.Helper()
	for _, f := range feeds {
		if ok, errs := acks.of(f); ok+len(errs) > 0 {
			t.Fatalf("%s was acked %s", f, when)
		}
	}
}

// A write whose records of a hot key joined an earlier write's waiting
// part is finished only once that part is, and fails with it: three
// writes of one event, the first held, the event's records of the second
// and third waiting in one part; that part fails, and both batches get
// its error although their other parts landed (the third's own, not
// ErrDecidedAfterFailure, which it would get had its write succeeded).
func TestAWriteThatJoinedAHotKeysWaitingPartFailsWithIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := republications(acks, 3)
		a, b, c := batches[0].Feed.URL, batches[1].Feed.URL, batches[2].Feed.URL
		sink := &heldSink{}
		done := runHeld(t, context.Background(), sink, DefaultConfig(), batches)
		synctest.Wait()
		if n := len(sink.writesOut()); n != 3 {
			t.Fatalf("%d writes out, want 3: the first batch's, and the others' parts that went at once", n)
		}
		sink.let(sink.writeOf(t, c), nil)
		sink.let(sink.writeOf(t, b), nil)
		synctest.Wait()
		acked(t, acks, "while the first write was out", a, b, c)
		sink.let(sink.writeOf(t, a), nil)
		synctest.Wait()
		// the third batch's duplicate record waited for the second's
		// part that carried one of its key: let it go too
		out := sink.writesOut()
		for i := len(out) - 1; i >= 0; i-- {
			if len(eventIDs(out[i])) == 0 {
				sink.let(i, nil)
			}
		}
		synctest.Wait()
		out = sink.writesOut()
		if len(out) != 1 || len(eventIDs(out[0])) != 2 {
			t.Fatalf("%d writes out, want one: the event's records of the second and third batch", len(out))
		}
		acked(t, acks, "while the part carrying its event was out", b, c)
		failed := errors.New("kafka: leader not available")
		sink.let(0, failed)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if ok, errs := acks.of(a); ok != 1 || len(errs) > 0 {
			t.Errorf("the first batch acked %d times with nil, errors %v; want once with nil", ok, errs)
		}
		// The third's own error, not the one of a batch decided after a
		// failed one (ErrDecidedAfterFailure): its write failed.
		for _, f := range []string{b, c} {
			if ok, errs := acks.of(f); ok != 0 || len(errs) != 1 || !errors.Is(errs[0], failed) {
				t.Errorf("%s acked %d times with nil, errors %v; want once with the waiting part's error", f, ok, errs)
			}
		}
	})
}

// noteFailLog is a file log whose notes of written records fail when
// fail returns an error: the appends of Store.NoteWritten, alone unsynced.
type noteFailLog struct {
	*state.FileLog
	fail func([]state.Entry) error
}

func (l noteFailLog) AppendUnsynced(ctx context.Context, es []state.Entry) error {
	if err := l.fail(es); err != nil {
		return err
	}
	return l.FileLog.AppendUnsynced(ctx, es)
}

// A write whose records the state log could not note sends none of them,
// not even those that joined a part another write made, and fails: three
// writes of one event, the second's note failing while its event record
// and the third's wait in one part.
func TestAHotKeysWaitingPartDropsAWriteTheLogCouldNotNote(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := republications(acks, 3)
		b := batches[1].Feed.URL
		noteErr := errors.New("state: disk full")
		wrap := func(fl *state.FileLog) state.Log {
			return noteFailLog{fl, func(es []state.Entry) error {
				for _, e := range es {
					if strings.HasSuffix(string(e.Key), "@r2") { // the second write's event
						return noteErr
					}
				}
				return nil
			}}
		}
		sink := &heldSink{}
		_, in, done := startHeldOn(t, context.Background(), sink, DefaultConfig(), wrap)
		for _, bt := range batches {
			in <- bt
		}
		close(in)
		sink.landAll()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		revs := map[int]bool{}
		for _, r := range sink.landed {
			if ev, ok := r.(*record.Event); ok {
				revs[ev.Revision] = true
			}
			if r.RecordType() == record.TypeFeedStatus && r.RecordKey() == b {
				t.Errorf("the second batch's feed status landed, although its write's notes failed")
			}
		}
		if revs[2] {
			t.Errorf("the second write's event record landed, although its notes failed")
		}
		if !revs[1] || !revs[3] {
			t.Fatalf("event revisions landed: %v, want the first and third: the test proves nothing", revs)
		}
		if ok, errs := acks.of(b); ok != 0 || len(errs) != 1 || !errors.Is(errs[0], noteErr) {
			t.Errorf("the second batch acked %d times with nil, errors %v; want once with the note's error", ok, errs)
		}
	})
}

// A part waiting for one that failed fails too, unsent: else a later
// write's record of the key would land before the failed one's, which
// its batches' re-read sends again. Four writes of one event: the second
// and third's records of it wait in one part, the fourth's in a part
// after it; that first waiting part fails, and the fourth's never goes.
func TestAHotKeysPartAfterAFailedOneFailsUnsent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		acks := newAcks()
		batches := republications(acks, 4)
		sink := &heldSink{}
		_, in, done := startHeld(t, context.Background(), sink, DefaultConfig())
		// lets every Write out that carries no event record land
		letOthers := func() {
			for {
				synctest.Wait()
				out := sink.writesOut()
				i := slices.IndexFunc(out, func(recs []record.Record) bool { return len(eventIDs(recs)) == 0 })
				if i < 0 {
					return
				}
				sink.let(i, nil)
			}
		}
		for _, bt := range batches[:3] {
			in <- bt
		}
		letOthers()
		sink.let(sink.writeOf(t, batches[0].Feed.URL), nil)
		letOthers()
		in <- batches[3]
		letOthers()
		out := sink.writesOut()
		if len(out) != 1 || len(eventIDs(out[0])) != 2 {
			t.Fatalf("%d writes out, want one: the event's records of the second and third batch", len(out))
		}
		failed := errors.New("kafka: leader not available")
		sink.let(0, failed)
		letOthers()
		if out := sink.writesOut(); len(out) > 0 {
			t.Fatalf("the fourth batch's event record went out after the part before it failed: %v", keyList(out[0]))
		}
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		for _, r := range sink.landed {
			if ev, ok := r.(*record.Event); ok && ev.Revision > 1 {
				t.Errorf("event revision %d landed after the part carrying revisions 2 and 3 failed", ev.Revision)
			}
		}
		for _, bt := range batches[1:] {
			if ok, errs := acks.of(bt.Feed.URL); ok != 0 || len(errs) != 1 || !errors.Is(errs[0], failed) {
				t.Errorf("%s acked %d times with nil, errors %v; want once with the failed part's error", bt.Feed.URL, ok, errs)
			}
		}
	})
}
