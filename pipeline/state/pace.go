package state

import "time"

// Pacer is a Compactor whose background snapshots may leave the cores to
// the pipeline part of the time. A snapshot encodes the whole live state
// on one goroutine — about a second of a core at 100 MB —, which on a
// box the pipeline keeps busy (2 cores, 1.4 of them at half of the
// harness's capacity) pushes it past what the cores give for that second:
// the batches queue behind it and their stories make the p99 (round 47).
// Pausing between chunks spreads the same work over more wall time.
type Pacer interface {
	// SnapshotShare is the share of the wall time a background snapshot
	// works now, pausing the rest: below 1 while the log can wait for it,
	// 1 (flat out) once it cannot (FileLog: its tail bound).
	SnapshotShare() float64
}

// paceSpell is the work a snapshot does between two looks at its pace:
// long enough that the pauses cost nothing to arrange (a timer per
// spell), short against a batch's time in the pipeline, so that a batch
// waits at most about one spell for the core the snapshot held.
const paceSpell = 5 * time.Millisecond

// paceCheckEvery is how many entries a snapshot writes between two reads
// of the clock (an entry takes ≈ 0.1–1 µs to write).
const paceCheckEvery = 256

// pacer pauses a background snapshot after each spell of work for as
// long as its share asks: a spell of w at share s is followed by a pause
// of w × (1 − s) ÷ s.
type pacer struct {
	share func() float64 // nil: never pause (Compact's snapshots, which a caller waits for)
	stop  <-chan struct{}
	began time.Time // this spell's
	n     int
	sleep func(d time.Duration, stop <-chan struct{}) bool // false: stop closed
}

func newPacer(share func() float64, stop <-chan struct{}) *pacer {
	return &pacer{share: share, stop: stop, began: time.Now(), sleep: sleepOrStop}
}

// step counts one entry written and pauses when a spell is over. It
// returns errStopping when the store closes during a pause.
func (p *pacer) step() error {
	if p == nil || p.share == nil {
		return nil
	}
	p.n++
	if p.n%paceCheckEvery != 0 {
		return nil
	}
	worked := time.Since(p.began)
	if worked < paceSpell {
		return nil
	}
	if s := p.share(); s > 0 && s < 1 {
		if !p.sleep(time.Duration(float64(worked)*(1-s)/s), p.stop) {
			return errStopping
		}
	}
	p.began = time.Now()
	return nil
}

func sleepOrStop(d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop:
		return false
	}
}
