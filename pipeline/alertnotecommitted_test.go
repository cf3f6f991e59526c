package pipeline

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A note of a write's alerts outlives its commit when the process dies
// between the commit and the note's deletion, or the deletion fails and
// the process dies after the next commit, before deleting it again. The
// log then holds the alert's firing: it fired legitimately, and a later
// bucket may already have cleared it. A restart must not retract it — the
// detector fired that term in that bucket, so the alert is its own.
// (Round 33's alert notes retracted it whenever the term was no longer
// firing: a "cleared, retracted" record claiming a real spike never was.)
func TestAnAlertWhoseCommitLandedIsNotRetractedByItsLeftoverNote(t *testing.T) {
	scfg := spikes.DefaultConfig()
	scfg.Warmup = 0
	scfg.Watch = []string{"acme"}
	scfg.MinRatio = 2
	restartAfterALeftoverNote(t, scfg)
}

// restartAfterALeftoverNote has acme fire and clear, all committed,
// leaves the firing's note in the log, restarts and processes one later
// story: nothing may be retracted.
func restartAfterALeftoverNote(t *testing.T, scfg spikes.Config) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.MaintenanceInterval = 24 * time.Hour
	stcfg := state.DefaultConfig()
	stcfg.NoSync = true
	dir := t.TempDir()
	open := func(sink Sink) *Pipeline {
		fl, err := state.OpenFile(dir, stcfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return pipelineOnLogWith(t, fl, stcfg, sink, cfg, func() time.Time { return t0.Add(time.Hour) }, scfg)
	}
	later := func(m int, title string) record.Batch {
		b := lateStories()[0]
		it := b.Items[0]
		pub := t0.Add(time.Duration(m) * time.Minute)
		it.GUID, it.Link, it.Title, it.PublishedParsed, it.FetchedAt = "wire/"+title, "https://wire.example/"+title, title, &pub, pub
		b.Items = []record.Item{it}
		return b
	}
	ctx := context.Background()

	first := &lossySink{}
	p := open(first)
	// acme fires, and a story an hour later clears it: all committed
	for _, b := range append(lateStories(), later(60, "Council approves the budget")) {
		if err := p.Process(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	var fired *record.Alert
	cleared := false
	for _, r := range first.recs {
		if a, ok := r.(*record.Alert); ok && a.Term == "acme" {
			switch a.State {
			case record.AlertFiring:
				fired = a
			case record.AlertCleared:
				cleared = true
			}
		}
	}
	if fired == nil || !cleared {
		t.Fatalf("acme fired %t, cleared %t: want both committed", fired != nil, cleared)
	}
	// the note of the firing's write, left in the log after its commit
	v, err := json.Marshal([]*record.Alert{fired})
	if err != nil {
		t.Fatal(err)
	}
	key := binary.BigEndian.AppendUint64([]byte(alertsPrefix), 1<<40)
	if err := p.d.Store.NoteWritten(ctx, []state.Entry{{Table: state.Written, Key: key, Value: v}}); err != nil {
		t.Fatal(err)
	}
	if err := p.d.Store.Close(); err != nil {
		t.Fatal(err)
	}

	second := &lossySink{}
	p = open(second)
	if err := p.Process(ctx, later(120, "Ferry timetable changes")); err != nil {
		t.Fatal(err)
	}
	for _, r := range second.recs {
		if a, ok := r.(*record.Alert); ok && a.Retracted {
			t.Errorf("the restart retracted %s, an alert the log holds fired and cleared", a.ID)
		}
	}
	if w := p.d.Store.Written(); len(w) != 0 {
		t.Errorf("%d notes outlive the restart's commit", len(w))
	}
}
