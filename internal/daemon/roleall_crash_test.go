package daemon

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
)

// crashSink keeps every record it is handed. While crash is set, a write
// lands (its records are kept, as the broker would keep them) and then
// never returns: the process dies before the batch's state is committed.
type crashSink struct {
	mu     sync.Mutex
	crash  bool
	landed chan struct{} // closed when the first crashing write landed
	once   sync.Once     // closes landed: every write while crash is set is held
	recs   []record.Record
}

func (s *crashSink) Write(ctx context.Context, recs []record.Record) error {
	s.mu.Lock()
	s.recs = append(s.recs, recs...)
	crash := s.crash
	s.mu.Unlock()
	if !crash {
		return nil
	}
	s.once.Do(func() { close(s.landed) })
	<-ctx.Done() // the drain gives up on the write: nothing is committed
	return ctx.Err()
}

func (s *crashSink) records() []record.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recs)
}

// A crash between a batch's write and its commit leaves its event records
// on the sink while the state log never heard of them. After the restart
// the feeds are read in another order and the event is founded by another
// story, under another id. The first id must not stay live on the
// compacted events topic with stories that belong to the second: the
// restart publishes what supersedes every event record the log noted as
// written and not committed (a retraction here), so each id live on the
// sink is one the restored state holds, as it holds it.
func TestRoleAllCrashBeforeCommitLeavesNoStaleEventID(t *testing.T) {
	polls := archive.Polls()
	dir := filepath.Join(t.TempDir(), "data")
	cfg := roleAllConfig(dir)
	cfg.ShutdownTimeout = 50 * time.Millisecond // the drain the crash cuts short
	sink := &crashSink{crash: true, landed: make(chan struct{})}

	// The wire's storm story founds its event; the write lands, the
	// commit never does.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pl := openRoleAll(ctx, t, cfg, sink)
	runCtx, kill := context.WithCancel(ctx)
	in := make(chan record.Batch, 1)
	in <- polls[0].Batch()
	ran := make(chan error, 1)
	go func() { ran <- pl.Run(runCtx, in) }()
	select {
	case <-sink.landed:
	case <-ctx.Done():
		t.Fatal("the first write never came")
	}
	kill()
	<-ran
	if err := pl.Store.Discard(); err != nil { // no snapshot: memory is ahead of the log
		t.Fatal(err)
	}
	first := sink.records()
	var stale string
	for _, r := range first {
		if ev, ok := r.(*record.Event); ok {
			stale = ev.ID
		}
	}
	if stale == "" {
		t.Fatal("the crashed write carried no event: the test proves nothing")
	}

	// The restart reads the daily's storm stories first: they found the
	// event under another id.
	sink.mu.Lock()
	sink.crash = false
	sink.mu.Unlock()
	again := runRoleAll(t, roleAllConfig(dir), sink, slices.Concat(polls[1:2], polls[:1], polls[2:]))
	live := again.Events.Live(0)
	if left := again.Store.Written(); len(left) > 0 {
		t.Errorf("%d notes of written records outlived the commits that followed them", len(left))
	}
	if err := again.Store.Close(); err != nil {
		t.Fatal(err)
	}
	recs := sink.records()
	archive.RequireRevisionsRise(t, recs)
	out := archive.OutcomeOf(recs)
	for _, r := range recs { // a compacted topic keeps each event's last write
		if ev, ok := r.(*record.Event); ok {
			out.Final[ev.ID] = ev
		}
	}
	held := map[string]bool{}
	for _, ev := range live {
		held[ev.ID] = true
	}
	if held[stale] {
		t.Fatalf("the restart founded the event under the crashed write's id %s again: the test proves nothing", stale)
	}
	for id, ev := range out.Final {
		if !ev.Expired && !held[id] {
			t.Errorf("event %s (%q, %d stories) is live on the sink, but the restored state does not hold it", id, ev.Title, ev.StoryCount)
		}
	}
	if ev := out.Final[stale]; ev != nil && !ev.Retracted {
		t.Errorf("the crashed write's event %s was not retracted: its last record is %+v", stale, ev)
	}
	// No story is held by two events live on the sink. (The crashed
	// write's own story record may name the retracted event: read again
	// after its copy, it is a duplicate now, and no story record follows.)
	holders := map[string][]string{}
	for id, ev := range out.Final {
		if !ev.Expired {
			for _, s := range ev.StoryIDs {
				holders[s] = append(holders[s], id)
			}
		}
	}
	for s, ids := range holders {
		if len(ids) > 1 {
			t.Errorf("story %s is held by %d live events: %v", s, len(ids), ids)
		}
	}
	requireLiveAsPublished(t, live, out)
}
