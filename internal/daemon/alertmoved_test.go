package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// acmeSpike is a wire story and an Acme story, then (acmeSpikeFired) one
// poll of another outlet with two more Acme stories and a later one that
// closes their bucket: that poll fires the watched term "acme". Then a
// wire story later still, which closes the bucket too.
func acmeSpike() []record.Batch {
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	item := func(feed string, published, fetched int, title, text string) record.Item {
		pub := at(published)
		return record.Item{Feed: record.FeedRef{URL: "https://" + feed + ".example/rss", Title: feed}, GUID: feed + "/" + title,
			Link: "https://" + feed + ".example/" + title, Title: title, Content: "<p>" + text + "</p>",
			PublishedParsed: &pub, FetchedAt: at(fetched)}
	}
	poll := func(its ...record.Item) record.Batch { return record.Batch{Feed: its[0].Feed, Items: its} }
	return []record.Batch{
		poll(item("wire", 1, 2, "Harbour reopens after storm", "The harbour reopened on Monday after the storm cleared and ferries sailed again.")),
		poll(item("daily", 3, 4, "Acme recalls vans", "Acme recalled its electric vans over a brake fault found by regulators.")),
		poll(item("times", 3, 20, "Brake fault at Acme", "Regulators found a brake fault in vans that Acme builds in its northern plant."),
			item("times", 4, 20, "Acme shares fall", "Shares in Acme fell sharply in early trading after the company announced the recall."),
			item("times", 19, 20, "Museum returns bronzes", "The museum handed back thirty bronzes in a ceremony attended by officials.")),
		poll(item("wire", 25, 26, "Library opens its new wing", "The city library opened a new wing with a reading room and a children's floor.")),
	}
}

// inTheBucket is a poll in the bucket of acmeSpike's alert, which leaves
// it open.
func inTheBucket() []record.Batch {
	pub := time.Date(2026, 3, 10, 9, 2, 0, 0, time.UTC)
	it := record.Item{Feed: record.FeedRef{URL: "https://post.example/rss", Title: "post"}, GUID: "post/ferry",
		Link: "https://post.example/ferry", Title: "Ferry timetable changes", Content: "<p>The ferry company changed its winter timetable for the island routes.</p>",
		PublishedParsed: &pub, FetchedAt: pub}
	return []record.Batch{{Feed: it.Feed, Items: []record.Item{it}}}
}

// acmeSpikeFired is the poll of acmeSpike that fires "acme".
const acmeSpikeFired = 2

// landingSink keeps every record it is handed, as the broker would. The
// first write that carries a firing alert lands and then, by how, never
// returns (the process is killed before its commit) or fails (the
// records landed, the answer was lost).
type landingSink struct {
	mu     sync.Mutex
	how    string // "kill" or "fail"; "" passes every write
	landed chan struct{}
	recs   []record.Record
}

func (s *landingSink) Write(ctx context.Context, recs []record.Record) error {
	s.mu.Lock()
	s.recs = append(s.recs, recs...)
	how := s.how
	s.mu.Unlock()
	if how == "" || !slices.ContainsFunc(recs, isFiring) {
		return nil
	}
	s.mu.Lock()
	s.how = ""
	s.mu.Unlock()
	close(s.landed)
	if how == "fail" {
		return errors.New("the answer to a stored write was lost")
	}
	<-ctx.Done() // killed: nothing is committed
	return ctx.Err()
}

func isFiring(r record.Record) bool {
	a, ok := r.(*record.Alert)
	return ok && a.State == record.AlertFiring
}

func (s *landingSink) records() []record.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recs)
}

// A batch's write that carries a firing alert reaches the alerts topic,
// and its commit never reaches the changelog: the process is killed
// (OOM, kill -9, a lost host), or the write failed after the broker
// stored it and the partition moved before the pipeline built from the
// changelog decided anything (the processor kept the alert to retract in
// its memory, which the partition's next owner never sees). The next
// owner restores a detector that never saw the spike. Before round 33
// nothing cleared it: when the stories read again do not fire it (the
// outlet pulled its story), the term's last alert said "firing" for
// ever. It is now noted in the changelog before the write, as event
// records are, and the next owner retracts it — or fires it again when
// the stories read again do. The event records of that write are set
// right the same way (covered since round 19's notes; proved here on
// the changelog).
func TestAnAlertWrittenAndNeverCommittedIsSetRightByThePartitionsNextOwner(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	cases := []alertCase{
		{"killed after the write, the story pulled", "kill", -1, false, record.AlertCleared, true},
		{"killed after the write, the story read again", "kill", -1, true, record.AlertFiring, false},
		{"the write failed, then the partition moved", "fail", -1, false, record.AlertCleared, true},
		{"killed, and the partition moved again before any batch", "kill", 0, false, record.AlertCleared, true},
		{"killed, and the partition moved again while the alert's bucket was open", "kill", 1, false, record.AlertCleared, true},
	}
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string {
		var out []string
		for i := range cases {
			out = append(out, fmt.Sprintf("%sstate%d", p, i))
		}
		return out
	})
	cfg := config.Default()
	cfg.Pipeline.MaintenanceInterval = 24 * time.Hour // event time is the items'
	cfg.Spikes.Warmup = 0
	cfg.Spikes.Watch = []string{"acme"}
	cfg.Spikes.MinRatio = 2
	for i, tc := range cases {
		for _, onFile := range []bool{false, true} {
			name := tc.name + ", the Kafka changelog"
			if onFile {
				name = tc.name + ", role all's file log"
			}
			t.Run(name, func(t *testing.T) { alertOfACrashedWrite(t, cfg, tc.open(t, cn, prefix, i, onFile), tc) })
		}
	}
}

// alertCase is a case of TestAnAlertWrittenAndNeverCommittedIsSetRightByThePartitionsNextOwner.
type alertCase struct {
	name      string
	how       string // how the first owner ends: killed ("kill"), or its write failed ("fail")
	between   int    // an owner in between restores, decides this many polls in the alert's bucket, and leaves; -1 none
	readAgain bool   // the next owner reads the alert's batch again
	wantState string
	retracted bool
}

// open returns what opens the case's state log again and again: case i's
// changelog topic under prefix, or a data directory of its own.
func (tc alertCase) open(t *testing.T, cn wkafka.Conn, prefix string, i int, onFile bool) func(context.Context) state.Log {
	if onFile {
		return fileLogOpener(t, t.TempDir())
	}
	spec := kafkastate.Spec(prefix, config.Default().State.Changelog, 1, 1, 1)
	spec.Topic = fmt.Sprintf("%s%d", spec.Topic, i)
	return changelogOpener(t, cn, spec)
}

// changelogOpener returns what opens spec's changelog topic (made if missing) again and again,
// as a restarted processor does.
func changelogOpener(t *testing.T, cn wkafka.Conn, spec kafkatable.Spec) func(context.Context) state.Log {
	return func(ctx context.Context) state.Log {
		if err := kafkastate.Ensure(ctx, cn, spec, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		l, err := kafkastate.Open(ctx, cn, spec.Topic, 0, kafkastate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
}

// fileLogOpener returns what opens role all's file state log in dir again and again.
func fileLogOpener(t *testing.T, dir string) func(context.Context) state.Log {
	return func(context.Context) state.Log {
		fl, err := state.OpenFile(dir, config.Default().State, nil, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return fl
	}
}

// alertOfACrashedWrite runs tc on the state log openLog opens.
func alertOfACrashedWrite(t *testing.T, cfg config.Config, openLog func(context.Context) state.Log, tc alertCase) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	open := func(sink *landingSink) *Pipeline {
		t.Helper()
		pl, err := NewPipeline(ctx, cfg, openLog(ctx), sink, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	batches := acmeSpike()
	sink := &landingSink{how: tc.how, landed: make(chan struct{})}
	first := open(sink)
	crashed := -1
	var err error
	for i, b := range batches[:acmeSpikeFired+1] {
		runCtx, kill := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- first.Process(runCtx, b) }()
		select {
		case err = <-done:
		case <-sink.landed:
			kill()
			err = <-done
		case <-ctx.Done():
			t.Fatal("a batch was never decided")
		}
		kill()
		if err != nil {
			crashed = i
			break
		}
	}
	if crashed != acmeSpikeFired {
		t.Fatalf("batch %d fired acme, not %d: the test proves nothing", crashed, acmeSpikeFired)
	}
	if err := first.Store.Discard(); err != nil { // no snapshot: memory is ahead of the log
		t.Fatal(err)
	}
	alert := lastAlert(sink.records(), "acme")
	if alert == nil || alert.State != record.AlertFiring {
		t.Fatalf("the write of batch %d landed without a firing alert of acme: %+v", crashed, alert)
	}
	var pulled []string // the crashed write's stories, when not read again
	for _, r := range sink.records() {
		if st, ok := r.(*record.Story); ok && !tc.readAgain && slices.ContainsFunc(batches[crashed].Items, func(it record.Item) bool { return it.Title == st.Title }) {
			pulled = append(pulled, st.ID)
		}
	}
	if !tc.readAgain && !slices.ContainsFunc(sink.records(), func(r record.Record) bool {
		ev, ok := r.(*record.Event)
		return ok && slices.ContainsFunc(pulled, func(s string) bool { return slices.Contains(ev.StoryIDs, s) })
	}) {
		t.Fatal("the crashed write carried no event record of its stories: the test proves nothing for events")
	}
	if tc.between >= 0 {
		between := open(sink)
		for _, b := range inTheBucket()[:tc.between] {
			if err := between.Process(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		if err := between.Store.Close(); err != nil { // a clean move
			t.Fatal(err)
		}
		if a := lastAlert(sink.records(), "acme"); a.Retracted {
			t.Fatalf("retracted before its bucket closed: %s", a.ID)
		}
	}
	next := open(sink)
	again := batches[crashed+1:]
	if tc.readAgain {
		again = batches[crashed : crashed+1]
	}
	for _, b := range again {
		if err := next.Process(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if left := next.Store.Written(); len(left) > 0 {
		t.Errorf("%d notes of written records outlived the commits that followed them", len(left))
	}
	if err := next.Store.Close(); err != nil {
		t.Fatal(err)
	}
	a := lastAlert(sink.records(), "acme")
	t.Logf("alerts of acme on the sink: %v", alertIDs(sink.records(), "acme"))
	if tc.readAgain && slices.ContainsFunc(sink.records(), func(r record.Record) bool { a, ok := r.(*record.Alert); return ok && a.Retracted }) {
		t.Errorf("an alert its stories fired again was retracted in between: %v", alertIDs(sink.records(), "acme"))
	}
	if a.State != tc.wantState || a.Retracted != tc.retracted {
		t.Errorf("the alerts topic's last alert of acme is %s (retracted %t), want %s (retracted %t)", a.ID, a.Retracted, tc.wantState, tc.retracted)
	}
	final := map[string]*record.Event{} // a compacted topic keeps each event's last record
	for _, r := range sink.records() {
		if ev, ok := r.(*record.Event); ok {
			final[ev.ID] = ev
		}
	}
	for id, ev := range final {
		for _, s := range pulled {
			if !ev.Expired && slices.Contains(ev.StoryIDs, s) {
				t.Errorf("event %s is live on the events topic with story %s, which no owner committed", id, s)
			}
		}
	}
}

// lastAlert is the last alert of term among recs, nil if none.
func lastAlert(recs []record.Record, term string) *record.Alert {
	var last *record.Alert
	for _, r := range recs {
		if a, ok := r.(*record.Alert); ok && a.Term == term {
			last = a
		}
	}
	return last
}

// alertIDs lists the ids of term's alerts among recs, in order, a
// retraction marked.
func alertIDs(recs []record.Record, term string) []string {
	var out []string
	for _, r := range recs {
		if a, ok := r.(*record.Alert); ok && a.Term == term {
			id := a.ID
			if a.Retracted {
				id += " (retracted)"
			}
			out = append(out, id)
		}
	}
	return out
}
