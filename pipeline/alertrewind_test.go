package pipeline

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// An alert written by a batch that is then rewound (acked
// ErrDecidedAfterFailure: written, not committed) stays on the sink. When
// the batches read again did not bring the same stories (the outlets
// pulled them, a feed changed between polls), nothing fired it again —
// and nothing cleared it: the term's last alert on the sink said
// "firing" for ever, while the detector, rewound, never saw a spike. It
// is now cleared, marked retracted; stories read again that do fire it
// fire it again after that.
func TestAnAlertOfARewoundBatchIsSetRightOnTheSink(t *testing.T) {
	for _, tt := range []struct {
		name      string
		again     []int // the batches read again, of lateStories
		fail      []int // write numbers that fail: the first always
		wantState string
		retracted bool
	}{
		{"the Acme stories gone when read again", []int{0, 4}, []int{0}, record.AlertCleared, true},
		{"the same stories read again", []int{0, 1, 2, 3, 4}, []int{0}, record.AlertFiring, false},
		// Write 1 is the batches rewound (one write at a time: they go
		// out together); write 2 carries the retraction with the first
		// batch read again.
		{"the retraction's own write fails", []int{0, 4}, []int{0, 2}, record.AlertCleared, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				last := alertsAfterARewind(t, tt.again, tt.fail)
				a := last["acme"]
				if a == nil {
					t.Fatal("no alert of acme on the sink")
				}
				if a.State != tt.wantState || a.Retracted != tt.retracted {
					t.Errorf("the sink's last alert of acme is %s (retracted %t), want %s (retracted %t)", a.ID, a.Retracted, tt.wantState, tt.retracted)
				}
			})
		})
	}
}

// alertsAfterARewind runs lateStories through Run with its first write
// hanging a minute and failing, so the batches after it are decided and
// written meanwhile and rewound, then reads again the batches again
// gives; it returns the last alert of each term on the sink.
func alertsAfterARewind(t *testing.T, again, fail []int) map[string]*record.Alert {
	scfg := spikes.DefaultConfig()
	scfg.Warmup = 0
	scfg.Watch = []string{"acme"}
	scfg.MinRatio = 2
	cfg := DefaultConfig()
	cfg.DecideQueuedTogether = false
	cfg.MaxInFlightWrites = 1 // the batches after the first wait for its write, decided on its memory
	cfg.MaintenanceInterval = 24 * time.Hour
	sink := &faultySink{fail: map[int]bool{}, failAfter: time.Minute}
	for _, n := range fail {
		sink.fail[n] = true
	}
	stcfg := state.DefaultConfig()
	stcfg.NoSync = true
	fl, err := state.OpenFile(t.TempDir(), stcfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := pipelineOnLogWith(t, fl, stcfg, sink, cfg, func() time.Time { return t0.Add(time.Hour) }, scfg)
	in := make(chan record.Batch)
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background(), in) }()
	acks := make(chan ackOf, 16)
	batches := lateStories()
	send := func(i int) {
		b := batches[i]
		b.Ack = func(_ context.Context, err error) { acks <- ackOf{i, err} }
		in <- b
	}
	for i := range batches {
		send(i)
	}
	written := 0
	for range batches {
		if a := <-acks; errors.Is(a.err, ErrDecidedAfterFailure) {
			written++
		}
	}
	if written == 0 {
		t.Fatal("no batch was written and rewound")
	}
	fired := false
	for _, r := range sink.recs {
		if a, ok := r.(*record.Alert); ok && a.Term == "acme" && a.State == record.AlertFiring {
			fired = true
		}
	}
	if !fired {
		t.Fatal("the rewound batches wrote no alert of acme")
	}
	// Read again until every batch is committed (as pollers read their
	// feeds again at their next poll).
	for todo := again; len(todo) > 0; {
		for _, i := range todo {
			send(i)
		}
		var failed []int
		for range todo {
			if a := <-acks; a.err != nil {
				failed = append(failed, a.i)
			}
		}
		slices.Sort(failed)
		todo = failed
	}
	close(in)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	last := map[string]*record.Alert{}
	for _, r := range sink.recs {
		if a, ok := r.(*record.Alert); ok {
			last[a.Term] = a
		}
	}
	return last
}
