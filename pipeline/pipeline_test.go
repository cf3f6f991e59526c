package pipeline

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzTheLogHoldsMemory: each exec restores the stages from a log
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

var texts = []string{
	`<p>The European Central Bank left interest rates unchanged on Thursday, saying inflation in the euro area was easing more slowly than it had expected and that it would keep borrowing costs high for as long as needed.</p>
<p>Policymakers voted to hold the deposit rate at four percent for a fifth straight meeting, in line with forecasts from economists polled before the decision.</p>
<p>The bank's president told reporters in Frankfurt that wage growth remained strong and that services prices were still rising at a pace the governing council found uncomfortable.</p>`,
	`<p>Heavy rain flooded parts of southern Brazil for a third day as rivers burst their banks and thousands of families left their homes, the state civil defence agency said.</p>
<p>Rescue teams used boats and helicopters to reach people stranded on rooftops in towns along the Taquari valley, where the water rose faster than during last year's floods.</p>
<p>The governor asked the federal government for emergency funds and troops to help clear roads and restore power to the worst hit districts.</p>`,
	`<p>Samsung said on Tuesday it would start selling its new flagship phone in 125 countries next month, betting that a fingerprint scanner and a water resistant body will win back buyers who switched to rivals.</p>
<p>The company's mobile chief told an event in Barcelona that the device would cost about the same as its predecessor, despite the new sensors and a larger battery.</p>
<p>Analysts said the launch would test whether the world's biggest smartphone maker can still grow in a saturated market for high end handsets.</p>`,
}

// republish is another outlet's copy: a dateline, a few words changed.
func republish(html string) string {
	html = strings.Replace(html, "<p>", "<p>FRANKFURT (Reuters) - ", 1)
	html = strings.Replace(html, "unchanged", "steady", 1)
	return html + "<p>Reporting by staff; editing by the desk.</p>"
}

func item(feed string, n int, guid, link, title, html string) record.Item {
	return record.Item{
		Feed: record.FeedRef{URL: feed}, GUID: guid, Link: link, Title: title, Content: html,
		FetchedAt: t0.Add(time.Duration(n) * time.Minute),
	}
}

// acks records what the pipeline acked, per feed.
type acks struct {
	mu   sync.Mutex
	ok   map[string]int
	errs map[string][]error
}

func newAcks() *acks { return &acks{ok: map[string]int{}, errs: map[string][]error{}} }

func (a *acks) ack(feed string) record.AckFunc {
	return func(_ context.Context, err error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if err != nil {
			a.errs[feed] = append(a.errs[feed], err)
		} else {
			a.ok[feed]++
		}
	}
}

// of returns how many times feed's batches were acked with nil, and the
// errors they were acked with.
func (a *acks) of(feed string) (int, []error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ok[feed], a.errs[feed]
}

// fixtureBatches are two feeds: A with three stories, B with a
// republication of A's first and a broken item.
func fixtureBatches(acks *acks) []record.Batch {
	a := "https://a.example/rss"
	b := "https://b.example/feed.xml"
	mk := func(feed string, items ...record.Item) record.Batch {
		return record.Batch{
			Feed: record.FeedRef{URL: feed}, Items: items,
			Status: &record.FeedStatus{Type: record.TypeFeedStatus, ID: feed, FeedURL: feed, Health: record.HealthOK, LastAttempt: t0,
				ItemsFound: len(items), ItemsNew: len(items)},
			Ack: acks.ack(feed),
		}
	}
	return []record.Batch{
		mk(a,
			item(a, 0, "a-1", "https://a.example/2026/03/ecb-holds?utm_source=rss", "ECB holds rates", texts[0]),
			item(a, 0, "a-2", "https://a.example/2026/03/brazil-floods", "Floods in Brazil", texts[1]),
			item(a, 0, "a-3", "https://a.example/2026/03/samsung", "Samsung launch", texts[2])),
		mk(b,
			item(b, 1, "b-77", "https://b.example/world/ecb-decision", "ECB keeps rates on hold", republish(texts[0])),
			item(b, 1, "", "", "", "")), // no link, no guid, no text: a dead letter
	}
}

// memSink records what it was given; fail makes the next n writes fail.
type memSink struct {
	mu      sync.Mutex
	recs    []record.Record
	writes  []int // records per successful write
	started int   // Writes called, counted before the gate
	fail    int
	gate    chan struct{} // when set, each Write waits for a value
}

func (s *memSink) Write(ctx context.Context, recs []record.Record) error {
	s.mu.Lock()
	s.started++
	s.mu.Unlock()
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail > 0 {
		s.fail--
		return errors.New("kafka: leader not available")
	}
	s.recs = append(s.recs, recs...)
	s.writes = append(s.writes, len(recs))
	return nil
}

// count returns the Writes that started, held at the gate or not.
func (s *memSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started
}

func (s *memSink) byType() map[record.Type][]record.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[record.Type][]record.Record{}
	for _, r := range s.recs {
		out[r.RecordType()] = append(out[r.RecordType()], r)
	}
	return out
}

// newPipeline restores a pipeline's state from log (nil: memory only).
// Close its store (p.d.Store) to restart.
func newPipeline(t *testing.T, log state.Log, sink Sink, cfg Config) *Pipeline {
	t.Helper()
	now := t0.Add(time.Hour)
	dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), log, state.Options{}, dd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := New(cfg, Deps{
		Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Store: st, Sink: sink,
		Now: func() time.Time { return now },
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func runAll(t *testing.T, p *Pipeline, batches []record.Batch) {
	t.Helper()
	in := make(chan record.Batch)
	done := make(chan error)
	go func() { done <- p.Run(context.Background(), in) }()
	for _, b := range batches {
		in <- b
	}
	close(in)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestReplayWithRestartEmitsEachStoryOnce(t *testing.T) {
	dir := t.TempDir()
	sink := &memSink{}
	acks := newAcks()
	for run := 0; run < 2; run++ {
		p := newPipeline(t, openLog(t, dir), sink, DefaultConfig())
		runAll(t, p, fixtureBatches(acks))
		if err := p.d.Store.Close(); err != nil { // the restart
			t.Fatal(err)
		}
	}
	got := sink.byType()
	seen := map[string]int{}
	for _, r := range got[record.TypeStory] {
		seen[r.RecordID()]++
	}
	if len(seen) != 3 {
		t.Fatalf("stories published: %v, want the 3 of feed A", seen)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("story %s published %d times over two runs", id, n)
		}
	}
	if n := len(got[record.TypeDuplicate]); n != 1 {
		t.Fatalf("duplicates published: %d, want 1 (feed B's republication, once)", n)
	}
	d := got[record.TypeDuplicate][0].(*record.Duplicate)
	if d.Method != dedupe.MethodNear || d.Similarity < 0.5 {
		t.Errorf("duplicate %s similarity %.2f, want a near duplicate", d.Method, d.Similarity)
	}
	if n := len(got[record.TypeDeadLetter]); n != 2 {
		t.Errorf("dead letters: %d, want 1 per run (a rejected item is reported each time it is read)", n)
	}
	for _, feed := range []string{"https://a.example/rss", "https://b.example/feed.xml"} {
		if ok, errs := acks.of(feed); ok != 2 || len(errs) != 0 {
			t.Errorf("feed %s acked %d times and failed %v, want 2 acks", feed, ok, errs)
		}
	}
	// Batches are written concurrently, so find feed A's first status
	// rather than trusting the sink's arrival order.
	var first *record.FeedStatus
	for _, r := range got[record.TypeFeedStatus] {
		if st := r.(*record.FeedStatus); st.FeedURL == "https://a.example/rss" {
			first = st
			break
		}
	}
	// The poller owns the status: the pipeline publishes it as it is.
	if first == nil || first.ItemsNew != 3 || first.ItemsFound != 3 {
		t.Errorf("feed A's first status = %+v, want the source's items_found 3, items_new 3", first)
	}
}

func TestSinkFailureCommitsNothingAndReplayDelivers(t *testing.T) {
	sink := &memSink{fail: 1}
	acks := newAcks()
	p := newPipeline(t, openLog(t, t.TempDir()), sink, DefaultConfig())
	b := fixtureBatches(acks)[0]
	if err := p.Process(context.Background(), b); err == nil {
		t.Fatal("Process succeeded with a failing sink")
	}
	if ok, errs := acks.of(b.Feed.URL); ok != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "leader not available") {
		t.Fatalf("after a failed write the batch was acked %d times with nil and %v; want one ack carrying the sink's error", ok, errs)
	}
	if n := remembered(p); n != 0 {
		t.Fatalf("%d stories marked seen although the sink failed", n)
	}
	// The poller re-reads the feed: everything is delivered.
	if err := p.Process(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.byType()[record.TypeStory]); n != 3 {
		t.Fatalf("replay delivered %d stories, want 3", n)
	}
	if n := remembered(p); n != 3 {
		t.Fatalf("%d stories remembered after the acknowledged replay, want 3", n)
	}
	if ok, _ := acks.of(b.Feed.URL); ok != 1 {
		t.Fatalf("the acknowledged replay was acked %d times with nil, want 1", ok)
	}
}

func TestInFlightStoryCatchesItsCopyAndSlowSinkStopsIntake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})}
		cfg := DefaultConfig()
		cfg.MaxInFlightBatches = 2
		p := newPipeline(t, nil, sink, cfg)
		acks := newAcks()
		batches := fixtureBatches(acks)
		third := record.Batch{Feed: batches[0].Feed, Items: batches[0].Items[:1]}

		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		in <- batches[0]
		in <- batches[1] // decided while batch 0 is still unacknowledged
		sent := make(chan struct{})
		go func() { in <- third; close(sent) }()
		synctest.Wait()
		select {
		case <-sent:
			t.Fatal("Run read a third batch with both in-flight slots taken")
		default:
		}
		if n := remembered(p); n != 0 {
			t.Fatalf("%d stories remembered before any acknowledgement", n)
		}
		if ok, errs := acks.of(batches[0].Feed.URL); ok != 0 || len(errs) != 0 {
			t.Fatal("batch acked before the sink acknowledged it")
		}
		// The broker comes back. Batches 0 and 1 went out in one write or
		// two: batch 1 may have queued for the second stage behind batch 0
		// and been decided with it; the third repeats a story unchanged,
		// so it writes nothing.
		close(sink.gate)
		<-sent
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		got := sink.byType()
		if len(got[record.TypeDuplicate]) != 1 || got[record.TypeDuplicate][0].(*record.Duplicate).DuplicateOf != got[record.TypeStory][0].RecordKey() {
			t.Fatalf("the copy in batch 2 was not caught by batch 1's in-flight story: %d duplicates", len(got[record.TypeDuplicate]))
		}
		if len(got[record.TypeStory]) != 3 {
			t.Fatalf("%d stories, want 3 (the third batch repeats one, unchanged)", len(got[record.TypeStory]))
		}
	})
}

func TestBatchesDecidedWhileTheSinkLagsGoOutInOneWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})}
		cfg := DefaultConfig()
		cfg.MaxInFlightWrites = 1
		p := newPipeline(t, nil, sink, cfg)
		acks := newAcks()
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(context.Background(), in) }()
		feeds := oneBatchPerFeed(in, acks, func(i int) {
			if i == 0 {
				synctest.Wait() // the first write is out, waiting for the broker
			}
		})
		synctest.Wait()
		if ok, _ := acks.of(feeds[0]); ok != 0 {
			t.Fatal("a batch was acked before its write returned")
		}
		sink.gate <- struct{}{} // the first batch's write
		sink.gate <- struct{}{} // the two decided behind it, together
		close(in)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sink.writes, []int{1, 2}) {
			t.Fatalf("records per write = %v, want [1 2]: the batches decided while the only write was out go in one write", sink.writes)
		}
		for _, f := range feeds {
			if ok, errs := acks.of(f); ok != 1 || len(errs) != 0 {
				t.Errorf("%s acked %d times with nil and %v, want once", f, ok, errs)
			}
		}
		if n := remembered(p); n != 3 {
			t.Fatalf("%d stories remembered after the acknowledged writes, want 3", n)
		}
	})
}

func TestDrainTimeoutAbandonsUnacknowledgedBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &memSink{gate: make(chan struct{})} // never opens
		p := newPipeline(t, nil, sink, DefaultConfig())
		acks := newAcks()
		ctx, cancel := context.WithCancel(context.Background())
		in := make(chan record.Batch)
		done := make(chan error)
		go func() { done <- p.Run(ctx, in) }()
		in <- fixtureBatches(acks)[0]
		cancel()
		err := <-done // returns after the 30 s drain timeout, in fake time
		if err == nil || !errors.Is(err, ErrDrainTimeout) {
			t.Fatalf("Run() = %v, want a drain timeout error", err)
		}
		if ok, errs := acks.of("https://a.example/rss"); ok != 0 || len(errs) != 1 {
			t.Fatalf("abandoned batch acked %d times with nil and %v, want one ack with the error", ok, errs)
		}
		if n := remembered(p); n != 0 {
			t.Fatalf("%d stories of the abandoned batch remembered", n)
		}
	})
}

func remembered(p *Pipeline) int {
	n, _, _ := p.d.Dedupe.Remembered()
	return n
}

func openLog(t *testing.T, dir string) state.Log {
	t.Helper()
	cfg := state.DefaultConfig()
	cfg.NoSync = true
	l, err := state.OpenFile(dir, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestConfigValidateNamesTheKey(t *testing.T) {
	c := DefaultConfig()
	c.MaxInFlightBatches = 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "pipeline.max_in_flight_batches") {
		t.Fatalf("Validate() = %v", err)
	}
}

// brokenLog fails every append, as a full disk would.
type brokenLog struct{}

var errDisk = errors.New("disk I/O error")

func (brokenLog) Append(context.Context, []state.Entry) error            { return errDisk }
func (brokenLog) Restore(context.Context, func(state.Entry) error) error { return nil }
func (brokenLog) Close() error                                           { return nil }

// Every way a batch fails for good reaches its source at once, as the
// error of its one ack, so the feed is read again with its backoff rather
// than after commit_timeout.
func TestAFailedBatchIsAckedWithItsErrorAtOnce(t *testing.T) {
	for _, tt := range []struct {
		name string
		log  state.Log
		sink *memSink
		want string
	}{
		{"a failed write", nil, &memSink{fail: 1}, "leader not available"},
		{"a commit of the batch's state that fails", brokenLog{}, &memSink{}, "disk I/O error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newPipeline(t, tt.log, tt.sink, DefaultConfig())
				acks := newAcks()
				in := make(chan record.Batch)
				done := make(chan error)
				go func() { done <- p.Run(context.Background(), in) }()
				b := fixtureBatches(acks)[0]
				in <- b
				synctest.Wait() // no clock moves: the ack comes without any timeout
				ok, errs := acks.of(b.Feed.URL)
				if ok != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
					t.Errorf("acked %d times with nil and with %v; want one ack carrying %q", ok, errs, tt.want)
				}
				close(in)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				if n := remembered(p); n != 0 {
					t.Errorf("%d stories of the failed batch remembered", n)
				}
			})
		})
	}
}

// A pipeline dropped before its first second-stage run hands on what it
// was given to supersede, with what it forgot itself: one record per
// event, the highest revision (the processor role builds the next
// pipeline with them).
func TestForgottenEventsHandOnWhatWasNotYetSuperseded(t *testing.T) {
	p := newPipeline(t, nil, &memSink{}, DefaultConfig())
	ev := func(id string, rev int) *record.Event {
		return &record.Event{Type: record.TypeEvent, ID: id, Revision: rev}
	}
	p.Supersede([]*record.Event{ev("e_a", 3), ev("e_b", 1), ev("e_a", 5)})
	got := map[string]int{}
	for _, e := range p.ForgottenEvents() {
		if _, dup := got[e.ID]; dup {
			t.Errorf("event %s handed on twice", e.ID)
		}
		got[e.ID] = e.Revision
	}
	if want := map[string]int{"e_a": 5, "e_b": 1}; !maps.Equal(got, want) {
		t.Errorf("handed on %v, want %v", got, want)
	}
	if again := p.ForgottenEvents(); len(again) != 0 {
		t.Errorf("handed on %d records a second time", len(again))
	}
}
