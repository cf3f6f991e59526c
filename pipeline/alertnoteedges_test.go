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

// A term can have two firings the log never committed: one waiting for
// its retraction in the pending note (its bucket was still open at the
// last commit), and a later one — a cooldown on — whose write went out
// and whose commit (which also dropped the pending retraction: the term
// fired again) never landed. The restart must retract the later firing,
// the term's last state on the sink. The pending note's key sorts after
// the numbered notes, so "the last handed over" was the older one: the
// restart retracted the first firing and left the second firing for ever.
func TestThePendingRetractionOfATermDoesNotHideItsLaterUncommittedFiring(t *testing.T) {
	scfg := spikes.DefaultConfig()
	scfg.Warmup = 0
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
		return pipelineOnLogWith(t, fl, stcfg, sink, cfg, func() time.Time { return t0.Add(3 * time.Hour) }, scfg)
	}
	later := func(m int, title string) record.Batch {
		b := lateStories()[0]
		it := b.Items[0]
		pub := t0.Add(time.Duration(m) * time.Minute)
		it.GUID, it.Link, it.Title, it.PublishedParsed, it.FetchedAt = "wire/"+title, "https://wire.example/"+title, title, &pub, pub
		b.Items = []record.Item{it}
		return b
	}
	firing := func(bucket time.Time) *record.Alert {
		return &record.Alert{
			Type: record.TypeAlert, SchemaVersion: record.SchemaVersion, ID: record.AlertID("zephyr", bucket, record.AlertFiring),
			Term: "zephyr", TermName: "Zephyr", State: record.AlertFiring,
			BucketStart: bucket, BucketEnd: bucket.Add(scfg.Bucket), At: bucket.Add(scfg.Bucket),
		}
	}
	note := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ctx := context.Background()

	p := open(&lossySink{})
	if err := p.Process(ctx, later(5, "Harbour reopens after storm")); err != nil {
		t.Fatal(err)
	}
	// what the log holds after the crash: zephyr's first firing waiting
	// for its retraction, and its second one, a cooldown later, noted by
	// a write whose commit never landed; the detector saw neither
	older, newer := firing(t0.Add(10*time.Minute)), firing(t0.Add(10*time.Minute+scfg.Cooldown))
	if err := p.d.Store.NoteWritten(ctx, []state.Entry{
		{Table: state.Written, Key: []byte(pendingAlertsKey), Value: note([]*record.Alert{older})},
		{Table: state.Written, Key: binary.BigEndian.AppendUint64([]byte(alertsPrefix), 7), Value: note([]*record.Alert{newer})},
	}); err != nil {
		t.Fatal(err)
	}
	if err := p.d.Store.Close(); err != nil {
		t.Fatal(err)
	}

	sink := &lossySink{}
	p = open(sink)
	if err := p.Process(ctx, later(150, "Ferry timetable changes")); err != nil {
		t.Fatal(err)
	}
	retracted := map[time.Time]bool{}
	for _, r := range sink.recs {
		if a, ok := r.(*record.Alert); ok && a.Term == "zephyr" && a.Retracted {
			retracted[a.BucketStart] = true
		}
	}
	if !retracted[newer.BucketStart] {
		t.Errorf("zephyr's firing of %s, never committed and its last on the sink, not retracted (retracted: %v)", newer.BucketStart.Format(time.Kitchen), retracted)
	}
}

// The detector forgets the quietest terms past MaxTerms (evict), a term
// that fired and cleared among them. A note of its firing that outlived
// the commit (its deletion failed, and the process died after the next
// commit, which evicted the term; or a restart's first run evicts it
// before it retracts) was then retracted on restart: "cleared, retracted"
// for a spike the log committed, as eviction erased the only witness
// (FiredSince) that the commit landed. The detector now keeps an evicted
// term's last firing apart from the baselines.
func TestAnAlertWhoseCommitLandedIsNotRetractedOnceItsTermIsEvicted(t *testing.T) {
	scfg := spikes.DefaultConfig()
	scfg.Warmup = 0
	scfg.Watch = []string{"acme"}
	scfg.MinRatio = 2
	scfg.MaxTerms = 1 // every quiet term is evicted at each bucket's close
	restartAfterALeftoverNote(t, scfg)
}
